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
}

export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (tenant_id, actor, actor_kind, action, target_kind, target_id, source_ip, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.tenantId,
      entry.actor,
      entry.actorKind,
      entry.action,
      entry.targetKind ?? null,
      entry.targetId ?? null,
      entry.sourceIp ?? null,
      entry.details ?? {},
    ]
  );
}
