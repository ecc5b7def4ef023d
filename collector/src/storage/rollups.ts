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
    [window.from, window.to, unit, zone],
  );
  return row!;
}

export async function refreshCostDaily(db: Database, mode: StorageMode, window: TimeWindow): Promise<void> {
  const bounds = await bucketBounds(db, window, 'day', ROLLUP_TIME_ZONE);
  if (mode === 'timescale') {
    // Must run outside a transaction block.
    await db.query(`CALL refresh_continuous_aggregate('cost_daily', $1::timestamptz, $2::timestamptz)`, [
      bounds.from,
      bounds.to,
    ]);
    return;
  }
  await db.transaction(async (tx) => {
    // Serializes rebuilds: two overlapping delete-then-insert rebuilds would otherwise double rows.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('infrazen.rollup.cost_daily'))`);
    await tx.query('DELETE FROM cost_daily WHERE day >= $1 AND day < $2', [bounds.from, bounds.to]);
    await tx.query(
      `INSERT INTO cost_daily (day, tenant_id, connection_id, provider, service_name, service_category,
         region_id, resource_id, resource_type, charge_category, billing_currency,
         billed_cost, effective_cost, list_cost, line_count) ${COST_DAILY_SELECT}`,
      [bounds.from, bounds.to],
    );
  });
}

export async function refreshMetricsHourly(db: Database, mode: StorageMode, window: TimeWindow): Promise<void> {
  const bounds = await bucketBounds(db, window, 'hour', 'UTC');
  if (mode === 'timescale') {
    await db.query(`CALL refresh_continuous_aggregate('metrics_hourly', $1::timestamptz, $2::timestamptz)`, [
      bounds.from,
      bounds.to,
    ]);
    return;
  }
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('infrazen.rollup.metrics_hourly'))`);
    await tx.query('DELETE FROM metrics_hourly WHERE hour >= $1 AND hour < $2', [bounds.from, bounds.to]);
    await tx.query(
      `INSERT INTO metrics_hourly (hour, tenant_id, connection_id, resource_id, metric,
         avg_value, min_value, max_value, p95_value, samples) ${METRICS_HOURLY_SELECT}`,
      [bounds.from, bounds.to],
    );
  });
}
