/**
 * The report archive: runs (with their file and checksum) and the deliveries of each run. Claims use
 * `FOR UPDATE SKIP LOCKED` with a lease, so with several collector replicas a run is rendered once and a
 * delivery is sent once; a replica that dies mid-way leaves a lease that expires and is taken over.
 * Times that decide scheduling come from the caller's clock, never from the database's now().
 */
import type { Queryable } from '../db.js';

export type RunStatus =
  'pending' | 'rendering' | 'rendered' | 'delivering' | 'delivered' | 'delivery_failed' | 'failed';
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface RunRecord {
  id: string;
  tenantId: string;
  reportId: string;
  reportName: string;
  /** The report's schedule time zone: periods of its runs are computed in it. */
  reportTimezone: string;
  trigger: 'schedule' | 'manual';
  scheduledFor: Date | null;
  requestedBy: string | null;
  status: RunStatus;
  definition: unknown;
  periodFrom: Date | null;
  periodTo: Date | null;
  format: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  summary: Record<string, unknown>;
  error: string | null;
  renderAttempts: number;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface DeliveryRecord {
  id: string;
  tenantId: string;
  runId: string;
  destinationId: string | null;
  destinationName: string;
  kind: 'telegram' | 'email';
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
  response: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const RUN_COLUMNS = `x.id, x.tenant_id AS "tenantId", x.report_id AS "reportId", r.name AS "reportName",
  r.timezone AS "reportTimezone", x.trigger,
  x.scheduled_for AS "scheduledFor", x.requested_by AS "requestedBy", x.status, x.definition,
  x.period_from AS "periodFrom", x.period_to AS "periodTo", x.format, x.file_name AS "fileName",
  x.content_type AS "contentType", x.size_bytes AS "sizeBytes", x.sha256, x.summary, x.error,
  x.render_attempts AS "renderAttempts", x.created_at AS "createdAt", x.finished_at AS "finishedAt"`;
const RUN_FROM = `report_runs x JOIN report_schedules r ON r.id = x.report_id`;

const DELIVERY_COLUMNS = `id, tenant_id AS "tenantId", run_id AS "runId", destination_id AS "destinationId",
  destination_name AS "destinationName", kind, status, attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError", sent_at AS "sentAt", response, created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface RunInsert {
  tenantId: string;
  reportId: string;
  trigger: 'schedule' | 'manual';
  scheduledFor: Date | null;
  requestedBy: string | null;
  definition: unknown;
  createdAt: Date;
}

/** Undefined when this schedule slot already has a run (another replica got there first). */
export async function insertRun(q: Queryable, input: RunInsert): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO report_runs (tenant_id, report_id, trigger, scheduled_for, requested_by, definition, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (report_id, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      input.tenantId,
      input.reportId,
      input.trigger,
      input.scheduledFor,
      input.requestedBy,
      input.definition,
      input.createdAt,
    ]
  );
  return row?.id;
}

export async function findRun(q: Queryable, id: string): Promise<RunRecord | undefined> {
  const [row] = await q.query<RunRecord>(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE x.id = $1`, [id]);
  return row;
}

export async function listRuns(q: Queryable, reportId: string, limit: number): Promise<RunRecord[]> {
  return q.query<RunRecord>(
    `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE x.report_id = $1 ORDER BY x.created_at DESC, x.id LIMIT $2`,
    [reportId, limit]
  );
}

export async function findRunFile(
  q: Queryable,
  id: string
): Promise<{ file: Buffer; fileName: string; contentType: string; sha256: string } | undefined> {
  const [row] = await q.query<{ file: Buffer; fileName: string; contentType: string; sha256: string }>(
    `SELECT file, file_name AS "fileName", content_type AS "contentType", sha256
     FROM report_runs WHERE id = $1 AND file IS NOT NULL`,
    [id]
  );
  return row;
}

/**
 * Takes runs waiting to be rendered: pending ones, and rendering ones whose replica's lease ran out.
 * Owner role (all tenants), or one run by id (run now).
 */
export async function claimRuns(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  options: { limit: number; runId?: string }
): Promise<RunRecord[]> {
  const claimed = await q.query<{ id: string }>(
    `UPDATE report_runs SET status = 'rendering', claimed_until = $2, render_attempts = render_attempts + 1
     WHERE id IN (
       SELECT id FROM report_runs
       WHERE (status = 'pending' OR (status = 'rendering' AND claimed_until <= $1))
         ${options.runId ? 'AND id = $4' : ''}
       ORDER BY created_at
       FOR UPDATE SKIP LOCKED
       LIMIT $3)
     RETURNING id`,
    [now, leaseUntil, options.limit, ...(options.runId ? [options.runId] : [])]
  );
  if (claimed.length === 0) return [];
  return q.query<RunRecord>(
    `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE x.id = ANY($1::uuid[]) ORDER BY x.created_at`,
    [claimed.map((c) => c.id)]
  );
}

export interface RenderedRun {
  status: 'rendered' | 'delivering';
  periodFrom: Date;
  periodTo: Date;
  file: Buffer;
  fileName: string;
  contentType: string;
  sha256: string;
  summary: Record<string, unknown>;
  finishedAt: Date;
}

