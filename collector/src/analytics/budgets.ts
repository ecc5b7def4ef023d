/**
 * Budget status: actual spend to date in the current calendar period (month, quarter or year in
 * Europe/Moscow), the forecast to the period's end, burn rate, and the thresholds crossed.
 *
 * The rules, which grafana.v_budget_status mirrors in SQL (keep both in step):
 * - period: the calendar month / quarter / year containing "now" in Europe/Moscow, first to last day.
 * - actual: the scope's effective cost on the period's days up to and including today (the daily rollup,
 *   converted to the budget's currency with the rate valid on each day; amounts without a rate are left
 *   out and reported).
 * - forecast: the actual cost of the period's days up to H, plus for each later day of the period the
 *   larger of its actual cost so far and the forecast (forecastDaily on the scope's daily history up to H,
 *   at most 91 days). H = the last day with cost data, but never today (a partial day would drag the
 *   model down) — so billing that arrives a day late is not read as a day without cost. No history: the
 *   forecast is the actual.
 * - usedPercent = actual / amount × 100; forecastPercent = forecast / amount × 100 (two decimals; the
 *   threshold checks compare exactly, not the rounded percentages).
 * - burnRatePerDay = actual / days elapsed in the period, today counted as a whole day.
 * - crossed: every actual threshold t with actual ≥ amount × t / 100, every forecast threshold t with
 *   forecast ≥ amount × t / 100, ascending.
 * - state: 'exceeded' when actual ≥ amount; else 'critical' when a crossed threshold (either kind) is
 *   ≥ 80; else 'warning' when any threshold is crossed; else 'ok'.
 */
import { Decimal } from 'decimal.js';
import type { CostsQuery, DimensionFilter } from '../contract/query.js';
import { buildCostsSql } from '../query/costs.js';
import type { Queryable } from '../storage/db.js';
import { allocationCosts } from '../storage/repositories/allocation.js';
import {
  allocateByAttribute,
  ATTRIBUTE_BY_DIMENSION,
  moneyString,
  percentOf,
  type AllocationCostRow,
} from './allocation.js';
import { addDays, fitForecast, type ForecastMethod } from './forecast.js';
import { denseDays, reportingDay } from './history.js';
import { dayStart, daysBetween, periodContaining, type BudgetPeriod, type CalendarPeriod } from './periods.js';

// The scope kinds are part of the REST contract the app plugin reads.
import { BUDGET_SCOPES, type BudgetScopeKind } from '../contract/management.js';
export { BUDGET_SCOPES, type BudgetScopeKind };

export interface BudgetScope {
  kind: BudgetScopeKind;
  value?: string;
  tagKey?: string;
}

export interface BudgetThresholds {
  /** Percentages of the amount checked against the actual spend to date. */
  actual: number[];
  /** Percentages of the amount checked against the forecast spend at the period's end. */
  forecast: number[];
}

export const DEFAULT_THRESHOLDS: BudgetThresholds = { actual: [50, 80, 100], forecast: [100] };
/** A crossed threshold at or above this percentage makes the budget critical. */
export const CRITICAL_PERCENT = 80;
/** Most days of history the forecast sees. */
export const BUDGET_HISTORY_DAYS = 91;

export interface Budget {
  id: string;
  name: string;
  /** Decimal string. */
  amount: string;
  currency: string;
  period: BudgetPeriod;
  scope: BudgetScope;
  thresholds: BudgetThresholds;
  createdAt: Date;
  updatedAt: Date;
}

export type BudgetState = 'ok' | 'warning' | 'critical' | 'exceeded';

export interface BudgetStatus {
  periodStart: string;
  /** Last day of the period (inclusive). */
  periodEnd: string;
  /** Today in the reporting time zone: the status is as of this day. */
  asOf: string;
  actual: string;
  forecast: string;
  usedPercent: number;
  forecastPercent: number;
  burnRatePerDay: string;
  state: BudgetState;
  crossed: { kind: 'actual' | 'forecast'; threshold: number }[];
  forecastMethod: ForecastMethod;
  /** Cost in currencies without an exchange rate to the budget's, left out of actual and forecast. */
  unconverted: { amount: string; currencies: string[] } | null;
}

