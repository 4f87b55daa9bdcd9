import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, ElementRef, inject, Injector, input, output, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ApiError, DesignateReferentRequest, PersonReferents } from '@passerelle/contracts';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { ProfessionalPicker } from './professional-picker';
import { criteriaGroup, ReferentCriteria, selectedCriteria } from './referent-criteria';
import { parseProfessionalKey } from './referent-format';
import { ReferentsApi } from './referents.api';

export const MAX_CRITERIA_NOTE = 1000;

type Field = 'userId' | 'criteria' | 'criteriaNote';

/**
 * "Désigner un référent", with the person: a professional of a structure that follows them, the
 * criteria (their preference, relevance, feasibility), whether the person chose them, and an optional
 * precision read by the référent's structure only. The previous référent, if any, is replaced.
 */
@Component({
  selector: 'pa-referent-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, ProfessionalPicker, ReferentCriteria],
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <pa-api-error-alert [error]="error()" />
      <p class="fr-text--sm" i18n>
        Choisissez le référent avec la personne. Les champs marqués d'un astérisque (*) sont obligatoires.
      </p>
      <pa-professional-picker
        inputId="referent-professionnel"
        i18n-label
        label="Professionnel désigné *"
        [personId]="personId()"
        [errors]="errorsFor('userId')"
        formControlName="professional"
      />
      <pa-referent-criteria idPrefix="referent" [group]="form.controls.criteria" [errors]="errorsFor('criteria')" />
      <div class="fr-checkbox-group fr-mb-3w">
        <input type="checkbox" id="referent-avec-la-personne" formControlName="chosenWithPerson" />
        <label class="fr-label" for="referent-avec-la-personne" i18n>Choisi avec la personne</label>
      </div>
      <div class="fr-input-group" [class.fr-input-group--error]="errorsFor('criteriaNote').length">
        <label class="fr-label" for="referent-precision" i18n
          >Précision (facultatif)
          <span class="fr-hint-text">Lue seulement par la structure du référent. Pas de détail inutile sur la situation de la personne.</span></label
        >
        <textarea
          class="fr-input"
          [class.fr-input--error]="errorsFor('criteriaNote').length"
          id="referent-precision"
          rows="2"
          [attr.maxlength]="maxNote"
          formControlName="criteriaNote"
          aria-describedby="referent-precision-messages"
          [attr.aria-invalid]="errorsFor('criteriaNote').length ? true : null"
        ></textarea>
        <pa-field-messages id="referent-precision-messages" [errors]="errorsFor('criteriaNote')" />
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>Désigner ce référent</button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class ReferentForm {
  private readonly api = inject(ReferentsApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly personId = input.required<string>();
  readonly designated = output<PersonReferents>();
  readonly cancelled = output<void>();

  protected readonly maxNote = MAX_CRITERIA_NOTE;
  protected readonly form = this.fb.group({
    professional: [''],
    criteria: criteriaGroup(),
    chosenWithPerson: [false],
    criteriaNote: [''],
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLElement>('input, select')?.focus() });
  }

  protected errorsFor(field: Field): string[] {
    const server = [...(this.serverErrors()[field] ?? []), ...(field === 'userId' ? (this.serverErrors()['structureId'] ?? []) : [])];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((m) => !client.includes(m))];
  }

  private clientErrors(field: Field): string[] {
    if (!this.submitted()) return [];
    const value = this.form.getRawValue();
    switch (field) {
      case 'userId':
        return value.professional ? [] : [$localize`Choisissez le professionnel qui devient référent.`];
      case 'criteria':
        return selectedCriteria(this.form.controls.criteria).length ? [] : [$localize`Cochez au moins un critère de désignation.`];
      case 'criteriaNote':
        return value.criteriaNote.length > MAX_CRITERIA_NOTE ? [$localize`La précision comporte au plus ${MAX_CRITERIA_NOTE}:max: caractères.`] : [];
    }
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending() || this.focusFirstInvalid((f) => this.clientErrors(f))) return;
    const value = this.form.getRawValue();
    const chosen = parseProfessionalKey(value.professional);
    if (!chosen) return;
    const request: DesignateReferentRequest = {
      userId: chosen.userId,
      structureId: chosen.structureId,
      criteria: selectedCriteria(this.form.controls.criteria),
      chosenWithPerson: value.chosenWithPerson,
      criteriaNote: value.criteriaNote.trim() || null,
    };
    this.pending.set(true);
    this.error.set(null);
    this.api
      .designate(this.personId(), request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (referents) => {
          this.pending.set(false);
          this.designated.emit(referents);
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
      ['userId', '#referent-professionnel'],
      ['criteria', '#referent-criteres input'],
      ['criteriaNote', '#referent-precision'],
    ];
    const first = order.find(([field]) => errorsOf(field).length > 0);
    if (!first) return false;
    this.formElement().nativeElement.querySelector<HTMLElement>(first[1])?.focus();
    return true;
  }
}
