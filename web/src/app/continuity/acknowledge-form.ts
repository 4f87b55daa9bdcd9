import { afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ApiError, CONTINUITY_ACK_COMMENT_MAX } from '@passerelle/contracts';
import { fieldErrorsOf } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';

/**
 * "Acquitter" an alert: the structure (or the coordinator) says it has seen the gap and is on it, with
 * an optional comment read by the structure and the coordinators. The alert itself only disappears when
 * the gap closes. Used inline in the lists and on the alert's page; the focus goes to the comment.
 */
@Component({
  selector: 'pa-acknowledge-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  host: { class: 'pa-block' },
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate [attr.aria-labelledby]="idPrefix() + '-titre'">
      <p class="fr-h6 fr-mb-1w" [id]="idPrefix() + '-titre'">
        <ng-container i18n>Acquitter l'alerte</ng-container>
        @if (context()) {
          <span class="fr-sr-only"> {{ context() }}</span>
        }
      </p>
      <p class="fr-text--sm" i18n>
        Acquitter indique aux autres structures et à la coordination que vous avez vu cette rupture et que vous vous en
        occupez. L'alerte disparaît d'elle-même quand la rupture prend fin.
      </p>
      <pa-api-error-alert [error]="error()" />
      <div class="fr-input-group" [class.fr-input-group--error]="errors().length">
        <label class="fr-label" [for]="idPrefix() + '-commentaire'">
          <ng-container i18n>Commentaire</ng-container>
          <span class="fr-hint-text" i18n>Facultatif. Ne notez ici ni information de santé ni contenu d'entretien.</span>
        </label>
        <textarea
          class="fr-input"
          [class.fr-input--error]="errors().length"
          rows="3"
          [id]="idPrefix() + '-commentaire'"
          formControlName="comment"
          [attr.aria-describedby]="idPrefix() + '-commentaire-compteur ' + idPrefix() + '-commentaire-messages'"
          [attr.aria-invalid]="errors().length ? true : null"
        ></textarea>
        <p class="fr-hint-text fr-mt-1v fr-mb-0" [id]="idPrefix() + '-commentaire-compteur'" i18n>
          {{ length() }} caractères sur {{ max }}
        </p>
        <pa-field-messages [id]="idPrefix() + '-commentaire-messages'" [errors]="errors()" />
      </div>
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Confirmer l'acquittement</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class AcknowledgeForm {
  private readonly fb = inject(FormBuilder).nonNullable;

  /** Prefix of the fields' ids (one form per row in the lists). */
  readonly idPrefix = input('acquittement');
  /** Hidden complement of the title for screen readers: the kind and who. */
  readonly context = input('');
  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  /** The comment, trimmed; null when left empty. */
  readonly submitted = output<string | null>();
  readonly cancelled = output<void>();

  protected readonly max = CONTINUITY_ACK_COMMENT_MAX;
  protected readonly form = this.fb.group({ comment: [''] });
  private readonly comment = toSignal(this.form.controls.comment.valueChanges, { initialValue: '' });
  protected readonly length = computed(() => this.comment().length);
  private readonly triedToSubmit = signal(false);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error())['comment'] ?? []);
  private readonly clientErrors = computed(() =>
    this.triedToSubmit() && this.comment().trim().length > CONTINUITY_ACK_COMMENT_MAX
      ? [$localize`Le commentaire comporte au plus ${CONTINUITY_ACK_COMMENT_MAX}:max: caractères.`]
      : [],
  );
  protected readonly errors = computed(() => [...this.clientErrors(), ...this.serverErrors().filter((m) => !this.clientErrors().includes(m))]);
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.focus() });
  }

  focus(): void {
    this.formElement().nativeElement.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }

  protected submit(): void {
    this.triedToSubmit.set(true);
    if (this.pending()) return;
    if (this.clientErrors().length) {
      this.focus();
      return;
    }
    const comment = this.form.controls.comment.value.trim();
    this.submitted.emit(comment || null);
  }
}
