import { SUPPRESSED } from '@passerelle/contracts';
import { Workbook } from 'exceljs';
import { toCsv, toXlsx } from './indicator-export';
import { filtersTable, flowTables, type ExportTable } from './indicator-tables';

const tables: ExportTable[] = [
  { title: 'Filtres', sheet: 'Filtres', columns: [{ header: 'Filtre', kind: 'text' }, { header: 'Valeur', kind: 'text' }], rows: [['Du', '2026-01-01']] },
  {
    title: 'Orientations : par structure destinataire',
    sheet: 'Orientations - par partenaire',
    columns: [
      { header: 'Structure destinataire', kind: 'text' },
      { header: 'Envoyées', kind: 'count' },
      { header: 'Taux d’acceptation', kind: 'rate' },
      { header: 'Délai médian de réponse (jours)', kind: 'days' },
    ],
    rows: [
      ['CCAS; "Gap"', 12, 0.667, 2.5],
      ['=HYPERLINK("x")', SUPPRESSED, null, null],
    ],
  },
];

describe('indicator exports', () => {
  it('CSV: UTF-8 BOM, ";", decimal comma, CRLF, one titled block per table, blank line between', () => {
    const csv = toCsv(tables);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').slice(1).split('\r\n')).toEqual([
      'Filtres',
      'Filtre;Valeur',
      'Du;2026-01-01',
      '',
      'Orientations : par structure destinataire',
      'Structure destinataire;Envoyées;Taux d’acceptation;Délai médian de réponse (jours)',
      '"CCAS; ""Gap""";12;0,667;2,5',
      // A name a spreadsheet would run as a formula is written as text.
      `"'=HYPERLINK(""x"")";< 5;;`,
      '',
    ]);
  });

  it('XLSX: one sheet per table, header row, the same values (numbers as numbers, "< 5" as text)', async () => {
    const workbook = new Workbook();
    // exceljs types its own Buffer (an ArrayBuffer): a Node Buffer is what it reads.
    await workbook.xlsx.load((await toXlsx(tables)) as unknown as Parameters<Workbook['xlsx']['load']>[0]);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Filtres', 'Orientations - par partenaire']);
    const sheet = workbook.getWorksheet('Orientations - par partenaire');
    const values = (n: number) => (sheet?.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['Structure destinataire', 'Envoyées', 'Taux d’acceptation', 'Délai médian de réponse (jours)']);
    expect(values(2)).toEqual(['CCAS; "Gap"', 12, 0.667, 2.5]);
    expect(values(3)).toEqual(['=HYPERLINK("x")', SUPPRESSED]);
    expect(sheet?.getCell('C2').numFmt).toBe('0.0%');
  });

  it('tables: flows by structure names; filters in words', () => {
    const meta = { filters: { from: '2026-01-01', to: '2026-03-31', bouquet: 14 as const, scope: 'territory' as const }, suppressed: true, generatedAt: '2026-04-02T08:00:00.000Z' };
    const flows = flowTables({ ...meta, structures: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], flows: [{ fromId: 'a', toId: 'b', count: 7 }] });
    expect(flows[0].rows).toEqual([['A', 'B', 7]]);
    const filters = filtersTable(['flows'], meta, { tenantName: 'Hautes-Alpes' });
    expect(filters.rows).toEqual(
      expect.arrayContaining([
        ['Indicateurs', 'Flux entre structures'],
        ['Niveau', 'Territoire (petits effectifs masqués)'],
        ['Territoire', 'Tout le département (Hautes-Alpes)'],
        ['Bouquet de services', '14. Hébergement / logement'],
        ['Canal (contacts et continuité)', 'Tous'],
      ]),
    );
    expect(filters.rows.find((r) => r[0] === 'Petits effectifs')).toBeDefined();
  });
});
