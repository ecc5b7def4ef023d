/**
 * The audit log: INSERT and SELECT only. The database refuses UPDATE, DELETE and TRUNCATE on it
 * (triggers, migrations 001 and 012), so there is deliberately no other statement here.
 */
import type { Queryable } from '../db.js';

export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  actorKind: 'user' | 'token' | 'system' | 'cli';
  action: string;
  targetKind?: string;
  targetId?: string;
  sourceIp?: string;
  details?: Record<string, unknown>;
  /** One line for people; derived from the action and target when omitted. */
  summary?: string;
  /** The target before and after the change (no secret values). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const MAX_SUMMARY = 500;

function defaultSummary(entry: AuditEntry): string {
  const name = typeof entry.details?.name === 'string' ? ` "${entry.details.name}"` : '';
  return `${entry.action}${entry.targetKind ? ` ${entry.targetKind}` : ''}${name}`;
}

export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (tenant_id, actor, actor_kind, action, target_kind, target_id, source_ip, details,
       summary, before_state, after_state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.tenantId,
      entry.actor,
      entry.actorKind,
      entry.action,
      entry.targetKind ?? null,
      entry.targetId ?? null,
      entry.sourceIp ?? null,
      entry.details ?? {},
      (entry.summary ?? defaultSummary(entry)).slice(0, MAX_SUMMARY),
      entry.before ?? null,
      entry.after ?? null,
    ]
  );
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  actorKind: AuditEntry['actorKind'];
  action: string;
  targetKind: string | null;
  targetId: string | null;
  summary: string | null;
  sourceAddress: string | null;
  details: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  actions?: string[];
  targetKind?: string;
  /** Keyset cursor: entries with a smaller id than this (the previous page's nextBefore). */
  before?: string;
  limit: number;
}

/**
 * One page of the log, newest first, keyset-paginated on the id (an identity: strictly increasing in
 * insertion order, so pages never skip or repeat entries while new ones arrive). Inside withTenant,
 * row-level security limits it to the tenant; the tenant is named too so the index is used.
 */
export async function listAudit(
  q: Queryable,
  tenantId: string,
  filter: AuditFilter
): Promise<{ items: AuditRow[]; nextBefore: string | null }> {
  const rows = await q.query<AuditRow>(
    `SELECT id::text, at, actor, actor_kind AS "actorKind", action, target_kind AS "targetKind",
            target_id AS "targetId", summary, source_ip AS "sourceAddress", details,
            before_state AS "before", after_state AS "after"
     FROM audit_log
     WHERE tenant_id = $1
       AND ($2::timestamptz IS NULL OR at >= $2)
       AND ($3::timestamptz IS NULL OR at < $3)
       AND ($4::text IS NULL OR actor = $4)
       AND ($5::text[] IS NULL OR action = ANY ($5))
       AND ($6::text IS NULL OR target_kind = $6)
       AND ($7::bigint IS NULL OR id < $7)
     ORDER BY id DESC
     LIMIT $8`,
    [
      tenantId,
      filter.from ?? null,
      filter.to ?? null,
      filter.actor ?? null,
      filter.actions ?? null,
      filter.targetKind ?? null,
      filter.before ?? null,
      filter.limit + 1,
    ]
  );
  const more = rows.length > filter.limit;
  const items = more ? rows.slice(0, filter.limit) : rows;
  return { items, nextBefore: more ? items[items.length - 1]!.id : null };
}

export interface SupportAccess {
  actor: string;
  sourceIp: string;
  tokenId: string;
  homeTenantId: string;
  tenantId: string;
  /** METHOD /route/pattern: the throttle key beside actor and tenant. */
  endpoint: string;
}

/** One support-access entry per actor, tenant and endpoint in this window (api-contract.md). */
export const SUPPORT_AUDIT_WINDOW_MINUTES = 10;

/**
 * Writes a support access into both tenants' logs unless the same actor already read the same endpoint
 * of the same tenant within the window. Runs as the owner (two tenants in one transaction); an advisory
 * lock on the key keeps concurrent requests from both writing. Returns whether entries were written.
 */
export async function recordSupportAccess(q: Queryable, access: SupportAccess): Promise<boolean> {
  const key = `support:${access.actor}:${access.tenantId}:${access.endpoint}`;
  await q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [key]);
  const recent = await q.query(
    `SELECT 1 FROM audit_log
     WHERE tenant_id = $1 AND action = 'support.access' AND actor = $2
       AND at > now() - make_interval(mins => $3) AND details ->> 'endpoint' = $4 AND target_id = $5
     LIMIT 1`,
    [access.homeTenantId, access.actor, SUPPORT_AUDIT_WINDOW_MINUTES, access.endpoint, access.tenantId]
  );
  if (recent.length > 0) return false;
  const details = {
    endpoint: access.endpoint,
    homeTenantId: access.homeTenantId,
    supportTenantId: access.tenantId,
    tokenId: access.tokenId,
  };
  for (const [tenantId, summary] of [
    [access.tenantId, `Support access (read-only) by ${access.actor}: ${access.endpoint}`],
    [access.homeTenantId, `${access.actor} read tenant ${access.tenantId} for support: ${access.endpoint}`],
  ] as const) {
    await appendAudit(q, {
      tenantId,
      actor: access.actor,
      actorKind: 'user',
      action: 'support.access',
      targetKind: 'tenant',
      targetId: access.tenantId,
      sourceIp: access.sourceIp,
      details,
      summary,
    });
  }
  return true;
}
