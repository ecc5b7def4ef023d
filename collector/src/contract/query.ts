/**
 * The query API contract shared by the collector and the Grafana plugins — the one thing they share
 * (DESIGN.md §8). Types and constant lists only: no imports, no runtime dependencies, so the plugins can
 * bundle it without pulling collector code. The collector's zod schemas are checked against these types.
 */

export const QUERY_TYPES = [
  'costs',
  'cost_summary',
  'resources',
  'utilization',
  'snapshots',
  'changes',
  'recommendations',
  'budgets',
  'forecast',
  'anomalies',
  'balances',
  'allocation',
  'unit_cost',
] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** Dimensions for groupBy, filters and template variables. `tag:<key>` is also accepted. */
export const DIMENSIONS = [
  'provider',
  'connection',
  'service',
  'service_category',
  'region',
  'resource',
  'resource_type',
  'charge_category',
  'business_unit',
  'project',
  'environment',
  'cost_center',
  'currency',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type DimensionKey = Dimension | `tag:${string}`;

/** Extra dimensions for template variables only. */
export const VARIABLE_DIMENSIONS = ['tag_key', 'tag_value'] as const;

export const COST_METRICS = ['billed_cost', 'effective_cost', 'list_cost'] as const;
export type CostMetric = (typeof COST_METRICS)[number];

export const GRANULARITIES = ['auto', 'hour', 'day', 'week', 'month', 'total'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface DimensionFilter {
  dimension: DimensionKey;
  /** include: only these values; exclude: all but these. */
  op: 'include' | 'exclude';
  values: string[];
}

interface QueryBase {
  refId: string;
  /** Hidden queries are skipped (Grafana's `hide`). */
  hide?: boolean;
  filters?: DimensionFilter[];
}

export interface CostsQuery extends QueryBase {
  queryType: 'costs';
  metric?: CostMetric;
  granularity?: Granularity;
  groupBy?: DimensionKey[];
  /** Keep the N largest groups (by total over the range); the rest is folded into "Other". */
  topN?: number;
}

export interface CostSummaryQuery extends QueryBase {
  queryType: 'cost_summary';
}

export interface ResourcesQuery extends QueryBase {
  queryType: 'resources';
  type?: string;
  status?: string;
  flag?: 'zombie' | 'orphan';
  search?: string;
  limit?: number;
}

export interface UtilizationQuery extends QueryBase {
  queryType: 'utilization';
  metric?: 'cpu' | 'memory';
  aggregation?: 'avg' | 'max' | 'p95';
  /** `resource` gives one series per resource; none gives one aggregated series. */
  groupBy?: ('resource' | 'connection' | 'provider')[];
  granularity?: Granularity;
  resourceIds?: string[];
  topN?: number;
}

export interface SnapshotsQuery extends QueryBase {
  queryType: 'snapshots';
}

export interface ChangesQuery extends QueryBase {
  queryType: 'changes';
  actions?: ('created' | 'updated' | 'deleted')[];
  kinds?: ('cost' | 'status' | 'config')[];
}

export interface AnalyticsQuery extends QueryBase {
  queryType: 'recommendations' | 'budgets' | 'forecast' | 'anomalies' | 'balances' | 'allocation' | 'unit_cost';
}

export type InfraZenQuery =
  CostsQuery | CostSummaryQuery | ResourcesQuery | UtilizationQuery | SnapshotsQuery | ChangesQuery | AnalyticsQuery;

export interface QueryRequest {
  /** ISO 8601 string or epoch milliseconds (Grafana's range.from / range.to). */
  from: string | number;
  to: string | number;
  queries: InfraZenQuery[];
  /** The panel's interval, used when granularity is `auto`. */
  intervalMs?: number;
  maxDataPoints?: number;
  /** Currency to report in; the tenant's reporting currency (RUB by default) when omitted. */
  currency?: string;
}

/** Grafana's data frame JSON (what `/api/ds/query` returns; `dataFrameFromJSON` reads it). */
export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

export interface FieldConfig {
  unit?: string;
  displayName?: string;
  displayNameFromDS?: string;
  decimals?: number;
  min?: number;
  max?: number;
  links?: { title: string; url: string }[];
  custom?: Record<string, unknown>;
}

export interface FieldSchema {
  name: string;
  type: FieldType;
  config?: FieldConfig;
  labels?: Record<string, string>;
}

export interface FrameNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

export interface DataFrameJSON {
  schema: {
    name?: string;
    refId?: string;
    fields: FieldSchema[];
    meta?: {
      notices?: FrameNotice[];
      preferredVisualisationType?: 'graph' | 'table' | 'logs' | 'trace' | 'nodeGraph';
      executedQueryString?: string;
      custom?: Record<string, unknown>;
    };
  };
  data: { values: unknown[][] };
}

export interface QueryResult {
  frames: DataFrameJSON[];
  /** Set when this query failed; the other queries of the request are unaffected. */
  error?: string;
  status?: number;
}

export interface QueryResponse {
  results: Record<string, QueryResult>;
}

/** `GET /api/v1/dimensions/{dimension}/values?from=&to=&filters=&key=` */
export interface DimensionValue {
  value: string;
  text: string;
}

export interface DimensionValuesResponse {
  values: DimensionValue[];
}

/** `GET /api/v1/me` — used by the datasource's health check. */
export interface MeResponse {
  tenant: {
    id: string;
    grafanaOrgId: number;
    name: string;
    reportingCurrency: string;
    timezone: string;
    locale: string;
  };
  tokenId: string;
}

/** Data freshness for the datasource health check: `GET /api/v1/freshness`. */
export interface FreshnessResponse {
  connections: number;
  lastSyncAt: string | null;
  lastCostAt: string | null;
  failing: { id: string; name: string; lastError: string | null }[];
}
