import { DatePipe, DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, ElementRef, inject, Injector, input, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { ApiError, EndReferentRequest, Handoff, PersonReferents, Referent, REFERENT_END_REASON_LABELS } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { HandoffForm } from './handoff-form';
import { criteriaLabels, structureContactLine } from './referent-format';
import { ReferentForm } from './referent-form';
import { ReferentsApi } from './referents.api';

type EndReason = EndReferentRequest['reason'];

/**
 * "Référent de parcours" on a person's file: the current référent with their structure's contact (so
 * partners can reach them rather than make the person repeat their story), the criteria they were
 * chosen for, the history in an accordion; for the structures that follow the person, "Désigner un
 * référent", "Mettre fin" (the référent's structure) and "Passer le relais". A structure that sees the
 * file by consent without identity is told the référent is not shared with it.
 */
@Component({
  selector: 'pa-person-referent',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, ApiErrorAlert, HandoffForm, ReferentForm, StatusMessage],
  templateUrl: './person-referent.html',
})
export class PersonReferent {
  private readonly api = inject(ReferentsApi);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  readonly personId = input.required<string>();
  /** The caller's structure follows the person and the file can still change: designate, end, hand off. */
  readonly canAct = input(false);

  protected readonly referents = signal<PersonReferents | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly designating = signal(false);
  protected readonly handingOff = signal(false);
  protected readonly ending = signal(false);
  protected readonly busy = signal(false);
  protected readonly historyOpen = signal(false);
  protected readonly endReason = new FormControl<EndReason | ''>('', { nonNullable: true });
  protected readonly endSubmitted = signal(false);

  private readonly ownStructureId = computed(() => this.auth.currentUser()?.activeMembership.structure?.id ?? null);
  /** Only the référent's structure ends the term. */
  protected readonly canEnd = computed(() => {
    const current = this.referents()?.current;
    return this.canAct() && !!current && current.structure.id === this.ownStructureId();
  });

  protected readonly endReasonLabels = REFERENT_END_REASON_LABELS;
  protected readonly endReasons: EndReason[] = ['ended', 'person_request'];
  protected readonly criteriaLabels = criteriaLabels;
  protected readonly contactLine = structureContactLine;

  private readonly designateButton = viewChild<ElementRef<HTMLButtonElement>>('designateButton');
  private readonly handoffButton = viewChild<ElementRef<HTMLButtonElement>>('handoffButton');

  constructor() {
    toObservable(this.personId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.referents.set(null);
          this.loadError.set(null);
        }),
        switchMap((id) =>
          this.api.referents(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((referents) => this.referents.set(referents));
  }

  protected hasNote(referent: Referent): boolean {
    return 'criteriaNote' in referent && !!referent.criteriaNote;
  }

  protected startDesignating(): void {
    this.clearMessages();
    this.handingOff.set(false);
    this.designating.set(true);
  }

  protected stopDesignating(): void {
    this.designating.set(false);
    this.focusLater(() => this.designateButton()?.nativeElement);
  }

  protected onDesignated(referents: PersonReferents): void {
    this.referents.set(referents);
    this.designating.set(false);
    this.statusMessage.set($localize`Référent désigné : ${referents.current?.user.name ?? ''}:name:.`);
    this.focusLater(() => this.document.getElementById('referent-en-cours') ?? undefined);
  }

  protected startHandoff(): void {
    this.clearMessages();
    this.designating.set(false);
    this.handingOff.set(true);
  }

  protected stopHandoff(): void {
    this.handingOff.set(false);
    this.focusLater(() => this.handoffButton()?.nativeElement);
  }

  protected onProposed(handoff: Handoff): void {
    this.handingOff.set(false);
    this.statusMessage.set(
      $localize`Relais proposé à ${handoff.to.userName}:name: (${handoff.to.structureName}:structure:) : il ou elle l'acceptera ou le déclinera depuis ses relais.`,
    );
    this.focusLater(() => this.handoffButton()?.nativeElement);
  }

  protected startEnding(): void {
    this.clearMessages();
    this.endSubmitted.set(false);
    this.endReason.setValue('');
    this.ending.set(true);
    this.focusLater(() => this.document.getElementById('referent-fin-ended') ?? undefined);
  }

  protected stopEnding(): void {
    this.ending.set(false);
    this.focusLater(() => this.document.getElementById('referent-mettre-fin') ?? undefined);
  }

  protected confirmEnd(): void {
    this.endSubmitted.set(true);
    const reason = this.endReason.value;
    if (!reason) {
      this.focusLater(() => this.document.getElementById('referent-fin-ended') ?? undefined);
      return;
    }
    if (this.busy()) return;
    this.busy.set(true);
    this.actionError.set(null);
    this.api
      .end(this.personId(), { reason })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (referents) => {
          this.busy.set(false);
          this.ending.set(false);
          this.referents.set(referents);
          this.statusMessage.set($localize`L'accompagnement par ce référent a pris fin (${REFERENT_END_REASON_LABELS[reason]}:reason:).`);
          this.focusLater(() => this.designateButton()?.nativeElement);
        },
        error: (error: unknown) => {
          this.busy.set(false);
          this.actionError.set(toApiError(error));
        },
      });
  }

  protected toggleHistory(): void {
    this.historyOpen.update((open) => !open);
  }

  private clearMessages(): void {
    this.statusMessage.set('');
    this.actionError.set(null);
  }

  private focusLater(target: () => HTMLElement | undefined): void {
    afterNextRender({ write: () => target()?.focus() }, { injector: this.injector });
  }
}
