import { afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, OnInit, output, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { AnswerHandoffRequest, ApiError, Handoff } from '@passerelle/contracts';
import { fieldErrorsOf } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { criteriaGroup, ReferentCriteria, selectedCriteria } from './referent-criteria';

export const MAX_DECLINE_REASON = 1000;

/**
 * The receiver's answer to a handoff, in its card: accepting (and, when asked, becoming the person's
 * référent with the designation criteria), or declining with a reason the sender will read.
 */
@Component({
  selector: 'pa-handoff-answer-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, ReferentCriteria],
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate [attr.aria-labelledby]="prefix() + '-titre'">
      <p class="fr-h6 fr-mb-1w" [id]="prefix() + '-titre'">
        @if (decision() === 'accept') {
          <ng-container i18n>Accepter le relais</ng-container>
        } @else {
          <ng-container i18n>Décliner le relais</ng-container>
        }
      </p>
      <pa-api-error-alert [error]="error()" />
      @if (decision() === 'accept') {
        <p class="fr-text--sm" i18n>En acceptant, votre structure suit la personne : son dossier vous est ouvert.</p>
        <div class="fr-checkbox-group fr-mb-2w">
          <input type="checkbox" [id]="prefix() + '-devenir-referent'" formControlName="becomeReferent" />
          <label class="fr-label" [for]="prefix() + '-devenir-referent'" i18n
            >Devenir le référent de parcours de la personne
            @if (handoff().proposeReferent) {
              <span class="fr-hint-text">L'expéditeur vous le propose</span>
            }
          </label>
        </div>
        @if (becomeReferent()) {
          <pa-referent-criteria [idPrefix]="prefix()" [group]="form.controls.criteria" [errors]="errorsFor('criteria')" />
          <div class="fr-checkbox-group fr-mb-3w">
            <input type="checkbox" [id]="prefix() + '-avec-la-personne'" formControlName="chosenWithPerson" />
            <label class="fr-label" [for]="prefix() + '-avec-la-personne'" i18n>Choisi avec la personne</label>
          </div>
        }
      } @else {
        <div class="fr-input-group" [class.fr-input-group--error]="errorsFor('declineReason').length">
          <label class="fr-label" [for]="prefix() + '-motif'" i18n
            >Motif *
            <span class="fr-hint-text">Lu par la structure qui vous a proposé le relais</span></label
          >
          <textarea
            class="fr-input"
            [class.fr-input--error]="errorsFor('declineReason').length"
            [id]="prefix() + '-motif'"
            rows="3"
            [attr.maxlength]="maxReason"
            formControlName="declineReason"
            [attr.aria-describedby]="prefix() + '-motif-messages'"
            [attr.aria-invalid]="errorsFor('declineReason').length ? true : null"
          ></textarea>
          <pa-field-messages [id]="prefix() + '-motif-messages'" [errors]="errorsFor('declineReason')" />
        </div>
      }
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null">
            @if (decision() === 'accept') {
              <ng-container i18n>Confirmer l'acceptation</ng-container>
            } @else {
              <ng-container i18n>Confirmer le refus</ng-container>
            }
          </button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class HandoffAnswerForm implements OnInit {
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly handoff = input.required<Handoff>();
  readonly decision = input.required<'accept' | 'decline'>();
  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  readonly answered = output<AnswerHandoffRequest>();
  readonly cancelled = output<void>();

  protected readonly maxReason = MAX_DECLINE_REASON;
  protected readonly form = this.fb.group({
    becomeReferent: [false],
    criteria: criteriaGroup(),
    chosenWithPerson: [false],
    declineReason: [''],
  });
  protected readonly becomeReferent = toSignal(this.form.controls.becomeReferent.valueChanges, { initialValue: false });
  protected readonly prefix = computed(() => `relais-${this.handoff().id}-${this.decision()}`);
  protected readonly submitted = signal(false);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLElement>('input, textarea')?.focus() });
  }

  /** Proposed référent: the box starts checked (the receiver may uncheck it). */
  ngOnInit(): void {
    if (this.decision() === 'accept' && this.handoff().proposeReferent) this.form.controls.becomeReferent.setValue(true);
  }

  protected errorsFor(field: 'criteria' | 'declineReason'): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((m) => !client.includes(m))];
  }

  private clientErrors(field: 'criteria' | 'declineReason'): string[] {
    if (!this.submitted()) return [];
    if (field === 'criteria') {
      return this.decision() === 'accept' && this.becomeReferent() && selectedCriteria(this.form.controls.criteria).length === 0
        ? [$localize`Cochez au moins un critère de désignation.`]
        : [];
    }
    if (this.decision() !== 'decline') return [];
    const reason = this.form.controls.declineReason.value.trim();
    if (!reason) return [$localize`Indiquez pourquoi vous déclinez ce relais.`];
    return reason.length > MAX_DECLINE_REASON ? [$localize`Le motif comporte au plus ${MAX_DECLINE_REASON}:max: caractères.`] : [];
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    for (const field of ['criteria', 'declineReason'] as const) {
      if (this.clientErrors(field).length) {
        const selector = field === 'criteria' ? `#${this.prefix()}-criteres input` : `#${this.prefix()}-motif`;
        this.formElement().nativeElement.querySelector<HTMLElement>(selector)?.focus();
        return;
      }
    }
    const value = this.form.getRawValue();
    this.answered.emit(
      this.decision() === 'accept'
        ? value.becomeReferent
          ? { decision: 'accept', becomeReferent: true, criteria: selectedCriteria(this.form.controls.criteria), chosenWithPerson: value.chosenWithPerson }
          : { decision: 'accept' }
        : { decision: 'decline', declineReason: value.declineReason.trim() },
    );
  }
}
