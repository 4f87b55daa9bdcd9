import { DatePipe, DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { AnswerHandoffRequest, ApiError, Handoff } from '@passerelle/contracts';
import { catchError, EMPTY } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ConfirmAction } from '../ui/confirm-action';
import { StatusMessage } from '../ui/status-message';
import { HandoffAnswerForm } from './handoff-answer-form';
import { handoffBadgeClass, handoffPersonLabel, handoffStatusLabel } from './referent-format';
import { ReferentsApi } from './referents.api';

interface Answering {
  id: string;
  decision: 'accept' | 'decline';
}

/**
 * "Relais" (`/relais`): the handoffs proposed to me, waiting ones first, each with its transmission
 * note, "Accepter" (and become référent, with the criteria) and "Décliner" (with a reason); those I
 * answered in the last 30 days; and the handoffs my structure proposed, which it may cancel while they wait.
 */
@Component({
  selector: 'pa-handoffs-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, ConfirmAction, HandoffAnswerForm, StatusMessage],
  templateUrl: './handoffs-page.html',
})
export class HandoffsPage {
  private readonly api = inject(ReferentsApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  protected readonly inbox = signal<Handoff[] | null>(null);
  protected readonly sent = signal<Handoff[] | null>(null);
  protected readonly waiting = computed(() => (this.inbox() ?? []).filter((h) => h.status === 'proposed'));
  protected readonly answered = computed(() => (this.inbox() ?? []).filter((h) => h.status !== 'proposed'));
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly answerError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly answering = signal<Answering | null>(null);
  protected readonly busyId = signal<string | null>(null);

  protected readonly personLabel = handoffPersonLabel;
  protected readonly statusLabel = handoffStatusLabel;
  protected readonly badgeClass = handoffBadgeClass;

  constructor() {
    const failed = (error: unknown) => {
      this.loadError.set(toApiError(error));
      return EMPTY;
    };
    this.api.inbox().pipe(catchError(failed), takeUntilDestroyed()).subscribe((handoffs) => this.inbox.set(handoffs));
    this.api.sent().pipe(catchError(failed), takeUntilDestroyed()).subscribe((handoffs) => this.sent.set(handoffs));
  }

  /** The person's file opens once the receiver may see it (identity shared, or accepted). */
  protected canOpenFile(handoff: Handoff): boolean {
    return handoff.personName !== null;
  }

  protected isAnswering(handoff: Handoff, decision: 'accept' | 'decline'): boolean {
    const answering = this.answering();
    return answering?.id === handoff.id && answering.decision === decision;
  }

  protected startAnswer(handoff: Handoff, decision: 'accept' | 'decline'): void {
    this.statusMessage.set('');
    this.answerError.set(null);
    this.actionError.set(null);
    this.answering.set({ id: handoff.id, decision });
  }

  protected stopAnswer(handoff: Handoff): void {
    const decision = this.answering()?.decision ?? 'accept';
    this.answering.set(null);
    this.focusLater(`${this.cardId(handoff)}-${decision === 'accept' ? 'accepter' : 'decliner'}`);
  }

  protected answer(handoff: Handoff, request: AnswerHandoffRequest): void {
    if (this.busyId()) return;
    this.busyId.set(handoff.id);
    this.answerError.set(null);
    this.api
      .answer(handoff.id, request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyId.set(null);
          this.answering.set(null);
          this.inbox.update((list) => (list ?? []).map((h) => (h.id === updated.id ? updated : h)));
          this.statusMessage.set(
            updated.status === 'accepted'
              ? request.becomeReferent
                ? $localize`Relais accepté : vous êtes désormais le référent de ${handoffPersonLabel(updated)}:person:.`
                : $localize`Relais accepté : votre structure suit désormais ${handoffPersonLabel(updated)}:person:.`
              : $localize`Relais décliné : ${updated.from.structureName}:structure: lira votre motif.`,
          );
          this.focusLater(this.cardId(updated));
        },
        error: (error: unknown) => {
          this.busyId.set(null);
          this.answerError.set(toApiError(error));
        },
      });
  }

  protected cancel(handoff: Handoff): void {
    if (this.busyId()) return;
    this.busyId.set(handoff.id);
    this.actionError.set(null);
    this.statusMessage.set('');
    this.api
      .cancel(handoff.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyId.set(null);
          this.sent.update((list) => (list ?? []).map((h) => (h.id === updated.id ? updated : h)));
          this.statusMessage.set($localize`Relais annulé : ${updated.to.userName}:name: n'a plus à y répondre.`);
          this.focusLater(this.cardId(updated, 'envoye'));
        },
        error: (error: unknown) => {
          this.busyId.set(null);
          this.actionError.set(toApiError(error));
        },
      });
  }

  protected cardId(handoff: Handoff, list: 'recu' | 'envoye' = 'recu'): string {
    return `relais-${list}-${handoff.id}`;
  }

  protected cancelQuestion(handoff: Handoff): string {
    return $localize`Annuler le relais proposé à ${handoff.to.userName}:name: ? Il ou elle n'aura plus à y répondre.`;
  }

  private focusLater(id: string): void {
    afterNextRender({ write: () => this.document.getElementById(id)?.focus() }, { injector: this.injector });
  }
}
