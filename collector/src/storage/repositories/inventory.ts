/**
 * The normalized inventory (`resources`) and its per-snapshot history (`resource_states`). Written by the
 * sync engine as the owner role with explicit tenant ids; bulk statements travel as one JSON document
 * per chunk (no row-by-row round trips).
 */
import type { ResourceStateView, StateChange } from '../../sync/diff.js';
import type { BilledObject, ReconciledResource } from '../../sync/reconcile.js';
import type { Queryable } from '../db.js';

const CHUNK = 2_000;

/**
 * What billing says about each object over the last 24 hours of data in this sync's window (the
 * "current" cost the reference takes from the latest period), aggregated by the database in numeric.
 */
export async function billedObjects(q: Queryable, connectionId: string, since: Date): Promise<BilledObject[]> {
  return q.query<BilledObject>(
    `WITH latest AS (
       SELECT max(charge_period_end) AS end_ts FROM cost_records WHERE connection_id = $1 AND charge_period_start >= $2
     )
     SELECT resource_id AS "resourceId",
       (array_agg(resource_name ORDER BY charge_period_start DESC))[1] AS name,
       (array_agg(resource_type ORDER BY charge_period_start DESC))[1] AS type,
       (array_agg(tags->>'parent_resource_id' ORDER BY charge_period_start DESC))[1] AS "parentResourceId",
       (array_agg(region_id ORDER BY charge_period_start DESC))[1] AS region,
       (array_agg(service_name ORDER BY charge_period_start DESC))[1] AS "serviceName",
       (array_agg(service_category ORDER BY charge_period_start DESC))[1] AS "serviceCategory",
       sum(effective_cost) AS total,
       count(DISTINCT charge_period_start)::int AS periods,
       max(extract(epoch FROM charge_period_end - charge_period_start) / 3600)::float8 AS "periodHours",
       min(billing_currency) AS currency,
       bool_and(coalesce(tags->>'basis', '') = 'stated-price') AS "statedPrice"
     FROM cost_records, latest
     WHERE connection_id = $1 AND charge_period_start >= latest.end_ts - interval '24 hours'
       AND charge_period_start < latest.end_ts AND charge_period_start >= $2
     GROUP BY resource_id`,
    [connectionId, since]
  );
}

export interface StoredResource {
  id: string;
  providerResourceId: string;
  view: ResourceStateView;
}

export async function activeResources(q: Queryable, connectionId: string): Promise<Map<string, StoredResource>> {
  const rows = await q.query<StoredResource>(
    `SELECT r.id, r.provider_resource_id AS "providerResourceId",
       json_build_object('name', r.name, 'type', r.type, 'status', r.status, 'region', r.region,
         'zombie', r.is_zombie, 'orphan', r.is_orphan, 'parent', p.provider_resource_id,
         'dailyCost', r.daily_cost::text, 'currency', r.currency, 'specs', r.specs) AS view
     FROM resources r LEFT JOIN resources p ON p.id = r.parent_id
     WHERE r.connection_id = $1 AND r.active`,
    [connectionId]
  );
  return new Map(rows.map((r) => [r.providerResourceId, r]));
}

export interface ResourceWriteContext {
  tenantId: string;
  connectionId: string;
  provider: string;
  snapshotId: string;
}

/** Upserts the reconciled resources; returns provider id → resource id. */
export async function upsertResources(
  q: Queryable,
  ctx: ResourceWriteContext,
  resources: ReconciledResource[]
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < resources.length; i += CHUNK) {
    const chunk = resources.slice(i, i + CHUNK).map((r) => ({
      provider_resource_id: r.providerResourceId,
      name: r.name,
      type: r.type,
      service_name: r.serviceName,
      service_category: r.serviceCategory,
      region: r.region,
      status: r.status,
      is_zombie: r.zombie,
      is_orphan: r.orphan,
      specs: r.specs,
      tags: r.tags,
      daily_cost: r.baseline?.daily ?? null,
      monthly_cost: r.baseline?.monthly ?? null,
      original_cost: r.baseline?.original ?? null,
      cost_period: r.baseline?.period ?? null,
      cost_source: r.baseline?.source ?? null,
      currency: r.baseline?.currency ?? null,
    }));
    const rows = await q.query<{ id: string; pid: string }>(
      `INSERT INTO resources (tenant_id, connection_id, provider, last_snapshot_id, provider_resource_id, name, type,
         service_name, service_category, region, status, is_zombie, is_orphan, specs, tags, daily_cost, monthly_cost,
         original_cost, cost_period, cost_source, currency)
       SELECT $1, $2, $3, $4, r.provider_resource_id, r.name, r.type, r.service_name, r.service_category, r.region,
         r.status, r.is_zombie, r.is_orphan, coalesce(r.specs, '{}'), coalesce(r.tags, '{}'), r.daily_cost,
         r.monthly_cost, r.original_cost, r.cost_period, r.cost_source, r.currency
       FROM jsonb_to_recordset($5::jsonb) AS r(provider_resource_id text, name text, type text, service_name text,
         service_category text, region text, status text, is_zombie boolean, is_orphan boolean, specs jsonb,
         tags jsonb, daily_cost numeric, monthly_cost numeric, original_cost numeric, cost_period text,
         cost_source text, currency text)
       ON CONFLICT (connection_id, provider_resource_id) DO UPDATE SET
         name = EXCLUDED.name, type = EXCLUDED.type, service_name = EXCLUDED.service_name,
         service_category = EXCLUDED.service_category, region = EXCLUDED.region, status = EXCLUDED.status,
         is_zombie = EXCLUDED.is_zombie, is_orphan = EXCLUDED.is_orphan, specs = EXCLUDED.specs,
         tags = resources.tags || EXCLUDED.tags, daily_cost = EXCLUDED.daily_cost,
         monthly_cost = EXCLUDED.monthly_cost, original_cost = EXCLUDED.original_cost,
         cost_period = EXCLUDED.cost_period, cost_source = EXCLUDED.cost_source, currency = EXCLUDED.currency,
         active = true, last_seen = now(), last_snapshot_id = EXCLUDED.last_snapshot_id, updated_at = now()
       RETURNING id, provider_resource_id AS pid`,
      [ctx.tenantId, ctx.connectionId, ctx.provider, ctx.snapshotId, JSON.stringify(chunk)]
    );
    for (const row of rows) ids.set(row.pid, row.id);
  }
  return ids;
}