export interface BudgetFiguresInput {
  amount: Decimal;
  thresholds: BudgetThresholds;
  period: CalendarPeriod;
  today: string;
  /** Cost per day (YYYY-MM-DD) of the scope, from before the period up to today; missing days are 0. */
  daily: Map<string, Decimal>;
}

/** The status from the daily figures: pure, so the rules above are testable without a database. */
export function budgetFigures(input: BudgetFiguresInput): Omit<BudgetStatus, 'unconverted'> {
  const { amount, period, today, daily } = input;
  const zero = new Decimal(0);
  const at = (day: string) => daily.get(day) ?? zero;
  const lastToday = today < period.end ? today : period.end;
  let actual = zero;
  for (let d = period.start; d <= lastToday; d = addDays(d, 1)) actual = actual.plus(at(d));

  const dataDays = [...daily.keys()].filter((d) => d < today);
  const firstData = dataDays.reduce<string | undefined>((min, d) => (!min || d < min ? d : min), undefined);
  const lastData = dataDays.reduce<string | undefined>((max, d) => (!max || d > max ? d : max), undefined);
  let forecast = actual;
  let method: ForecastMethod = 'none';
  if (firstData && lastData && period.end >= today) {
    const history = denseDays(
      [...daily.entries()].filter(([d]) => d >= firstData && d <= lastData).map(([day, amount]) => ({ day, amount })),
      lastData
    ).sort((a, b) => (a.day < b.day ? -1 : 1));
    const fit = fitForecast(history, daysBetween(lastData, period.end));
    method = fit.method;
    const predicted = new Map(fit.points.map((p) => [p.day, p.value]));
    forecast = zero;
    for (let d = period.start; d <= period.end; d = addDays(d, 1)) {
      const known = d <= today ? at(d) : zero;
      forecast = forecast.plus(d <= lastData ? known : Decimal.max(known, predicted.get(d) ?? zero));
    }
  }

  const crossed: BudgetStatus['crossed'] = [];
  const reached = (spend: Decimal, t: number) => spend.times(100).gte(amount.times(t));
  for (const t of [...input.thresholds.actual].sort((a, b) => a - b)) {
    if (reached(actual, t)) crossed.push({ kind: 'actual', threshold: t });
  }
  for (const t of [...input.thresholds.forecast].sort((a, b) => a - b)) {
    if (reached(forecast, t)) crossed.push({ kind: 'forecast', threshold: t });
  }
  const state: BudgetState = actual.gte(amount)
    ? 'exceeded'
    : crossed.some((c) => c.threshold >= CRITICAL_PERCENT)
      ? 'critical'
      : crossed.length
        ? 'warning'
        : 'ok';
  const elapsed = daysBetween(period.start, lastToday) + 1;
  return {
    periodStart: period.start,
    periodEnd: period.end,
    asOf: today,
    actual: moneyString(actual),
    forecast: moneyString(forecast.toDecimalPlaces(2)),
    usedPercent: percentOf(actual, amount),
    forecastPercent: percentOf(forecast, amount),
    burnRatePerDay: moneyString(actual.dividedBy(Math.max(1, elapsed)).toDecimalPlaces(2)),
    state,
    crossed,
    forecastMethod: method,
  };
}

/** The scope as whitelisted query filters (the same expressions the `costs` query uses). */
function scopeFilters(scope: BudgetScope): DimensionFilter[] {
  const include = (dimension: DimensionFilter['dimension']): DimensionFilter[] => [
    { dimension, op: 'include', values: [scope.value ?? ''] },
  ];
  switch (scope.kind) {
    case 'provider':
      return include('provider');
    case 'connection':
      return include('connection');
    case 'service':
      return include('service');
    case 'tag':
      return include(`tag:${scope.tagKey}`);
    default:
      return [];
  }
}

interface DailySeries {
  daily: Map<string, Decimal>;
  unconverted: Decimal;
  currencies: Set<string>;
}

