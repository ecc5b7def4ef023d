/**
 * Keeps cost_daily and metrics_hourly current for a written time window. In Timescale mode they are
 * continuous aggregates and a refresh is one CALL; in plain mode they are tables rebuilt for the
 * window's whole buckets with the same grouping as the aggregates in migrations/timescale/004.
 */
import type { Database } from './db.js';
import type { StorageMode } from './migrate.js';

export interface TimeWindow {
  from: Date;
  to: Date;
}

/** The reporting day: rollup days are Moscow calendar days (see collector/README.md). */
export const ROLLUP_TIME_ZONE = 'Europe/Moscow';

const COST_DAILY_SELECT = `
  SELECT date_trunc('day', charge_period_start, '${ROLLUP_TIME_ZONE}') AS day,
    tenant_id, connection_id, provider, service_name, service_category, region_id, resource_id,
    resource_type, charge_category, billing_currency,
    sum(billed_cost), sum(effective_cost), sum(list_cost), count(*)
  FROM cost_records
  WHERE charge_period_start >= $1 AND charge_period_start < $2
  GROUP BY 1, tenant_id, connection_id, provider, service_name, service_category, region_id, resource_id,
    resource_type, charge_category, billing_currency`;

const METRICS_HOURLY_SELECT = `
  SELECT date_trunc('hour', ts) AS hour, tenant_id, connection_id, resource_id, metric,
    avg(value), min(value), max(value), percentile_cont(0.95) WITHIN GROUP (ORDER BY value), count(*)
  FROM resource_metrics
  WHERE ts >= $1 AND ts < $2
  GROUP BY 1, tenant_id, connection_id, resource_id, metric`;

/** Widens a window to whole buckets so a partial rebuild never leaves half a bucket. */
async function bucketBounds(db: Database, window: TimeWindow, unit: 'day' | 'hour', zone: string) {
  const [row] = await db.query<{ from: Date; to: Date }>(
    `SELECT date_trunc($3, $1::timestamptz, $4) AS "from",
            date_trunc($3, $2::timestamptz, $4) + ('1 ' || $3)::interval AS "to"`,
    [window.from, window.to, unit, zone]
  );
  return row!;
}

interface RollupSpec {
  name: 'cost_daily' | 'metrics_hourly';
  bucketColumn: string;
  unit: 'day' | 'hour';
  zone: string;
  columns: string;
  select: string;
}

const COST_DAILY: RollupSpec = {
  name: 'cost_daily',
  bucketColumn: 'day',
  unit: 'day',
  zone: ROLLUP_TIME_ZONE,
  columns: `day, tenant_id, connection_id, provider, service_name, service_category, region_id, resource_id,
    resource_type, charge_category, billing_currency, billed_cost, effective_cost, list_cost, line_count`,
  select: COST_DAILY_SELECT,
};

const METRICS_HOURLY: RollupSpec = {
  name: 'metrics_hourly',
  bucketColumn: 'hour',
  unit: 'hour',
  zone: 'UTC',
  columns: `hour, tenant_id, connection_id, resource_id, metric, avg_value, min_value, max_value, p95_value, samples`,
  select: METRICS_HOURLY_SELECT,
};

async function refresh(db: Database, mode: StorageMode, spec: RollupSpec, window: TimeWindow): Promise<void> {
  const bounds = await bucketBounds(db, window, spec.unit, spec.zone);
  if (mode === 'timescale') {
    // Must run outside a transaction block.
    await db.query(`CALL refresh_continuous_aggregate('${spec.name}', $1::timestamptz, $2::timestamptz)`, [
      bounds.from,
      bounds.to,
    ]);
    return;
  }
  await db.transaction(async (tx) => {
    // Serializes rebuilds: two overlapping delete-then-insert rebuilds would otherwise double rows.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('infrazen.rollup.${spec.name}'))`);
    await tx.query(`DELETE FROM ${spec.name} WHERE ${spec.bucketColumn} >= $1 AND ${spec.bucketColumn} < $2`, [
      bounds.from,
      bounds.to,
    ]);
    await tx.query(`INSERT INTO ${spec.name} (${spec.columns}) ${spec.select}`, [bounds.from, bounds.to]);
  });
}

export const refreshCostDaily = (db: Database, mode: StorageMode, window: TimeWindow) =>
  refresh(db, mode, COST_DAILY, window);

export const refreshMetricsHourly = (db: Database, mode: StorageMode, window: TimeWindow) =>
  refresh(db, mode, METRICS_HOURLY, window);
