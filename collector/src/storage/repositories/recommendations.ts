/**
 * Recommendations: the facts the engine reads (resources, hourly utilization, billed unit rates) and the
 * stored recommendations with their status. Runs inside withTenant: RLS scopes every statement.
 */
import type { RecommendationKind, RecommendationStatus } from '../../contract/query.js';
import { ROLLUP_TIME_ZONE } from '../rollups.js';
import type { Queryable } from '../db.js';

export interface ResourceRow {
  id: string;
  connection_id: string;
  connection_name: string;
  connection_settings: Record<string, unknown>;
  provider: string;
  provider_resource_id: string;
  name: string;
  type: string;
  status: string;
  is_zombie: boolean;
  is_orphan: boolean;
  parent_id: string | null;
  specs: Record<string, unknown>;
  tags: Record<string, string>;
  environment: string | null;
  daily_cost: string | null;
  monthly_cost: string | null;
  cost_source: string | null;
  currency: string | null;
  first_seen_day: string;
  last_own_cost_day: string | null;
  connection_first_cost_day: string | null;
}

/**
 * The current inventory of live connections, with the first day each resource appears in billing (up to
 * `sinceDay`, a year back) or inventory, the last day it was billed itself, and the first day of its
 * connection's billing data.
 */
export async function analysisResources(tx: Queryable, sinceDay: string): Promise<ResourceRow[]> {
  const tz = `'${ROLLUP_TIME_ZONE}'`;
  return tx.query<ResourceRow>(
    `WITH billed AS (
       SELECT connection_id, resource_id, (min(day) AT TIME ZONE ${tz})::date AS first_day,
         (max(day) AT TIME ZONE ${tz})::date AS last_day
       FROM tenant_cost_daily
       WHERE resource_id <> '' AND day >= ($1::date::timestamp AT TIME ZONE ${tz})
       GROUP BY connection_id, resource_id
     ), conn AS (
       SELECT connection_id, min(first_day) AS first_day FROM billed GROUP BY connection_id
     )
     SELECT r.id, r.connection_id, c.name AS connection_name, c.settings AS connection_settings, r.provider,
       r.provider_resource_id, r.name, r.type, r.status, r.is_zombie, r.is_orphan, r.parent_id, r.specs, r.tags,
       r.environment, r.daily_cost, r.monthly_cost, r.cost_source, r.currency,
       least(b.first_day, (r.first_seen AT TIME ZONE ${tz})::date)::text AS first_seen_day,
       b.last_day::text AS last_own_cost_day, cb.first_day::text AS connection_first_cost_day
     FROM resources r
     JOIN connections c ON c.id = r.connection_id AND c.deleted_at IS NULL
     LEFT JOIN billed b ON b.connection_id = r.connection_id AND b.resource_id = r.provider_resource_id
     LEFT JOIN conn cb ON cb.connection_id = r.connection_id
     WHERE r.active`,
    [sinceDay]
  );
}

export interface UtilizationRow {
  resource_uuid: string;
  metric: 'cpu_utilization' | 'memory_utilization';
  p95: number;
  avg: number;
  max: number;
  hours: number;
  first_hour: Date;
  last_hour: Date;
  off_p95: number | null;
  off_hours: number;
  weekend_hours: number;
  business_p95: number | null;
}

/**
 * CPU and memory per resource from the hourly rollup since `since`: the 95th percentile of the hourly
 * 95th percentiles (at least the samples' own p95, so never flattering), the sample-weighted average,
 * the maximum, and the same split into working hours (Mon–Fri 08:00–20:00, reporting time zone) and
 * the rest.
 */
