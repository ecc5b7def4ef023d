/** sync_snapshots: one row per sync run, with phase progress, counts, totals and endpoint errors. */
import type { EndpointError } from '../../providers/types.js';
import type { Queryable } from '../db.js';

export type SnapshotStatus = 'running' | 'success' | 'partial' | 'error' | 'interrupted' | 'cancelled';
export type SnapshotTrigger = 'manual' | 'scheduled' | 'demo';

export interface PhaseRecord {
  phase: number;
  name: string;
  status: 'running' | 'done' | 'failed' | 'skipped';
  startedAt: string;
  durationMs?: number;
  counts?: Record<string, number>;
  message?: string;
}

export interface SnapshotRow {
  id: string;
  connectionId: string;
  trigger: SnapshotTrigger;
  status: SnapshotStatus;
  phase: number;
  phaseName: string | null;
  phases: PhaseRecord[];
  startedAt: Date;
  completedAt: Date | null;
  durationMs: number | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  scheduledFor: Date | null;
  instance: string | null;
  counts: { found: number; created: number; updated: number; deleted: number; unchanged: number };
  totalDailyCost: string | null;
  totalMonthlyCost: string | null;
  currency: string | null;
  resourcesByType: Record<string, number>;
  resourcesByStatus: Record<string, number>;
  endpointErrors: EndpointError[];
  errorMessage: string | null;
  linesWritten: number;
  metricsWritten: number;
  stats: Record<string, unknown>;
}

const COLUMNS = `id, connection_id AS "connectionId", trigger, status, phase, phase_name AS "phaseName", phases,
  started_at AS "startedAt", completed_at AS "completedAt", duration_ms AS "durationMs",
  window_start AS "windowStart", window_end AS "windowEnd", scheduled_for AS "scheduledFor", instance,
  json_build_object('found', resources_found, 'created', resources_created, 'updated', resources_updated,
    'deleted', resources_deleted, 'unchanged', resources_unchanged) AS counts,
  total_daily_cost AS "totalDailyCost", total_monthly_cost AS "totalMonthlyCost", currency,
  resources_by_type AS "resourcesByType", resources_by_status AS "resourcesByStatus",
  endpoint_errors AS "endpointErrors", error_message AS "errorMessage",
  lines_written AS "linesWritten", metrics_written AS "metricsWritten", stats`;

export async function insertSnapshot(
  q: Queryable,
  s: { tenantId: string; connectionId: string; trigger: SnapshotTrigger; scheduledFor?: Date | null; instance: string }
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO sync_snapshots (tenant_id, connection_id, trigger, status, scheduled_for, instance)
     VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id`,
    [s.tenantId, s.connectionId, s.trigger, s.scheduledFor ?? null, s.instance]
  );
  return rows[0]!.id;
}

export async function recordProgress(
  q: Queryable,
  id: string,
  p: { phase: number; phaseName: string; phases: PhaseRecord[]; window?: { start: Date; end: Date } }
): Promise<void> {
  await q.query(
    `UPDATE sync_snapshots SET phase = $2, phase_name = $3, phases = $4,
       window_start = coalesce($5, window_start), window_end = coalesce($6, window_end)
     WHERE id = $1`,
    [id, p.phase, p.phaseName, JSON.stringify(p.phases), p.window?.start ?? null, p.window?.end ?? null]
  );
}

export interface SnapshotOutcome {
  status: SnapshotStatus;
  phases: PhaseRecord[];
  counts: SnapshotRow['counts'];
  totalDailyCost: string | null;
  totalMonthlyCost: string | null;
  currency: string | null;
  resourcesByType: Record<string, number>;
  resourcesByStatus: Record<string, number>;
  endpointErrors: EndpointError[];
  errorMessage: string | null;
  linesWritten: number;
  metricsWritten: number;
  stats: Record<string, unknown>;
}

export async function completeSnapshot(q: Queryable, id: string, o: SnapshotOutcome): Promise<void> {
  await q.query(
    `UPDATE sync_snapshots SET status = $2, phases = $3, completed_at = now(),
       duration_ms = (extract(epoch FROM now() - started_at) * 1000)::int,
       resources_found = $4, resources_created = $5, resources_updated = $6, resources_deleted = $7,
       resources_unchanged = $8, total_daily_cost = $9, total_monthly_cost = $10, currency = $11,
       resources_by_type = $12, resources_by_status = $13, endpoint_errors = $14, error_message = $15,
       lines_written = $16, metrics_written = $17, stats = $18
     WHERE id = $1`,
    [
      id,
      o.status,
      JSON.stringify(o.phases),
      o.counts.found,
      o.counts.created,
      o.counts.updated,
      o.counts.deleted,
      o.counts.unchanged,
      o.totalDailyCost,
      o.totalMonthlyCost,
      o.currency,
      o.resourcesByType,
      o.resourcesByStatus,
      JSON.stringify(o.endpointErrors),
      o.errorMessage,
      o.linesWritten,
      o.metricsWritten,
      o.stats,
    ]
  );
}

export async function getSnapshot(q: Queryable, id: string): Promise<SnapshotRow | undefined> {
  const rows = await q.query<SnapshotRow>(`SELECT ${COLUMNS} FROM sync_snapshots WHERE id = $1`, [id]);
  return rows[0];
}

export async function listSnapshots(q: Queryable, connectionId: string, limit: number, offset: number) {
  const rows = await q.query<SnapshotRow & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM sync_snapshots WHERE connection_id = $1
     ORDER BY started_at DESC LIMIT $2 OFFSET $3`,
    [connectionId, limit, offset]
  );
  return { items: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 };
}

/** The previous successful (or partial) snapshot, to decide between backfill and a short re-read. */
export async function lastGoodSnapshot(
  q: Queryable,
  connectionId: string
): Promise<{ id: string; startedAt: Date } | undefined> {
  const rows = await q.query<{ id: string; startedAt: Date }>(
    `SELECT id, started_at AS "startedAt" FROM sync_snapshots
     WHERE connection_id = $1 AND status IN ('success', 'partial') ORDER BY started_at DESC LIMIT 1`,
    [connectionId]
  );
  return rows[0];
}

/** Snapshots left `running` (candidates for `interrupted`: the caller checks nobody holds their lock). */
export async function runningSnapshots(q: Queryable): Promise<{ id: string; connectionId: string }[]> {
  return q.query(`SELECT id, connection_id AS "connectionId" FROM sync_snapshots WHERE status = 'running'`);
}

export async function markInterrupted(q: Queryable, id: string, message: string): Promise<void> {
  await q.query(
    `UPDATE sync_snapshots SET status = 'interrupted', completed_at = now(), error_message = $2,
       duration_ms = (extract(epoch FROM now() - started_at) * 1000)::int
     WHERE id = $1 AND status = 'running'`,
    [id, message]
  );
}
