/**
 * Balance runway of prepaid accounts (Beget, Selectel, Yandex Cloud): how many days the latest balance
 * lasts, spent along the daily cost — what was actually billed after the balance's time, then the
 * forecast (forecastDaily) — until it reaches zero. Counted from the balance's own time, so it sits next
 * to the provider's days-to-block figure of the same moment. Every figure says where it came from.
 */
import { Decimal } from 'decimal.js';
import type { Queryable } from '../storage/db.js';
import { addDays, fitForecast } from './forecast.js';
import { loadScopeHistories, reportingDay } from './history.js';

export const PREPAID_PROVIDERS = new Set(['beget', 'selectel', 'yandex']);
/** Runways longer than this are reported as "more than a year". */
export const RUNWAY_HORIZON_DAYS = 365;
const DAY_MS = 86_400_000;
/** Reporting days are Moscow days (UTC+3 all year). */
const dayStartMs = (day: string) => Date.parse(`${day}T00:00:00+03:00`);

export interface RunwayResult {
  /** Days from `asOf` until the balance reaches zero; null when it lasts beyond the horizon or nothing is spent. */
  days: number | null;
  exhaustedAt: Date | null;
  /** Average daily spend over the runway (or over the horizon when it is not exhausted). */
  dailyBurn: Decimal;
}

/**
 * Spends `balance` from `asOf` on: each day costs `spend(day)` (the first day only its remaining part).
 * Exact for a constant burn: balance ÷ daily spend.
 */
export function spendDown(
  balance: Decimal,
  asOf: Date,
  spend: (day: string) => Decimal,
  horizonDays = RUNWAY_HORIZON_DAYS
): RunwayResult {
  let day = reportingDay(asOf);
  let portion = new Decimal(dayStartMs(addDays(day, 1)) - asOf.getTime()).div(DAY_MS);
  let remaining = balance;
  let elapsed = new Decimal(0);
  let spent = new Decimal(0);
  const result = (days: Decimal | null, burnDays: Decimal): RunwayResult => ({
    days: days === null ? null : days.toDecimalPlaces(2).toNumber(),
    exhaustedAt: days === null ? null : new Date(asOf.getTime() + days.mul(DAY_MS).round().toNumber()),
    dailyBurn: burnDays.gt(0) ? spent.div(burnDays).toDecimalPlaces(2) : new Decimal(0),
  });
  if (remaining.lte(0)) return result(new Decimal(0), new Decimal(0));
  while (elapsed.lt(horizonDays)) {
    const daily = spend(day);
    const cost = daily.mul(portion);
    if (daily.gt(0) && cost.gte(remaining)) {
      const part = remaining.div(daily);
      spent = spent.plus(remaining);
      return result(elapsed.plus(part), elapsed.plus(part));
    }
    remaining = remaining.minus(cost);
    spent = spent.plus(cost);
    elapsed = elapsed.plus(portion);
    day = addDays(day, 1);
    portion = new Decimal(1);
  }
  return result(null, elapsed);
}

export interface ConnectionRunway {
  connectionId: string;
  connectionName: string;
  provider: string;
  balance: string;
  currency: string;
  asOf: Date;
  creditLimit: string | null;
  providerDaysToBlock: number | null;
  runwayDays: number | null;
  exhaustedAt: Date | null;
  dailyBurn: string;
  method: 'forecast' | 'current_daily_spend' | 'none' | 'postpaid';
  explanation: Record<string, unknown>;
}

interface BalanceRow {
  connection_id: string;
  name: string;
  provider: string;
  ts: Date;
  balance: string;
  currency: string;
  credit_limit: string | null;
  daily_spend: string | null;
  details: { providerDaysToBlock?: number | null };
}

/** The runway of each connection's latest balance (prepaid providers; others say `postpaid`). */
export async function connectionRunways(
  tx: Queryable,
  now: Date,
  filter: { connectionIds?: string[]; providers?: string[] } = {}
): Promise<ConnectionRunway[]> {
  const rows = await tx.query<BalanceRow>(
    `SELECT DISTINCT ON (b.connection_id) b.connection_id, c.name, c.provider, b.ts, b.balance, b.currency,
       b.credit_limit, b.daily_spend, b.details
     FROM account_balances b JOIN connections c ON c.id = b.connection_id AND c.deleted_at IS NULL
     WHERE ($1::text[] IS NULL OR b.connection_id::text = ANY($1)) AND ($2::text[] IS NULL OR c.provider = ANY($2))
     ORDER BY b.connection_id, b.ts DESC`,
    [filter.connectionIds ?? null, filter.providers ?? null]
  );
  const out: ConnectionRunway[] = [];
  for (const row of rows) out.push(await runwayOf(tx, row, now));
  return out;
}

async function runwayOf(tx: Queryable, row: BalanceRow, now: Date): Promise<ConnectionRunway> {
  const base = {
    connectionId: row.connection_id,
    connectionName: row.name,
    provider: row.provider,
    balance: row.balance,
    currency: row.currency,
    asOf: row.ts,
    creditLimit: row.credit_limit,
    providerDaysToBlock: row.details?.providerDaysToBlock ?? null,
  };
  if (!PREPAID_PROVIDERS.has(row.provider)) {
    return { ...base, runwayDays: null, exhaustedAt: null, dailyBurn: '0', method: 'postpaid', explanation: {} };
  }
  const balance = new Decimal(row.balance);
  const [history] = await loadScopeHistories(tx, {
    scope: 'connection',
    currency: row.currency,
    now,
    filter: { connectionIds: [row.connection_id] },
  });
  if (history && history.days.length > 0) {
    const actual = new Map(history.days.map((d) => [d.day, d.amount]));
    const horizon = RUNWAY_HORIZON_DAYS + 2 + Math.max(0, Math.round((now.getTime() - row.ts.getTime()) / DAY_MS));
    const fit = fitForecast(history.days, horizon);
    const forecast = new Map(fit.points.map((p) => [p.day, p.value]));
    const spend = (day: string) => actual.get(day) ?? forecast.get(day) ?? new Decimal(0);
    const r = spendDown(balance, row.ts, spend);
    return {
      ...base,
      runwayDays: r.days,
      exhaustedAt: r.exhaustedAt,
      dailyBurn: r.dailyBurn.toFixed(2),
      method: 'forecast',
      explanation: {
        rule: 'balance spent along the billed daily cost after its time, then the forecast, until it reaches zero',
        balance: row.balance,
        asOf: row.ts.toISOString(),
        lastBilledDay: history.lastDay,
        historyDays: fit.historyDays,
        model: fit.method,
        dailyBurn: r.dailyBurn.toFixed(2),
        horizonDays: RUNWAY_HORIZON_DAYS,
        ...(r.days === null ? { note: `the balance lasts beyond ${RUNWAY_HORIZON_DAYS} days` } : {}),
      },
    };
  }
  if (row.daily_spend !== null && new Decimal(row.daily_spend).gt(0)) {
    const daily = new Decimal(row.daily_spend);
    const r = spendDown(balance, row.ts, () => daily);
    return {
      ...base,
      runwayDays: r.days,
      exhaustedAt: r.exhaustedAt,
      dailyBurn: daily.toFixed(2),
      method: 'current_daily_spend',
      explanation: {
        rule: "no billed history yet: balance ÷ the inventory's current daily cost",
        balance: row.balance,
        asOf: row.ts.toISOString(),
        dailyBurn: daily.toFixed(2),
      },
    };
  }
  return {
    ...base,
    runwayDays: null,
    exhaustedAt: null,
    dailyBurn: '0',
    method: 'none',
    explanation: { note: 'no spend known for this connection' },
  };
}
