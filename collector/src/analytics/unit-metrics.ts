/**
 * Unit metrics (active customers, orders …) pushed by API as JSON or CSV, for cost per unit. A push is
 * all or nothing: every row is validated first and any bad row refuses the whole push, naming each bad
 * row. Points are upserted by (tenant, name, ts), so posting the same data again never counts twice.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database } from '../storage/db.js';
import { listUnitMetrics, upsertUnitMetrics, type UnitMetricSummary } from '../storage/repositories/unit-metrics.js';
import { auditChange, type Who } from './audit.js';
import { inputError, type InputIssue } from './errors.js';
import { parseInstant } from './periods.js';

/** Most points in one push (about 5 MB of CSV). */
export const MAX_POINTS = 100_000;
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const LATEST = Date.parse('2100-01-01T00:00:00Z');

export interface UnitMetricPoint {
  name: string;
  ts: Date;
  /** Decimal string, ≥ 0. */
  value: string;
  unit: string | null;
}

export const unitMetricItemSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
    .describe('metric name, e.g. orders or active_customers'),
  ts: z.string().max(40).describe('ISO 8601 time with an offset, or a date YYYY-MM-DD (midnight in Europe/Moscow)'),
  value: z
    .union([z.number(), z.string()])
    .describe('non-negative decimal number (string or number); summed per bucket by default'),
  unit: z
    .string()
    .trim()
    .max(50)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
    .optional()
    .describe('e.g. orders, customers'),
});

const DECIMAL = /^\d{1,18}(\.\d{1,9})?$/;

/** One item, or what is wrong with it. */
function point(raw: unknown): { point: UnitMetricPoint } | { issues: { field: string; message: string }[] } {
  const parsed = unitMetricItemSchema.safeParse(raw);
  if (!parsed.success) {
    return { issues: parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'row', message: i.message })) };
  }
  const item = parsed.data;
  const issues: { field: string; message: string }[] = [];
  const ts = parseInstant(item.ts.trim());
  if (!ts) issues.push({ field: 'ts', message: 'must be an ISO 8601 time with an offset, or a date YYYY-MM-DD' });
  else if (ts.getTime() < EARLIEST || ts.getTime() >= LATEST) {
    issues.push({ field: 'ts', message: 'must be between 2000 and 2100' });
  }
  const value = typeof item.value === 'number' ? String(item.value) : item.value.trim();
  if (!DECIMAL.test(value)) issues.push({ field: 'value', message: 'must be a non-negative decimal number' });
  if (issues.length || !ts) return { issues };
  return { point: { name: item.name, ts, value, unit: item.unit || null } };
}

/**
 * Validates every row; `label(i)` names row i in errors. Throws a 400 listing every bad row (the same
 * (name, ts) twice in one push is ambiguous, so it is an error too).
 */
export function validatePoints(rows: unknown[], label: (i: number) => string): UnitMetricPoint[] {
  if (rows.length === 0) throw inputError([{ path: 'body', message: 'no data points' }]);
  if (rows.length > MAX_POINTS) {
    throw inputError([{ path: 'body', message: `at most ${MAX_POINTS} points per request (got ${rows.length})` }]);
  }
  const issues: InputIssue[] = [];
  const points: UnitMetricPoint[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const result = point(raw);
    if ('issues' in result) {
      for (const issue of result.issues) issues.push({ path: label(i), message: `${issue.field}: ${issue.message}` });
      return;
    }
    const key = `${result.point.name}\u0000${result.point.ts.getTime()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ path: label(i), message: `same name and ts as ${label(first)}` });
      return;
    }
    seen.set(key, i);
    points.push(result.point);
  });
  if (issues.length) throw inputError(issues);
  return points;
}

const CSV_COLUMNS = ['name', 'ts', 'value', 'unit'];

/** CSV with a header row `name,ts,value[,unit]` (any order); rows are named by their line in the file. */
export function parseUnitMetricsCsv(text: string): UnitMetricPoint[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        const unknown = names.filter((n) => !CSV_COLUMNS.includes(n));
        const missing = ['name', 'ts', 'value'].filter((n) => !names.includes(n));
        if (unknown.length || missing.length) {
          throw inputError([
            {
              path: 'line 1',
              message: `the header must name the columns name, ts, value and optionally unit${
                unknown.length ? `; unknown: ${unknown.join(', ')}` : ''
              }${missing.length ? `; missing: ${missing.join(', ')}` : ''}`,
            },
          ]);
        }
        return names;
      },
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (err) {
    if (err instanceof Error && 'statusCode' in err) throw err;
    throw inputError([{ path: 'csv', message: (err as Error).message }]);
  }
  const rows = records.map(({ record }) => {
    const { unit, ...rest } = record;
    return unit ? { ...rest, unit } : rest;
  });
  return validatePoints(rows, (i) => `line ${records[i]!.info.lines}`);
}

export interface PushResult {
  points: number;
  inserted: number;
  updated: number;
  names: string[];
}

export async function pushUnitMetrics(
  db: Database,
  tenantId: string,
  points: UnitMetricPoint[],
  format: 'json' | 'csv',
  who: Who
): Promise<PushResult> {
  return db.withTenant(tenantId, async (tx) => {
    const { inserted, updated } = await upsertUnitMetrics(tx, tenantId, points);
    const names = [...new Set(points.map((p) => p.name))].sort();
    await auditChange(tx, tenantId, who, {
      action: 'unit_metrics.push',
      targetKind: 'unit_metrics',
      summary: `${points.length} unit metric points pushed (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`,
      details: { format, points: points.length, inserted, updated, names: names.slice(0, 50) },
    });
    return { points: points.length, inserted, updated, names };
  });
}

export async function unitMetricSummaries(db: Database, tenantId: string): Promise<UnitMetricSummary[]> {
  return db.withTenant(tenantId, (tx) => listUnitMetrics(tx));
}