export async function utilizationStats(tx: Queryable, since: Date): Promise<UtilizationRow[]> {
  const tz = `'${ROLLUP_TIME_ZONE}'`;
  return tx.query<UtilizationRow>(
    `WITH h AS (
       SELECT m.*, r.id AS resource_uuid,
         (extract(isodow FROM m.hour AT TIME ZONE ${tz}) IN (6, 7)
           OR extract(hour FROM m.hour AT TIME ZONE ${tz}) NOT BETWEEN 8 AND 19) AS off,
         extract(isodow FROM m.hour AT TIME ZONE ${tz}) IN (6, 7) AS weekend
       FROM tenant_metrics_hourly m
       JOIN resources r ON r.connection_id = m.connection_id AND r.provider_resource_id = m.resource_id AND r.active
       WHERE m.hour >= $1 AND m.metric IN ('cpu_utilization', 'memory_utilization')
     )
     SELECT resource_uuid, metric,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY p95_value) AS p95,
       sum(avg_value * samples) / sum(samples) AS avg, max(max_value) AS max, count(*)::int AS hours,
       min(hour) AS first_hour, max(hour) AS last_hour,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY p95_value) FILTER (WHERE off) AS off_p95,
       count(*) FILTER (WHERE off)::int AS off_hours, count(*) FILTER (WHERE weekend)::int AS weekend_hours,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY p95_value) FILTER (WHERE NOT off) AS business_p95
     FROM h GROUP BY resource_uuid, metric`,
    [since]
  );
}

export interface RateLineRow {
  resource_uuid: string;
  line_key: string;
  unit: string | null;
  description: string | null;
  currency: string;
  cost: string;
  quantity: string;
  hours: number;
}

/** Billing lines of the given resources since `since`, summed per line key: what a unit costs them. */
export async function billedLineTotals(tx: Queryable, resourceIds: string[], since: Date): Promise<RateLineRow[]> {
  if (resourceIds.length === 0) return [];
  return tx.query<RateLineRow>(
    `SELECT r.id AS resource_uuid, cr.line_key, cr.consumed_unit AS unit, min(cr.charge_description) AS description,
       cr.billing_currency::text AS currency, sum(cr.effective_cost) AS cost, sum(cr.consumed_quantity) AS quantity,
       (sum(extract(epoch FROM cr.charge_period_end - cr.charge_period_start)) / 3600)::int AS hours
     FROM resources r
     JOIN cost_records cr ON cr.connection_id = r.connection_id AND cr.resource_id = r.provider_resource_id
     WHERE r.id = ANY($1::uuid[]) AND cr.charge_period_start >= $2 AND cr.charge_category = 'Usage'
       AND cr.consumed_quantity > 0
     GROUP BY r.id, cr.line_key, cr.consumed_unit, cr.billing_currency`,
    [resourceIds, since]
  );
}

export interface StoredRecommendation {
  id: string;
  fingerprint: string;
  status: RecommendationStatus;
  snoozed_until: Date | null;
  resolved_at: Date | null;
}

export async function storedRecommendations(tx: Queryable): Promise<StoredRecommendation[]> {
  return tx.query<StoredRecommendation>(
    `SELECT id, fingerprint, status, snoozed_until, resolved_at FROM recommendations`
  );
}

export interface RecommendationWrite {
  connectionId: string | null;
  resourceId: string | null;
  fingerprint: string;
  kind: RecommendationKind;
  title: string;
  action: string;
  currentMonthlyCost: string | null;
  estimatedMonthlySavings: string | null;
  currency: string | null;
  confidence: number;
  evidence: Record<string, unknown>;
}

export async function insertRecommendations(
  tx: Queryable,
  tenantId: string,
  now: Date,
  items: RecommendationWrite[]
): Promise<void> {
  if (items.length === 0) return;
  await tx.query(
    `INSERT INTO recommendations (tenant_id, connection_id, resource_id, fingerprint, kind, title, action,
       current_monthly_cost, estimated_monthly_savings, currency, confidence, evidence, first_detected_at,
       last_detected_at, updated_at)
     SELECT $1, x.connection_id, x.resource_id, x.fingerprint, x.kind, x.title, x.action, x.current_monthly_cost,
       x.estimated_monthly_savings, x.currency, x.confidence, x.evidence, $2, $2, $2
     FROM jsonb_to_recordset($3::jsonb) AS x(connection_id uuid, resource_id uuid, fingerprint text, kind text,
       title text, action text, current_monthly_cost numeric, estimated_monthly_savings numeric, currency text,
       confidence numeric, evidence jsonb)`,
    [tenantId, now, JSON.stringify(items.map(toRecord))]
  );
}

/**
 * Refreshes the figures of recommendations detected again. Status moves only where the engine owns it:
 * resolved ones come back as open (the cause returned), snoozed ones whose time is up reopen; dismissed,
 * accepted and done keep the people's decision.
 */
