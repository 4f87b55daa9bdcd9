import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import {
  ApiError,
  DIRECTORY_PROXIMITY_LABELS,
  DirectorySearchHit,
  NeedBouquetCode,
} from '@passerelle/contracts';
import { catchError, combineLatest, debounceTime, EMPTY, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { DirectoryApi } from './directory.api';
import { ServiceCard } from './service-card';

let nextId = 0;

/**
 * Chooses a partner service for a need and a commune (the orientation form embeds it): a compact list
 * of the directory's hits, nearest first, one radio button each, with the service's details on demand.
 * Emits the chosen hit. Searches again whenever `bouquet`, `commune` or the words change.
 */
@Component({
  selector: 'pa-service-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, ServiceCard],
  templateUrl: './service-picker.html',
})
export class ServicePicker {
  private readonly api = inject(DirectoryApi);

  readonly bouquet = input<NeedBouquetCode | null>(null);
  /** INSEE code of the person's commune. */
  readonly commune = input<string | null>(null);
  /** Leave out the services of the caller's own structure (orientation targets). */
  readonly excludeOwn = input(true);
  /** The service chosen earlier, if any. */
  readonly selectedId = input<string | null>(null);
  readonly legend = input($localize`Service partenaire`);
  readonly chosen = output<DirectorySearchHit>();

  protected readonly id = `pa-service-picker-${nextId++}`;
  protected readonly words = signal('');
  protected readonly hits = signal<DirectorySearchHit[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly picked = signal<string | null>(null);
  protected readonly current = computed(() => this.picked() ?? this.selectedId());
  protected readonly proximityLabels = DIRECTORY_PROXIMITY_LABELS;

  constructor() {
    combineLatest([toObservable(this.bouquet), toObservable(this.commune), toObservable(this.excludeOwn), toObservable(this.words)])
      .pipe(
        debounceTime(200),
        tap(() => {
          this.loading.set(true);
          this.error.set(null);
        }),
        switchMap(([bouquet, commune, excludeOwn, q]) =>
          this.api.search({ bouquet: bouquet ?? undefined, commune: commune ?? undefined, excludeOwn, q, limit: 20 }).pipe(
            catchError((error: unknown) => {
              this.error.set(toApiError(error));
              this.loading.set(false);
              this.hits.set([]);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((hits) => {
        this.hits.set(hits);
        this.loading.set(false);
      });
  }

  protected choose(hit: DirectorySearchHit): void {
    this.picked.set(hit.id);
    this.chosen.emit(hit);
  }

  protected communes(hit: DirectorySearchHit): string {
    return [...new Set(hit.sites.map((site) => site.communeName))].join(', ');
  }
}
