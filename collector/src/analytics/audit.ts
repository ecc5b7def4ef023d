/** Audit entries for the analytics writes (budgets, allocation rules, unit metrics). */
import type { auditActorOf } from '../services/roles.js';
import type { Queryable } from '../storage/db.js';
import { appendAudit } from '../storage/repositories/audit-log.js';

/** Who acts: the login and address the actor plugin worked out, and the token. */
export type Who = ReturnType<typeof auditActorOf>;

export interface AuditedChange {
  action: string;
  targetKind: string;
  targetId?: string;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  details?: Record<string, unknown>;
}

export async function auditChange(q: Queryable, tenantId: string, who: Who, change: AuditedChange): Promise<void> {
  await appendAudit(q, {
    tenantId,
    actor: who.actor,
    actorKind: who.actorKind,
    action: change.action,
    targetKind: change.targetKind,
    targetId: change.targetId,
    sourceIp: who.sourceIp,
    summary: change.summary,
    before: change.before ?? null,
    after: change.after ?? null,
    details: { ...change.details, tokenId: who.tokenId },
  });
}
