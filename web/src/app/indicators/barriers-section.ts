import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ACCESSIBILITY_LINKS, BarrierIndicators, CountRow, IndicatorFilters, StatCount } from '@passerelle/contracts';
import { CountChart } from './count-chart';
import { formatCount } from './indicator-format';
import { IndicatorSection } from './indicator-section';
import { SECTIONS } from './indicator-sections';
import { loadSection } from './section-loader';

/** "1. Information": a link of the accessibility chain, numbered as in the refusal form. */
export function linkLabel(code: number, fallback = ''): string {
  const link = ACCESSIBILITY_LINKS.find((l) => l.code === code);
  return `${code}. ${link?.label ?? fallback}`;
}

/** A row of the need × link or territory × link table. */
interface CrossRow {
  key: string | number;
  label: string;
  links: Record<number, StatCount>;
  total: StatCount;
}

/** "Freins d'accès": which links of the accessibility chain break, overall, by need and by territory. */
@Component({
  selector: 'pa-barriers-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CountChart, IndicatorSection, NgTemplateOutlet],
  templateUrl: './barriers-section.html',
})
export class BarriersSection {
  readonly filters = input.required<IndicatorFilters>();

  protected readonly info = SECTIONS.barriers;
  protected readonly state = loadSection('barriers', this.filters);
  protected readonly links = ACCESSIBILITY_LINKS.map((link) => ({ code: link.code, label: linkLabel(link.code) }));
  protected readonly byLink = computed<CountRow<number>[]>(() =>
    (this.state.report()?.byLink ?? []).map((row) => ({ ...row, label: linkLabel(row.key, row.label) })),
  );
  protected readonly count = formatCount;
  protected readonly byNeedCaption = $localize`Freins d'accès par besoin (en ligne) et par maillon (en colonne)`;
  protected readonly byNeedHeader = $localize`Besoin`;
  protected readonly byTerritoryCaption = $localize`Freins d'accès par territoire (en ligne) et par maillon (en colonne)`;
  protected readonly byTerritoryHeader = $localize`Territoire`;

  protected needRows(report: BarrierIndicators): CrossRow[] {
    return report.byNeed.map((row) => ({ key: row.bouquet, label: row.label, links: row.links, total: row.total }));
  }

  protected territoryRows(report: BarrierIndicators): CrossRow[] {
    return report.byTerritory.map((row) => ({ key: row.code, label: row.label, links: row.links, total: row.total }));
  }

  /** The template context is untyped: the rows the cross table receives. */
  protected asCrossRows(rows: unknown): CrossRow[] {
    return rows as CrossRow[];
  }

  /** A cell of the need × link or territory × link tables: links the API left out count 0. */
  protected cell(links: Record<number, StatCount>, code: number): string {
    return formatCount(links[code] ?? 0);
  }
}
