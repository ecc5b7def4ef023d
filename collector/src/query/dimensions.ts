/**
 * Dimension whitelist: every groupBy, filter and variable name maps to a fixed SQL expression here.
 * Nothing from the request reaches SQL text except through this table; tag keys and values are bound
 * parameters.
 */
import type { DimensionFilter, DimensionKey } from '../contract/query.js';
import { ACCOUNT_RESOURCE_ID } from '../sync/reconcile.js';

/** Expressions over `cd` (tenant_cost_daily or cost_records), `r` (resources) and `c` (connections). */
const COST_DIMENSIONS: Record<string, { value: string; label?: string }> = {
  provider: { value: 'cd.provider' },
  connection: { value: 'cd.connection_id::text', label: 'coalesce(c.name, cd.connection_id::text)' },
  service: { value: "coalesce(cd.service_name, '')" },
  service_category: { value: "coalesce(cd.service_category, '')" },
  region: { value: "coalesce(cd.region_id, '')" },
  resource: { value: 'cd.resource_id', label: "coalesce(r.name, nullif(cd.resource_id, ''), 'account')" },
  resource_type: { value: "coalesce(cd.resource_type, '')" },
  charge_category: { value: 'cd.charge_category' },
  business_unit: { value: "coalesce(r.business_unit, '')" },
  project: { value: "coalesce(r.project, '')" },
  environment: { value: "coalesce(r.environment, '')" },
  cost_center: { value: "coalesce(r.cost_center, '')" },
  currency: { value: 'cd.billing_currency::text' },
};

export class QueryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryInputError';
  }
}

export interface DimensionSql {
  key: DimensionKey;
  /** The value filters compare to. */
  value: string;
  /** What people read (connection and resource names). */
  label: string;
}

/** Adds bound parameters as they are needed; `$n` placeholders in order. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The resource row of a daily cost row. Account-level lines carry an empty resource id; the sync keeps
 * them on the connection's `account` resource, so they join to it (and get its allocation) too.
 */
export const COST_RESOURCE_JOIN = `LEFT JOIN resources r ON r.connection_id = cd.connection_id
  AND r.provider_resource_id = coalesce(nullif(cd.resource_id, ''), '${ACCOUNT_RESOURCE_ID}')`;

export const isTagDimension = (key: string): key is `tag:${string}` => key.startsWith('tag:') && key.length > 4;

export function dimensionSql(key: DimensionKey, params: Params): DimensionSql {
  if (isTagDimension(key)) {
    const expr = `coalesce(r.tags ->> ${params.add(key.slice(4))}, '')`;
    return { key, value: expr, label: expr };
  }
  const known = COST_DIMENSIONS[key];
  if (!known) throw new QueryInputError(`unknown dimension "${key}"`);
  return { key, value: known.value, label: known.label ?? known.value };
}

/** WHERE clauses for include/exclude filters (empty value lists mean "no filter", like Grafana's All). */
export function filterSql(filters: DimensionFilter[] | undefined, params: Params): string[] {
  const clauses: string[] = [];
  for (const f of filters ?? []) {
    if (f.values.length === 0) continue;
    const dim = dimensionSql(f.dimension, params);
    const list = params.add(f.values);
    clauses.push(
      f.op === 'include' ? `${dim.value} = ANY(${list}::text[])` : `NOT (${dim.value} = ANY(${list}::text[]))`
    );
  }
  return clauses;
}

/**
 * Filters for queries that are not about cost lines (snapshots, changes, utilization, balances): only
 * connection and provider apply; the caller names the columns that hold them.
 */
export function scopeFilterSql(
  filters: DimensionFilter[] | undefined,
  params: Params,
  columns: { connection: string; provider: string }
): string[] {
  return (filters ?? [])
    .filter((f) => f.values.length && (f.dimension === 'connection' || f.dimension === 'provider'))
    .map((f) => {
      const col = f.dimension === 'connection' ? `${columns.connection}::text` : columns.provider;
      const list = params.add(f.values);
      return f.op === 'include' ? `${col} = ANY(${list}::text[])` : `NOT (${col} = ANY(${list}::text[]))`;
    });
}
