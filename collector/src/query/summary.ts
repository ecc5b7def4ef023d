/**
 * `cost_summary`: the KPI row a CFO reads first — month to date against the same days of last month,
 * the month-end forecast at the current run rate, what is running, and what could be saved.
 * Months are reporting-time-zone months; amounts in the reporting currency (rates as in `costs`).
 */
import type { CostSummaryQuery, DataFrameJSON } from '../contract/query.js';
import { filterSql, Params, COST_RESOURCE_JOIN } from './dimensions.js';
import { currencyUnit, frame } from './frames.js';
import type { QueryContext } from './context.js';
import { REPORT_TIME_ZONE } from './time.js';

interface SummaryRow {
  mtd: string | null;
  last_period: string | null;
  last_month_total: string | null;
  days_elapsed: number;
  days_in_month: number;
  active_resources: number;
  providers: number;
  savings: string | null;
  budget: string | null;
}

export async function runCostSummary(ctx: QueryContext, q: CostSummaryQuery): Promise<DataFrameJSON[]> {
  const params = new Params();
  const now = params.add(ctx.now);
  const cur = params.add(ctx.currency);
  const filters = filterSql(q.filters, params);
  const needsResource = filters.some((f) => /\br\./.test(f));
  const where = filters.length ? `AND ${filters.join(' AND ')}` : '';
  const tz = `'${REPORT_TIME_ZONE}'`;
  const sql = `
    WITH bounds AS (
      SELECT date_trunc('month', ${now}::timestamptz AT TIME ZONE ${tz}) AS month_local,
             ${now}::timestamptz AT TIME ZONE ${tz} AS now_local
    ), b AS (
      SELECT month_local AT TIME ZONE ${tz} AS month_start,
             (month_local - interval '1 month') AT TIME ZONE ${tz} AS prev_start,
             -- The same share of last month: as many days (and hours) as have passed this month.
             (month_local - interval '1 month' + (now_local - month_local)) AT TIME ZONE ${tz} AS prev_same,
             ${now}::timestamptz AS now_ts,
             extract(epoch FROM now_local - month_local) / 86400 AS days_elapsed,
             extract(day FROM month_local + interval '1 month' - interval '1 day') AS days_in_month
      FROM bounds
    ), costs AS (
      SELECT cd.day, CASE WHEN cd.billing_currency = ${cur} THEN cd.effective_cost ELSE cd.effective_cost * (
          SELECT f.rate FROM fx_rates f WHERE f.from_currency = cd.billing_currency AND f.to_currency = ${cur}
            AND f.rate_date <= (cd.day AT TIME ZONE ${tz})::date ORDER BY f.rate_date DESC LIMIT 1) END AS cost
      FROM tenant_cost_daily cd ${needsResource ? COST_RESOURCE_JOIN : ''}
      , b WHERE cd.day >= b.prev_start AND cd.day < b.now_ts ${where}
    )
    SELECT
      (SELECT sum(cost) FROM costs, b WHERE day >= b.month_start) AS mtd,
      (SELECT sum(cost) FROM costs, b WHERE day >= b.prev_start AND day < b.prev_same) AS last_period,
      (SELECT sum(cost) FROM costs, b WHERE day >= b.prev_start AND day < b.month_start) AS last_month_total,
      (SELECT days_elapsed FROM b)::float8 AS days_elapsed,
      (SELECT days_in_month FROM b)::int AS days_in_month,
      (SELECT count(*)::int FROM resources WHERE active AND status <> 'DELETED') AS active_resources,
      (SELECT count(DISTINCT provider)::int FROM connections WHERE deleted_at IS NULL) AS providers,
      (SELECT sum(estimated_monthly_savings) FROM recommendations WHERE status = 'open' AND currency = ${cur}) AS savings,
      (SELECT sum(amount) FROM budgets WHERE period = 'monthly' AND currency = ${cur}
         AND (starts_on IS NULL OR starts_on <= (SELECT now_ts FROM b)::date)
         AND (ends_on IS NULL OR ends_on >= (SELECT now_ts FROM b)::date)) AS budget`;
  const [row] = await ctx.tx.query<SummaryRow>(sql, params.values);
  const mtd = Number(row?.mtd ?? 0);
  const last = row?.last_period === null || row?.last_period === undefined ? null : Number(row.last_period);
  const elapsed = row?.days_elapsed ?? 0;
  // Run-rate forecast; the analytics issue replaces it with a seasonal model.
  const forecast = elapsed > 0 ? (mtd / elapsed) * (row?.days_in_month ?? 30) : null;
  const change = last && last !== 0 ? ((mtd - last) / last) * 100 : null;
  const budget = row?.budget === null || row?.budget === undefined ? null : Number(row.budget);
  const money = { unit: currencyUnit(ctx.currency), decimals: 2 };
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return [
    frame(
      q.refId,
      [
        {
          name: 'month_to_date',
          type: 'number',
          values: [round(mtd)],
          config: { ...money, displayName: 'Month to date' },
        },
        {
          name: 'last_month_same_period',
          type: 'number',
          values: [round(last)],
          config: { ...money, displayName: 'Last month, same period' },
        },
        {
          name: 'change_percent',
          type: 'number',
          values: [round(change)],
          config: { unit: 'percent', decimals: 1, displayName: 'Change' },
        },
        {
          name: 'forecast_month_end',
          type: 'number',
          values: [round(forecast)],
          config: { ...money, displayName: 'Forecast, month end' },
        },
        {
          name: 'last_month_total',
          type: 'number',
          values: [round(Number(row?.last_month_total ?? 0))],
          config: { ...money, displayName: 'Last month' },
        },
        {
          name: 'active_resources',
          type: 'number',
          values: [row?.active_resources ?? 0],
          config: { unit: 'none', displayName: 'Active resources' },
        },
        {
          name: 'connected_providers',
          type: 'number',
          values: [row?.providers ?? 0],
          config: { unit: 'none', displayName: 'Connected providers' },
        },
        {
          name: 'potential_savings',
          type: 'number',
          values: [round(row?.savings ? Number(row.savings) : 0)],
          config: { ...money, displayName: 'Potential savings / month' },
        },
        {
          name: 'budget_used_percent',
          type: 'number',
          values: [budget ? round((mtd / budget) * 100) : null],
          config: { unit: 'percent', decimals: 1, displayName: 'Budget used' },
        },
      ],
      { name: 'cost_summary', custom: { currency: ctx.currency } }
    ),
  ];
}
