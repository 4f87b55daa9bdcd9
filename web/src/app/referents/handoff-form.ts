import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, ElementRef, inject, Injector, input, output, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ApiError, Handoff, ProposeHandoffRequest } from '@passerelle/contracts';
import { newClientRequestId } from '../contacts/client-request-id';
import { AuthService } from '../core/auth/auth.service';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { ProfessionalPicker } from './professional-picker';
import { parseProfessionalKey } from './referent-format';
import { ReferentsApi } from './referents.api';

export const MAX_HANDOFF_NOTE = 4000;

type Field = 'toUserId' | 'note';

/**
 * "Passer le relais": to a colleague or a social worker of the territory, with a transmission note
 * (what they need to know to take over, so the person does not tell their story again) that only the
 * receiver and the agent's structure read; the receiver may be asked to become référent. Towards
 * another structure the person's consent must name it (the API answers 409 CONSENT_REQUIRED, shown
 * as it is). One idempotency key per form.
 */
@Component({
  selector: 'pa-handoff-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, ProfessionalPicker],
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <pa-api-error-alert [error]="error()" />
      <p class="fr-text--sm" i18n>
        Vers une autre structure, le consentement de la personne doit nommer cette structure. Les champs marqués d'un
        astérisque (*) sont obligatoires.
      </p>
      <pa-professional-picker
        inputId="relais-destinataire"
        i18n-label
        label="Destinataire du relais *"
        [excludeUserId]="ownUserId()"
        [errors]="errorsFor('toUserId')"
        formControlName="receiver"
      />
      <div class="fr-input-group" [class.fr-input-group--error]="errorsFor('note').length">
        <label class="fr-label" for="relais-note" i18n
          >Note de transmission *
          <span class="fr-hint-text"
            >Lue seulement par le destinataire et votre structure, jamais affichée dans le parcours : ce qu'il faut savoir
            pour reprendre l'accompagnement, sans détail inutile.</span
          ></label
        >
        <textarea
          class="fr-input"
          [class.fr-input--error]="errorsFor('note').length"
          id="relais-note"
          rows="5"
          [attr.maxlength]="maxNote"
          formControlName="note"
          aria-describedby="relais-note-messages"
          [attr.aria-invalid]="errorsFor('note').length ? true : null"
        ></textarea>
        <pa-field-messages id="relais-note-messages" [errors]="errorsFor('note')" />
      </div>
      <div class="fr-checkbox-group fr-mb-3w">
        <input type="checkbox" id="relais-proposer-referent" formControlName="proposeReferent" />
        <label class="fr-label" for="relais-proposer-referent" i18n
          >Proposer au destinataire de devenir le référent de la personne
          <span class="fr-hint-text">En acceptant, il ou elle pourra devenir référent, avec les critères de désignation</span></label
        >
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Proposer le relais</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class HandoffForm {
  private readonly api = inject(ReferentsApi);
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly personId = input.required<string>();
  readonly proposed = output<Handoff>();
  readonly cancelled = output<void>();

  protected readonly maxNote = MAX_HANDOFF_NOTE;
  protected readonly ownUserId = computed(() => this.auth.currentUser()?.id ?? null);
  protected readonly form = this.fb.group({ receiver: [''], note: [''], proposeReferent: [false] });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  /** Same key on every retry: a double submit never proposes two handoffs. */
  private readonly clientRequestId = newClientRequestId();
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLElement>('input, select')?.focus() });
  }

  protected errorsFor(field: Field): string[] {
    const server = [...(this.serverErrors()[field] ?? []), ...(field === 'toUserId' ? (this.serverErrors()['toStructureId'] ?? []) : [])];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((m) => !client.includes(m))];
  }

  private clientErrors(field: Field): string[] {
    if (!this.submitted()) return [];
    const value = this.form.getRawValue();
    switch (field) {
      case 'toUserId':
        return value.receiver ? [] : [$localize`Choisissez le professionnel à qui passer le relais.`];
      case 'note': {
        const note = value.note.trim();
        if (!note) return [$localize`Rédigez la note de transmission : ce que le destinataire doit savoir pour reprendre l'accompagnement.`];
        return note.length > MAX_HANDOFF_NOTE ? [$localize`La note comporte au plus ${MAX_HANDOFF_NOTE}:max: caractères.`] : [];
      }
    }
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending() || this.focusFirstInvalid((f) => this.clientErrors(f))) return;
    const value = this.form.getRawValue();
    const receiver = parseProfessionalKey(value.receiver);
    if (!receiver) return;
    const request: ProposeHandoffRequest = {
      clientRequestId: this.clientRequestId,
      personId: this.personId(),
      toUserId: receiver.userId,
      toStructureId: receiver.structureId,
      note: value.note.trim(),
      proposeReferent: value.proposeReferent,
    };
    this.pending.set(true);
    this.error.set(null);
    this.api
      .proposeHandoff(request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (handoff) => {
          this.pending.set(false);
          this.proposed.emit(handoff);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.error.set(toApiError(error));
          afterNextRender({ write: () => this.focusFirstInvalid((f) => this.errorsFor(f)) }, { injector: this.injector });
        },
      });
  }

  private focusFirstInvalid(errorsOf: (field: Field) => string[]): boolean {
    const order: [Field, string][] = [
      ['toUserId', '#relais-destinataire'],
      ['note', '#relais-note'],
    ];
    const first = order.find(([field]) => errorsOf(field).length > 0);
    if (!first) return false;
    this.formElement().nativeElement.querySelector<HTMLElement>(first[1])?.focus();
    return true;
  }
}
