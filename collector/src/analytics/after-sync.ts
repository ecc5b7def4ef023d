/**
 * The analytics that follow every successful or partial sync: recommendations, then anomalies, for the
 * sync's tenant. They work on what is stored, so a failure here never fails the sync: it is logged and
 * the next sync (or `POST /recommendations/refresh`) tries again.
 */
import type { Logger } from '../observability/logger.js';
import type { Database } from '../storage/db.js';
import { runAnomalyDetection } from './anomalies.js';
import { runRecommendations } from './recommendations/engine.js';

export async function runAfterSync(deps: { db: Database; logger: Logger }, tenantId: string, now: Date): Promise<void> {
  const log = deps.logger.child({ tenantId });
  try {
    log.info({ ...(await runRecommendations(deps.db, tenantId, now)) }, 'recommendations refreshed');
  } catch (err) {
    log.error({ err }, 'recommendations after sync failed');
  }
  try {
    log.info({ ...(await runAnomalyDetection(deps.db, tenantId, now)) }, 'anomalies detected');
  } catch (err) {
    log.error({ err }, 'anomaly detection after sync failed');
  }
}
