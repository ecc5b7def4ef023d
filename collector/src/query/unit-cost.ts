/**
 * `unit_cost`: cost per unit over time — the cost in each bucket (the `costs` query's figure, same
 * filters and currency) divided by the unit metric's value in that bucket (summed by default). Null
 * where the metric has no value (or zero) or there is no cost data. One series per metric; with
 * granularity `total`, a table.
 */
import { Decimal } from 'decimal.js';
import { dayStart } from '../analytics/periods.js';
import { reportingDay } from '../analytics/history.js';
import type { DataFrameJSON, UnitCostQuery } from '../contract/query.js';
import { unitMetricBuckets } from '../storage/repositories/unit-metrics.js';
import type { QueryContext } from './context.js';
import { buildCostsSql } from './costs.js';
import { currencyUnit, epoch, frame } from './frames.js';
import { bucketSql, resolveGranularity } from './time.js';

/** Shown in tables, kept out of the time series plot. */
const HIDDEN = { custom: { hideFrom: { viz: true, legend: true, tooltip: false } } };

/** Unit cost with six decimals: a rouble per thousand requests still shows. */
const divide = (cost: Decimal | undefined, units: Decimal | undefined) =>
  cost && units && !units.isZero() ? cost.dividedBy(units).toDecimalPlaces(6).toNumber() : null;

export async function runUnitCost(ctx: QueryContext, q: UnitCostQuery): Promise<DataFrameJSON[]> {
  const bucket = resolveGranularity(q.granularity, ctx.from, ctx.to, ctx.intervalMs, ctx.maxDataPoints);
  const costSql = buildCostsSql(
    ctx,
    { refId: q.refId, queryType: 'costs', granularity: bucket, filters: q.filters },
    bucket
  );
  const costRows = await ctx.tx.query<{ t: Date | null; value: string | null }>(costSql.sql, costSql.params);
  const cost = new Map<number | null, Decimal>();
  for (const row of costRows) if (row.value !== null) cost.set(epoch(row.t), new Decimal(row.value));

  // Day and coarser cost buckets start at the reporting day containing `from`: so do the metric's.
  const from = bucket === 'hour' ? ctx.from : dayStart(reportingDay(ctx.from));
  const metricRows = await unitMetricBuckets(ctx.tx, {
    bucketExpr: bucketSql(bucket, 'ts'),
    aggregate: q.aggregation ?? 'sum',
    from,
    to: ctx.to,
    names: q.metric ? [q.metric] : undefined,
  });
  const metrics = new Map<string, { unit: string | null; units: Map<number | null, Decimal> }>();
  for (const row of metricRows) {
    const m = metrics.get(row.name) ?? { unit: row.unit, units: new Map() };
    m.units.set(epoch(row.t), new Decimal(row.value));
    metrics.set(row.name, m);
  }
  const money = { unit: currencyUnit(ctx.currency), decimals: 2 };
  const custom = { granularity: bucket, currency: ctx.currency, aggregation: q.aggregation ?? 'sum' };

  if (bucket === 'total') {
    const names = [...metrics.keys()];
    const total = cost.get(null);
    return [
      frame(
        q.refId,
        [
          { name: 'metric', type: 'string', values: names },
          { name: 'unit', type: 'string', values: names.map((n) => metrics.get(n)!.unit) },
          { name: 'cost', type: 'number', values: names.map(() => total?.toNumber() ?? null), config: money },
          {
            name: 'units',
            type: 'number',
            values: names.map((n) => metrics.get(n)!.units.get(null)?.toNumber() ?? null),
          },
          {
            name: 'unit_cost',
            type: 'number',
            values: names.map((n) => divide(total, metrics.get(n)!.units.get(null))),
            config: { unit: currencyUnit(ctx.currency), decimals: 4 },
          },
        ],
        { name: 'unit_cost', visualisation: 'table', custom }
      ),
    ];
  }
  if (metrics.size === 0) {
    return [
      frame(
        q.refId,
        [
          { name: 'time', type: 'time', values: [] },
          { name: 'unit_cost', type: 'number', values: [], config: money },
        ],
        {
          name: 'unit_cost',
          notices: [
            { severity: 'info', text: 'No unit metrics in this range: push them to POST /api/v1/unit-metrics.' },
          ],
          custom,
        }
      ),
    ];
  }
  return [...metrics.entries()].map(([name, m]) => {
    const times = [...new Set([...cost.keys(), ...m.units.keys()])].sort((a, b) => (a ?? 0) - (b ?? 0));
    const per = m.unit ?? name;
    return frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: times },
        {
          name: 'unit_cost',
          type: 'number',
          values: times.map((t) => divide(cost.get(t), m.units.get(t))),
          labels: { metric: name },
          config: { unit: currencyUnit(ctx.currency), decimals: 4, displayNameFromDS: `${ctx.currency} per ${per}` },
        },
        {
          name: 'cost',
          type: 'number',
          values: times.map((t) => cost.get(t)?.toNumber() ?? null),
          config: { ...money, ...HIDDEN },
        },
        { name: 'units', type: 'number', values: times.map((t) => m.units.get(t)?.toNumber() ?? null), config: HIDDEN },
      ],
      { name, custom: { ...custom, metric: name, unit: m.unit } }
    );
  });
}
