/**
 * Daily cost history per scope (tenant, provider, connection, service) for the forecast and the runway,
 * read from the daily rollup in the reporting currency. Today is left out (a partial day would drag the
 * model down), and each series ends where its billing data ends: a provider whose billing arrives a day
 * late is not read as a day without cost.
 */
import { Decimal } from 'decimal.js';
import type { ForecastScope } from '../contract/query.js';
import { ROLLUP_TIME_ZONE } from '../storage/rollups.js';
import type { Queryable } from '../storage/db.js';
import { dailyCosts, type DailyCostFilter } from '../storage/repositories/daily-costs.js';
import { addDays, type DailyAmount } from './forecast.js';

/** A year of days: enough for the weekly pattern and the trend, small enough to fit fast. */
export const HISTORY_DAYS = 182;

export interface ScopeHistory {
  /** '' for the tenant; the provider, connection id or service name otherwise. */
  key: string;
  /** Dense (one entry per day, zeros filled) from the first day with cost to `lastDay`. */
  days: DailyAmount[];
  /** The last day with billing data for this scope (yesterday at most). */
  lastDay: string;
  /** Cost in currencies without a rate to the reporting currency, left out of `days`. */
  unconverted: Decimal;
}

/** The calendar day (YYYY-MM-DD) of an instant in the reporting time zone. */
export function reportingDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: ROLLUP_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * One history per value of the scope (one in all for the tenant). Connection and provider series end at
 * their own last billed day; service and tenant series at the tenant's (a service that stopped costing
 * money shows zeros, it has not lost its data).
 */
export async function loadScopeHistories(
  tx: Queryable,
  options: { scope: ForecastScope; currency: string; now: Date; days?: number; filter?: DailyCostFilter }
): Promise<ScopeHistory[]> {
  const today = reportingDay(options.now);
  const rows = await dailyCosts(tx, {
    groupBy: options.scope,
    fromDay: addDays(today, -(options.days ?? HISTORY_DAYS)),
    toDay: today,
    currency: options.currency,
    filter: options.filter,
  });
  if (rows.length === 0) return [];
  const globalLast = rows.reduce((max, r) => (r.day > max ? r.day : max), rows[0]!.day);
  const byKey = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byKey.get(row.key);
    if (list) list.push(row);
    else byKey.set(row.key, [row]);
  }
  const ownEnd = options.scope === 'connection' || options.scope === 'provider';
  return [...byKey.entries()].map(([key, list]) => {
    const lastDay = ownEnd ? list[list.length - 1]!.day : globalLast;
    return {
      key,
      days: denseDays(
        list.map((r) => ({ day: r.day, amount: r.amount })),
        lastDay
      ),
      lastDay,
      unconverted: list.reduce((a, r) => a.plus(r.unconverted), new Decimal(0)),
    };
  });
}

/** Zero-filled from the first entry to `lastDay` (rows are sorted by day). */
export function denseDays(rows: DailyAmount[], lastDay: string): DailyAmount[] {
  const byDay = new Map(rows.map((r) => [r.day, r.amount]));
  const out: DailyAmount[] = [];
  for (let day = rows[0]!.day; day <= lastDay; day = addDays(day, 1)) {
    out.push({ day, amount: byDay.get(day) ?? new Decimal(0) });
  }
  return out;
}
