import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { CountRow, IndicatorFilters, REFERRAL_OUTCOME_LABELS, REFERRAL_OUTCOMES } from '@passerelle/contracts';
import { CountChart } from './count-chart';
import { formatCount, formatDays, formatRate, NOT_COMPUTED } from './indicator-format';
import { IndicatorSection } from './indicator-section';
import { SECTIONS } from './indicator-sections';
import { loadSection } from './section-loader';

/** "Orientations": acceptance, delays and closed loop, overall and by receiving partner. */
@Component({
  selector: 'pa-referrals-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CountChart, IndicatorSection],
  templateUrl: './referrals-section.html',
})
export class ReferralsSection {
  readonly filters = input.required<IndicatorFilters>();

  protected readonly info = SECTIONS.referrals;
  protected readonly state = loadSection('referrals', this.filters);
  protected readonly outcomes = REFERRAL_OUTCOMES;
  protected readonly outcomeLabels = REFERRAL_OUTCOME_LABELS;
  protected readonly notComputed = NOT_COMPUTED;
  protected readonly count = formatCount;
  protected readonly rate = formatRate;
  protected readonly days = formatDays;
  /** Orientations sent to each partner, for the chart. */
  protected readonly volumeByPartner = computed<CountRow[]>(() =>
    (this.state.report()?.byPartner ?? []).map((partner) => ({ key: partner.structure.id, label: partner.structure.name, count: partner.sent })),
  );
}
