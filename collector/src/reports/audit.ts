/** Audit entries of report changes (definitions, destinations, runs): who, what, from where. */
import type { AuditActor } from '../services/connections.js';
import type { Queryable } from '../storage/db.js';
import { appendAudit } from '../storage/repositories/audit-log.js';

export async function auditReports(
  q: Queryable,
  tenantId: string,
  who: AuditActor,
  action: string,
  target: { kind: 'report' | 'report_destination' | 'report_run'; id: string },
  details: object
): Promise<void> {
  await appendAudit(q, {
    tenantId,
    actor: who.actor,
    actorKind: who.actorKind,
    action,
    targetKind: target.kind,
    targetId: target.id,
    sourceIp: who.sourceIp,
    details: { ...details, tokenId: who.tokenId },
  });
}
