import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { IndicatorFilters } from '@passerelle/contracts';
import { BaseChartDirective } from 'ng2-charts';
import { ALERT_SERIES, alertsLineChart, weekLabel } from './indicator-charts';
import { formatCount, formatDays, formatRate, NOT_COMPUTED } from './indicator-format';
import { IndicatorSection } from './indicator-section';
import { SECTIONS } from './indicator-sections';
import { loadSection } from './section-loader';

/** "Continuité des parcours": share of persons with a référent, gaps between contacts, alerts by week. */
@Component({
  selector: 'pa-continuity-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [BaseChartDirective, IndicatorSection],
  templateUrl: './continuity-section.html',
})
export class ContinuitySection {
  readonly filters = input.required<IndicatorFilters>();

  protected readonly info = SECTIONS.continuity;
  protected readonly state = loadSection('continuity', this.filters);
  protected readonly chart = computed(() => alertsLineChart(this.state.report()?.alertsOverTime ?? []));
  protected readonly series = ALERT_SERIES;
  protected readonly notComputed = NOT_COMPUTED;
  protected readonly count = formatCount;
  protected readonly rate = formatRate;
  protected readonly days = formatDays;
  protected readonly week = weekLabel;
}
