import { DatePipe, DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, inject, Injector, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { ApiError, ContinuityAlert, ContinuityAlertPage, IndicatorTerritory } from '@passerelle/contracts';
import { catchError, EMPTY, filter, of, switchMap, take, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { AcknowledgeForm } from './acknowledge-form';
import { AlertFiltersForm } from './alert-filters';
import { AlertsPagination } from './alerts-pagination';
import {
  acknowledgedBy,
  alertActionLink,
  alertContext,
  alertDomId,
  alertFiltersOf,
  alertKindLabel,
  alertNeedLabel,
  alertPersonLabel,
  alertQueryOf,
  ALERTS_PAGE_SIZE,
  AlertScope,
  isFiltered,
} from './continuity-format';
import { IndicatorsApi } from '../indicators/indicators.api';
import { ContinuityApi } from './continuity.api';
import { ThresholdsDisclosure } from './thresholds-disclosure';

/**
 * The alerts ("ruptures de parcours"), oldest gap first as the API sorts them.
 *
 * - Structures (`/ruptures`): the gaps my structure must act on, with the person (or "Identité non
 *   partagée"), the need, the other structure, since when and past which delay, and "Agir" (the
 *   orientation or the person's file).
 * - Coordinators (`/coordination/alertes`, route data `scope: 'coordinator'`): every alert of the
 *   territory, by structure that must act — never who — each leading to its page.
 *
 * Filters and page are in the URL. "Acquitter" opens a comment in the row; the result is announced.
 */
@Component({
  selector: 'pa-alerts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, AcknowledgeForm, AlertFiltersForm, AlertsPagination, ApiErrorAlert, StatusMessage, ThresholdsDisclosure],
  templateUrl: './alerts-page.html',
})
export class AlertsPage {
  private readonly api = inject(ContinuityApi);
  private readonly indicators = inject(IndicatorsApi);
  private readonly structuresApi = inject(StructuresApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  /** Route data: whose list this is. */
  readonly scope = input<AlertScope>('structure');
  /** Query parameters `?type=&etat=&structure=&territoire=&page=` (see `AlertFilterParams`). */
  readonly type = input<string>();
  readonly etat = input<string>();
  readonly structure = input<string>();
  readonly territoire = input<string>();
  readonly page = input<string>();

  protected readonly coordinator = computed(() => this.scope() === 'coordinator');
  protected readonly filters = computed(() =>
    alertFiltersOf(
      { type: this.type(), etat: this.etat(), structure: this.structure(), territoire: this.territoire(), page: this.page() },
      this.scope(),
    ),
    { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  protected readonly filtered = computed(() => isFiltered(this.filters()));
  protected readonly result = signal<ContinuityAlertPage | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly ackError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly busyKey = signal<string | null>(null);
  /** The alert whose acknowledgement form is open. */
  protected readonly acknowledgingKey = signal<string | null>(null);
  protected readonly structures = signal<{ id: string; name: string }[]>([]);
  protected readonly territories = signal<IndicatorTerritory[]>([]);
  protected readonly pageSize = ALERTS_PAGE_SIZE;
  /** Columns of the table, for the row holding the acknowledgement form. */
  protected readonly columnCount = 7;

  protected readonly kindLabel = alertKindLabel;
  protected readonly needLabel = alertNeedLabel;
  protected readonly personLabel = alertPersonLabel;
  protected readonly acknowledgedBy = acknowledgedBy;
  protected readonly domId = alertDomId;

  constructor() {
    toObservable(this.filters)
      .pipe(
        tap(() => {
          this.result.set(null);
          this.loadError.set(null);
          this.acknowledgingKey.set(null);
        }),
        switchMap((filters) =>
          this.api.alerts(alertQueryOf(filters)).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => this.result.set(result));

    // The coordinator's filters offer the structures and the territories; a failure leaves them empty.
    const coordinator$ = toObservable(this.coordinator).pipe(filter(Boolean), take(1));
    coordinator$
      .pipe(
        switchMap(() => this.structuresApi.list().pipe(catchError(() => of([])))),
        takeUntilDestroyed(),
      )
      .subscribe((structures) =>
        this.structures.set(
          structures
            .filter((s) => s.active)
            .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
            .map(({ id, name }) => ({ id, name })),
        ),
      );
    coordinator$
      .pipe(
        switchMap(() => this.indicators.territories().pipe(catchError(() => of([])))),
        takeUntilDestroyed(),
      )
      .subscribe((territories) => this.territories.set(territories));
  }

  protected context(alert: ContinuityAlert): string {
    return alertContext(alert, this.scope());
  }

  protected actionLink(alert: ContinuityAlert): string[] | null {
    return alertActionLink(alert);
  }

  protected pageCount(page: ContinuityAlertPage): number {
    return Math.max(1, Math.ceil(page.total / this.pageSize));
  }

  protected startAcknowledgement(alert: ContinuityAlert): void {
    this.statusMessage.set('');
    this.ackError.set(null);
    this.acknowledgingKey.set(alert.key);
  }

  protected cancelAcknowledgement(alert: ContinuityAlert): void {
    this.acknowledgingKey.set(null);
    this.focusLater(`${alertDomId(alert)}-acquitter`);
  }

  protected acknowledge(alert: ContinuityAlert, comment: string | null): void {
    if (this.busyKey()) return;
    this.busyKey.set(alert.key);
    this.ackError.set(null);
    this.statusMessage.set('');
    this.api
      .acknowledge(comment ? { key: alert.key, comment } : { key: alert.key })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyKey.set(null);
          this.acknowledgingKey.set(null);
          this.result.update((page) => (page ? { ...page, items: page.items.map((a) => (a.key === alert.key ? updated : a)) } : page));
          this.statusMessage.set($localize`Alerte acquittée : ${this.context(updated)}:alert:.`);
          // The button is gone: the focus goes to the acknowledgement now shown in the row.
          this.focusLater(`${alertDomId(updated)}-acquittement`);
        },
        error: (error: unknown) => {
          this.busyKey.set(null);
          this.ackError.set(toApiError(error));
        },
      });
  }

  private focusLater(id: string): void {
    afterNextRender({ write: () => this.document.getElementById(id)?.focus() }, { injector: this.injector });
  }
}
