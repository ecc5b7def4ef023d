/** One table cell as text (PDF) or as a typed value (spreadsheets, CSV), from the report model. */
import { Decimal } from 'decimal.js';
import type { DimensionFilter } from '../contract/query.js';
import type { Language } from './definition.js';
import { formatMoney, formatNumber, formatPercent } from './format.js';
import type { Cell, CellType, ReportTable, TableColumn } from './model.js';

/** Changes read better with a sign (+12,3 %). */
const SIGNED = new Set(['change', 'change_percent']);

export function cellType(column: TableColumn, row: Record<string, Cell>): CellType {
  const override = column.typeKey ? row[column.typeKey] : undefined;
  return typeof override === 'string' ? (override as CellType) : column.type;
}

export function cellCurrency(column: TableColumn, row: Record<string, Cell>, fallback: string): string {
  const own = column.currencyKey ? row[column.currencyKey] : undefined;
  return typeof own === 'string' && /^[A-Z]{3}$/.test(own) ? own : fallback;
}

export function cellText(
  value: Cell,
  type: CellType,
  o: { language: Language; currency: string; timezone: string; key?: string }
): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (type) {
    case 'money': {
      const text = formatMoney(value instanceof Decimal ? value : new Decimal(value as number), o.currency, o.language);
      return SIGNED.has(o.key ?? '') && new Decimal(value as number).gt(0) ? `+${text}` : text;
    }
    case 'percent':
      return formatPercent(Number(value), o.language, SIGNED.has(o.key ?? ''));
    case 'number': {
      const n = Number(value);
      return formatNumber(n, o.language, Number.isInteger(n) ? 0 : 2);
    }
    case 'date':
      return new Intl.DateTimeFormat(o.language === 'ru' ? 'ru-RU' : 'en-GB', {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        timeZone: o.timezone,
      }).format(value as Date);
    default:
      return String(value);
  }
}

/** A plain value for CSV: decimals with a point, percentages as numbers, dates as YYYY-MM-DD. */
export function cellPlain(value: Cell, type: CellType, timezone: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Decimal) return value.toFixed(2);
  if (value instanceof Date) {
    return type === 'date' ? value.toLocaleDateString('sv-SE', { timeZone: timezone }) : value.toISOString();
  }
  if (type === 'money' && typeof value === 'number') return value.toFixed(2);
  return String(value);
}

/** Rows the PDF shows (the spreadsheets get them all). */
export function pdfRows(table: ReportTable): { rows: ReportTable['rows']; truncated: boolean } {
  if (!table.pdfLimit || table.rows.length <= table.pdfLimit) return { rows: table.rows, truncated: false };
  return { rows: table.rows.slice(0, table.pdfLimit), truncated: true };
}

/** `provider: selectel, yandex; service ≠ Storage` — what the scope filters say, for people. */
export function describeFilters(filters: DimensionFilter[], fallback: string): string {
  if (filters.length === 0) return fallback;
  return filters
    .map((f) => `${f.dimension}${f.op === 'exclude' ? ' ≠ ' : ': '}${f.values.join(', ') || '—'}`)
    .join('; ');
}
