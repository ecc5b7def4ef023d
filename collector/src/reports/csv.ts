/**
 * CSV of a report in long form, one line per figure: section, row, column, value, unit. Sections have
 * different columns, so a single flat table would need dozens of empty fields; the long form loads
 * straight into BI tools and pivots back into any shape. Values are plain (decimal point, ISO dates).
 */
import { stringify } from 'csv-stringify/sync';
import { cellCurrency, cellPlain, cellType } from './cells.js';
import type { ReportModel } from './model.js';

export const REPORT_CSV_COLUMNS = ['section', 'section_title', 'row', 'item', 'column', 'value', 'unit'] as const;

export function renderCsv(model: ReportModel): Buffer {
  const lines: string[][] = [];
  const tz = model.period.timezone;
  for (const section of model.sections) {
    const table = section.table;
    const label = table.columns.find((c) => c.type === 'text');
    const rows = [...table.rows, ...(table.total ? [table.total] : [])];
    rows.forEach((row, i) => {
      const item = label ? String(row[label.key] ?? '') : '';
      for (const column of table.columns) {
        if (column === label) continue;
        const type = cellType(column, row);
        const unit = type === 'money' ? cellCurrency(column, row, model.currency) : type === 'percent' ? 'percent' : '';
        lines.push([
          section.kind,
          section.title,
          String(i + 1),
          item,
          column.key,
          cellPlain(row[column.key] ?? null, type, tz),
          unit,
        ]);
      }
    });
  }
  return Buffer.from(stringify(lines, { header: true, columns: [...REPORT_CSV_COLUMNS] }), 'utf8');
}
