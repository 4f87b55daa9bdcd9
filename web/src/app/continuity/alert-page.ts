import { DatePipe, DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, inject, Injector, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { ApiError, CONTINUITY_ALERT_KIND_HELP, ContinuityAlert } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { AcknowledgeForm } from './acknowledge-form';
import { acknowledgedBy, alertKindLabel, alertNeedLabel, alertSubjectLabel } from './continuity-format';
import { ContinuityApi } from './continuity.api';

/**
 * One alert, for coordinators (`/coordination/alertes/:key`): what the gap is, which structure must act,
 * the other structure, since when and past which delay, its acknowledgement, and the form to acknowledge
 * it. The person is never named here. An alert whose gap has closed no longer exists (404): the page says
 * it is closed.
 */
@Component({
  selector: 'pa-alert-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, AcknowledgeForm, ApiErrorAlert, StatusMessage],
  templateUrl: './alert-page.html',
})
export class AlertPage {
  private readonly api = inject(ContinuityApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);
  private readonly title = inject(Title);

  /** Route parameter `:key` (decoded by the router). */
  readonly key = input.required<string>();

  protected readonly alert = signal<ContinuityAlert | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly closed = computed(() => this.loadError()?.statusCode === 404);
  protected readonly ackError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly pending = signal(false);
  protected readonly acknowledging = signal(false);

  protected readonly kindLabel = alertKindLabel;
  protected readonly needLabel = alertNeedLabel;
  protected readonly subjectLabel = alertSubjectLabel;
  protected readonly acknowledgedBy = acknowledgedBy;
  protected readonly kindHelp = CONTINUITY_ALERT_KIND_HELP;

  constructor() {
    toObservable(this.key)
      .pipe(
        filter((key) => key.length > 0),
        tap(() => {
          this.loading.set(true);
          this.loadError.set(null);
          this.alert.set(null);
          this.acknowledging.set(false);
          this.statusMessage.set('');
        }),
        switchMap((key) =>
          this.api.alert(key).pipe(
            catchError((error: unknown) => {
              const apiError = toApiError(error);
              this.loadError.set(apiError);
              this.loading.set(false);
              if (apiError.statusCode === 404) this.title.setTitle($localize`Alerte close – Passerelle`);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((alert) => {
        this.alert.set(alert);
        this.loading.set(false);
      });
  }

  protected open(): void {
    this.statusMessage.set('');
    this.ackError.set(null);
    this.acknowledging.set(true);
  }

  protected cancel(): void {
    this.acknowledging.set(false);
    this.focusLater('alerte-acquitter');
  }

  protected acknowledge(comment: string | null): void {
    const alert = this.alert();
    if (!alert || this.pending()) return;
    this.pending.set(true);
    this.ackError.set(null);
    this.statusMessage.set('');
    this.api
      .acknowledge(comment ? { key: alert.key, comment } : { key: alert.key })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.pending.set(false);
          this.acknowledging.set(false);
          this.alert.set(updated);
          this.statusMessage.set($localize`Alerte acquittée.`);
          this.focusLater('alerte-acquittement');
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.ackError.set(toApiError(error));
        },
      });
  }

  private focusLater(id: string): void {
    afterNextRender({ write: () => this.document.getElementById(id)?.focus() }, { injector: this.injector });
  }
}
