import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { REFERENT_CRITERIA, REFERENT_CRITERION_LABELS, ReferentCriterion } from '@passerelle/contracts';
import { FieldMessages } from '../ui/field-messages';

export type CriteriaGroup = FormGroup<Record<ReferentCriterion, FormControl<boolean>>>;

/** A group of the three criteria checkboxes, all unchecked. */
export function criteriaGroup(): CriteriaGroup {
  return new FormGroup(
    Object.fromEntries(REFERENT_CRITERIA.map((c) => [c, new FormControl(false, { nonNullable: true })])) as Record<ReferentCriterion, FormControl<boolean>>,
  );
}

export function selectedCriteria(group: CriteriaGroup): ReferentCriterion[] {
  const value = group.getRawValue();
  return REFERENT_CRITERIA.filter((c) => value[c]);
}

/**
 * "Critères de désignation": the seeds' three — the person's preference, relevance, feasibility — as
 * checkboxes with their labels; at least one is required.
 */
@Component({
  selector: 'pa-referent-criteria',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldMessages],
  template: `
    <fieldset
      class="fr-fieldset"
      [id]="idPrefix() + '-criteres'"
      [formGroup]="group()"
      [class.fr-fieldset--error]="errors().length"
      [attr.aria-labelledby]="idPrefix() + '-criteres-legende ' + idPrefix() + '-criteres-messages'"
    >
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" [id]="idPrefix() + '-criteres-legende'" i18n>
        Critères de désignation *
        <span class="fr-hint-text">Pourquoi ce professionnel : cochez au moins un critère</span>
      </legend>
      @for (criterion of criteria; track criterion) {
        <div class="fr-fieldset__element">
          <div class="fr-checkbox-group">
            <input type="checkbox" [id]="idPrefix() + '-critere-' + criterion" [formControlName]="criterion" />
            <label class="fr-label" [for]="idPrefix() + '-critere-' + criterion">{{ labels[criterion] }}</label>
          </div>
        </div>
      }
      <pa-field-messages [id]="idPrefix() + '-criteres-messages'" [errors]="errors()" />
    </fieldset>
  `,
})
export class ReferentCriteria {
  readonly group = input.required<CriteriaGroup>();
  readonly idPrefix = input.required<string>();
  readonly errors = input<readonly string[]>([]);

  protected readonly criteria = REFERENT_CRITERIA;
  protected readonly labels = REFERENT_CRITERION_LABELS;
}
