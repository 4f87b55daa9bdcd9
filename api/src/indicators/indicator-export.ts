import type { ExportFormat } from '@passerelle/contracts';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import type { ExportCell, ExportColumn, ExportTable } from './indicator-tables';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A text a spreadsheet would run as a formula (CSV injection): written with a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A number as French spreadsheets read it in a CSV: decimal comma. */
function csvCell(cell: ExportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell).replace('.', ',');
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * One CSV for any number of tables (French spreadsheets: UTF-8 with BOM, `;` separator, decimal
 * comma, CRLF). Each table is a block — its title on one line, its header row, its rows — and blocks
 * are separated by one blank line; the first block is the filters.
 */
export function toCsv(tables: ExportTable[]): Buffer {
  const records: string[][] = [];
  tables.forEach((table, i) => {
    if (i > 0) records.push([]);
    records.push([table.title]);
    records.push(table.columns.map((c) => c.header));
    for (const row of table.rows) records.push(row.map(csvCell));
  });
  return Buffer.from(stringify(records, { delimiter: ';', bom: true, record_delimiter: '\r\n' }), 'utf8');
}

const NUMBER_FORMATS: Partial<Record<ExportColumn['kind'], string>> = { count: '0', rate: '0.0%', days: '0.0' };

/** One sheet per table, header row in bold and frozen; the first sheet is the filters. */
export async function toXlsx(tables: ExportTable[]): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Passerelle';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c, j) => ({
      header: c.header,
      key: String(j),
      width: Math.min(60, Math.max(12, c.header.length + 2, ...table.rows.map((r) => String(r[j] ?? '').length + 2))),
      style: NUMBER_FORMATS[c.kind] ? { numFmt: NUMBER_FORMATS[c.kind] } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow(row);
      // "< 5" and "secret" in a number column: aligned with the numbers.
      row.forEach((cell, j) => {
        if (typeof cell === 'string' && table.columns[j].kind !== 'text') added.getCell(j + 1).alignment = { horizontal: 'right' };
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderExport(format: ExportFormat, tables: ExportTable[]): Promise<Buffer> {
  return format === 'csv' ? toCsv(tables) : toXlsx(tables);
}
