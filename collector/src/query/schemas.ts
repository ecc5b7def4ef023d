/**
 * zod schemas of the query API, checked against the shared contract types. The request is validated as a
 * whole (times, list of queries); each query is validated on its own, so one bad query answers with its
 * own error while the others run. Queries are loose objects: Grafana adds fields (datasource, key …).
 */
import { z } from 'zod';
import {
  ALLOCATION_DIMENSIONS,
  BUDGET_STATES,
  COST_METRICS,
  DIMENSIONS,
  FORECAST_SCOPES,
  GRANULARITIES,
  QUERY_TYPES,
  RECOMMENDATION_KINDS,
  RECOMMENDATION_STATUSES,
  type DataFrameJSON,
  type DimensionKey,
  type FieldConfig,
  type InfraZenQuery,
} from '../contract/query.js';
import { RESOURCE_STATUSES, RESOURCE_TYPES } from '../providers/types.js';

const dimensionKey = z.union([
  z.enum(DIMENSIONS),
  z.string().regex(/^tag:[\w.:/@-]{1,100}$/, 'tag dimensions look like tag:<key>'),
]) as z.ZodType<DimensionKey>;

/** Dimension filters as queries take them; reports reuse them as their scope. */
export const filtersSchema = z
  .array(
    z.object({
      dimension: dimensionKey,
      op: z.enum(['include', 'exclude']).default('include'),
      values: z.array(z.string().max(500)).max(1000),
    })
  )
  .max(20)
  .optional();

const base = { refId: z.string().min(1).max(100), hide: z.boolean().optional(), filters: filtersSchema };
const granularity = z.enum(GRANULARITIES).optional();

export const querySchemas = {
  costs: z.looseObject({
    ...base,
    queryType: z.literal('costs'),
    metric: z.enum(COST_METRICS).optional(),
    granularity,
    groupBy: z.array(dimensionKey).max(5).optional(),
    topN: z.number().int().min(1).max(1000).optional(),
  }),
  cost_summary: z.looseObject({ ...base, queryType: z.literal('cost_summary') }),
  resources: z.looseObject({
    ...base,
    queryType: z.literal('resources'),
    type: z.enum(RESOURCE_TYPES).optional(),
    status: z.enum(RESOURCE_STATUSES).optional(),
    flag: z.enum(['zombie', 'orphan']).optional(),
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  }),
  utilization: z.looseObject({
    ...base,
    queryType: z.literal('utilization'),
    metric: z.enum(['cpu', 'memory']).optional(),
    aggregation: z.enum(['avg', 'max', 'p95']).optional(),
    groupBy: z
      .array(z.enum(['resource', 'connection', 'provider']))
      .max(3)
      .optional(),
    granularity,
    resourceIds: z.array(z.string().max(300)).max(500).optional(),
    topN: z.number().int().min(1).max(500).optional(),
  }),
  snapshots: z.looseObject({ ...base, queryType: z.literal('snapshots') }),
  changes: z.looseObject({
    ...base,
    queryType: z.literal('changes'),
    actions: z.array(z.enum(['created', 'updated', 'deleted'])).optional(),
    kinds: z.array(z.enum(['cost', 'status', 'config'])).optional(),
  }),
  forecast: z.looseObject({
    ...base,
    queryType: z.literal('forecast'),
    scope: z.enum(FORECAST_SCOPES).optional(),
    scopeValue: z.string().min(1).max(300).optional(),
    view: z.enum(['daily', 'periods']).optional(),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  recommendations: z.looseObject({
    ...base,
    queryType: z.literal('recommendations'),
    statuses: z.array(z.enum(RECOMMENDATION_STATUSES)).max(6).optional(),
    kinds: z.array(z.enum(RECOMMENDATION_KINDS)).max(8).optional(),
    view: z.enum(['list', 'totals']).optional(),
  }),
  anomalies: z.looseObject({
    ...base,
    queryType: z.literal('anomalies'),
    scopeKind: z.enum(['connection', 'service']).optional(),
    hideFalsePositives: z.boolean().optional(),
  }),
  balances: z.looseObject({
    ...base,
    queryType: z.literal('balances'),
    view: z.enum(['history', 'runway']).optional(),
  }),
  budgets: z.looseObject({
    ...base,
    queryType: z.literal('budgets'),
    budgetIds: z.array(z.uuid()).max(200).optional(),
    states: z.array(z.enum(BUDGET_STATES)).max(4).optional(),
  }),
  allocation: z.looseObject({
    ...base,
    queryType: z.literal('allocation'),
    dimension: z.enum(ALLOCATION_DIMENSIONS).optional(),
    view: z.enum(['cost', 'coverage']).optional(),
    granularity,
    topN: z.number().int().min(1).max(1000).optional(),
  }),
  unit_cost: z.looseObject({
    ...base,
    queryType: z.literal('unit_cost'),
    metric: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[^\u0000]*$/, 'must not contain NUL characters')
      .optional(),
    aggregation: z.enum(['sum', 'avg', 'max', 'last']).optional(),
    granularity,
  }),
} as const;

export function parseQuery(raw: unknown): { ok: true; query: InfraZenQuery } | { ok: false; error: string } {
  const type = (raw as { queryType?: unknown })?.queryType;
  if (typeof type !== 'string' || !(QUERY_TYPES as readonly string[]).includes(type) || !(type in querySchemas)) {
    return { ok: false, error: `unknown queryType ${JSON.stringify(type)}; expected one of ${QUERY_TYPES.join(', ')}` };
  }
  const parsed = querySchemas[type as keyof typeof querySchemas].safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, query: parsed.data as unknown as InfraZenQuery };
}

const time = z.union([z.number().int().nonnegative(), z.string().min(1).max(40)]);

export const queryRequestSchema = z.object({
  from: time,
  to: time,
  queries: z
    .array(z.looseObject({ refId: z.string().min(1).max(100) }))
    .min(1)
    .max(50),
  intervalMs: z.number().positive().optional(),
  maxDataPoints: z.number().int().positive().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code')
    .optional(),
});

const fieldSchema = z.object({
  name: z.string(),
  type: z.enum(['time', 'number', 'string', 'boolean', 'other']),
  config: z.custom<FieldConfig>((v) => typeof v === 'object' && v !== null).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const frameSchema = z.object({
  schema: z.object({
    name: z.string().optional(),
    refId: z.string().optional(),
    fields: z.array(fieldSchema),
    meta: z.custom<NonNullable<DataFrameJSON['schema']['meta']>>((v) => typeof v === 'object' && v !== null).optional(),
  }),
  data: z.object({ values: z.array(z.array(z.unknown())) }),
});

export const queryResponseSchema = z.object({
  results: z.record(
    z.string(),
    z.object({ frames: z.array(frameSchema), error: z.string().optional(), status: z.number().optional() })
  ),
});
