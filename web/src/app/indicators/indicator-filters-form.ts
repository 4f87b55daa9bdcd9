import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import {
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  IndicatorTerritory,
  NEED_BOUQUETS,
  Site,
  Structure,
} from '@passerelle/contracts';
import { catchError, map, of, switchMap } from 'rxjs';
import { KEEP_FOCUS } from '../core/navigation/focus-on-navigation';
import { StructuresApi } from '../structures/structures.api';
import { FieldMessages } from '../ui/field-messages';
import { IndicatorPerimeter, IndicatorScope, isIsoDay, MAX_PERIOD_YEARS, periodTooLong, queryParamsOf, ResolvedFilters } from './indicator-filters';

/**
 * The filters of the indicators page: period, territory, structure (coordinators) or perimeter
 * (structure admins: their structure or the territory), need, channel and site. "Afficher" puts them
 * in the URL (a view can be bookmarked and shared, "Précédent" comes back to the previous one), and
 * the sections reload from there.
 */
@Component({
  selector: 'pa-indicator-filters-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldMessages],
  host: { class: 'pa-block' },
  templateUrl: './indicator-filters-form.html',
})
export class IndicatorFiltersForm {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly structuresApi = inject(StructuresApi);
  private readonly document = inject(DOCUMENT);

  readonly scope = input.required<IndicatorScope>();
  /** The filters applied (from the URL). */
  readonly value = input.required<ResolvedFilters>();
  /** Structure admins: their structure. */
  readonly ownStructure = input<{ id: string; name: string } | null>(null);
  readonly structures = input<readonly Structure[]>([]);
  readonly territories = input<readonly IndicatorTerritory[]>([]);

  protected readonly form = inject(FormBuilder).nonNullable.group({
    from: [''],
    to: [''],
    territory: [''],
    structureId: [''],
    bouquet: [''],
    channel: [''],
    siteId: [''],
    perimeter: ['structure' as IndicatorPerimeter],
  });
  protected readonly bouquets = NEED_BOUQUETS;
  protected readonly channels = CONTACT_CHANNELS;
  protected readonly channelLabels = CONTACT_CHANNEL_LABELS;
  protected readonly epcis = computed(() => this.territories().filter((territory) => territory.kind === 'epci'));
  protected readonly communes = computed(() => this.territories().filter((territory) => territory.kind === 'commune'));
  protected readonly sortedStructures = computed(() => [...this.structures()].sort((a, b) => a.name.localeCompare(b.name, 'fr')));
  protected readonly submitted = signal(false);
  protected readonly periodErrors = signal<{ from: string[]; to: string[] }>({ from: [], to: [] });

  /** The structure whose sites the "Lieu d'accueil" field offers ('' : none, the field is disabled). */
  private readonly siteStructureId = signal('');
  protected readonly sites = signal<Site[]>([]);
  protected readonly siteDisabled = computed(() => !this.siteStructureId());

  constructor() {
    effect(() => {
      const value = this.value();
      this.form.setValue({ ...value }, { emitEvent: false });
      this.siteStructureId.set(this.structureForSites(value.structureId, value.perimeter));
      this.periodErrors.set({ from: [], to: [] });
    });
    effect(() => {
      const site = this.form.controls.siteId;
      if (this.siteStructureId()) site.enable({ emitEvent: false });
      else site.disable({ emitEvent: false });
    });
    this.form.controls.structureId.valueChanges.pipe(takeUntilDestroyed()).subscribe((structureId) => this.changeSiteStructure(structureId, this.form.controls.perimeter.value));
    this.form.controls.perimeter.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe((perimeter) => this.changeSiteStructure(this.form.controls.structureId.value, perimeter));
    toObservable(this.siteStructureId)
      .pipe(
        switchMap((structureId) =>
          structureId
            ? this.structuresApi.listSites(structureId).pipe(
                map((sites) => sites.filter((site) => site.active).sort((a, b) => a.name.localeCompare(b.name, 'fr'))),
                catchError(() => of([])),
              )
            : of([]),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((sites) => this.sites.set(sites));
  }

  protected apply(): void {
    this.submitted.set(true);
    const value = this.form.getRawValue();
    const errors = { from: this.dayErrors(value.from), to: this.dayErrors(value.to) };
    if (!errors.from.length && !errors.to.length && value.from > value.to) {
      errors.to = [$localize`La date de fin doit être postérieure ou égale à la date de début.`];
    } else if (!errors.from.length && !errors.to.length && periodTooLong(value.from, value.to)) {
      errors.to = [$localize`La période couvre au plus ${MAX_PERIOD_YEARS}:years: ans.`];
    }
    this.periodErrors.set(errors);
    if (errors.from.length || errors.to.length) {
      this.document.getElementById(errors.from.length ? 'indicateurs-du' : 'indicateurs-au')?.focus();
      return;
    }
    // The focus stays on the form: the sections say, each in its status region, that they reload.
    void this.router.navigate([], { relativeTo: this.route, queryParams: queryParamsOf(value, this.scope()), state: KEEP_FOCUS });
  }

  /** Back to the default view: the last three full months, no other filter. */
  protected reset(): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: {}, state: KEEP_FOCUS });
  }

  private dayErrors(value: string): string[] {
    if (!value) return [$localize`Indiquez une date.`];
    return isIsoDay(value) ? [] : [$localize`Indiquez une date valide, par exemple 01/09/2026.`];
  }

  private structureForSites(structureId: string, perimeter: IndicatorPerimeter): string {
    if (this.scope() === 'structure') return perimeter === 'structure' ? (this.ownStructure()?.id ?? '') : '';
    return structureId;
  }

  private changeSiteStructure(structureId: string, perimeter: IndicatorPerimeter): void {
    const next = this.structureForSites(structureId, perimeter);
    if (next === this.siteStructureId()) return;
    this.form.controls.siteId.setValue('', { emitEvent: false });
    this.siteStructureId.set(next);
  }
}
