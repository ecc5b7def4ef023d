/**
 * XLSX (exceljs): a summary sheet, then one sheet per section with every row. Money and percentages are
 * numeric cells with number formats (a rouble format for RUB), dates are date cells — the figures can be
 * summed and pivoted in Excel without retyping.
 */
import { Decimal } from 'decimal.js';
import ExcelJS from 'exceljs';
import { cellCurrency, cellType, describeFilters } from './cells.js';
import { formatRange, moneyFormat, wallClock } from './format.js';
import { strings } from './i18n.js';
import type { Cell, CellType, ReportModel, ReportTable } from './model.js';

const NUMBER_FORMATS: Record<Exclude<CellType, 'money' | 'text'>, string> = {
  percent: '0.0%',
  number: '#,##0.##',
  date: 'dd.mm.yyyy',
};

/** A cell value for Excel: numbers as numbers, percentages as fractions (the format multiplies). */
export function excelValue(value: Cell, type: CellType, timezone: string): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (type === 'money' || type === 'number') return value instanceof Decimal ? value.toNumber() : Number(value);
  if (type === 'percent') return new Decimal(value as number).div(100).toNumber();
  if (type === 'date') return wallClock(value instanceof Date ? value : new Date(value as string), timezone);
  return String(value);
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(title: string, used: Set<string>): string {
  const base = title
    .replace(/[:\\/?*[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 28)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

export function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  table: ReportTable,
  o: { currency: string; language: ReportModel['language']; timezone: string }
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: c.type === 'text' ? Math.max(14, Math.min(60, (c.width ?? 1) * 12)) : 18,
  }));
  sheet.getRow(1).font = { bold: true };
  const write = (row: Record<string, Cell>, bold = false) => {
    const excelRow = sheet.addRow({});
    table.columns.forEach((c, i) => {
      const type = cellType(c, row);
      const cell = excelRow.getCell(i + 1);
      cell.value = excelValue(row[c.key] ?? null, type, o.timezone);
      if (type === 'money') cell.numFmt = moneyFormat(cellCurrency(c, row, o.currency), o.language);
      else if (type !== 'text') cell.numFmt = NUMBER_FORMATS[type];
    });
    if (bold) excelRow.font = { bold: true };
  };
  for (const row of table.rows) write(row);
  if (table.total) write(table.total, true);
  return sheet;
}

export async function renderXlsx(model: ReportModel): Promise<Buffer> {
  const t = strings(model.language);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'InfraZen';
  workbook.created = model.generatedAt;
  workbook.title = model.name;
  const used = new Set<string>();
  const o = { currency: model.currency, language: model.language, timezone: model.period.timezone };

  const summary = workbook.addWorksheet(sheetName(model.language === 'ru' ? 'Сводка' : 'Summary', used));
  summary.columns = [{ width: 28 }, { width: 60 }];
  const tz = model.period.timezone;
  const rows: [string, ExcelJS.CellValue, string?][] = [
    [model.name, null],
    [t.organization, model.tenantName],
    [t.period, formatRange(model.period.from, model.period.lastDay, model.language, tz)],
    [
      t.comparedWith,
      formatRange(model.period.previousFrom, new Date(model.period.previousTo.getTime() - 1), model.language, tz),
    ],
    [t.currency, model.currency],
    [t.scope, describeFilters(model.filters, t.scopeAll)],
    [t.generated, wallClock(model.generatedAt, model.period.timezone), 'dd.mm.yyyy hh:mm'],
    [t.totalSpend, new Decimal(model.summary.total).toNumber(), moneyFormat(model.currency, model.language)],
    [t.kpi.previous, new Decimal(model.summary.previousTotal).toNumber(), moneyFormat(model.currency, model.language)],
  ];
  for (const [label, value, format] of rows) {
    const row = summary.addRow([label, value]);
    if (format) row.getCell(2).numFmt = format;
  }
  summary.getRow(1).font = { bold: true, size: 14 };

  for (const section of model.sections) addTableSheet(workbook, sheetName(section.title, used), section.table, o);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
