import type { Provider } from '../../domain/providers.js';
import type { Queryable } from '../db.js';

/** What the API may show of a connection: never the secret, only which credential fields are set. */
export interface ConnectionSummary {
  id: string;
  name: string;
  provider: Provider;
  credentialFields: string[];
  settings: Record<string, unknown>;
  schedule: string | null;
  enabled: boolean;
  status: string;
  account: Record<string, unknown>;
  lastSyncAt: Date | null;
  lastSyncStatus: string | null;
  lastError: string | null;
  nextSyncAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const SUMMARY_COLUMNS = `id, name, provider, credential_fields AS "credentialFields", settings, schedule, enabled,
  status, account, last_sync_at AS "lastSyncAt", last_sync_status AS "lastSyncStatus", last_error AS "lastError",
  next_sync_at AS "nextSyncAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Runs inside withTenant: row-level security limits it to the tenant's connections. */
export async function listConnections(q: Queryable): Promise<ConnectionSummary[]> {
  return q.query<ConnectionSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM connections WHERE deleted_at IS NULL ORDER BY lower(name)`
  );
}

/** A connection as the service sees it: the summary plus where its encrypted credentials live. */
export interface ConnectionRecord extends ConnectionSummary {
  tenantId: string;
  credentialsSecretId: string | null;
  deletedAt: Date | null;
}

const RECORD_COLUMNS = `${SUMMARY_COLUMNS}, tenant_id AS "tenantId", credentials_secret_id AS "credentialsSecretId",
  deleted_at AS "deletedAt"`;

export interface NewConnection {
  tenantId: string;
  name: string;
  provider: Provider;
  credentialsSecretId: string;
  credentialFields: string[];
  settings: Record<string, unknown>;
  schedule: string | null;
  enabled: boolean;
  status: string;
}

export async function insertConnection(q: Queryable, row: NewConnection): Promise<ConnectionSummary> {
  const [created] = await q.query<ConnectionSummary>(
    `INSERT INTO connections (tenant_id, name, provider, credentials_secret_id, credential_fields, settings, schedule,
       enabled, status)
     VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, $8, $9)
     RETURNING ${SUMMARY_COLUMNS}`,
    [
      row.tenantId,
      row.name,
      row.provider,
      row.credentialsSecretId,
      row.credentialFields,
      JSON.stringify(row.settings),
      row.schedule,
      row.enabled,
      row.status,
    ]
  );
  return created!;
}

/**
 * One connection by id. Inside withTenant row-level security scopes it to the tenant; a caller running
 * as the owner (purge) passes `tenantId` so the scope is explicit. Deleted connections are invisible
 * unless asked for; `forUpdate` locks the row so concurrent PATCHes merge credentials one after the other.
 */
export async function findConnection(
  q: Queryable,
  id: string,
  options: { includeDeleted?: boolean; forUpdate?: boolean; tenantId?: string } = {}
): Promise<ConnectionRecord | undefined> {
  const params: unknown[] = [id];
  const where = ['id = $1'];
  if (!options.includeDeleted) where.push('deleted_at IS NULL');
  if (options.tenantId !== undefined) {
    params.push(options.tenantId);
    where.push(`tenant_id = $${params.length}`);
  }
  const [row] = await q.query<ConnectionRecord>(
    `SELECT ${RECORD_COLUMNS} FROM connections WHERE ${where.join(' AND ')} ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    params
  );
  return row;
}

export interface ConnectionChanges {
  name?: string;
  credentialsSecretId?: string;
  credentialFields?: string[];
  settings?: Record<string, unknown>;
  schedule?: string | null;
  nextSyncAt?: Date | null;
  enabled?: boolean;
  status?: string;
}

/** Column and cast per changeable field: the SET list is built from this fixed map, values are parameters. */
const CHANGE_COLUMNS: Record<keyof ConnectionChanges, string> = {
  name: 'name = $N',
  credentialsSecretId: 'credentials_secret_id = $N',
  credentialFields: 'credential_fields = $N::text[]',
  settings: 'settings = $N::jsonb',
  schedule: 'schedule = $N',
  nextSyncAt: 'next_sync_at = $N',
  enabled: 'enabled = $N',
  status: 'status = $N',
};

export async function updateConnection(
  q: Queryable,
  id: string,
  changes: ConnectionChanges
): Promise<ConnectionSummary | undefined> {
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [id];
  for (const key of Object.keys(CHANGE_COLUMNS) as (keyof ConnectionChanges)[]) {
    const value = changes[key];
    if (value === undefined) continue;
    params.push(key === 'settings' ? JSON.stringify(value) : value);
    sets.push(CHANGE_COLUMNS[key].replace('$N', `$${params.length}`));
  }
  const [row] = await q.query<ConnectionSummary>(
    `UPDATE connections SET ${sets.join(', ')} WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUMMARY_COLUMNS}`,
    params
  );
  return row;
}

/**
 * Soft delete: the row stays (cost history keeps pointing at it) but it is disabled, hidden, and no
 * longer refers to credentials (the caller removes the secret itself).
 */
export async function softDeleteConnection(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE connections
     SET deleted_at = now(), updated_at = now(), enabled = false, status = 'disabled', credentials_secret_id = NULL,
       credential_fields = '{}', next_sync_at = NULL
     WHERE id = $1 AND deleted_at IS NULL
     RETURNING id`,
    [id]
  );
  return rows.length > 0;
}

