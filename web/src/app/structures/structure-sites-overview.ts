import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ApiError, SITE_KIND_LABELS, Site, STRUCTURE_TYPE_LABELS, Structure } from '@passerelle/contracts';
import { catchError, EMPTY, filter, forkJoin, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { StructuresApi } from './structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { describeOpeningHours } from './opening-hours';

/** Read-only view of a structure and of its active sites, with opening hours or recurrence. */
@Component({
  selector: 'pa-structure-sites-overview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert],
  templateUrl: './structure-sites-overview.html',
})
export class StructureSitesOverview {
  private readonly api = inject(StructuresApi);

  readonly structureId = input.required<string>();

  protected readonly structure = signal<Structure | null>(null);
  protected readonly sites = signal<Site[]>([]);
  protected readonly activeSites = computed(() => this.sites().filter((site) => site.active));
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly typeLabels = STRUCTURE_TYPE_LABELS;
  protected readonly kindLabels = SITE_KIND_LABELS;
  protected readonly describeOpeningHours = describeOpeningHours;

  constructor() {
    toObservable(this.structureId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.error.set(null);
        }),
        switchMap((id) =>
          forkJoin({ structure: this.api.get(id), sites: this.api.listSites(id) }).pipe(
            catchError((error: unknown) => {
              this.error.set(toApiError(error));
              this.loading.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ structure, sites }) => {
        this.structure.set(structure);
        this.sites.set(sites);
        this.loading.set(false);
      });
  }
}
