import type { ChartData, ChartOptions, ChartType } from 'chart.js';
import type { SankeyDataPoint } from 'chartjs-chart-sankey';
import { ContinuityIndicators, CountRow, FlowIndicators, StatCount } from '@passerelle/contracts';
import { drawableCount, formatCount, isSuppressed } from './indicator-format';

/**
 * Chart.js configurations of the indicators, built by pure functions (tested without a canvas).
 * Every chart comes with a text `description` for the canvas's aria-label; the data table under
 * it is the accessible source of the figures. Colours never carry meaning alone: one series per bar
 * chart, and the alert lines differ by dash and point shape too, with a legend.
 */
export interface ChartSpec<T extends ChartType, D = (number | null)[]> {
  type: T;
  data: ChartData<T, D, string>;
  options: ChartOptions<T>;
  /** The canvas's accessible name: what the chart shows, in one or two sentences. */
  description: string;
}

/** DSFR colours (bleu France, vert succès, orange avertissement) readable on white. */
export const CHART_COLORS = { primary: '#000091', secondary: '#6a6af4', success: '#18753c', warning: '#b34000' } as const;

const FONT = { family: 'Marianne, arial, sans-serif' };
/** Beyond this many categories, the description names the largest one rather than each. */
const LISTED_CATEGORIES = 8;
/** The width charts are designed for (a column of the page), to derive their height from their rows. */
const DESIGN_WIDTH = 640;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Height grows with the number of bars (about 32 px each at the design width). */
function barAspectRatio(rows: number, horizontal: boolean): number {
  return horizontal ? clamp(DESIGN_WIDTH / (60 + 32 * rows), 0.5, 3) : 2;
}

/** "Accueil physique : 120, Téléphone : 80, Courriel : < 5", or the largest one when there are many. */
export function describeCounts(rows: readonly Pick<CountRow<string | number>, 'label' | 'count'>[]): string {
  if (!rows.length) return $localize`aucune donnée.`;
  if (rows.length <= LISTED_CATEGORIES) return rows.map((row) => `${row.label} : ${formatCount(row.count)}`).join(', ') + '.';
  const drawn = rows.filter((row) => !isSuppressed(row.count));
  const largest = drawn.reduce<(typeof rows)[number] | null>(
    (best, row) => (best === null || (drawableCount(row.count) ?? 0) > (drawableCount(best.count) ?? 0) ? row : best),
    null,
  );
  const summary = $localize`${rows.length}:count: catégories`;
  return largest
    ? $localize`${summary}:summary: ; la plus élevée : ${largest.label}:label: (${formatCount(largest.count)}:count:).`
    : `${summary}.`;
}

/** The category label of the chart: suppressed counts have no bar, their label says why ("(< 5)", "(secret)"). */
function chartLabel(row: Pick<CountRow<string | number>, 'label' | 'count'>): string {
  return isSuppressed(row.count) ? `${row.label} (${row.count})` : row.label;
}

export interface BarChartInput {
  /** What is counted, e.g. "Contacts par canal". */
  title: string;
  /** The series' name, e.g. "Contacts". */
  series: string;
  horizontal?: boolean;
}

/** A bar chart of counts by category; a hidden count has no bar and its label ends with "(< 5)" or "(secret)". */
export function countBarChart(rows: readonly Pick<CountRow<string | number>, 'label' | 'count'>[], input: BarChartInput): ChartSpec<'bar'> {
  const horizontal = input.horizontal ?? false;
  const valueAxis = { beginAtZero: true, ticks: { precision: 0, font: FONT } };
  const categoryAxis = { ticks: { font: FONT, autoSkip: !horizontal } };
  const suppressed = rows.some((row) => isSuppressed(row.count));
  return {
    type: 'bar',
    data: {
      labels: rows.map(chartLabel),
      datasets: [
        {
          label: input.series,
          data: rows.map((row) => drawableCount(row.count)),
          backgroundColor: CHART_COLORS.primary,
          borderColor: CHART_COLORS.primary,
          maxBarThickness: 40,
        },
      ],
    },
    options: {
      locale: 'fr-FR',
      responsive: true,
      aspectRatio: barAspectRatio(rows.length, horizontal),
      animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: { legend: { display: false }, tooltip: { bodyFont: FONT, titleFont: FONT } },
    },
    description:
      $localize`${input.title}:title:, graphique en barres : ${describeCounts(rows)}:summary:` +
      (suppressed ? ' ' + $localize`Les effectifs masqués ne sont pas dessinés.` : '') +
      ' ' +
      $localize`Les valeurs sont dans le tableau qui suit.`,
  };
}

const weekFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short' });

/** "Semaine du 3 nov." for the ISO week starting on Monday `2026-11-03`. */
export function weekLabel(week: string): string {
  const [year, month, day] = week.slice(0, 10).split('-').map(Number);
  return $localize`Semaine du ${weekFormat.format(new Date(year, month - 1, day))}:date:`;
}

type AlertWeek = ContinuityIndicators['alertsOverTime'][number];

/** The lines of the alerts chart: each with its own colour, dash and point shape (not colour alone). */
export const ALERT_SERIES: readonly { key: 'opened' | 'closed' | 'openAtEnd'; label: string; color: string; dash: number[]; point: 'circle' | 'triangle' | 'rect' }[] = [
  { key: 'opened', label: $localize`Alertes ouvertes`, color: CHART_COLORS.primary, dash: [], point: 'circle' },
  { key: 'closed', label: $localize`Alertes closes`, color: CHART_COLORS.success, dash: [8, 4], point: 'triangle' },
  { key: 'openAtEnd', label: $localize`En cours en fin de semaine`, color: CHART_COLORS.warning, dash: [2, 3], point: 'rect' },
];

/** Alerts opened, closed and still open at the end of each week; a hidden count leaves a gap in its line. */
export function alertsLineChart(weeks: readonly AlertWeek[]): ChartSpec<'line'> {
  const suppressed = weeks.some((week) => ALERT_SERIES.some((series) => isSuppressed(week[series.key])));
  const last = weeks.length ? weeks[weeks.length - 1] : undefined;
  const summary = last
    ? $localize`${weeks.length}:count: semaines, du ${weekLabel(weeks[0].week).toLowerCase()}:first: au ${weekLabel(last.week).toLowerCase()}:last: ; la dernière semaine : ${ALERT_SERIES.map((series) => `${series.label.toLowerCase()} ${formatCount(last[series.key])}`).join(', ')}:values:.`
    : $localize`aucune donnée.`;
  return {
    type: 'line',
    data: {
      labels: weeks.map((week) => weekLabel(week.week)),
      datasets: ALERT_SERIES.map((series) => ({
        label: series.label,
        data: weeks.map((week) => drawableCount(week[series.key])),
        borderColor: series.color,
        backgroundColor: series.color,
        borderDash: series.dash,
        pointStyle: series.point,
        pointRadius: 5,
        spanGaps: false,
        tension: 0,
      })),
    },
    options: {
      locale: 'fr-FR',
      responsive: true,
      aspectRatio: 2,
      animation: false,
      scales: { x: { ticks: { font: FONT } }, y: { beginAtZero: true, ticks: { precision: 0, font: FONT } } },
      plugins: {
        legend: { display: true, position: 'bottom', labels: { usePointStyle: true, font: FONT } },
        tooltip: { bodyFont: FONT, titleFont: FONT },
      },
    },
    description:
      $localize`Alertes de continuité par semaine, graphique en courbes : ${summary}:summary:` +
      (suppressed ? ' ' + $localize`Les effectifs masqués ne sont pas dessinés.` : '') +
      ' ' +
      $localize`Les valeurs sont dans le tableau qui suit.`,
  };
}

export interface FlowMatrix {
  /** Structures that sent at least one orientation (rows), by name. */
  senders: { id: string; name: string }[];
  /** Structures that received at least one (columns), by name. */
  receivers: { id: string; name: string }[];
  /** `cells[i][j]`: from senders[i] to receivers[j]; 0 where the API sent no cell. */
  cells: StatCount[][];
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name, 'fr');
}

