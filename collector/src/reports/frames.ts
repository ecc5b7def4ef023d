/**
 * Reading the query API's data frames back into rows. Reports take their numbers from the same frames
 * the API returns, so a report and a dashboard over the same scope show the same totals.
 */
import { Decimal } from 'decimal.js';
import type { DataFrameJSON, QueryResult } from '../contract/query.js';

export type FrameRow = Record<string, unknown>;

/** Rows of one frame, keyed by field name. */
export function frameRows(frame: DataFrameJSON): FrameRow[] {
  const { fields } = frame.schema;
  const length = frame.data.values[0]?.length ?? 0;
  return Array.from({ length }, (_, i) =>
    Object.fromEntries(fields.map((f, j) => [f.name, frame.data.values[j]?.[i] ?? null]))
  );
}

/** All rows of a result (several frames, e.g. one per group, are concatenated). */
export function resultRows(result: QueryResult | undefined): FrameRow[] {
  return (result?.frames ?? []).flatMap(frameRows);
}

/** The first value of `key` among a set of alternative field names. */
export function pick(row: FrameRow, ...keys: string[]): unknown {
  for (const key of keys) if (row[key] !== undefined && row[key] !== null) return row[key];
  return null;
}

export function money(value: unknown): Decimal | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  try {
    const d = new Decimal(value);
    return d.isFinite() ? d.toDecimalPlaces(2) : null;
  } catch {
    return null;
  }
}

export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export function time(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const d = new Date(value as string | number);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `currencyRUB` → RUB; `suffix: KZT` → KZT (the units frames carry). */
export function currencyOfUnit(unit: string | undefined): string | undefined {
  if (!unit) return undefined;
  const m = /^currency([A-Z]{3})$/.exec(unit) ?? /^suffix: ?([A-Z]{3})$/.exec(unit);
  return m?.[1];
}
