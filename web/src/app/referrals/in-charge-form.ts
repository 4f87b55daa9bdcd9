import { afterNextRender, ChangeDetectionStrategy, Component, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ApiError, ChangeReferralStatusRequest, IN_CHARGE_KIND_LABELS, IN_CHARGE_KINDS, InChargeKind } from '@passerelle/contracts';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';

/** Now as YYYY-MM-DDTHH:mm in the agent's time zone (the datetime-local field's format). */
export function localDateTime(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * "Prise en charge": a rendez-vous fixed or a first contact made with the person, and when (now by
 * default — then the API records the exact time —; a rendez-vous may be in the days to come).
 */
@Component({
  selector: 'pa-in-charge-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  host: { class: 'pa-block' },
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="prise-en-charge-titre">
      <p class="fr-h6" id="prise-en-charge-titre" i18n>Prise en charge</p>
      <pa-api-error-alert [error]="error()" />
      <fieldset
        class="fr-fieldset"
        [class.fr-fieldset--error]="kindErrors().length"
        aria-labelledby="prise-en-charge-type-legende prise-en-charge-type-messages"
      >
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="prise-en-charge-type-legende" i18n>
          Type de prise en charge *
        </legend>
        @for (kind of kinds; track kind) {
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" [id]="'prise-en-charge-' + kind" name="inChargeKind" [value]="kind" formControlName="inChargeKind" />
              <label class="fr-label" [for]="'prise-en-charge-' + kind">{{ kindLabels[kind] }}</label>
            </div>
          </div>
        }
        <pa-field-messages id="prise-en-charge-type-messages" [errors]="kindErrors()" />
      </fieldset>
      <div class="fr-input-group" [class.fr-input-group--error]="dateErrors().length">
        <label class="fr-label" for="prise-en-charge-date" i18n
          >Date et heure * <span class="fr-hint-text">Du rendez-vous ou du premier contact</span></label
        >
        <input
          class="fr-input"
          [class.fr-input--error]="dateErrors().length"
          type="datetime-local"
          id="prise-en-charge-date"
          formControlName="inChargeAt"
          aria-describedby="prise-en-charge-date-messages"
          [attr.aria-invalid]="dateErrors().length ? true : null"
        />
        <pa-field-messages id="prise-en-charge-date-messages" [errors]="dateErrors()" />
      </div>
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Enregistrer la prise en charge</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class InChargeForm {
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  readonly submitted = output<ChangeReferralStatusRequest>();
  readonly cancelled = output<void>();

  protected readonly kinds = IN_CHARGE_KINDS;
  protected readonly kindLabels = IN_CHARGE_KIND_LABELS;
  /** The field shows now, to the minute; left as is, it means "now" and the API records the exact time. */
  private readonly now = localDateTime();
  protected readonly form = this.fb.group({
    inChargeKind: this.fb.control<InChargeKind | ''>(''),
    inChargeAt: [this.now],
  });
  private readonly tried = signal(false);
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus() });
  }

  protected kindErrors(): string[] {
    return this.tried() && !this.form.controls.inChargeKind.value ? [$localize`Indiquez s'il s'agit d'un rendez-vous ou d'un premier contact.`] : [];
  }

  protected dateErrors(): string[] {
    if (!this.tried()) return [];
    const value = this.form.controls.inChargeAt.value;
    return value && !Number.isNaN(new Date(value).getTime()) ? [] : [$localize`Saisissez la date et l'heure, par exemple 24/11/2026 14:30.`];
  }

  protected submit(): void {
    this.tried.set(true);
    if (this.pending()) return;
    const element = this.formElement().nativeElement;
    if (this.kindErrors().length) {
      element.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    if (this.dateErrors().length) {
      element.querySelector<HTMLInputElement>('#prise-en-charge-date')?.focus();
      return;
    }
    const value = this.form.getRawValue();
    if (!value.inChargeKind) return;
    this.submitted.emit({
      status: 'in_charge',
      inChargeKind: value.inChargeKind,
      ...(value.inChargeAt === this.now ? {} : { inChargeAt: new Date(value.inChargeAt).toISOString() }),
    });
  }
}