export async function completeRender(q: Queryable, id: string, r: RenderedRun): Promise<void> {
  await q.query(
    `UPDATE report_runs SET status = $2, period_from = $3, period_to = $4, file = $5, file_name = $6,
       content_type = $7, size_bytes = $8, sha256 = $9, summary = $10, finished_at = $11, claimed_until = NULL,
       error = NULL
     WHERE id = $1`,
    [
      id,
      r.status,
      r.periodFrom,
      r.periodTo,
      r.file,
      r.fileName,
      r.contentType,
      r.file.length,
      r.sha256,
      r.summary,
      r.finishedAt,
    ]
  );
}

export async function failRender(q: Queryable, id: string, error: string, finishedAt: Date): Promise<void> {
  await q.query(
    `UPDATE report_runs SET status = 'failed', error = $2, finished_at = $3, claimed_until = NULL WHERE id = $1`,
    [id, error, finishedAt]
  );
}

/** One delivery per enabled destination linked to the run's report. Returns how many were queued. */
export async function queueDeliveries(q: Queryable, run: { id: string; reportId: string }, due: Date): Promise<number> {
  const rows = await q.query(
    `INSERT INTO report_deliveries (tenant_id, run_id, destination_id, destination_name, kind, next_attempt_at)
     SELECT d.tenant_id, $1, d.id, d.name, d.kind, $3
     FROM report_destination_links l JOIN report_destinations d ON d.id = l.destination_id
     WHERE l.report_id = $2 AND d.enabled
     ON CONFLICT (run_id, destination_id) DO NOTHING
     RETURNING id`,
    [run.id, run.reportId, due]
  );
  return rows.length;
}

export async function listDeliveries(q: Queryable, runIds: string[]): Promise<DeliveryRecord[]> {
  if (runIds.length === 0) return [];
  return q.query<DeliveryRecord>(
    `SELECT ${DELIVERY_COLUMNS} FROM report_deliveries WHERE run_id = ANY($1::uuid[]) ORDER BY destination_name, id`,
    [runIds]
  );
}

/** Deliveries whose time has come (and sends whose replica's lease ran out), leased to the caller. */
export async function claimDeliveries(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  options: { limit: number; runId?: string }
): Promise<DeliveryRecord[]> {
  return q.query<DeliveryRecord>(
    `UPDATE report_deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2, updated_at = $1
     WHERE id IN (
       SELECT id FROM report_deliveries
       WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1 ${options.runId ? 'AND run_id = $4' : ''}
       ORDER BY next_attempt_at
       FOR UPDATE SKIP LOCKED
       LIMIT $3)
     RETURNING ${DELIVERY_COLUMNS}`,
    [now, leaseUntil, options.limit, ...(options.runId ? [options.runId] : [])]
  );
}

export async function recordDelivery(
  q: Queryable,
  id: string,
  outcome:
    | { status: 'sent'; at: Date; response: Record<string, unknown> }
    | { status: 'pending'; at: Date; nextAttemptAt: Date; error: string }
    | { status: 'failed'; at: Date; error: string }
): Promise<void> {
  if (outcome.status === 'sent') {
    await q.query(
      `UPDATE report_deliveries SET status = 'sent', sent_at = $2, response = $3, last_error = NULL, updated_at = $2
       WHERE id = $1`,
      [id, outcome.at, outcome.response]
    );
  } else {
    await q.query(
      `UPDATE report_deliveries SET status = $2, last_error = $3, next_attempt_at = coalesce($4, next_attempt_at),
         updated_at = $5 WHERE id = $1`,
      [id, outcome.status, outcome.error, outcome.status === 'pending' ? outcome.nextAttemptAt : null, outcome.at]
    );
  }
}

/** The run's status from its deliveries: delivered when all went out, delivery_failed once none is left to try. */
export async function refreshRunStatus(q: Queryable, runId: string): Promise<void> {
  await q.query(
    `UPDATE report_runs x SET status = CASE
        WHEN s.open > 0 THEN 'delivering'
        WHEN s.failed > 0 THEN 'delivery_failed'
        ELSE 'delivered' END
     FROM (SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')) AS open,
                  count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS n
           FROM report_deliveries WHERE run_id = $1) s
     WHERE x.id = $1 AND s.n > 0 AND x.status IN ('delivering', 'delivered', 'delivery_failed')`,
    [runId]
  );
}

/** Failed deliveries of a run go back to the queue with a fresh set of attempts; the run is delivering again. */
export async function requeueFailedDeliveries(q: Queryable, runId: string, due: Date): Promise<number> {
  const rows = await q.query(
    `UPDATE report_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, updated_at = $2
     WHERE run_id = $1 AND status = 'failed' AND destination_id IS NOT NULL RETURNING id`,
    [runId, due]
  );
  if (rows.length > 0) await q.query(`UPDATE report_runs SET status = 'delivering' WHERE id = $1`, [runId]);
  return rows.length;
}
