import { afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ACCESSIBILITY_LINKS,
  AccessibilityLinkCode,
  ApiError,
  ChangeReferralStatusRequest,
  FAILED_REFERRAL_OUTCOMES,
  REFERRAL_OUTCOME_LABELS,
  REFERRAL_OUTCOMES,
  ReferralOutcome,
} from '@passerelle/contracts';
import { fieldErrorsOf } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';

type CloseField = 'outcome' | 'brokenLink' | 'comment';

/**
 * "Clôturer" an orientation with its outcome. When it failed (non réalisée, abandon), the link of the
 * accessibility chain where access broke is required; for "injoignable" and "autre" it may be given;
 * "autre" needs a comment.
 */
@Component({
  selector: 'pa-close-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  host: { class: 'pa-block' },
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="cloture-titre">
      <p class="fr-h6" id="cloture-titre" i18n>Clôturer l'orientation</p>
      <pa-api-error-alert [error]="error()" />
      <fieldset
        class="fr-fieldset"
        [class.fr-fieldset--error]="errorsFor('outcome').length"
        aria-labelledby="cloture-resultat-legende cloture-resultat-messages"
      >
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="cloture-resultat-legende" i18n>Résultat *</legend>
        @for (outcome of outcomes; track outcome) {
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" [id]="'cloture-resultat-' + outcome" name="outcome" [value]="outcome" formControlName="outcome" />
              <label class="fr-label" [for]="'cloture-resultat-' + outcome">{{ outcomeLabels[outcome] }}</label>
            </div>
          </div>
        }
        <pa-field-messages id="cloture-resultat-messages" [errors]="errorsFor('outcome')" />
      </fieldset>

      @if (outcome() && outcome() !== 'done') {
        <div class="fr-select-group" [class.fr-select-group--error]="errorsFor('brokenLink').length">
          <label class="fr-label" for="cloture-maillon">
            @if (linkRequired()) {
              <ng-container i18n>Maillon de l'accès qui a fait défaut *</ng-container>
            } @else {
              <ng-container i18n>Maillon de l'accès qui a fait défaut</ng-container>
              <span class="fr-hint-text" i18n>Facultatif</span>
            }
          </label>
          <select
            class="fr-select"
            [class.fr-select--error]="errorsFor('brokenLink').length"
            id="cloture-maillon"
            formControlName="brokenLink"
            aria-describedby="cloture-maillon-messages"
            [attr.aria-invalid]="errorsFor('brokenLink').length ? true : null"
          >
            <option value="" i18n>Choisir un maillon</option>
            @for (link of links; track link.code) {
              <option [value]="link.code">{{ link.code }}. {{ link.label }}</option>
            }
          </select>
          <pa-field-messages id="cloture-maillon-messages" [errors]="errorsFor('brokenLink')" />
        </div>
      }

      <div class="fr-input-group" [class.fr-input-group--error]="errorsFor('comment').length">
        <label class="fr-label" for="cloture-commentaire">
          @if (outcome() === 'other') {
            <ng-container i18n>Commentaire *</ng-container>
          } @else {
            <ng-container i18n>Commentaire</ng-container>
            <span class="fr-hint-text" i18n>Facultatif</span>
          }
          <span class="fr-hint-text" i18n>Lu par la structure qui a orienté la personne</span>
        </label>
        <textarea
          class="fr-input"
          [class.fr-input--error]="errorsFor('comment').length"
          rows="2"
          id="cloture-commentaire"
          formControlName="comment"
          aria-describedby="cloture-commentaire-messages"
          [attr.aria-invalid]="errorsFor('comment').length ? true : null"
        ></textarea>
        <pa-field-messages id="cloture-commentaire-messages" [errors]="errorsFor('comment')" />
      </div>

      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Confirmer la clôture</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class CloseForm {
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  readonly submitted = output<ChangeReferralStatusRequest>();
  readonly cancelled = output<void>();

  protected readonly outcomes = REFERRAL_OUTCOMES;
  protected readonly outcomeLabels = REFERRAL_OUTCOME_LABELS;
  protected readonly links = ACCESSIBILITY_LINKS;
  protected readonly form = this.fb.group({
    outcome: this.fb.control<ReferralOutcome | ''>(''),
    brokenLink: [''],
    comment: ['', Validators.maxLength(1000)],
  });
  protected readonly outcome = toSignal(this.form.controls.outcome.valueChanges, { initialValue: '' as ReferralOutcome | '' });
  protected readonly linkRequired = computed(() => {
    const outcome = this.outcome();
    return outcome !== '' && FAILED_REFERRAL_OUTCOMES.includes(outcome);
  });
  private readonly tried = signal(false);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus() });
  }

  protected errorsFor(field: CloseField): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private clientErrors(field: CloseField): string[] {
    if (!this.tried()) return [];
    const value = this.form.getRawValue();
    switch (field) {
      case 'outcome':
        return value.outcome ? [] : [$localize`Choisissez le résultat de l'orientation.`];
      case 'brokenLink':
        return this.linkRequired() && !value.brokenLink ? [$localize`Indiquez le maillon de l'accès qui a fait défaut.`] : [];
      case 'comment':
        if (value.comment.length > 1000) return [$localize`Ce texte est trop long (1000 caractères au maximum).`];
        return value.outcome === 'other' && !value.comment.trim() ? [$localize`Précisez le résultat dans le commentaire.`] : [];
    }
  }

  protected submit(): void {
    this.tried.set(true);
    if (this.pending()) return;
    const order: [CloseField, string][] = [
      ['outcome', 'input[type="radio"]'],
      ['brokenLink', '#cloture-maillon'],
      ['comment', 'textarea'],
    ];
    const invalid = order.find(([field]) => this.clientErrors(field).length > 0);
    if (invalid) {
      this.formElement().nativeElement.querySelector<HTMLElement>(invalid[1])?.focus();
      return;
    }
    const value = this.form.getRawValue();
    if (!value.outcome) return;
    const comment = value.comment.trim();
    const brokenLink = value.outcome !== 'done' && value.brokenLink ? (Number(value.brokenLink) as AccessibilityLinkCode) : null;
    this.submitted.emit({
      status: 'closed',
      outcome: value.outcome,
      ...(brokenLink ? { brokenLink } : {}),
      ...(comment ? { comment } : {}),
    });
  }
}
