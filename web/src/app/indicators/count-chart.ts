import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { CountRow } from '@passerelle/contracts';
import { BaseChartDirective } from 'ng2-charts';
import { countBarChart } from './indicator-charts';
import { formatCount } from './indicator-format';

/**
 * Counts by category: a bar chart (an image with a summary as its name) and, below it, its data
 * table, which is the accessible source of the figures. Nothing is drawn when there is no row.
 */
@Component({
  selector: 'pa-count-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [BaseChartDirective],
  host: { class: 'pa-block fr-mb-4w' },
  template: `
    <h3 class="fr-h6 fr-mb-2w" [id]="idPrefix() + '-titre'">{{ title() }}</h3>
    @if (rows().length) {
      <div>
        <canvas baseChart [type]="chart().type" [data]="chart().data" [options]="chart().options" role="img" [attr.aria-label]="chart().description">
          {{ chart().description }}
        </canvas>
      </div>
      <div class="fr-table fr-table--sm fr-table--no-caption fr-mt-2w">
        <div class="fr-table__wrapper">
          <div class="fr-table__container">
            <div class="fr-table__content">
              <table [id]="idPrefix() + '-tableau'">
                <caption>{{ title() }}</caption>
                <thead>
                  <tr>
                    <th scope="col">{{ categoryHeader() }}</th>
                    <th scope="col" class="pa-number">{{ series() }}</th>
                  </tr>
                </thead>
                <tbody>
                  @for (row of rows(); track row.key) {
                    <tr>
                      <th scope="row">{{ row.label }}</th>
                      <td class="pa-number">{{ format(row.count) }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    } @else {
      <p class="fr-text--sm" i18n>Aucune donnée pour ces filtres.</p>
    }
  `,
})
export class CountChart {
  readonly idPrefix = input.required<string>();
  /** What is counted, e.g. "Contacts par canal": the heading, the table's caption, the chart's name. */
  readonly title = input.required<string>();
  /** The first column's header, e.g. "Canal". */
  readonly categoryHeader = input.required<string>();
  /** The counts' column header and the series' name, e.g. "Contacts". */
  readonly series = input.required<string>();
  readonly rows = input.required<readonly CountRow<string | number>[]>();
  /** Horizontal bars, for long labels or many categories. */
  readonly horizontal = input(false);

  protected readonly chart = computed(() =>
    countBarChart(this.rows(), { title: this.title(), series: this.series(), horizontal: this.horizontal() }),
  );
  protected readonly format = formatCount;
}
