import { DataQuery } from '@grafana/schema';
import { QUERY_TYPES, QueryType } from '@infrazen/contract';

import { InfraZenDataQuery, QueryFields } from './types';

/** Reporting currency when the datasource settings name none (the collector's default too). */
export const DEFAULT_CURRENCY = 'RUB';

/** Every action: an explicit list reads better in the editor than an empty "any". */
export const DEFAULT_CHANGE_ACTIONS: Array<'created' | 'updated' | 'deleted'> = ['created', 'updated', 'deleted'];

/** The query type a new or untyped query gets. */
export const DEFAULT_QUERY_TYPE: QueryType = 'costs';

/**
 * A readable starting point per query type: what a new panel shows before anyone edits it. Costs and
 * utilization start as "top 10 by service / resource over time" with the panel's own granularity.
 */
export function defaultQuery(queryType: QueryType): QueryFields {
  switch (queryType) {
    case 'costs':
      return { queryType, metric: 'billed_cost', granularity: 'auto', groupBy: ['service'], topN: 10 };
    case 'resources':
      return { queryType, limit: 1000 };
    case 'utilization':
      return { queryType, metric: 'cpu', aggregation: 'avg', groupBy: ['resource'], granularity: 'auto', topN: 10 };
    case 'changes':
      return { queryType, actions: [...DEFAULT_CHANGE_ACTIONS] };
    case 'cost_summary':
    case 'snapshots':
      return { queryType };
    default:
      return { queryType };
  }
}

export function isQueryType(value: unknown): value is QueryType {
  return typeof value === 'string' && (QUERY_TYPES as readonly string[]).includes(value);
}

/**
 * Switches a query to another type: the new type's default, keeping only Grafana's identity fields
 * (refId, datasource, key, hide) — fields of the old type would be rejected or misread by the new one.
 */
export function withQueryType(query: DataQuery, queryType: QueryType): InfraZenDataQuery {
  const identity: DataQuery = { refId: query.refId };
  if (query.datasource) {
    identity.datasource = query.datasource;
  }
  if (query.key) {
    identity.key = query.key;
  }
  if (query.hide) {
    identity.hide = query.hide;
  }
  return { ...identity, ...defaultQuery(queryType) };
}

/**
 * Queries saved without a type (a panel created before a type was picked, a hand-written model) run as
 * the default type, the same way the editor shows them.
 */
export function normalizeQuery(query: DataQuery): InfraZenDataQuery {
  if (isQueryType(query.queryType)) {
    // A stored query with a known type is taken as that type's shape; the collector validates the rest.
    return query as InfraZenDataQuery;
  }
  return { ...query, ...defaultQuery(DEFAULT_QUERY_TYPE) };
}
