import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { CONTINUITY_ALERT_KIND_LABELS, CONTINUITY_ALERT_KINDS, IndicatorTerritory } from '@passerelle/contracts';
import { ALERT_STATE_LABELS, ALERT_STATES, AlertFilters, AlertScope } from './continuity-format';

/** The territories of the filters, EPCIs first then communes, each group sorted by name. */
export function territoryGroups(territories: readonly IndicatorTerritory[]): { label: string; territories: IndicatorTerritory[] }[] {
  const sorted = [...territories].sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  return [
    { label: $localize`Intercommunalités`, territories: sorted.filter((t) => t.kind === 'epci') },
    { label: $localize`Communes`, territories: sorted.filter((t) => t.kind === 'commune') },
  ].filter((group) => group.territories.length > 0);
}

/**
 * The filters of the alert lists: kind and state, and for coordinators the structure that must act and
 * the territory. They live in the URL (a filtered list can be bookmarked and comes back with
 * "Précédent"); "Filtrer" applies them and goes back to the first page.
 */
@Component({
  selector: 'pa-alert-filters',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule],
  host: { class: 'pa-block' },
  template: `
    <form [formGroup]="form" (ngSubmit)="apply()" novalidate role="search" [attr.aria-label]="label()">
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12" [class.fr-col-md-4]="!coordinator()" [class.fr-col-md-3]="coordinator()">
          <div class="fr-select-group">
            <label class="fr-label" [for]="idPrefix() + '-type'" i18n>Type de rupture</label>
            <select class="fr-select" [id]="idPrefix() + '-type'" formControlName="kind">
              <option value="" i18n>Tous les types</option>
              @for (kind of kinds; track kind) {
                <option [value]="kind">{{ kindLabels[kind] }}</option>
              }
            </select>
          </div>
        </div>
        <div class="fr-col-12" [class.fr-col-md-3]="!coordinator()" [class.fr-col-md-2]="coordinator()">
          <div class="fr-select-group">
            <label class="fr-label" [for]="idPrefix() + '-etat'" i18n>État</label>
            <select class="fr-select" [id]="idPrefix() + '-etat'" formControlName="state">
              @for (state of states; track state) {
                <option [value]="state">{{ stateLabels[state] }}</option>
              }
            </select>
          </div>
        </div>
        @if (coordinator()) {
          <div class="fr-col-12 fr-col-md-3">
            <div class="fr-select-group">
              <label class="fr-label" [for]="idPrefix() + '-structure'" i18n>Structure qui doit agir</label>
              <select class="fr-select" [id]="idPrefix() + '-structure'" formControlName="structureId">
                <option value="" i18n>Toutes les structures</option>
                @for (structure of structures(); track structure.id) {
                  <option [value]="structure.id">{{ structure.name }}</option>
                }
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-2">
            <div class="fr-select-group">
              <label class="fr-label" [for]="idPrefix() + '-territoire'" i18n>Territoire</label>
              <select class="fr-select" [id]="idPrefix() + '-territoire'" formControlName="territory">
                <option value="" i18n>Tout le département</option>
                @for (group of groups(); track group.label) {
                  <optgroup [label]="group.label">
                    @for (territory of group.territories; track territory.code) {
                      <option [value]="territory.code">{{ territory.label }}</option>
                    }
                  </optgroup>
                }
              </select>
            </div>
          </div>
        }
        <div class="fr-col-12 fr-col-md-2">
          <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
            <li>
              <button type="submit" class="fr-btn fr-btn--secondary" i18n>Filtrer</button>
            </li>
          </ul>
        </div>
      </div>
    </form>
  `,
})
export class AlertFiltersForm {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly idPrefix = input.required<string>();
  /** Accessible name of the search form, e.g. "Filtrer les alertes". */
  readonly label = input.required<string>();
  readonly scope = input<AlertScope>('structure');
  /** The current filters, from the URL. */
  readonly filters = input.required<AlertFilters>();
  /** Coordinators: the structures and territories offered. */
  readonly structures = input<readonly { id: string; name: string }[]>([]);
  readonly territories = input<readonly IndicatorTerritory[]>([]);

  protected readonly coordinator = computed(() => this.scope() === 'coordinator');
  protected readonly groups = computed(() => territoryGroups(this.territories()));
  protected readonly kinds = CONTINUITY_ALERT_KINDS;
  protected readonly kindLabels = CONTINUITY_ALERT_KIND_LABELS;
  protected readonly states = ALERT_STATES;
  protected readonly stateLabels = ALERT_STATE_LABELS;
  protected readonly form = this.fb.group({ kind: [''], state: ['open'], structureId: [''], territory: [''] });

  constructor() {
    effect(() => {
      const filters = this.filters();
      this.form.setValue({
        kind: filters.kind ?? '',
        state: filters.state,
        structureId: filters.structureId ?? '',
        territory: filters.territory ?? '',
      });
    });
  }

  protected apply(): void {
    const value = this.form.getRawValue();
    const coordinator = this.coordinator();
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: {
        type: value.kind || null,
        etat: value.state === 'open' ? null : value.state,
        structure: coordinator ? value.structureId || null : null,
        territoire: coordinator ? value.territory || null : null,
        page: null,
      },
      queryParamsHandling: 'merge',
    });
  }
}
