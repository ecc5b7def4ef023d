/** Read models of the admin API: recent sync failures of a tenant, and the operator's list of tenants. */
import { REPORT_TIME_ZONE } from '../../query/time.js';
import type { Queryable } from '../db.js';

export interface SyncFailureRow {
  at: Date;
  connectionId: string;
  connectionName: string;
  status: string;
  message: string;
}

/** The tenant's latest failed or partial syncs (inside withTenant; the tenant is named for the index). */
export async function recentSyncFailures(q: Queryable, tenantId: string, limit: number): Promise<SyncFailureRow[]> {
  return q.query<SyncFailureRow>(
    `SELECT coalesce(s.completed_at, s.started_at) AS at, s.connection_id AS "connectionId",
            c.name AS "connectionName", s.status,
            coalesce(s.error_message, s.endpoint_errors -> 0 ->> 'message', s.status) AS message
     FROM sync_snapshots s JOIN connections c ON c.id = s.connection_id
     WHERE s.tenant_id = $1 AND s.status IN ('error', 'partial', 'interrupted')
     ORDER BY s.started_at DESC
     LIMIT $2`,
    [tenantId, limit]
  );
}

export interface TenantOverviewRow {
  id: string;
  grafanaOrgId: number;
  name: string;
  createdAt: Date;
  connections: number;
  monthToDateCost: string;
  currency: string;
  unconvertedCurrencies: string[];
}

/**
 * Every tenant with its live connections and month-to-date cost (reporting-time-zone month, from the
 * daily rollup, in the tenant's reporting currency with the tenant's own rates as in the query API).
 * Amounts in a currency without a rate are left out and named. Cross-tenant: runs as the owner.
 */
export async function tenantOverview(q: Queryable, now: Date): Promise<TenantOverviewRow[]> {
  const tz = `'${REPORT_TIME_ZONE}'`;
  return q.query<TenantOverviewRow>(
    `WITH b AS (
       SELECT date_trunc('month', $1::timestamptz AT TIME ZONE ${tz}) AT TIME ZONE ${tz} AS month_start
     ), daily AS (
       SELECT cd.tenant_id, cd.billing_currency AS cur, cd.day, sum(cd.effective_cost) AS amount
       FROM cost_daily cd, b
       WHERE cd.day >= b.month_start AND cd.day < $1
       GROUP BY 1, 2, 3
     ), converted AS (
       SELECT d.tenant_id, d.cur, CASE WHEN d.cur = t.reporting_currency THEN d.amount ELSE d.amount * (
           SELECT f.rate FROM fx_rates f
           WHERE f.tenant_id = d.tenant_id AND f.from_currency = d.cur AND f.to_currency = t.reporting_currency
             AND f.rate_date <= (d.day AT TIME ZONE ${tz})::date
           ORDER BY f.rate_date DESC LIMIT 1) END AS amount
       FROM daily d JOIN tenants t ON t.id = d.tenant_id
     )
     SELECT t.id, t.grafana_org_id AS "grafanaOrgId", t.name, t.created_at AS "createdAt",
            t.reporting_currency AS currency,
            (SELECT count(*)::int FROM connections c WHERE c.tenant_id = t.id AND c.deleted_at IS NULL) AS connections,
            round(coalesce((SELECT sum(amount) FROM converted WHERE tenant_id = t.id), 0), 2)::text AS "monthToDateCost",
            coalesce((SELECT array_agg(DISTINCT cur::text ORDER BY cur::text) FROM converted
                      WHERE tenant_id = t.id AND amount IS NULL), '{}') AS "unconvertedCurrencies"
     FROM tenants t
     ORDER BY t.grafana_org_id`,
    [now]
  );
}
