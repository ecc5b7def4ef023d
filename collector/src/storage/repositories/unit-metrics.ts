/** Unit metric points of one tenant (inside withTenant: row-level security scopes every statement). */
import type { UnitMetricPoint } from '../../analytics/unit-metrics.js';
import type { Queryable } from '../db.js';

const CHUNK = 5_000;

/** Upserts by (tenant, name, ts): a repeated push replaces values, it never adds them up. */
export async function upsertUnitMetrics(
  q: Queryable,
  tenantId: string,
  points: UnitMetricPoint[]
): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < points.length; i += CHUNK) {
    const chunk = points
      .slice(i, i + CHUNK)
      .map((p) => ({ name: p.name, ts: p.ts.toISOString(), value: p.value, unit: p.unit }));
    const rows = await q.query<{ inserted: boolean }>(
      `INSERT INTO unit_metrics (tenant_id, name, ts, value, unit)
       SELECT $1, p.name, p.ts, p.value, p.unit
       FROM jsonb_to_recordset($2::jsonb) AS p(name text, ts timestamptz, value numeric, unit text)
       ON CONFLICT (tenant_id, name, ts) DO UPDATE SET value = EXCLUDED.value, unit = EXCLUDED.unit, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [tenantId, JSON.stringify(chunk)]
    );
    for (const row of rows) {
      if (row.inserted) inserted++;
      else updated++;
    }
  }
  return { inserted, updated };
}

export interface UnitMetricSummary {
  name: string;
  /** The unit of the latest point that has one. */
  unit: string | null;
  points: number;
  firstTs: Date;
  lastTs: Date;
}

export async function listUnitMetrics(q: Queryable): Promise<UnitMetricSummary[]> {
  return q.query<UnitMetricSummary>(
    `SELECT name, (array_agg(unit ORDER BY ts DESC) FILTER (WHERE unit IS NOT NULL))[1] AS unit,
       count(*) AS points, min(ts) AS "firstTs", max(ts) AS "lastTs"
     FROM unit_metrics GROUP BY name ORDER BY name`
  );
}

export interface UnitMetricBucket {
  name: string;
  unit: string | null;
  t: Date | null;
  /** Decimal string. */
  value: string;
  points: number;
}

/** Points aggregated per bucket (a SQL expression over `ts` from query/time.ts bucketSql). */
export async function unitMetricBuckets(
  q: Queryable,
  options: { bucketExpr: string; aggregate: 'sum' | 'avg' | 'max' | 'last'; from: Date; to: Date; names?: string[] }
): Promise<UnitMetricBucket[]> {
  const agg = {
    sum: 'sum(value)',
    avg: 'avg(value)',
    max: 'max(value)',
    last: '(array_agg(value ORDER BY ts DESC))[1]',
  }[options.aggregate];
  return q.query<UnitMetricBucket>(
    `SELECT name, (array_agg(unit ORDER BY ts DESC) FILTER (WHERE unit IS NOT NULL))[1] AS unit,
       ${options.bucketExpr} AS t, ${agg} AS value, count(*) AS points
     FROM unit_metrics
     WHERE ts >= $1 AND ts < $2 AND ($3::text[] IS NULL OR name = ANY ($3))
     GROUP BY name, t ORDER BY name, t NULLS FIRST`,
    [options.from, options.to, options.names ?? null]
  );
}
