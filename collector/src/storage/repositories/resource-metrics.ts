import type { Queryable } from '../db.js';
import { dedupeWithWindow, type WriteResult } from './batch.js';

export interface MetricSampleInput {
  tenantId: string;
  connectionId: string;
  resourceId: string;
  metric: string;
  ts: Date | string;
  value: number;
  unit?: string | null;
}

const BATCH_SIZE = 10_000;

/** Upserts utilization samples (a re-read of the same point replaces it); returns the touched window. */
export async function upsertMetricSamples(q: Queryable, rows: MetricSampleInput[]): Promise<WriteResult> {
  const { unique, window } = dedupeWithWindow(
    rows,
    (r) => `${r.connectionId}\u0000${r.resourceId}\u0000${r.metric}\u0000${new Date(r.ts).toISOString()}`,
    (r) => r.ts
  );
  for (let i = 0; i < unique.length; i += BATCH_SIZE) {
    const batch = unique.slice(i, i + BATCH_SIZE).map((r) => ({
      tenant_id: r.tenantId,
      connection_id: r.connectionId,
      resource_id: r.resourceId,
      metric: r.metric,
      ts: new Date(r.ts).toISOString(),
      value: r.value,
      unit: r.unit ?? null,
    }));
    await q.query(
      `INSERT INTO resource_metrics (tenant_id, connection_id, resource_id, metric, ts, value, unit)
       SELECT tenant_id, connection_id, resource_id, metric, ts, value, unit
       FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id uuid, connection_id uuid, resource_id text, metric text,
         ts timestamptz, value double precision, unit text)
       ON CONFLICT (connection_id, resource_id, metric, ts) DO UPDATE SET value = EXCLUDED.value, unit = EXCLUDED.unit`,
      [JSON.stringify(batch)]
    );
  }
  return { written: unique.length, window };
}
