import { DatePipe, DOCUMENT } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ApiError, Consent, CONSENT_COLLECTION_METHOD_LABELS, CONSENT_PURPOSE_LABELS } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ConfirmAction } from '../ui/confirm-action';
import { StatusMessage } from '../ui/status-message';
import { ConsentForm } from './consent-form';
import { categoryLabels, consentStateLabel, consentTitle, recipientLabel, sortConsents } from './sharing-format';
import { SharingApi } from './sharing.api';

/**
 * "Consentements et partage" on a person's file, for the structures that follow the person: every
 * consent, active ones first (withdrawn and lapsed ones stay listed: history is never hidden), the form
 * to record one with the person, and "Retirer" (confirmed in place) on each active consent.
 */
@Component({
  selector: 'pa-consents-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ApiErrorAlert, ConfirmAction, ConsentForm, StatusMessage],
  templateUrl: './consents-panel.html',
})
export class ConsentsPanel {
  private readonly api = inject(SharingApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  readonly personId = input.required<string>();

  protected readonly consents = signal<Consent[] | null>(null);
  protected readonly sorted = computed(() => sortConsents(this.consents() ?? []));
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly recording = signal(false);
  protected readonly busyId = signal<string | null>(null);

  protected readonly purposeLabels = CONSENT_PURPOSE_LABELS;
  protected readonly methodLabels = CONSENT_COLLECTION_METHOD_LABELS;
  protected readonly recipientLabel = recipientLabel;
  protected readonly stateLabel = consentStateLabel;
  protected readonly title = consentTitle;
  protected readonly categoryLabels = categoryLabels;

  private readonly recordButton = viewChild<ElementRef<HTMLButtonElement>>('recordButton');

  constructor() {
    toObservable(this.personId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.consents.set(null);
          this.loadError.set(null);
        }),
        switchMap((id) =>
          this.api.consents(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((consents) => this.consents.set(consents));
  }

  protected startRecording(): void {
    this.statusMessage.set('');
    this.actionError.set(null);
    this.recording.set(true);
  }

  protected stopRecording(): void {
    this.recording.set(false);
    this.focusLater(() => this.recordButton()?.nativeElement);
  }

  protected onRecorded(consent: Consent): void {
    this.consents.update((consents) => [consent, ...(consents ?? []).filter((c) => c.id !== consent.id)]);
    this.statusMessage.set($localize`Consentement enregistré : ${consentTitle(consent)}:title:.`);
    this.stopRecording();
  }

  protected withdrawalQuestion(consent: Consent): string {
    return $localize`Retirer le consentement « ${consentTitle(consent)}:title: » ? Le partage cesse immédiatement ; le consentement reste dans l'historique.`;
  }

  protected withdraw(consent: Consent): void {
    if (this.busyId()) return;
    this.busyId.set(consent.id);
    this.actionError.set(null);
    this.statusMessage.set('');
    this.api
      .withdrawConsent(this.personId(), consent.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyId.set(null);
          this.consents.update((consents) => (consents ?? []).map((c) => (c.id === updated.id ? updated : c)));
          this.statusMessage.set($localize`Consentement retiré : ${consentTitle(updated)}:title:. Le partage a cessé.`);
          // The "Retirer" button is gone: the focus goes to the consent, now listed as withdrawn.
          this.focusLater(() => this.document.getElementById(this.titleId(updated)) ?? undefined);
        },
        error: (error: unknown) => {
          this.busyId.set(null);
          this.actionError.set(toApiError(error));
        },
      });
  }

  protected titleId(consent: Consent): string {
    return `consentement-${consent.id}-titre`;
  }

  private focusLater(target: () => HTMLElement | undefined): void {
    afterNextRender({ write: () => target()?.focus() }, { injector: this.injector });
  }
}
