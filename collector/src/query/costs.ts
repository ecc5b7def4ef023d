/**
 * `costs`: cost over time or in total, grouped and filtered by whitelisted dimensions, in the reporting
 * currency. Day and coarser buckets read the daily rollup; hours read the raw billing lines. Amounts are
 * first summed per (bucket, group, currency, day) in numeric, then converted with the fx rate valid on
 * that day — amounts without a rate are not dropped silently: they are reported in a frame notice.
 */
import { Decimal } from 'decimal.js';
import type { CostsQuery, DataFrameJSON, FrameNotice } from '../contract/query.js';
import { dimensionSql, filterSql, Params, type DimensionSql, COST_RESOURCE_JOIN } from './dimensions.js';
import { currencyUnit, epoch, frame, moneyValue, type Column } from './frames.js';
import type { QueryContext } from './context.js';
import { bucketSql, REPORT_TIME_ZONE, resolveGranularity, type Bucket } from './time.js';

interface CostRow {
  t: Date | null;
  value: string | null;
  missing: string | null;
  missing_currencies: string[] | null;
  [key: string]: unknown;
}

const OTHER = 'Other';

export function buildCostsSql(ctx: QueryContext, q: CostsQuery, bucket: Bucket) {
  const params = new Params();
  const metric = q.metric ?? 'effective_cost';
  const hourly = bucket === 'hour';
  const timeCol = hourly ? 'cd.charge_period_start' : 'cd.day';
  const dims: DimensionSql[] = (q.groupBy ?? []).map((key) => dimensionSql(key, params));
  const byCurrency = (q.groupBy ?? []).includes('currency');
  const where = [
    // Daily buckets start at the reporting day containing `from`.
    hourly
      ? `${timeCol} >= ${params.add(ctx.from)}`
      : `${timeCol} >= (date_trunc('day', ${params.add(ctx.from)}::timestamptz AT TIME ZONE '${REPORT_TIME_ZONE}') AT TIME ZONE '${REPORT_TIME_ZONE}')`,
    `${timeCol} < ${params.add(ctx.to)}`,
    ...filterSql(q.filters, params),
  ];
  // Bound only when used: PostgreSQL refuses parameters it cannot type.
  const currency = byCurrency ? '' : params.add(ctx.currency);
  const sqlText = [...dims.flatMap((d) => [d.value, d.label]), ...where].join(' ');
  const joins = [
    /\br\./.test(sqlText) ? COST_RESOURCE_JOIN : '',
    /\bc\./.test(sqlText) ? 'LEFT JOIN connections c ON c.id = cd.connection_id' : '',
  ].join('\n');
  const dimCols = dims.map((d, i) => `${d.value} AS v${i}, ${d.label} AS l${i}`);
  const dimRefs = dims.flatMap((_, i) => [`v${i}`, `l${i}`]);
  const source = hourly ? 'cost_records cd' : 'tenant_cost_daily cd';
  // Grouped by the stored time column, not by the bucket: t and d are functions of it, so they are
  // computed once per group instead of once per row (per-row time-zone arithmetic was about half the
  // time of a 13-month query on the rollup); the outer GROUP BY t adds up each bucket's groups.
  const sql = `
    WITH base AS (
      SELECT ${bucketSql(bucket, timeCol)} AS t, ${[...dimCols, 'cd.billing_currency::text AS cur'].join(', ')},
        (${timeCol} AT TIME ZONE '${REPORT_TIME_ZONE}')::date AS d, sum(cd.${metric}) AS amount
      FROM ${source}
      ${joins}
      WHERE ${where.join(' AND ')}
      GROUP BY ${[timeCol, ...dimRefs, 'cur'].join(', ')}
    ), conv AS (
      SELECT b.*, ${
        byCurrency
          ? 'b.amount'
          : `CASE WHEN b.cur = ${currency} THEN b.amount ELSE b.amount * (
              SELECT f.rate FROM fx_rates f WHERE f.from_currency = b.cur AND f.to_currency = ${currency}
                AND f.rate_date <= b.d ORDER BY f.rate_date DESC LIMIT 1) END`
      } AS converted
      FROM base b
    )
    SELECT ${['t', ...dimRefs].join(', ')}, sum(converted) AS value,
      sum(amount) FILTER (WHERE converted IS NULL) AS missing,
      array_agg(DISTINCT cur) FILTER (WHERE converted IS NULL) AS missing_currencies
    FROM conv
    GROUP BY ${['t', ...dimRefs].join(', ')}
    ORDER BY t NULLS FIRST`;
  return { sql, params: params.values, dims, byCurrency };
}

