/**
 * `allocation`: cost per value of an allocation attribute (business unit by default) over time — tags,
 * rules and the shares of split (shared) costs, with what is left "Unallocated" so the series add up
 * to the cost — or, with `view: coverage`, the allocated share of the cost over time. With granularity
 * `total` it is a table (value, cost, share): the MSP view of cost per business unit.
 */
import { Decimal } from 'decimal.js';
import {
  allocateByAttribute,
  ATTRIBUTE_BY_DIMENSION,
  coverageOf,
  percentOf,
  type AllocatedDay,
} from '../analytics/allocation.js';
import { bucketOfDay, daysOf } from '../analytics/periods.js';
import type { AllocationQuery, DataFrameJSON, FrameNotice } from '../contract/query.js';
import { allocationCosts } from '../storage/repositories/allocation.js';
import type { QueryContext } from './context.js';
import { currencyUnit, frame } from './frames.js';
import { resolveGranularity } from './time.js';

export const UNALLOCATED = 'Unallocated';
const OTHER = 'Other';

interface Series {
  value: string;
  total: Decimal;
  points: Map<number | null, Decimal>;
}

function add(map: Map<number | null, Decimal>, t: number | null, amount: Decimal) {
  map.set(t, (map.get(t) ?? new Decimal(0)).plus(amount));
}

function seriesOf(days: AllocatedDay[], bucket: 'day' | 'week' | 'month' | 'total'): Series[] {
  const byValue = new Map<string, Series>();
  const put = (value: string, t: number | null, amount: Decimal) => {
    const s = byValue.get(value) ?? { value, total: new Decimal(0), points: new Map() };
    s.total = s.total.plus(amount);
    add(s.points, t, amount);
    byValue.set(value, s);
  };
  for (const day of days) {
    const t = bucketOfDay(day.day, bucket);
    for (const [value, amount] of day.byValue) put(value, t, amount);
    if (!day.unallocated.isZero()) put(UNALLOCATED, t, day.unallocated);
  }
  return [...byValue.values()].sort((a, b) => b.total.comparedTo(a.total) || a.value.localeCompare(b.value));
}

/** The N largest values; the rest folded into "Other" (Unallocated always stays itself). */
function topN(series: Series[], n: number | undefined): Series[] {
  const values = series.filter((s) => s.value !== UNALLOCATED);
  const unallocated = series.filter((s) => s.value === UNALLOCATED);
  if (!n || values.length <= n) return series;
  const other: Series = { value: OTHER, total: new Decimal(0), points: new Map() };
  for (const s of values.slice(n)) {
    other.total = other.total.plus(s.total);
    for (const [t, v] of s.points) add(other.points, t, v);
  }
  return [...values.slice(0, n), other, ...unallocated];
}

function notices(currencies: string[], currency: string): FrameNotice[] {
  if (currencies.length === 0) return [];
  return [
    {
      severity: 'warning',
      text: `Costs in ${currencies.join(', ')} have no exchange rate to ${currency} for some days and are not included.`,
    },
  ];
}

export async function runAllocation(ctx: QueryContext, q: AllocationQuery): Promise<DataFrameJSON[]> {
  const dimension = q.dimension ?? 'business_unit';
  const resolved = resolveGranularity(q.granularity, ctx.from, ctx.to, ctx.intervalMs, ctx.maxDataPoints);
  // Allocation is daily (the rollup's grain): hours are shown as days.
  const bucket = resolved === 'hour' ? 'day' : resolved;
  const rows = await allocationCosts(ctx.tx, {
    ...daysOf(ctx.from, ctx.to),
    currency: ctx.currency,
    filters: q.filters,
  });
  const attribute = ATTRIBUTE_BY_DIMENSION[dimension];
  const days = allocateByAttribute(rows, attribute);
  const coverage = coverageOf(rows);
  const frameNotices = notices(coverage.currencies, ctx.currency);
  const money = { unit: currencyUnit(ctx.currency), decimals: 2 };
  const custom = { dimension, granularity: bucket, currency: ctx.currency };

  if (q.view === 'coverage') {
    const totals = new Map<number | null, Decimal>();
    const allocated = new Map<number | null, Decimal>();
    for (const day of days) {
      const t = bucketOfDay(day.day, bucket);
      add(totals, t, day.total);
      add(allocated, t, day.total.minus(day.unallocated));
    }
    const ts = [...totals.keys()].sort((a, b) => (a ?? 0) - (b ?? 0));
    return [
      frame(
        q.refId,
        [
          ...(bucket === 'total' ? [] : [{ name: 'time', type: 'time' as const, values: ts }]),
          {
            name: 'coverage_percent',
            type: 'number',
            values: ts.map((t) => percentOf(allocated.get(t)!, totals.get(t)!)),
            config: { unit: 'percent', decimals: 1, min: 0, max: 100, displayNameFromDS: `${dimension} coverage` },
          },
          {
            name: 'allocated',
            type: 'number',
            values: ts.map((t) => allocated.get(t)!.toNumber()),
            config: { ...money, custom: { hideFrom: { viz: true, legend: true, tooltip: false } } },
          },
          {
            name: 'total',
            type: 'number',
            values: ts.map((t) => totals.get(t)!.toNumber()),
            config: { ...money, custom: { hideFrom: { viz: true, legend: true, tooltip: false } } },
          },
        ],
        { name: 'coverage', notices: frameNotices, custom }
      ),
    ];
  }

  const series = topN(seriesOf(days, bucket), q.topN);
  if (bucket === 'total') {
    return [
      frame(
        q.refId,
        [
          { name: dimension, type: 'string', values: series.map((s) => s.value) },
          { name: 'cost', type: 'number', values: series.map((s) => s.total.toNumber()), config: money },
          {
            name: 'share_percent',
            type: 'number',
            values: series.map((s) => percentOf(s.total, coverage.total)),
            config: { unit: 'percent', decimals: 1 },
          },
        ],
        { name: 'allocation', notices: frameNotices, visualisation: 'table', custom }
      ),
    ];
  }
  if (series.length === 0) {
    return [
      frame(
        q.refId,
        [
          { name: 'time', type: 'time', values: [] },
          { name: 'cost', type: 'number', values: [], config: money },
        ],
        { name: 'allocation', notices: frameNotices, custom }
      ),
    ];
  }
  return series.map((s, index) => {
    const points = [...s.points.entries()].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    return frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: points.map(([t]) => t) },
        {
          name: 'cost',
          type: 'number',
          values: points.map(([, v]) => v.toNumber()),
          labels: { [dimension]: s.value },
          config: { ...money, displayNameFromDS: s.value },
        },
      ],
      { name: s.value, notices: index === 0 ? frameNotices : undefined, custom }
    );
  });
}
