/** `utilization`: CPU and memory (avg / max / p95) from the hourly metric rollup, per resource or overall. */
import type { DataFrameJSON, UtilizationQuery } from '../contract/query.js';
import type { QueryContext } from './context.js';
import { Params, scopeFilterSql } from './dimensions.js';
import { epoch, frame } from './frames.js';
import { bucketSql, resolveGranularity } from './time.js';

const METRIC = { cpu: 'cpu_utilization', memory: 'memory_utilization' } as const;
const AGGREGATE = {
  avg: 'sum(m.avg_value * m.samples) / nullif(sum(m.samples), 0)',
  max: 'max(m.max_value)',
  p95: 'max(m.p95_value)',
} as const;

interface Row {
  t: Date | null;
  g: string | null;
  label: string | null;
  value: number | null;
}

export async function runUtilization(ctx: QueryContext, q: UtilizationQuery): Promise<DataFrameJSON[]> {
  const params = new Params();
  let bucket = resolveGranularity(q.granularity, ctx.from, ctx.to, ctx.intervalMs, ctx.maxDataPoints);
  if (bucket === 'total') bucket = 'day';
  const metric = METRIC[q.metric ?? 'cpu'];
  const aggregation = q.aggregation ?? 'avg';
  const group = q.groupBy?.[0];
  const groupSql =
    group === 'resource'
      ? { g: "m.connection_id::text || '/' || m.resource_id", label: 'coalesce(r.name, m.resource_id)' }
      : group === 'connection'
        ? { g: 'm.connection_id::text', label: 'coalesce(c.name, m.connection_id::text)' }
        : group === 'provider'
          ? { g: 'c.provider', label: 'c.provider' }
          : { g: "''", label: "''" };
  const where = [
    `m.metric = ${params.add(metric)}`,
    `m.hour >= ${params.add(ctx.from)}`,
    `m.hour < ${params.add(ctx.to)}`,
    ...(q.resourceIds?.length ? [`m.resource_id = ANY(${params.add(q.resourceIds)}::text[])`] : []),
    ...scopeFilterSql(q.filters, params, { connection: 'm.connection_id', provider: 'c.provider' }),
  ];
  const rows = await ctx.tx.query<Row>(
    `SELECT ${bucketSql(bucket, 'm.hour')} AS t, ${groupSql.g} AS g, ${groupSql.label} AS label,
       (${AGGREGATE[aggregation]})::float8 AS value
     FROM tenant_metrics_hourly m
     LEFT JOIN connections c ON c.id = m.connection_id
     LEFT JOIN resources r ON r.connection_id = m.connection_id AND r.provider_resource_id = m.resource_id
     WHERE ${where.join(' AND ')}
     GROUP BY 1, 2, 3 ORDER BY 1`,
    params.values
  );
  const series = new Map<string, { label: string; t: number[]; v: (number | null)[]; peak: number }>();
  for (const row of rows) {
    const key = row.g ?? '';
    const s = series.get(key) ?? {
      label: row.label || (q.metric === 'memory' ? 'Memory' : 'CPU'),
      t: [],
      v: [],
      peak: 0,
    };
    s.t.push(epoch(row.t)!);
    s.v.push(row.value === null ? null : Math.round(row.value * 100) / 100);
    s.peak = Math.max(s.peak, row.value ?? 0);
    series.set(key, s);
  }
  let list = [...series.values()].sort((a, b) => b.peak - a.peak);
  if (q.topN) list = list.slice(0, q.topN);
  const notices =
    rows.length === 0 && q.metric === 'memory'
      ? [
          {
            severity: 'info' as const,
            text: 'No memory metrics: some providers (Yandex Cloud) do not report guest memory.',
          },
        ]
      : undefined;
  if (list.length === 0) list = [{ label: q.metric === 'memory' ? 'Memory' : 'CPU', t: [], v: [], peak: 0 }];
  return list.map((s, i) =>
    frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: s.t },
        {
          name: `${q.metric ?? 'cpu'}_${aggregation}`,
          type: 'number',
          values: s.v,
          labels: group ? { [group]: s.label } : undefined,
          config: { unit: 'percent', min: 0, max: 100, decimals: 1, displayNameFromDS: s.label },
        },
      ],
      { name: s.label, notices: i === 0 ? notices : undefined }
    )
  );
}
