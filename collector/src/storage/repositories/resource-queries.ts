/** Read side of the inventory for the API (runs inside withTenant: RLS scopes it to the tenant). */
import type { Resource } from '../../contract/management.js';
import type { StateAction } from '../../sync/diff.js';
import type { Queryable } from '../db.js';

export interface ResourceFilter {
  provider?: string;
  connection?: string;
  type?: string;
  status?: string;
  flag?: 'zombie' | 'orphan';
  q?: string;
  limit: number;
  offset: number;
}

/** A row of `GET /resources` (the contract's `Resource`) as the driver returns it: times as Dates. */
export type ResourceItem = Omit<Resource, 'firstSeen' | 'lastSeen'> & { firstSeen: Date; lastSeen: Date };

/**
 * The current inventory: what the latest sync that stored inventory found (resources.active). Sorted by
 * daily cost, most expensive first — what a FinOps reader looks at first.
 */
export async function listResources(
  q: Queryable,
  f: ResourceFilter
): Promise<{ items: ResourceItem[]; total: number }> {
  const rows = await q.query<ResourceItem & { total: number }>(
    `SELECT r.id, r.connection_id AS "connectionId", r.provider, r.provider_resource_id AS "providerResourceId",
       r.name, r.type, r.region, r.status, json_build_object('zombie', r.is_zombie, 'orphan', r.is_orphan) AS flags,
       r.parent_id AS "parentId", r.specs, r.daily_cost AS "dailyCost", r.monthly_cost AS "monthlyCost",
       r.original_cost AS "originalCost", r.cost_period AS "costPeriod", r.cost_source AS "costSource",
       r.currency, r.service_name AS "serviceName", r.first_seen AS "firstSeen", r.last_seen AS "lastSeen",
       count(*) OVER ()::int AS total
     FROM resources r JOIN connections c ON c.id = r.connection_id AND c.deleted_at IS NULL
     WHERE r.active
       AND ($1::text IS NULL OR r.provider = $1)
       AND ($2::uuid IS NULL OR r.connection_id = $2)
       AND ($3::text IS NULL OR r.type = $3)
       AND ($4::text IS NULL OR r.status = $4)
       AND ($5::text IS NULL OR ($5 = 'zombie' AND r.is_zombie) OR ($5 = 'orphan' AND r.is_orphan))
       AND ($6::text IS NULL OR strpos(lower(r.name), lower($6)) > 0 OR strpos(lower(r.provider_resource_id), lower($6)) > 0)
     ORDER BY r.daily_cost DESC NULLS LAST, r.name, r.id
     LIMIT $7 OFFSET $8`,
    [
      f.provider ?? null,
      f.connection ?? null,
      f.type ?? null,
      f.status ?? null,
      f.flag ?? null,
      f.q ?? null,
      f.limit,
      f.offset,
    ]
  );
  return { items: rows.map(({ total: _total, ...item }) => item), total: rows[0]?.total ?? 0 };
}

export interface StateItem {
  resourceId: string | null;
  providerResourceId: string;
  resourceType: string;
  resourceName: string;
  action: StateAction;
  changes: Record<string, unknown>;
  previousState: Record<string, unknown> | null;
  currentState: Record<string, unknown> | null;
  status: string | null;
  dailyCost: string | null;
  currency: string | null;
  hasCostChange: boolean;
  hasStatusChange: boolean;
  hasConfigChange: boolean;
}

/** A snapshot's resource states; `changedOnly` leaves out the unchanged ones (most of them, usually). */
export async function listStates(
  q: Queryable,
  snapshotId: string,
  changedOnly: boolean,
  limit: number,
  offset: number
) {
  const rows = await q.query<StateItem & { total: number }>(
    `SELECT resource_id AS "resourceId", provider_resource_id AS "providerResourceId", resource_type AS "resourceType",
       resource_name AS "resourceName", action, changes, previous_state AS "previousState",
       current_state AS "currentState", status, daily_cost AS "dailyCost", currency,
       has_cost_change AS "hasCostChange", has_status_change AS "hasStatusChange",
       has_config_change AS "hasConfigChange", count(*) OVER ()::int AS total
     FROM resource_states WHERE snapshot_id = $1 AND (NOT $2 OR action <> 'unchanged')
     ORDER BY action, resource_name, id LIMIT $3 OFFSET $4`,
    [snapshotId, changedOnly, limit, offset]
  );
  return { items: rows.map(({ total: _total, ...item }) => item), total: rows[0]?.total ?? 0 };
}

export async function connectionExists(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM connections WHERE id = $1 AND deleted_at IS NULL`, [id]);
  return rows.length > 0;
}
