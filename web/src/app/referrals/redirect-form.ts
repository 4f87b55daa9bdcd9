import { afterNextRender, ChangeDetectionStrategy, Component, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ApiError, ChangeReferralStatusRequest, NeedBouquetCode } from '@passerelle/contracts';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ReferralTarget, ReferralTargetPicker } from './referral-target';

/**
 * "Réorienter": the orientation does not belong here; another partner (a service of the directory, or
 * a structure) receives a new orientation that continues this one, with a comment for both.
 */
@Component({
  selector: 'pa-redirect-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, ReferralTargetPicker],
  host: { class: 'pa-block' },
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="reorientation-titre">
      <p class="fr-h6" id="reorientation-titre" i18n>Réorienter vers un autre partenaire</p>
      <pa-api-error-alert [error]="error()" />
      <pa-referral-target
        idPrefix="reorientation-partenaire"
        [bouquet]="bouquet()"
        [excludeStructureIds]="excludeStructureIds()"
        [errors]="targetErrors()"
        (changed)="target.set($event)"
      />
      <div class="fr-input-group">
        <label class="fr-label" for="reorientation-commentaire" i18n
          >Commentaire <span class="fr-hint-text">Facultatif. Pourquoi ce partenaire ; lu par les deux structures.</span></label
        >
        <textarea class="fr-input" rows="2" id="reorientation-commentaire" formControlName="comment"></textarea>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Confirmer la réorientation</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class RedirectForm {
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly bouquet = input<NeedBouquetCode | null>(null);
  /** Structures not to propose (the sender, the current receiver). */
  readonly excludeStructureIds = input<readonly string[]>([]);
  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  readonly submitted = output<ChangeReferralStatusRequest>();
  readonly cancelled = output<void>();

  protected readonly form = this.fb.group({ comment: ['', Validators.maxLength(1000)] });
  protected readonly target = signal<ReferralTarget | null>(null);
  private readonly tried = signal(false);
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus() });
  }

  protected targetErrors(): string[] {
    return this.tried() && !this.target() ? [$localize`Choisissez le partenaire vers lequel réorienter la personne.`] : [];
  }

  protected submit(): void {
    this.tried.set(true);
    if (this.pending()) return;
    const target = this.target();
    if (!target) {
      this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    const comment = this.form.controls.comment.value.trim();
    this.submitted.emit({
      status: 'redirected',
      redirectToStructureId: target.structureId,
      ...(target.serviceId ? { redirectToServiceId: target.serviceId } : {}),
      ...(comment ? { comment } : {}),
    });
  }
}
