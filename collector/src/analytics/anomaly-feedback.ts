/**
 * People's feedback on an anomaly (confirmed, false positive, or cleared), audited. A false positive's
 * day is left out of that scope's later baselines (analytics/anomalies.ts). Foreign ids are 404.
 */
import type { AuditActor } from '../services/connections.js';
import type { Database } from '../storage/db.js';
import { appendAudit } from '../storage/repositories/audit-log.js';
import {
  getAnomaly,
  setAnomalyFeedback,
  type Anomaly,
  type AnomalyFeedback,
} from '../storage/repositories/anomalies.js';

export class AnomalyNotFoundError extends Error {
  readonly statusCode = 404;
  constructor() {
    super('Anomaly not found');
    this.name = 'AnomalyNotFoundError';
  }
}

export async function giveAnomalyFeedback(
  db: Database,
  tenantId: string,
  id: string,
  feedback: AnomalyFeedback | null,
  who: AuditActor
): Promise<Anomaly> {
  return db.withTenant(tenantId, async (tx) => {
    const before = await getAnomaly(tx, id);
    if (!before) throw new AnomalyNotFoundError();
    await setAnomalyFeedback(tx, id, feedback);
    await appendAudit(tx, {
      tenantId,
      actor: who.actor,
      actorKind: who.actorKind,
      action: 'anomaly.feedback',
      targetKind: 'anomaly',
      targetId: id,
      sourceIp: who.sourceIp,
      details: { scope: before.scopeLabel, day: before.day, from: before.feedback, to: feedback, tokenId: who.tokenId },
    });
    return (await getAnomaly(tx, id))!;
  });
}
