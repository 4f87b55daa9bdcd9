import { ALERT_SERIES, alertsLineChart, countBarChart, describeCounts, flowMatrix, flowsSankey, weekLabel } from './indicator-charts';
import { someContinuity, someFlows } from './indicator-fixtures';
import { formatCount, formatDays, formatRate, hasSecondarySuppression } from './indicator-format';

/** Intl writes narrow no-break spaces in French ("1 234", "72 %"): compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('indicator formats', () => {
  it('formats counts, rates and days in French, and keeps hidden counts as sent', () => {
    expect(plain(formatCount(1234))).toBe('1 234');
    expect(formatCount('< 5')).toBe('< 5');
    expect(formatCount('secret')).toBe('secret');
    expect(plain(formatRate(0.725))).toBe('72,5 %');
    expect(formatRate(null)).toBe('—');
    expect(plain(formatDays(2.5))).toBe('2,5 jours');
    expect(plain(formatDays(1))).toBe('1 jour');
    expect(hasSecondarySuppression({ a: [{ count: 3 }, { count: 'secret' }] })).toBe(true);
    expect(hasSecondarySuppression({ a: [{ count: '< 5' }] })).toBe(false);
  });
});

describe('indicator charts', () => {
  const rows = [
    { key: 'in_person', label: 'Accueil physique', count: 120 },
    { key: 'phone', label: 'Téléphone', count: 80 },
    { key: 'email', label: 'Courriel', count: '< 5' as const },
  ];

  it('builds a bar chart where a hidden count has no bar and says so in its label and description', () => {
    const chart = countBarChart(rows, { title: 'Contacts par canal', series: 'Contacts', horizontal: true });
    expect(chart.type).toBe('bar');
    expect(chart.data.labels).toEqual(['Accueil physique', 'Téléphone', 'Courriel (< 5)']);
    expect(chart.data.datasets[0].data).toEqual([120, 80, null]);
    expect(chart.options.indexAxis).toBe('y');
    expect(chart.options.locale).toBe('fr-FR');
    expect(chart.description).toBe(
      'Contacts par canal, graphique en barres : Accueil physique : 120, Téléphone : 80, Courriel : < 5. ' +
        'Les effectifs masqués ne sont pas dessinés. Les valeurs sont dans le tableau qui suit.',
    );
  });

  it('names only the largest category when there are many', () => {
    const hours = Array.from({ length: 12 }, (_, hour) => ({ label: `${hour + 8} h`, count: hour === 3 ? 410 : 20 }));
    expect(describeCounts(hours)).toBe('12 catégories ; la plus élevée : 11 h (410).');
    expect(countBarChart(hours, { title: 'Par heure', series: 'Contacts' }).options.indexAxis).toBe('x');
  });

  it('draws the alerts with three lines told apart by dash and point shape, gaps for hidden counts', () => {
    const chart = alertsLineChart(someContinuity().alertsOverTime);
    expect(chart.data.labels).toEqual(['Semaine du 19 oct.', 'Semaine du 26 oct.']);
    expect(chart.data.datasets.map((d) => d.label)).toEqual(ALERT_SERIES.map((s) => s.label));
    expect(chart.data.datasets.map((d) => d.data)).toEqual([
      [12, null],
      [9, null],
      [30, 31],
    ]);
    expect(new Set(chart.data.datasets.map((d) => JSON.stringify([d.borderDash, d.pointStyle]))).size).toBe(3);
    expect(chart.options.plugins?.legend?.display).toBe(true);
    expect(chart.description).toContain('2 semaines, du semaine du 19 oct. au semaine du 26 oct.');
    expect(weekLabel('2026-11-02')).toBe('Semaine du 2 nov.');
  });

  it('lays the flows out as a from × to matrix, by name', () => {
    const matrix = flowMatrix(someFlows());
    expect(matrix.senders.map((s) => s.name)).toEqual(['CCAS de Gap', 'France Services du Briançonnais']);
    expect(matrix.receivers.map((s) => s.name)).toEqual(['CAF des Hautes-Alpes', 'CCAS de Gap']);
    expect(matrix.cells).toEqual([
      [12, 0],
      [42, '< 5'],
    ]);
  });

  it('draws the Sankey left to right without loops and leaves hidden flows out', () => {
    const sankey = flowsSankey(someFlows());
    const dataset = sankey.data.datasets[0];
    expect(sankey.type).toBe('sankey');
    expect(sankey.hidden).toBe(1);
    expect(dataset.data).toEqual([
      { from: 'de:fs', to: 'vers:caf', flow: 42 },
      { from: 'de:ccas', to: 'vers:caf', flow: 12 },
    ]);
    expect(dataset.labels).toEqual({ 'de:fs': 'France Services du Briançonnais', 'vers:caf': 'CAF des Hautes-Alpes', 'de:ccas': 'CCAS de Gap' });
    expect(dataset.column).toEqual({ 'de:fs': 0, 'vers:caf': 1, 'de:ccas': 0 });
    expect(sankey.description).toContain('2 flux dessinés ; le plus important : de France Services du Briançonnais vers CAF des Hautes-Alpes (42).');
    expect(sankey.description).toContain('1 flux masqué n’est pas dessiné.'.replace('’', "'"));
  });
});
