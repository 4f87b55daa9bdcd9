import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { IndicatorFilters } from '@passerelle/contracts';
import { CountChart } from './count-chart';
import { FIRST_CONTACT_REFERENCE_RATE, formatCount, formatRate } from './indicator-format';
import { IndicatorSection } from './indicator-section';
import { SECTIONS } from './indicator-sections';
import { loadSection } from './section-loader';

/** "Accueil": the reception's key figures, and its contacts by channel, answer, need, site, hour and weekday. */
@Component({
  selector: 'pa-contacts-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CountChart, IndicatorSection],
  templateUrl: './contacts-section.html',
})
export class ContactsSection {
  readonly filters = input.required<IndicatorFilters>();

  protected readonly info = SECTIONS.contacts;
  protected readonly state = loadSection('contacts', this.filters);
  protected readonly count = formatCount;
  protected readonly rate = formatRate;
  protected readonly reference = formatRate(FIRST_CONTACT_REFERENCE_RATE);
  /** How the first welcome compares with the 80 % reference. */
  protected readonly comparison = computed(() => {
    const rate = this.state.report()?.answeredAtFirstContactRate;
    if (rate === null || rate === undefined) return '';
    if (rate >= FIRST_CONTACT_REFERENCE_RATE) return $localize`Atteint ou dépasse la référence de ${this.reference}:reference:`;
    return $localize`En dessous de la référence de ${this.reference}:reference:`;
  });
}
