import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { PersonSearchHit } from '@passerelle/contracts';
import { formatBirth, otherBirthName, personName } from './person-format';

/** What tells one person from another at the desk: name, birth, commune, last contact. */
@Component({
  selector: 'pa-person-hit-summary',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    <span class="pa-person-hit__name">{{ name() }}</span>
    <span class="pa-person-hit__details">
      @if (birthName(); as birthName) {
        <span i18n>nom de naissance : {{ birthName }}</span>
      }
      @if (birth()) {
        <span i18n>naissance : {{ birth() }}</span>
      }
      @if (hit().communeName) {
        <span>{{ hit().communeName }}</span>
      }
      @if (hit().lastContactAt) {
        <span i18n>dernier passage le {{ hit().lastContactAt | date: 'dd/MM/yyyy' }}</span>
      } @else {
        <span i18n>aucun passage</span>
      }
    </span>
  `,
})
export class PersonHitSummary {
  readonly hit = input.required<PersonSearchHit>();
  protected readonly name = computed(() => personName(this.hit()));
  protected readonly birthName = computed(() => otherBirthName(this.hit()));
  protected readonly birth = computed(() => formatBirth(this.hit().birthDate, this.hit().birthDatePrecision));
}