export async function runCosts(ctx: QueryContext, q: CostsQuery): Promise<DataFrameJSON[]> {
  const bucket = resolveGranularity(q.granularity, ctx.from, ctx.to, ctx.intervalMs, ctx.maxDataPoints);
  const { sql, params, dims, byCurrency } = buildCostsSql(ctx, q, bucket);
  const rows = await ctx.tx.query<CostRow>(sql, params);
  const notices = missingRateNotices(rows, ctx.currency);
  const groups = groupRows(rows, dims.length, q.topN);
  const unitFor = (labels: string[]) => {
    const i = (q.groupBy ?? []).indexOf('currency');
    return currencyUnit(byCurrency && i >= 0 ? labels[i]! : ctx.currency);
  };
  const metricName = q.metric ?? 'effective_cost';
  const custom = { granularity: bucket, currency: byCurrency ? 'original' : ctx.currency, metric: metricName };

  if (bucket === 'total') {
    const columns: Column[] = dims.map((d, i) => ({
      name: d.key,
      type: 'string',
      values: groups.map((g) => g.labels[i]),
    }));
    if (dims.some((d) => d.key === 'resource')) {
      const i = dims.findIndex((d) => d.key === 'resource');
      columns.push({ name: 'resource_id', type: 'string', values: groups.map((g) => g.values[i]) });
    }
    columns.push({
      name: 'cost',
      type: 'number',
      // One point per group in a total; null (not 0) when nothing in it could be converted.
      values: groups.map((g) => (g.points.some((p) => p.value !== null) ? g.total : null)),
      // Grouped by currency, each row has its own currency (in the currency column): no single unit.
      config: byCurrency
        ? { displayName: 'Cost', decimals: 2 }
        : { unit: currencyUnit(ctx.currency), displayName: 'Cost', decimals: 2 },
    });
    return [frame(q.refId, columns, { name: 'costs', notices, visualisation: 'table', custom })];
  }

  if (groups.length === 0) {
    return [
      frame(
        q.refId,
        [
          { name: 'time', type: 'time', values: [] },
          {
            name: 'cost',
            type: 'number',
            values: [],
            config: { unit: currencyUnit(ctx.currency), displayName: 'Cost' },
          },
        ],
        { name: 'costs', notices, custom }
      ),
    ];
  }
  return groups.map((g, index) => {
    const labels = Object.fromEntries(dims.map((d, i) => [d.key, g.labels[i]!]));
    const display = dims.length ? g.labels.join(' / ') : 'Cost';
    return frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: g.points.map((p) => p.t) },
        {
          name: 'cost',
          type: 'number',
          values: g.points.map((p) => p.value),
          labels: dims.length ? labels : undefined,
          config: { unit: unitFor(g.labels), displayNameFromDS: display, decimals: 2 },
        },
      ],
      // Notices once, on the first frame: Grafana shows them per query.
      { name: display, notices: index === 0 ? notices : undefined, custom }
    );
  });
}

interface Group {
  values: string[];
  labels: string[];
  /** Sum over the range, to the kopeck; summed as decimals (the frame shows it as a number). */
  total: number;
  points: { t: number | null; value: number | null }[];
}

interface Accumulating extends Omit<Group, 'total'> {
  sum: Decimal;
  exact: Map<number | null, Decimal>;
}

const decimalOf = (value: unknown) => (value === null || value === undefined ? null : new Decimal(String(value)));

/**
 * One group per distinct dimension values; with topN, the rest folds into "Other" per bucket. Totals and
 * the "Other" buckets are summed as decimals from the database's numeric strings, so a total is the exact
 * sum of its lines; only the final values become numbers, for the frame.
 */
export function groupRows(rows: CostRow[], dimCount: number, topN?: number): Group[] {
  const byKey = new Map<string, Accumulating>();
  for (const row of rows) {
    const values = Array.from({ length: dimCount }, (_, i) => String(row[`v${i}`] ?? ''));
    const labels = Array.from({ length: dimCount }, (_, i) => String(row[`l${i}`] ?? '') || '(none)');
    const key = values.join('\u0000');
    let group = byKey.get(key);
    if (!group) {
      group = { values, labels, sum: new Decimal(0), points: [], exact: new Map() };
      byKey.set(key, group);
    }
    const t = epoch(row.t);
    const exact = decimalOf(row.value);
    group.points.push({ t, value: moneyValue(row.value) });
    if (exact) {
      group.sum = group.sum.plus(exact);
      group.exact.set(t, (group.exact.get(t) ?? new Decimal(0)).plus(exact));
    }
  }
  const groups = [...byKey.values()].sort((a, b) => b.sum.comparedTo(a.sum));
  const finish = (g: Accumulating): Group => ({
    values: g.values,
    labels: g.labels,
    points: g.points,
    total: g.sum.toDecimalPlaces(2).toNumber(),
  });
  if (!topN || groups.length <= topN) return groups.map(finish);
  const other: Accumulating = {
    values: Array(dimCount).fill(OTHER),
    labels: Array(dimCount).fill(OTHER),
    sum: new Decimal(0),
    points: [],
    exact: new Map(),
  };
  for (const g of groups.slice(topN)) {
    other.sum = other.sum.plus(g.sum);
    for (const [t, v] of g.exact) other.exact.set(t, (other.exact.get(t) ?? new Decimal(0)).plus(v));
  }
  other.points = [...other.exact.entries()]
    .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))
    .map(([t, value]) => ({ t, value: value.toNumber() }));
  return [...groups.slice(0, topN).map(finish), finish(other)];
}

function missingRateNotices(rows: CostRow[], currency: string): FrameNotice[] {
  const currencies = new Set<string>();
  let count = 0;
  for (const row of rows) {
    if (row.missing === null) continue;
    count++;
    for (const c of row.missing_currencies ?? []) currencies.add(c);
  }
  if (count === 0) return [];
  return [
    {
      severity: 'warning',
      text:
        `Costs in ${[...currencies].sort().join(', ')} have no exchange rate to ${currency} for some days and are not ` +
        `included in these totals. Add rates to fx_rates, or group by currency to see them in their own currency.`,
    },
  ];
}
