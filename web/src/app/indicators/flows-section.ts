import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { IndicatorFilters } from '@passerelle/contracts';
import { BaseChartDirective } from 'ng2-charts';
import { flowMatrix, flowsSankey } from './indicator-charts';
import { formatCount } from './indicator-format';
import { IndicatorSection } from './indicator-section';
import { SECTIONS } from './indicator-sections';
import { loadSection } from './section-loader';

/** "Flux entre structures": the from × to matrix of orientations, and its Sankey diagram. */
@Component({
  selector: 'pa-flows-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [BaseChartDirective, IndicatorSection],
  templateUrl: './flows-section.html',
})
export class FlowsSection {
  readonly filters = input.required<IndicatorFilters>();

  protected readonly info = SECTIONS.flows;
  protected readonly state = loadSection('flows', this.filters);
  protected readonly matrix = computed(() => {
    const report = this.state.report();
    return report ? flowMatrix(report) : null;
  });
  protected readonly sankey = computed(() => {
    const report = this.state.report();
    return report ? flowsSankey(report) : null;
  });
  protected readonly count = formatCount;
}
