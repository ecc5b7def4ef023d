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

export const BUDGET_STATES = ['ok', 'warning', 'critical', 'exceeded'] as const;
export type BudgetState = (typeof BUDGET_STATES)[number];

/** Budgets with their status as of now (one table row each); the dashboard range does not apply. */
export interface BudgetsQuery extends QueryBase {
  queryType: 'budgets';
  /** Only these budgets (ids); all by default. */
  budgetIds?: string[];
  /** Only budgets in these states. */
  states?: BudgetState[];
}

/** The attributes allocation rules and tags assign (also dimensions of `costs`). */
export const ALLOCATION_DIMENSIONS = ['business_unit', 'project', 'environment', 'cost_center'] as const;
export type AllocationDimension = (typeof ALLOCATION_DIMENSIONS)[number];

/**
 * Cost per allocation value over time (tags, rules, shares of split shared costs, and "Unallocated"),
 * or with `view: coverage` the allocated share of the cost. Granularity `total` gives a table (the MSP
 * view: cost per business unit with its share).
 */
export interface AllocationQuery extends QueryBase {
  queryType: 'allocation';
  /** Default business_unit. */
  dimension?: AllocationDimension;
  view?: 'cost' | 'coverage';
  /** Hours are shown as days (allocation is daily). */
  granularity?: Granularity;
  /** Keep the N largest values; the rest is folded into "Other". */
  topN?: number;
}

/** Cost per unit: cost in each bucket ÷ the unit metric's value in it (null without a value). */
export interface UnitCostQuery extends QueryBase {
  queryType: 'unit_cost';
  /** One metric by name; every metric (one series each) when omitted. */
  metric?: string;
  /** How a metric's points in one bucket combine: sum (default; orders), avg or last (active customers), max. */
  aggregation?: 'sum' | 'avg' | 'max' | 'last';
  granularity?: Granularity;
}

/** Account balances of prepaid providers with their runway (days until the balance reaches zero). */
export interface BalancesQuery extends QueryBase {
  queryType: 'balances';
  /** `history` (default): balance over time per connection; `runway`: one row per connection, now. */
  view?: 'history' | 'runway';
}

export const FORECAST_SCOPES = ['tenant', 'provider', 'connection', 'service'] as const;
export type ForecastScope = (typeof FORECAST_SCOPES)[number];

/** Daily cost forecast (Holt-Winters with weekly seasonality) for the rest of this month and the next three. */
export interface ForecastQuery extends QueryBase {
  queryType: 'forecast';
  /** What the cost is summed over; the whole tenant by default. */
  scope?: ForecastScope;
  /** The provider, connection id or service name; without it, one forecast per value (largest first). */
  scopeValue?: string;
  /** `daily`: actual to date and the forecast with bounds per day; `periods`: end of this month and the next three months. */
  view?: 'daily' | 'periods';
  /** Most forecasts when scopeValue is not given (default 10). */
  limit?: number;
}

export const RECOMMENDATION_KINDS = [
  'rightsize',
  'delete_zombie',
  'delete_orphan_volume',
  'release_ip',
  'stopped_vm_disks',
  'idle_database',
  'off_hours_schedule',
  'storage_tier',
] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];
export const RECOMMENDATION_STATUSES = ['open', 'accepted', 'dismissed', 'snoozed', 'done', 'resolved'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

export interface RecommendationsQuery extends QueryBase {
  queryType: 'recommendations';
  /** Default: open and accepted. */
  statuses?: RecommendationStatus[];
  kinds?: RecommendationKind[];
  /** `list` (default): one row per recommendation; `totals`: one row of savings and counts per status. */
  view?: 'list' | 'totals';
}

export interface AnomaliesQuery extends QueryBase {
  queryType: 'anomalies';
  /** Default: both connection and service anomalies. */
  scopeKind?: 'connection' | 'service';
  /** Leave out days marked as false positives (default true). */
  hideFalsePositives?: boolean;
}

export type InfraZenQuery =
  | CostsQuery
  | CostSummaryQuery
  | ResourcesQuery
  | UtilizationQuery
  | SnapshotsQuery
  | ChangesQuery
  | ForecastQuery
  | RecommendationsQuery
  | AnomaliesQuery
  | BalancesQuery
  | BudgetsQuery
  | AllocationQuery
  | UnitCostQuery;

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
