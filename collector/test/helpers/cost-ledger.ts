/**
 * The cost rows of a connection compared with a clean reference run of the same provider account:
 * row by row (key = resource, line, hour; amount as an exact decimal) and per Moscow day (row count and
 * exact sum), raw lines and the daily rollup the dashboards read. The fault suite's arithmetic.
 */
import { Decimal } from 'decimal.js';
import type { Queryable } from '../../src/storage/db.js';
import { ROLLUP_TIME_ZONE } from '../../src/storage/rollups.js';

/** key → the amounts stored under it (more than one is a duplicate). */
export type Ledger = Map<string, string[]>;

export interface Window {
  /** Rows charged from this moment on (both runs' windows overlap there). */
  from: Date;
}

export async function readLedger(q: Queryable, connectionId: string, window: Window): Promise<Ledger> {
  const rows = await q.query<{ resource_id: string; line_key: string; start: Date; amount: string }>(
    `SELECT resource_id, line_key, charge_period_start AS start, billed_cost::text AS amount
     FROM cost_records WHERE connection_id = $1 AND charge_period_start >= $2`,
    [connectionId, window.from]
  );
  const ledger: Ledger = new Map();
  for (const r of rows) {
    const key = `${r.resource_id}|${r.line_key}|${r.start.toISOString()}`;
    ledger.set(key, [...(ledger.get(key) ?? []), r.amount]);
  }
  return ledger;
}

export interface LedgerDiff {
  referenceRows: number;
  rows: number;
  /** Reference rows with no row under their key. */
  lost: number;
  /** Rows beyond the first under one key. */
  duplicates: number;
  /** Rows under keys the reference does not have. */
  unexpected: number;
  /** Keys whose amount differs from the reference's (exact decimal comparison). */
  changed: number;
  examples: string[];
}

export function compareLedgers(reference: Ledger, actual: Ledger): LedgerDiff {
  const diff: LedgerDiff = {
    referenceRows: 0,
    rows: 0,
    lost: 0,
    duplicates: 0,
    unexpected: 0,
    changed: 0,
    examples: [],
  };
  const note = (text: string) => diff.examples.length < 5 && diff.examples.push(text);
  for (const [key, amounts] of reference) {
    diff.referenceRows += amounts.length;
    const mine = actual.get(key);
    if (!mine) {
      diff.lost++;
      note(`lost ${key}`);
    } else if (!new Decimal(mine[0]!).eq(amounts[0]!)) {
      diff.changed++;
      note(`changed ${key}: ${mine[0]} vs ${amounts[0]}`);
    }
  }
  for (const [key, amounts] of actual) {
    diff.rows += amounts.length;
    diff.duplicates += amounts.length - 1;
    if (amounts.length > 1) note(`duplicate ${key} ×${amounts.length}`);
    if (!reference.has(key)) {
      diff.unexpected += amounts.length;
      note(`unexpected ${key}`);
    }
  }
  return diff;
}

export type DailyTotals = Map<string, { rows: number; total: string }>;

/** Rows and exact sums per Moscow day, from the raw lines or from the daily rollup. */
export async function dailyTotals(
  q: Queryable,
  connectionId: string,
  window: Window,
  source: 'raw' | 'rollup'
): Promise<DailyTotals> {
  const sql =
    source === 'raw'
      ? `SELECT to_char(date_trunc('day', charge_period_start, '${ROLLUP_TIME_ZONE}') AT TIME ZONE '${ROLLUP_TIME_ZONE}', 'YYYY-MM-DD') AS day,
           count(*)::int AS rows, sum(billed_cost)::text AS total
         FROM cost_records WHERE connection_id = $1 AND charge_period_start >= $2 GROUP BY 1`
      : `SELECT to_char(day AT TIME ZONE '${ROLLUP_TIME_ZONE}', 'YYYY-MM-DD') AS day,
           sum(line_count)::int AS rows, sum(billed_cost)::text AS total
         FROM cost_daily WHERE connection_id = $1 AND day >= date_trunc('day', $2::timestamptz, '${ROLLUP_TIME_ZONE}')
         GROUP BY 1`;
  const rows = await q.query<{ day: string; rows: number; total: string }>(sql, [connectionId, window.from]);
  return new Map(rows.map((r) => [r.day, { rows: r.rows, total: new Decimal(r.total).toFixed() }]));
}

/** Days whose row count or exact sum differs, as readable lines. */
export function compareDays(expected: DailyTotals, actual: DailyTotals): string[] {
  const days = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return days.flatMap((day) => {
    const e = expected.get(day);
    const a = actual.get(day);
    if (e && a && e.rows === a.rows && new Decimal(e.total).eq(a.total)) return [];
    return [`${day}: ${a ? `${a.rows} rows ${a.total}` : 'none'} vs ${e ? `${e.rows} rows ${e.total}` : 'none'}`];
  });
}
