/** The admin page's reads: system status and the operator's tenant list (routes/api/v1/admin). */
import type { FastifyInstance } from 'fastify';
import { recentSyncFailures, tenantOverview, type TenantOverviewRow } from '../storage/repositories/admin-views.js';

const LAST_ERRORS = 10;

/**
 * Collector-wide facts (version, database, scheduler, running syncs) and the tenant's own recent sync
 * failures. Nothing here belongs to another tenant.
 */
export async function adminStatus(fastify: FastifyInstance, tenantId: string) {
  const state = fastify.dbState;
  const reachable = await state.ping();
  const lastErrors = reachable
    ? await fastify.db.withTenant(tenantId, (tx) => recentSyncFailures(tx, tenantId, LAST_ERRORS))
    : [];
  return {
    version: fastify.appVersion,
    database: {
      reachable,
      mode: state.mode ?? null,
      embedded: state.embedded,
      migrations: state.migration
        ? {
            applied: state.migration.version,
            latest: state.migration.latest,
            upToDate: state.migration.version === state.migration.latest,
          }
        : null,
    },
    scheduler: fastify.scheduler.status(),
    syncs: { running: fastify.syncs.active },
    lastErrors: lastErrors.map((e) => ({ ...e, status: e.status as 'error' | 'partial' | 'interrupted' })),
  };
}

export async function listTenantsOverview(fastify: FastifyInstance, now = new Date()): Promise<TenantOverviewRow[]> {
  return tenantOverview(fastify.db, now);
}