/** The from × to matrix of the flows (structures with no flow at all are left out). */
export function flowMatrix(report: Pick<FlowIndicators, 'structures' | 'flows'>): FlowMatrix {
  const known = new Map(report.structures.map((structure) => [structure.id, structure]));
  const structure = (id: string) => known.get(id) ?? { id, name: id };
  const senderIds = new Set(report.flows.map((flow) => flow.fromId));
  const receiverIds = new Set(report.flows.map((flow) => flow.toId));
  const senders = [...senderIds].map(structure).sort(byName);
  const receivers = [...receiverIds].map(structure).sort(byName);
  const counts = new Map(report.flows.map((flow) => [`${flow.fromId}|${flow.toId}`, flow.count]));
  return {
    senders,
    receivers,
    cells: senders.map((from) => receivers.map((to) => counts.get(`${from.id}|${to.id}`) ?? 0)),
  };
}

export interface SankeySpec extends ChartSpec<'sankey', SankeyDataPoint[]> {
  /** Flows hidden ("< 5" or "secret"), left out of the diagram (their width is unknown). */
  hidden: number;
}

/**
 * The Sankey diagram of the flows: senders on the left, receivers on the right (a structure that does
 * both appears twice, so that the diagram never loops). Suppressed flows are left out and counted.
 */
export function flowsSankey(report: Pick<FlowIndicators, 'structures' | 'flows'>): SankeySpec {
  const names = new Map(report.structures.map((structure) => [structure.id, structure.name]));
  const name = (id: string) => names.get(id) ?? id;
  const drawn = report.flows.filter((flow): flow is typeof flow & { count: number } => !isSuppressed(flow.count) && flow.count > 0);
  const hidden = report.flows.filter((flow) => isSuppressed(flow.count)).length;
  const labels: Record<string, string> = {};
  const column: Record<string, number> = {};
  for (const flow of drawn) {
    labels[`de:${flow.fromId}`] = name(flow.fromId);
    labels[`vers:${flow.toId}`] = name(flow.toId);
    column[`de:${flow.fromId}`] = 0;
    column[`vers:${flow.toId}`] = 1;
  }
  const nodes = Math.max(new Set(drawn.map((flow) => flow.fromId)).size, new Set(drawn.map((flow) => flow.toId)).size);
  const largest = [...drawn].sort((a, b) => b.count - a.count)[0];
  const summary = largest
    ? $localize`${drawn.length}:count: flux dessinés ; le plus important : de ${name(largest.fromId)}:from: vers ${name(largest.toId)}:to: (${formatCount(largest.count)}:value:).`
    : $localize`aucun flux dessinable.`;
  return {
    type: 'sankey',
    hidden,
    data: {
      datasets: [
        {
          label: $localize`Orientations`,
          data: drawn.map((flow) => ({ from: `de:${flow.fromId}`, to: `vers:${flow.toId}`, flow: flow.count })),
          labels,
          column,
          colorFrom: CHART_COLORS.primary,
          colorTo: CHART_COLORS.secondary,
          colorMode: 'gradient',
          alpha: 0.5,
          size: 'max',
          nodeWidth: 12,
          font: FONT,
        },
      ],
    },
    options: {
      locale: 'fr-FR',
      responsive: true,
      aspectRatio: clamp(DESIGN_WIDTH / (80 + 40 * nodes), 0.6, 2.5),
      animation: false,
      plugins: { legend: { display: false }, tooltip: { bodyFont: FONT, titleFont: FONT } },
    },
    description:
      $localize`Flux d'orientations entre structures, diagramme de Sankey (structures qui orientent à gauche, structures qui reçoivent à droite) : ${summary}:summary:` +
      (hidden === 1 ? ' ' + $localize`1 flux masqué n'est pas dessiné.` : '') +
      (hidden > 1 ? ' ' + $localize`${hidden}:hidden: flux masqués ne sont pas dessinés.` : '') +
      ' ' +
      $localize`Le tableau qui suit donne chaque flux.`,
  };
}
