/**
 * `forecast`: the daily cost forecast per scope for the rest of this month and the next three months.
 * `daily` view: one frame per scope with the actual cost to date and the forecast with its 95 % bounds
 * (the forecast starts at the last actual day, so the two lines join). `periods` view: one table row per
 * scope and month — this month is actual to date plus the forecast of its remaining days.
 */
import { Decimal } from 'decimal.js';
import type { DataFrameJSON, DimensionFilter, ForecastQuery, FrameNotice } from '../contract/query.js';
import { addDays, fitForecast, forecastSum, type ForecastFit } from '../analytics/forecast.js';
import { loadScopeHistories, reportingDay, type ScopeHistory } from '../analytics/history.js';
import type { DailyCostFilter } from '../storage/repositories/daily-costs.js';
import type { QueryContext } from './context.js';
import { currencyUnit, frame, type Column } from './frames.js';

/** The reporting time zone is Moscow (UTC+3 all year): a day starts at 21:00 UTC the day before. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00+03:00`);

export interface ForecastPeriod {
  label: string;
  first: string;
  last: string;
}

/** This month and the next three, as calendar days of the reporting time zone. */
export function forecastPeriods(today: string): ForecastPeriod[] {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return [0, 1, 2, 3].map((offset) => {
    const first = new Date(Date.UTC(year, month - 1 + offset, 1));
    const last = new Date(Date.UTC(year, month + offset, 0));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    return { label: iso(first).slice(0, 7), first: iso(first), last: iso(last) };
  });
}

const FILTERABLE: Record<string, keyof DailyCostFilter> = {
  provider: 'providers',
  connection: 'connectionIds',
  service: 'services',
};

function costFilter(filters: DimensionFilter[] | undefined, notices: FrameNotice[]): DailyCostFilter {
  const out: DailyCostFilter = {};
  for (const f of filters ?? []) {
    if (f.values.length === 0) continue;
    const key = FILTERABLE[f.dimension];
    if (!key || f.op !== 'include') {
      notices.push({ severity: 'warning', text: `forecast ignores the ${f.op} filter on ${f.dimension}` });
      continue;
    }
    out[key] = [...(out[key] ?? []), ...f.values];
  }
  return out;
}

interface ScopeForecast {
  history: ScopeHistory;
  label: string;
  fit: ForecastFit;
}

const num = (d: Decimal) => d.toNumber();

