import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ACCESSIBILITY_LINKS,
  AccessibilityLinkCode,
  ApiError,
  ChangeReferralStatusRequest,
  REFUSAL_REASON_LABELS,
  REFUSAL_REASONS,
  RefusalReason,
} from '@passerelle/contracts';
import { fieldErrorsOf } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';

type RefusalField = 'refusalReason' | 'brokenLink' | 'comment';

/**
 * "Refuser" an orientation: the reason (radios), the link of the accessibility chain where access
 * broke (required: it is what the coordinator acts on), and a comment, required for "Autre motif".
 * Used inline in the inbox row and on the orientation's page.
 */
@Component({
  selector: 'pa-refusal-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  host: { class: 'pa-block' },
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate [attr.aria-labelledby]="idPrefix() + '-titre'">
      <p class="fr-h6 fr-mb-2w" [id]="idPrefix() + '-titre'">
        <ng-container i18n>Refuser l'orientation</ng-container>
        @if (context()) {
          <span class="fr-sr-only"> {{ context() }}</span>
        }
      </p>
      <pa-api-error-alert [error]="error()" />
      <fieldset
        class="fr-fieldset"
        [class.fr-fieldset--error]="errorsFor('refusalReason').length"
        [attr.aria-labelledby]="idPrefix() + '-motif-legende ' + idPrefix() + '-motif-messages'"
      >
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" [id]="idPrefix() + '-motif-legende'" i18n>
          Motif du refus *
        </legend>
        @for (reason of reasons; track reason) {
          <div class="fr-fieldset__element">
            <div class="fr-radio-group fr-radio-group--sm">
              <input
                type="radio"
                [id]="idPrefix() + '-motif-' + reason"
                name="refusalReason"
                [value]="reason"
                formControlName="refusalReason"
              />
              <label class="fr-label" [for]="idPrefix() + '-motif-' + reason">{{ reasonLabels[reason] }}</label>
            </div>
          </div>
        }
        <pa-field-messages [id]="idPrefix() + '-motif-messages'" [errors]="errorsFor('refusalReason')" />
      </fieldset>

      <div class="fr-select-group" [class.fr-select-group--error]="errorsFor('brokenLink').length">
        <label class="fr-label" [for]="idPrefix() + '-maillon'" i18n
          >Maillon de l'accès qui fait défaut *
          <span class="fr-hint-text">Où l'accès au service se rompt pour cette personne</span></label
        >
        <select
          class="fr-select"
          [class.fr-select--error]="errorsFor('brokenLink').length"
          [id]="idPrefix() + '-maillon'"
          formControlName="brokenLink"
          [attr.aria-describedby]="idPrefix() + '-maillon-messages'"
          [attr.aria-invalid]="errorsFor('brokenLink').length ? true : null"
        >
          <option value="" i18n>Choisir un maillon</option>
          @for (link of links; track link.code) {
            <option [value]="link.code">{{ link.code }}. {{ link.label }}</option>
          }
        </select>
        <pa-field-messages [id]="idPrefix() + '-maillon-messages'" [errors]="errorsFor('brokenLink')" />
      </div>

      <div class="fr-input-group" [class.fr-input-group--error]="errorsFor('comment').length">
        <label class="fr-label" [for]="idPrefix() + '-commentaire'">
          @if (reason() === 'other') {
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
          [id]="idPrefix() + '-commentaire'"
          formControlName="comment"
          [attr.aria-describedby]="idPrefix() + '-commentaire-messages'"
          [attr.aria-invalid]="errorsFor('comment').length ? true : null"
        ></textarea>
        <pa-field-messages [id]="idPrefix() + '-commentaire-messages'" [errors]="errorsFor('comment')" />
      </div>

      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Confirmer le refus</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class RefusalForm {
  private readonly fb = inject(FormBuilder).nonNullable;

  /** Prefix of the fields' ids (one form per row in the inbox). */
  readonly idPrefix = input('refus');
  /** Hidden complement of the title for screen readers, e.g. the person and the need. */
  readonly context = input('');
  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  readonly submitted = output<ChangeReferralStatusRequest>();
  readonly cancelled = output<void>();

  protected readonly reasons = REFUSAL_REASONS;
  protected readonly reasonLabels = REFUSAL_REASON_LABELS;
  protected readonly links = ACCESSIBILITY_LINKS;
  protected readonly form = this.fb.group({
    refusalReason: this.fb.control<RefusalReason | ''>('', Validators.required),
    brokenLink: this.fb.control<string>('', Validators.required),
    comment: ['', Validators.maxLength(1000)],
  });
  protected readonly reason = toSignal(this.form.controls.refusalReason.valueChanges, { initialValue: '' as RefusalReason | '' });
  private readonly triedToSubmit = signal(false);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.focus() });
  }

  /** Focus on the first reason (the form just opened). */
  focus(): void {
    this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
  }

  protected errorsFor(field: RefusalField): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private clientErrors(field: RefusalField): string[] {
    if (!this.triedToSubmit()) return [];
    const value = this.form.getRawValue();
    switch (field) {
      case 'refusalReason':
        return value.refusalReason ? [] : [$localize`Choisissez le motif du refus.`];
      case 'brokenLink':
        return value.brokenLink ? [] : [$localize`Indiquez le maillon de l'accès qui fait défaut.`];
      case 'comment':
        if (value.comment.length > 1000) return [$localize`Ce texte est trop long (1000 caractères au maximum).`];
        return value.refusalReason === 'other' && !value.comment.trim()
          ? [$localize`Précisez le motif du refus dans le commentaire.`]
          : [];
    }
  }

  protected submit(): void {
    this.triedToSubmit.set(true);
    if (this.pending()) return;
    const order: [RefusalField, string][] = [
      ['refusalReason', 'input[type="radio"]'],
      ['brokenLink', 'select'],
      ['comment', 'textarea'],
    ];
    const invalid = order.find(([field]) => this.clientErrors(field).length > 0);
    if (invalid) {
      this.formElement().nativeElement.querySelector<HTMLElement>(invalid[1])?.focus();
      return;
    }
    const value = this.form.getRawValue();
    if (!value.refusalReason) return;
    const comment = value.comment.trim();
    this.submitted.emit({
      status: 'refused',
      refusalReason: value.refusalReason,
      brokenLink: Number(value.brokenLink) as AccessibilityLinkCode,
      ...(comment ? { comment } : {}),
    });
  }
}