/** Points folded volumes at their VM (and clears parents that no longer apply). */
export async function setParents(q: Queryable, connectionId: string, resources: ReconciledResource[]): Promise<void> {
  const pairs = resources.map((r) => ({ child: r.providerResourceId, parent: r.parentProviderId }));
  for (let i = 0; i < pairs.length; i += CHUNK) {
    await q.query(
      `UPDATE resources c SET parent_id = p.id
       FROM jsonb_to_recordset($2::jsonb) AS x(child text, parent text)
       LEFT JOIN resources p ON p.connection_id = $1 AND p.provider_resource_id = x.parent
       WHERE c.connection_id = $1 AND c.provider_resource_id = x.child AND c.parent_id IS DISTINCT FROM p.id`,
      [connectionId, JSON.stringify(pairs.slice(i, i + CHUNK))]
    );
  }
}

/** Resources this sync no longer found: kept for history, no longer active. */
export async function deactivateResources(
  q: Queryable,
  connectionId: string,
  snapshotId: string,
  providerIds: string[]
) {
  for (let i = 0; i < providerIds.length; i += CHUNK) {
    await q.query(
      `UPDATE resources SET active = false, status = 'DELETED', is_zombie = false, daily_cost = NULL,
         monthly_cost = NULL, last_snapshot_id = $2, updated_at = now()
       WHERE connection_id = $1 AND provider_resource_id = ANY($3::text[])`,
      [connectionId, snapshotId, providerIds.slice(i, i + CHUNK)]
    );
  }
}

export interface StateRow {
  resourceId: string | null;
  providerResourceId: string;
  previous?: ResourceStateView;
  current?: ResourceStateView;
  change: StateChange;
  serviceName: string | null;
}

export async function insertResourceStates(q: Queryable, tenantId: string, snapshotId: string, states: StateRow[]) {
  for (let i = 0; i < states.length; i += CHUNK) {
    const chunk = states.slice(i, i + CHUNK).map((s) => {
      const view = s.current ?? s.previous!;
      return {
        resource_id: s.resourceId,
        provider_resource_id: s.providerResourceId,
        resource_type: view.type,
        resource_name: view.name,
        action: s.change.action,
        // Unchanged resources keep only the current state: the previous one is identical.
        previous_state: s.change.action === 'unchanged' ? null : (s.previous ?? null),
        current_state: s.current ?? null,
        changes: s.change.changes,
        service_name: s.serviceName,
        region: view.region,
        status: s.current ? view.status : 'DELETED',
        daily_cost: s.current?.dailyCost ?? null,
        currency: view.currency,
        has_cost_change: s.change.costChanged,
        has_status_change: s.change.statusChanged,
        has_config_change: s.change.configChanged,
      };
    });
    await q.query(
      `INSERT INTO resource_states (tenant_id, snapshot_id, resource_id, provider_resource_id, resource_type,
         resource_name, action, previous_state, current_state, changes, service_name, region, status, daily_cost,
         monthly_cost, currency, has_cost_change, has_status_change, has_config_change)
       SELECT $1, $2, r.resource_id, r.provider_resource_id, r.resource_type, r.resource_name, r.action,
         r.previous_state, r.current_state, coalesce(r.changes, '{}'), r.service_name, r.region, r.status,
         r.daily_cost, r.daily_cost * 30, r.currency, r.has_cost_change, r.has_status_change, r.has_config_change
       FROM jsonb_to_recordset($3::jsonb) AS r(resource_id uuid, provider_resource_id text, resource_type text,
         resource_name text, action text, previous_state jsonb, current_state jsonb, changes jsonb, service_name text,
         region text, status text, daily_cost numeric, currency text, has_cost_change boolean,
         has_status_change boolean, has_config_change boolean)`,
      [tenantId, snapshotId, JSON.stringify(chunk)]
    );
  }
}