/** Whether a sync of the connection is queued or running (its snapshot says so). */
export async function hasActiveSync(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM sync_snapshots WHERE tenant_id = $1 AND connection_id = $2 AND status IN ('queued', 'running') LIMIT 1`,
    [tenantId, id]
  );
  return rows.length > 0;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface PurgeResult {
  costRecords: number;
  resourceMetrics: number;
  accountBalances: number;
  resources: number;
  syncSnapshots: number;
  /** Charge periods the deleted cost rows covered: continuous aggregates must be refreshed over it. */
  costRange: TimeRange | null;
  /** Sample times the deleted metrics covered. */
  metricsRange: TimeRange | null;
}

/**
 * Deletes a connection with everything it collected. Runs as the owner, not the tenant role:
 * resource_metrics and the rollups carry no row-level security (see README, "RLS vs compression"), so
 * every statement names the tenant explicitly. In plain mode the rollup tables are cleaned here, in the
 * same transaction; in Timescale mode they are continuous aggregates the caller refreshes afterwards
 * over the returned ranges.
 */
export async function purgeConnection(
  q: Queryable,
  tenantId: string,
  id: string,
  mode: 'plain' | 'timescale'
): Promise<PurgeResult> {
  const scope = [tenantId, id];
  const [costs] = await q.query<{ n: number; from: Date | null; to: Date | null }>(
    `WITH d AS (DELETE FROM cost_records WHERE tenant_id = $1 AND connection_id = $2 RETURNING charge_period_start)
     SELECT count(*)::int AS n, min(charge_period_start) AS "from", max(charge_period_start) AS "to" FROM d`,
    scope
  );
  const [metrics] = await q.query<{ n: number; from: Date | null; to: Date | null }>(
    `WITH d AS (DELETE FROM resource_metrics WHERE tenant_id = $1 AND connection_id = $2 RETURNING ts)
     SELECT count(*)::int AS n, min(ts) AS "from", max(ts) AS "to" FROM d`,
    scope
  );
  const count = async (sql: string) => (await q.query<{ n: number }>(sql, scope))[0]?.n ?? 0;
  const accountBalances = await count(
    `WITH d AS (DELETE FROM account_balances WHERE tenant_id = $1 AND connection_id = $2 RETURNING 1)
     SELECT count(*)::int AS n FROM d`
  );
  if (mode === 'plain') {
    await q.query(`DELETE FROM cost_daily WHERE tenant_id = $1 AND connection_id = $2`, scope);
    await q.query(`DELETE FROM metrics_hourly WHERE tenant_id = $1 AND connection_id = $2`, scope);
  }
  // Snapshots first (their resource_states cascade), then the inventory; deleting the connection row
  // would cascade both too, but explicit deletes give the counts for the audit log.
  const syncSnapshots = await count(
    `WITH d AS (DELETE FROM sync_snapshots WHERE tenant_id = $1 AND connection_id = $2 RETURNING 1)
     SELECT count(*)::int AS n FROM d`
  );
  const resources = await count(
    `WITH d AS (DELETE FROM resources WHERE tenant_id = $1 AND connection_id = $2 RETURNING 1)
     SELECT count(*)::int AS n FROM d`
  );
  await q.query(`DELETE FROM connections WHERE tenant_id = $1 AND id = $2`, scope);
  const range = (r: { from: Date | null; to: Date | null } | undefined) =>
    r?.from && r.to ? { from: r.from, to: r.to } : null;
  return {
    costRecords: costs?.n ?? 0,
    resourceMetrics: metrics?.n ?? 0,
    accountBalances,
    resources,
    syncSnapshots,
    costRange: range(costs),
    metricsRange: range(metrics),
  };
}
