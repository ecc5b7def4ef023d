/**
 * Report definitions (table report_schedules: one row per report, with its optional schedule) and the
 * destinations each report is linked to. Tenant-scoped calls run under RLS; the scheduler's claim runs
 * as the owner across tenants.
 */
import type { Queryable } from '../db.js';

export interface ReportRecord {
  id: string;
  tenantId: string;
  name: string;
  definition: unknown;
  cron: string | null;
  timezone: string;
  enabled: boolean;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  destinationIds: string[];
  lastRun: { id: string; status: string; createdAt: string } | null;
}

const COLUMNS = `r.id, r.tenant_id AS "tenantId", r.name, r.definition, r.cron, r.timezone, r.enabled,
  r.next_run_at AS "nextRunAt", r.last_run_at AS "lastRunAt", r.created_by AS "createdBy",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt",
  ARRAY(SELECT l.destination_id::text FROM report_destination_links l WHERE l.report_id = r.id
        ORDER BY l.destination_id) AS "destinationIds",
  (SELECT json_build_object('id', x.id, 'status', x.status, 'createdAt', x.created_at)
     FROM report_runs x WHERE x.report_id = r.id ORDER BY x.created_at DESC LIMIT 1) AS "lastRun"`;

export async function listReports(q: Queryable): Promise<ReportRecord[]> {
  return q.query<ReportRecord>(`SELECT ${COLUMNS} FROM report_schedules r ORDER BY lower(r.name), r.id`);
}

export async function findReport(
  q: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {}
): Promise<ReportRecord | undefined> {
  // FOR UPDATE cannot lock through the aggregate subqueries; lock the row first.
  if (options.forUpdate) await q.query(`SELECT 1 FROM report_schedules WHERE id = $1 FOR UPDATE`, [id]);
  const [row] = await q.query<ReportRecord>(`SELECT ${COLUMNS} FROM report_schedules r WHERE r.id = $1`, [id]);
  return row;
}

export interface ReportInsert {
  tenantId: string;
  name: string;
  definition: unknown;
  cron: string | null;
  timezone: string;
  enabled: boolean;
  nextRunAt: Date | null;
  createdBy: string;
}

export async function insertReport(q: Queryable, input: ReportInsert): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO report_schedules (tenant_id, name, definition, cron, timezone, enabled, next_run_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      input.tenantId,
      input.name,
      input.definition,
      input.cron,
      input.timezone,
      input.enabled,
      input.nextRunAt,
      input.createdBy,
    ]
  );
  return row!.id;
}

export interface ReportChanges {
  name?: string;
  definition?: unknown;
  cron?: string | null;
  timezone?: string;
  enabled?: boolean;
  nextRunAt?: Date | null;
}

const CHANGE_COLUMNS: Record<keyof ReportChanges, string> = {
  name: 'name',
  definition: 'definition',
  cron: 'cron',
  timezone: 'timezone',
  enabled: 'enabled',
  nextRunAt: 'next_run_at',
};

export async function updateReport(q: Queryable, id: string, changes: ReportChanges): Promise<void> {
  const keys = (Object.keys(changes) as (keyof ReportChanges)[]).filter((k) => changes[k] !== undefined);
  if (keys.length === 0) return;
  await q.query(
    `UPDATE report_schedules SET ${keys.map((k, i) => `${CHANGE_COLUMNS[k]} = $${i + 2}`).join(', ')},
       updated_at = now() WHERE id = $1`,
    [id, ...keys.map((k) => changes[k])]
  );
}

export async function deleteReport(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query(`DELETE FROM report_schedules WHERE id = $1 RETURNING id`, [id]);
  return rows.length > 0;
}

export async function setReportDestinations(
  q: Queryable,
  tenantId: string,
  reportId: string,
  destinationIds: string[]
): Promise<void> {
  await q.query(`DELETE FROM report_destination_links WHERE report_id = $1`, [reportId]);
  if (destinationIds.length === 0) return;
  await q.query(
    `INSERT INTO report_destination_links (tenant_id, report_id, destination_id)
     SELECT $1, $2, unnest($3::uuid[])`,
    [tenantId, reportId, destinationIds]
  );
}

export interface DueReport {
  id: string;
  tenantId: string;
  cron: string;
  timezone: string;
  nextRunAt: Date;
  definition: unknown;
}

/**
 * Enabled schedules whose slot has come, locked for this transaction; rows another replica is claiming
 * right now are skipped (it moves their next_run_at before it commits). Owner role: all tenants.
 */
export async function claimDueReports(q: Queryable, now: Date, limit: number): Promise<DueReport[]> {
  return q.query<DueReport>(
    `SELECT id, tenant_id AS "tenantId", cron, timezone, next_run_at AS "nextRunAt", definition
     FROM report_schedules
     WHERE enabled AND cron IS NOT NULL AND next_run_at <= $1
     ORDER BY next_run_at
     FOR UPDATE SKIP LOCKED
     LIMIT $2`,
    [now, limit]
  );
}

export async function setNextRun(q: Queryable, id: string, nextRunAt: Date, lastRunAt: Date): Promise<void> {
  await q.query(`UPDATE report_schedules SET next_run_at = $2, last_run_at = $3 WHERE id = $1`, [
    id,
    nextRunAt,
    lastRunAt,
  ]);
}