export async function runForecast(ctx: QueryContext, q: ForecastQuery): Promise<DataFrameJSON[]> {
  const scope = q.scope ?? 'tenant';
  const notices: FrameNotice[] = [];
  const filter = costFilter(q.filters, notices);
  if (q.scopeValue !== undefined && scope !== 'tenant') {
    const key = FILTERABLE[scope]!;
    filter[key] = [q.scopeValue];
  }
  const today = reportingDay(ctx.now);
  const periods = forecastPeriods(today);
  const horizonEnd = periods[periods.length - 1]!.last;
  const histories = await loadScopeHistories(ctx.tx, { scope, currency: ctx.currency, now: ctx.now, filter });
  const labels = scope === 'connection' ? await connectionNames(ctx) : new Map<string, string>();
  // The largest scopes first (by their last 30 days), as many as asked for.
  const recent = (h: ScopeHistory) => h.days.slice(-30).reduce((a, d) => a.plus(d.amount), new Decimal(0));
  const forecasts: ScopeForecast[] = histories
    .sort((a, b) => recent(b).cmp(recent(a)))
    .slice(0, q.scopeValue ? 1 : (q.limit ?? 10))
    .map((history) => ({
      history,
      label: scope === 'tenant' ? 'Total' : (labels.get(history.key) ?? (history.key || '(none)')),
      fit: fitForecast(history.days, Math.max(0, daysBetween(history.lastDay, horizonEnd))),
    }));
  for (const f of forecasts) {
    if (f.history.unconverted.gt(0)) {
      notices.push({
        severity: 'warning',
        text: `${f.label}: ${f.history.unconverted.toFixed(2)} in other currencies has no rate to ${ctx.currency} and is not forecast`,
      });
    }
  }
  const custom = { scope, today, method: Object.fromEntries(forecasts.map((f) => [f.label, f.fit.method])) };
  return q.view === 'periods'
    ? [periodsFrame(ctx, q, forecasts, periods, notices, custom)]
    : dailyFrames(ctx, q, forecasts, notices, custom);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

async function connectionNames(ctx: QueryContext): Promise<Map<string, string>> {
  const rows = await ctx.tx.query<{ id: string; name: string }>(`SELECT id::text, name FROM connections`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function dailyFrames(
  ctx: QueryContext,
  q: ForecastQuery,
  forecasts: ScopeForecast[],
  notices: FrameNotice[],
  custom: Record<string, unknown>
): DataFrameJSON[] {
  const money = { unit: currencyUnit(ctx.currency), decimals: 2 };
  const fromDay = reportingDay(ctx.from);
  if (forecasts.length === 0) {
    return [
      frame(
        q.refId,
        ['time', 'actual', 'forecast', 'lower', 'upper'].map((name) => ({
          name,
          type: name === 'time' ? 'time' : 'number',
          values: [],
          ...(name === 'time' ? {} : { config: money }),
        })),
        { name: 'forecast', notices, custom }
      ),
    ];
  }
  return forecasts.map((f, index) => {
    const actual = f.history.days.filter((d) => d.day >= fromDay);
    const last = f.history.days[f.history.days.length - 1]!;
    const time: number[] = [];
    const values: Record<'actual' | 'forecast' | 'lower' | 'upper', (number | null)[]> = {
      actual: [],
      forecast: [],
      lower: [],
      upper: [],
    };
    for (const d of actual) {
      time.push(dayStart(d.day));
      values.actual.push(num(d.amount));
      // The forecast line starts on the last actual day so the two join.
      const join = d.day === last.day ? num(d.amount) : null;
      values.forecast.push(join);
      values.lower.push(join);
      values.upper.push(join);
    }
    for (const p of f.fit.points) {
      time.push(dayStart(p.day));
      values.actual.push(null);
      values.forecast.push(num(p.value));
      values.lower.push(num(p.lower));
      values.upper.push(num(p.upper));
    }
    const labels = q.scope && q.scope !== 'tenant' ? { [q.scope]: f.label } : undefined;
    const columns: Column[] = [
      { name: 'time', type: 'time', values: time },
      ...(['actual', 'forecast', 'lower', 'upper'] as const).map((name) => ({
        name,
        type: 'number' as const,
        values: values[name],
        labels,
        config: { ...money, displayNameFromDS: forecasts.length > 1 ? `${f.label} ${name}` : name },
      })),
    ];
    return frame(q.refId, columns, {
      name: f.label,
      notices: index === 0 ? notices : undefined,
      custom: { ...custom, lastActualDay: f.history.lastDay, model: modelOf(f.fit) },
    });
  });
}

function periodsFrame(
  ctx: QueryContext,
  q: ForecastQuery,
  forecasts: ScopeForecast[],
  periods: ForecastPeriod[],
  notices: FrameNotice[],
  custom: Record<string, unknown>
): DataFrameJSON {
  const rows: { scope: string; period: ForecastPeriod; actual: Decimal; total: ForecastTotals }[] = [];
  for (const f of forecasts) {
    for (const period of periods) {
      const actual = f.history.days
        .filter((d) => d.day >= period.first && d.day <= period.last)
        .reduce((a, d) => a.plus(d.amount), new Decimal(0));
      const rest = forecastSum(
        f.fit,
        addDays(f.history.lastDay, 1) > period.first ? addDays(f.history.lastDay, 1) : period.first,
        period.last
      );
      rows.push({
        scope: f.label,
        period,
        actual,
        total: { value: actual.plus(rest.value), lower: actual.plus(rest.lower), upper: actual.plus(rest.upper) },
      });
    }
  }
  const money = { unit: currencyUnit(ctx.currency), decimals: 2 };
  return frame(
    q.refId,
    [
      { name: 'scope', type: 'string', values: rows.map((r) => r.scope) },
      { name: 'period', type: 'string', values: rows.map((r) => r.period.label) },
      { name: 'time', type: 'time', values: rows.map((r) => dayStart(r.period.first)) },
      { name: 'actual', type: 'number', values: rows.map((r) => num(r.actual)), config: money },
      { name: 'forecast', type: 'number', values: rows.map((r) => num(r.total.value)), config: money },
      { name: 'lower', type: 'number', values: rows.map((r) => num(r.total.lower)), config: money },
      { name: 'upper', type: 'number', values: rows.map((r) => num(r.total.upper)), config: money },
    ],
    { name: 'forecast periods', notices, visualisation: 'table', custom }
  );
}

interface ForecastTotals {
  value: Decimal;
  lower: Decimal;
  upper: Decimal;
}

function modelOf(fit: ForecastFit) {
  return {
    method: fit.method,
    historyDays: fit.historyDays,
    sigma: Math.round(fit.sigma * 100) / 100,
    ...(fit.method === 'holt_winters' ? { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma } : {}),
  };
}