export async function updateRecommendations(
  tx: Queryable,
  now: Date,
  items: (RecommendationWrite & { id: string })[]
): Promise<void> {
  if (items.length === 0) return;
  await tx.query(
    `UPDATE recommendations r SET connection_id = x.connection_id, resource_id = x.resource_id, title = x.title,
       action = x.action, current_monthly_cost = x.current_monthly_cost,
       estimated_monthly_savings = x.estimated_monthly_savings, currency = x.currency, confidence = x.confidence,
       evidence = x.evidence, last_detected_at = $1, updated_at = $1,
       status = CASE WHEN r.status = 'resolved' THEN 'open'
                     WHEN r.status = 'snoozed' AND r.snoozed_until <= $1 THEN 'open' ELSE r.status END,
       snoozed_until = CASE WHEN r.status = 'snoozed' AND r.snoozed_until <= $1 THEN NULL ELSE r.snoozed_until END,
       status_reason = CASE WHEN r.status = 'resolved' OR (r.status = 'snoozed' AND r.snoozed_until <= $1)
                            THEN NULL ELSE r.status_reason END,
       resolved_at = NULL
     FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, connection_id uuid, resource_id uuid, title text, action text,
       current_monthly_cost numeric, estimated_monthly_savings numeric, currency text, confidence numeric,
       evidence jsonb)
     WHERE r.id = x.id`,
    [now, JSON.stringify(items.map((i) => ({ id: i.id, ...toRecord(i) })))]
  );
}

/**
 * Closes recommendations whose cause is gone: open, accepted and snoozed ones become resolved; done
 * ones keep their status and get the time the cause was seen gone. Dismissed ones stay as they are.
 */
export async function resolveRecommendations(tx: Queryable, now: Date, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await tx.query<{ status: string }>(
    `UPDATE recommendations SET
       status = CASE WHEN status IN ('open', 'accepted', 'snoozed') THEN 'resolved' ELSE status END,
       snoozed_until = CASE WHEN status = 'snoozed' THEN NULL ELSE snoozed_until END,
       resolved_at = $2, updated_at = $2
     WHERE id = ANY($1::uuid[]) AND status IN ('open', 'accepted', 'snoozed', 'done') AND resolved_at IS NULL
     RETURNING status`,
    [ids, now]
  );
  return rows.filter((r) => r.status === 'resolved').length;
}

/** Reopens snoozed recommendations whose time is up (also those not re-detected in this run). */
export async function wakeSnoozed(tx: Queryable, now: Date): Promise<void> {
  await tx.query(
    `UPDATE recommendations SET status = 'open', snoozed_until = NULL, status_reason = NULL, updated_at = $1
     WHERE status = 'snoozed' AND snoozed_until <= $1`,
    [now]
  );
}

function toRecord(i: RecommendationWrite) {
  return {
    connection_id: i.connectionId,
    resource_id: i.resourceId,
    fingerprint: i.fingerprint,
    kind: i.kind,
    title: i.title,
    action: i.action,
    current_monthly_cost: i.currentMonthlyCost,
    estimated_monthly_savings: i.estimatedMonthlySavings,
    currency: i.currency,
    confidence: i.confidence,
    evidence: i.evidence,
  };
}

// ---- read side (API and query) --------------------------------------------------------------------

export interface Recommendation {
  id: string;
  kind: RecommendationKind;
  title: string;
  action: string;
  status: RecommendationStatus;
  statusReason: string | null;
  snoozedUntil: Date | null;
  connectionId: string | null;
  connectionName: string | null;
  provider: string | null;
  resourceId: string | null;
  resourceName: string | null;
  currentMonthlyCost: string | null;
  estimatedMonthlySavings: string | null;
  currency: string | null;
  confidence: number;
  evidence: Record<string, unknown>;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
  resolvedAt: Date | null;
}