/**
 * The allocation read of one range and currency, shared by the budgets evaluated together (a list of
 * business unit and project budgets of one period reads the costs once).
 */
export type AllocationCache = Map<string, Promise<AllocationCostRow[]>>;

function cachedAllocation(tx: Queryable, cache: AllocationCache, fromDay: string, toDay: string, currency: string) {
  const key = `${fromDay}/${toDay}/${currency}`;
  let rows = cache.get(key);
  if (!rows) {
    rows = allocationCosts(tx, { fromDay, toDay, currency });
    cache.set(key, rows);
  }
  return rows;
}

/** Daily cost of a budget's scope over [fromDay, toDay), in its currency. */
async function scopeDaily(
  tx: Queryable,
  tenantId: string,
  budget: Pick<Budget, 'scope' | 'currency'>,
  range: { fromDay: string; toDay: string; now: Date },
  cache: AllocationCache
): Promise<DailySeries> {
  const { fromDay, toDay, now } = range;
  const series: DailySeries = { daily: new Map(), unconverted: new Decimal(0), currencies: new Set() };
  const { scope } = budget;
  if (scope.kind === 'business_unit' || scope.kind === 'project') {
    // Through allocation: tags, rules, and the shares of split (shared) costs.
    const rows = await cachedAllocation(tx, cache, fromDay, toDay, budget.currency);
    for (const day of allocateByAttribute(rows, ATTRIBUTE_BY_DIMENSION[scope.kind])) {
      const value = day.byValue.get(scope.value ?? '');
      if (value) series.daily.set(day.day, value);
    }
    const attribute = ATTRIBUTE_BY_DIMENSION[scope.kind];
    for (const row of rows) {
      if (row.day === null || row.unconverted.isZero()) continue;
      const outcome = row.outcome[attribute];
      const mine =
        outcome?.source === 'split' ? outcome.targets.includes(scope.value ?? '') : outcome?.value === scope.value;
      if (!mine) continue;
      series.unconverted = series.unconverted.plus(row.unconverted);
      for (const c of row.currencies) series.currencies.add(c);
    }
    return series;
  }
  const query: CostsQuery = { refId: 'budget', queryType: 'costs', granularity: 'day', filters: scopeFilters(scope) };
  const ctx = {
    tx,
    tenantId,
    from: dayStart(fromDay),
    to: dayStart(toDay),
    currency: budget.currency,
    now,
  };
  const { sql, params } = buildCostsSql(ctx, query, 'day');
  const rows = await tx.query<{
    t: Date;
    value: string | null;
    missing: string | null;
    missing_currencies: string[] | null;
  }>(sql, params);
  for (const row of rows) {
    if (row.value !== null) series.daily.set(reportingDay(row.t), new Decimal(row.value));
    if (row.missing !== null) {
      series.unconverted = series.unconverted.plus(row.missing);
      for (const c of row.missing_currencies ?? []) series.currencies.add(c);
    }
  }
  return series;
}

/** A budget's status as of `now`. Runs inside withTenant. */
export async function budgetStatus(
  tx: Queryable,
  tenantId: string,
  budget: Pick<Budget, 'amount' | 'currency' | 'period' | 'scope' | 'thresholds'>,
  now: Date,
  cache: AllocationCache = new Map()
): Promise<BudgetStatus> {
  const period = periodContaining(budget.period, now);
  const today = reportingDay(now);
  const historyStart = addDays(today, -BUDGET_HISTORY_DAYS);
  const fromDay = historyStart < period.start ? historyStart : period.start;
  const series = await scopeDaily(tx, tenantId, budget, { fromDay, toDay: addDays(today, 1), now }, cache);
  const figures = budgetFigures({
    amount: new Decimal(budget.amount),
    thresholds: budget.thresholds,
    period,
    today,
    daily: series.daily,
  });
  return {
    ...figures,
    unconverted: series.unconverted.isZero()
      ? null
      : { amount: series.unconverted.toString(), currencies: [...series.currencies].sort() },
  };
}