const SELECT = `
  SELECT x.id, x.kind, x.title, x.action, x.status, x.status_reason AS "statusReason",
    x.snoozed_until AS "snoozedUntil", x.connection_id AS "connectionId", c.name AS "connectionName",
    c.provider, x.resource_id AS "resourceId", r.name AS "resourceName",
    x.current_monthly_cost AS "currentMonthlyCost", x.estimated_monthly_savings AS "estimatedMonthlySavings",
    x.currency, coalesce(x.confidence, 0)::float8 AS confidence, x.evidence,
    x.first_detected_at AS "firstDetectedAt", x.last_detected_at AS "lastDetectedAt", x.resolved_at AS "resolvedAt"
  FROM recommendations x
  LEFT JOIN connections c ON c.id = x.connection_id
  LEFT JOIN resources r ON r.id = x.resource_id`;

export interface RecommendationFilter {
  statuses?: RecommendationStatus[];
  kinds?: RecommendationKind[];
  connectionIds?: string[];
  providers?: string[];
  limit: number;
}

const filterArgs = (f: Omit<RecommendationFilter, 'limit'>) => [
  f.statuses?.length ? f.statuses : null,
  f.kinds?.length ? f.kinds : null,
  f.connectionIds?.length ? f.connectionIds : null,
  f.providers?.length ? f.providers : null,
];
const FILTER_WHERE = `($1::text[] IS NULL OR x.status = ANY($1)) AND ($2::text[] IS NULL OR x.kind = ANY($2))
  AND ($3::text[] IS NULL OR x.connection_id::text = ANY($3)) AND ($4::text[] IS NULL OR c.provider = ANY($4))`;

/** The largest savings first. */
export async function listRecommendations(tx: Queryable, f: RecommendationFilter): Promise<Recommendation[]> {
  return tx.query<Recommendation>(
    `${SELECT} WHERE ${FILTER_WHERE}
     ORDER BY x.estimated_monthly_savings DESC NULLS LAST, x.first_detected_at, x.id LIMIT $5`,
    [...filterArgs(f), f.limit]
  );
}

export async function getRecommendation(tx: Queryable, id: string): Promise<Recommendation | undefined> {
  const [row] = await tx.query<Recommendation>(`${SELECT} WHERE x.id = $1`, [id]);
  return row;
}

export interface SavingsTotalRow {
  status: RecommendationStatus;
  kind: RecommendationKind;
  count: number;
  /** Savings converted to `currency` with the latest rate; null when nothing converted. */
  savings: string | null;
  /** Recommendations whose currency has no rate to `currency` (left out of savings). */
  unconverted: number;
}

/**
 * Counts and savings per status and kind over the list's filter (without its limit), in `currency`:
 * other currencies are converted with the latest known rate.
 */
export async function recommendationTotals(
  tx: Queryable,
  f: Omit<RecommendationFilter, 'limit'>,
  currency: string
): Promise<SavingsTotalRow[]> {
  return tx.query<SavingsTotalRow>(
    `WITH conv AS (
       SELECT x.status, x.kind, x.estimated_monthly_savings AS amount,
         CASE WHEN x.currency IS NULL OR x.currency = $5 THEN x.estimated_monthly_savings
              ELSE x.estimated_monthly_savings * (SELECT rate FROM fx_rates WHERE from_currency = x.currency
                AND to_currency = $5 ORDER BY rate_date DESC LIMIT 1) END AS converted
       FROM recommendations x LEFT JOIN connections c ON c.id = x.connection_id
       WHERE ${FILTER_WHERE}
     )
     SELECT status, kind, count(*)::int AS count, sum(converted) AS savings,
       count(*) FILTER (WHERE amount IS NOT NULL AND converted IS NULL)::int AS unconverted
     FROM conv GROUP BY status, kind`,
    [...filterArgs(f), currency]
  );
}

export async function setRecommendationStatus(
  tx: Queryable,
  id: string,
  now: Date,
  change: { status: RecommendationStatus; reason: string | null; snoozedUntil: Date | null }
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE recommendations SET status = $2, status_reason = $3, snoozed_until = $4, updated_at = $5,
       resolved_at = CASE WHEN $2 = 'done' THEN resolved_at ELSE NULL END
     WHERE id = $1 RETURNING id`,
    [id, change.status, change.reason, change.snoozedUntil, now]
  );
  return rows.length > 0;
}

export async function countOpen(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM recommendations WHERE status = 'open'`);
  return row?.n ?? 0;
}
