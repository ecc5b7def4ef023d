/**
 * SQL of the FOCUS import and export (src/focus/). The import runs in one transaction as the owner role
 * with explicit tenant ids (like the sync engine); the export runs inside withTenant, so row-level
 * security scopes it. Column lists are code constants; every value is a parameter.
 */
import type { Queryable } from '../db.js';

/**
 * One import per connection at a time, across replicas. Transaction-scoped: released on commit or
 * rollback, and by PostgreSQL if the process dies.
 */
export async function tryLockFocusImport(q: Queryable, connectionId: string): Promise<boolean> {
  const [row] = await q.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_xact_lock(hashtextextended('infrazen.focus-import:' || $1, 0)) AS locked`,
    [connectionId]
  );
  return row?.locked === true;
}

/** The import's snapshot row (trigger 'import'); its id is also the cost rows' import_id. */
export async function insertImportSnapshot(
  q: Queryable,
  s: { tenantId: string; connectionId: string; instance: string }
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO sync_snapshots (tenant_id, connection_id, trigger, status, phase_name, instance)
     VALUES ($1, $2, 'import', 'running', 'focus import', $3) RETURNING id`,
    [s.tenantId, s.connectionId, s.instance]
  );
  return row!.id;
}

export interface ImportOutcome {
  status: 'success' | 'partial';
  linesWritten: number;
  window: { from: Date; to: Date } | undefined;
  resourcesFound: number;
  resourcesByType: Record<string, number>;
  stats: Record<string, unknown>;
}

export async function completeImportSnapshot(q: Queryable, id: string, o: ImportOutcome): Promise<void> {
  await q.query(
    `UPDATE sync_snapshots SET status = $2, completed_at = now(),
       duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int,
       lines_written = $3, window_start = $4, window_end = $5, resources_found = $6, resources_by_type = $7,
       stats = $8
     WHERE id = $1`,
    [
      id,
      o.status,
      o.linesWritten,
      o.window?.from ?? null,
      o.window?.to ?? null,
      o.resourcesFound,
      o.resourcesByType,
      o.stats,
    ]
  );
}

/**
 * Removes the connection's imported lines of one billing period (what a re-import replaces); returns
 * how many and the charge period they spanned, for the rollup refresh.
 */
export async function deleteFocusBillingPeriod(
  q: Queryable,
  connectionId: string,
  billingPeriodStart: string
): Promise<{ deleted: number; from: Date | null; to: Date | null }> {
  const [row] = await q.query<{ deleted: number; from: Date | null; to: Date | null }>(
    `WITH d AS (
       DELETE FROM cost_records WHERE connection_id = $1 AND source = 'focus' AND billing_period_start = $2
       RETURNING charge_period_start
     )
     SELECT count(*)::int AS deleted, min(charge_period_start) AS "from", max(charge_period_start) AS "to" FROM d`,
    [connectionId, billingPeriodStart]
  );
  return row ?? { deleted: 0, from: null, to: null };
}

/** COPY of prepared text-format lines into cost_records (the columns are the importer's constants). */
export async function copyCostRecordLines(
  q: Queryable,
  columns: readonly string[],
  lines: AsyncIterable<string>
): Promise<void> {
  if (!q.copyFrom) throw new Error('The FOCUS import needs COPY, which this database driver does not offer');
  await q.copyFrom(`COPY cost_records (${columns.join(', ')}) FROM STDIN`, lines);
}

export interface ImportedResource {
  resourceId: string;
  provider: string;
  name: string | null;
  resourceType: string | null;
  serviceName: string | null;
  serviceCategory: string | null;
  region: string | null;
  currency: string;
  tags: Record<string, unknown>;
}

/**
 * The resources one import named, described by their latest line, read through a cursor in pages so a
 * file naming many resources never sits in memory at once.
 */
export async function* importedResources(
  q: Queryable,
  connectionId: string,
  importId: string,
  pageSize = 2_000
): AsyncGenerator<ImportedResource[]> {
  await q.query(
    `DECLARE focus_import_resources NO SCROLL CURSOR FOR
     SELECT DISTINCT ON (resource_id) resource_id AS "resourceId", provider, resource_name AS name,
       resource_type AS "resourceType", service_name AS "serviceName", service_category AS "serviceCategory",
       region_id AS region, billing_currency AS currency, tags
     FROM cost_records
     WHERE connection_id = $1 AND import_id = $2 AND resource_id <> ''
     ORDER BY resource_id, charge_period_start DESC, (resource_name IS NULL), line_key`,
    [connectionId, importId]
  );
  try {
    for (;;) {
      const page = await q.query<ImportedResource>(`FETCH ${Number(pageSize)} FROM focus_import_resources`);
      if (page.length === 0) return;
      yield page;
    }
  } finally {
    await q.query('CLOSE focus_import_resources');
  }
}

export interface FocusResourceRow {
  providerResourceId: string;
  provider: string;
  name: string;
  type: string;
  serviceName: string | null;
  serviceCategory: string | null;
  region: string | null;
  currency: string;
  specs: Record<string, unknown>;
  tags: Record<string, unknown>;
}

/**
 * Puts imported resources in the inventory with their FOCUS provider (AWS, Microsoft …) so the same
 * dashboards cover them. Costs and status come afterwards from refreshFocusBaselines.
 */
export async function upsertFocusResources(
  q: Queryable,
  ctx: { tenantId: string; connectionId: string; snapshotId: string },
  rows: FocusResourceRow[]
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO resources (tenant_id, connection_id, provider, last_snapshot_id, provider_resource_id, name, type,
       service_name, service_category, region, status, specs, tags, currency, cost_source)
     SELECT $1, $2, r.provider, $3, r.provider_resource_id, r.name, r.type, r.service_name, r.service_category,
       r.region, 'UNKNOWN', r.specs, coalesce(r.tags, '{}'), r.currency, 'billing'
     FROM jsonb_to_recordset($4::jsonb) AS r(provider_resource_id text, provider text, name text, type text,
       service_name text, service_category text, region text, currency text, specs jsonb, tags jsonb)
     ON CONFLICT (connection_id, provider_resource_id) DO UPDATE SET
       provider = EXCLUDED.provider, name = EXCLUDED.name, type = EXCLUDED.type,
       service_name = EXCLUDED.service_name, service_category = EXCLUDED.service_category,
       region = EXCLUDED.region, specs = resources.specs || EXCLUDED.specs, tags = EXCLUDED.tags,
       currency = EXCLUDED.currency, cost_source = 'billing', active = true, last_seen = now(),
       last_snapshot_id = EXCLUDED.last_snapshot_id, updated_at = now()`,
    [
      ctx.tenantId,
      ctx.connectionId,
      ctx.snapshotId,
      JSON.stringify(
        rows.map((r) => ({
          provider_resource_id: r.providerResourceId,
          provider: r.provider,
          name: r.name,
          type: r.type,
          service_name: r.serviceName,
          service_category: r.serviceCategory,
          region: r.region,
          currency: r.currency,
          specs: r.specs,
          tags: r.tags,
        }))
      ),
    ]
  );
}

/**
 * The daily baseline of every resource of a FOCUS connection, from the latest day of its data (the 24
 * hours up to the latest hourly or daily line): hourly lines give an average hour × 24, daily lines the
 * day (as sync/cost-baseline.ts does for provider billing), 6 decimals without trailing zeros like its
 * money(), computed in numeric. Resources
 * billed that day are RUNNING; the others cost 0 now and their state is UNKNOWN (FOCUS says nothing of
 * state). Corrections (earlier periods) and monthly or longer lines are not "the latest day".
 */
export async function refreshFocusBaselines(q: Queryable, tenantId: string, connectionId: string): Promise<void> {
  await q.query(
    `UPDATE resources SET daily_cost = 0, monthly_cost = 0, original_cost = 0, cost_period = 'daily',
       status = 'UNKNOWN', updated_at = now()
     WHERE tenant_id = $1 AND connection_id = $2 AND active`,
    [tenantId, connectionId]
  );
  // Then the billed ones. Joined from the aggregate to resources' (connection, provider id) key: the
  // table was filled in this very transaction, so the planner's statistics call it empty, and any plan
  // that rescans the aggregate per resource takes seconds per thousand resources; an index lookup per
  // billed resource does not care.
  await q.query(
    `WITH latest AS (
       SELECT max(charge_period_start) AS ts FROM cost_records
       WHERE tenant_id = $1 AND connection_id = $2 AND resource_id <> '' AND charge_class IS NULL
         AND charge_period_end - charge_period_start <= interval '24 hours'
     ),
     win AS MATERIALIZED (
       SELECT c.resource_id, sum(c.effective_cost) AS total, count(DISTINCT c.charge_period_start) AS periods,
         max(c.charge_period_end - c.charge_period_start) <= interval '1 hour' AS hourly,
         min(c.billing_currency) AS currency
       FROM cost_records c, latest
       WHERE c.tenant_id = $1 AND c.connection_id = $2 AND c.resource_id <> '' AND c.charge_class IS NULL
         AND c.charge_period_end - c.charge_period_start <= interval '24 hours'
         AND c.charge_period_start > latest.ts - interval '24 hours' AND c.charge_period_start <= latest.ts
       GROUP BY c.resource_id
     ),
     base AS (
       SELECT resource_id, currency, hourly, trim_scale(round(total / periods, 6)) AS original,
         trim_scale(round(total / periods * CASE WHEN hourly THEN 24 ELSE 1 END, 6)) AS daily
       FROM win
     )
     UPDATE resources r SET daily_cost = b.daily, monthly_cost = trim_scale(b.daily * 30), original_cost = b.original,
       cost_period = CASE WHEN b.hourly THEN 'hourly' ELSE 'daily' END, currency = b.currency, status = 'RUNNING'
     FROM base b
     WHERE r.connection_id = $2 AND r.provider_resource_id = b.resource_id AND r.tenant_id = $1 AND r.active`,
    [tenantId, connectionId]
  );
}

// ---------------------------------------------------------------------------------------------------
// Export

/** UTC ISO 8601 with a Z (FOCUS DateTimeFormat); microseconds only when there are any. */
const isoUtc = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') ||
   CASE WHEN date_part('microseconds', ${column})::bigint % 1000000 = 0 THEN ''
     ELSE '.' || lpad((date_part('microseconds', ${column})::bigint % 1000000)::text, 6, '0') END || 'Z'`;

/** A bound given as a date is a Moscow calendar day (the rollup day); a date-time is taken as given. */
const bound = (param: string) =>
  `CASE WHEN ${param}::text ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN ${param}::date::timestamp AT TIME ZONE 'Europe/Moscow'
     ELSE ${param}::timestamptz END`;
const endBound = (param: string) =>
  `CASE WHEN ${param}::text ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN (${param}::date + 1)::timestamp AT TIME ZONE 'Europe/Moscow'
     ELSE ${param}::timestamptz END`;

/** The Moscow calendar month of a line: the billing period of Russian providers, which do not state one. */
const moscowMonth = `date_trunc('month', c.charge_period_start, 'Europe/Moscow')`;
const moscowMonthEnd = `((${moscowMonth} AT TIME ZONE 'Europe/Moscow') + interval '1 month') AT TIME ZONE 'Europe/Moscow'`;

export interface FocusExportFilter {
  /** YYYY-MM-DD (a Moscow day, inclusive) or an ISO date-time (inclusive). */
  from?: string;
  /** YYYY-MM-DD (a Moscow day, inclusive) or an ISO date-time (exclusive). */
  to?: string;
  connectionId?: string;
}

/**
 * FOCUS 1.2 values per line, built by the database (decimals as numeric text, timestamps formatted),
 * with the fallbacks the spec asks for when our data has no value: ListCost and ContractedCost equal
 * BilledCost when no list or contracted amount is known (FOCUS: a charge without unit prices "MUST match
 * the BilledCost"; Russian providers bill at list price), ServiceCategory "Other", BillingAccountId the
 * connection id, BillingAccountName the connection name, InvoiceIssuer and Publisher the provider.
 * `$4` maps provider ids to display names (selectel → Selectel).
 */
const EXPORT_SELECT = `
  SELECT c.availability_zone AS "AvailabilityZone", c.billed_cost::text AS "BilledCost",
    coalesce(c.billing_account_id, c.connection_id::text) AS "BillingAccountId", cn.name AS "BillingAccountName",
    c.billing_currency AS "BillingCurrency",
    ${isoUtc(`coalesce(c.billing_period_end, ${moscowMonthEnd})`)} AS "BillingPeriodEnd",
    ${isoUtc(`coalesce(c.billing_period_start, ${moscowMonth})`)} AS "BillingPeriodStart",
    c.charge_category AS "ChargeCategory", c.charge_class AS "ChargeClass",
    c.charge_description AS "ChargeDescription", c.charge_frequency AS "ChargeFrequency",
    ${isoUtc('c.charge_period_end')} AS "ChargePeriodEnd", ${isoUtc('c.charge_period_start')} AS "ChargePeriodStart",
    c.consumed_quantity::text AS "ConsumedQuantity", c.consumed_unit AS "ConsumedUnit",
    coalesce(c.contracted_cost, c.list_cost, c.billed_cost)::text AS "ContractedCost",
    c.contracted_unit_price::text AS "ContractedUnitPrice", c.effective_cost::text AS "EffectiveCost",
    coalesce(c.invoice_issuer, $4::jsonb ->> c.provider, c.provider) AS "InvoiceIssuerName",
    coalesce(c.list_cost, c.billed_cost)::text AS "ListCost", c.list_unit_price::text AS "ListUnitPrice",
    c.pricing_category AS "PricingCategory", c.pricing_quantity::text AS "PricingQuantity",
    c.pricing_unit AS "PricingUnit", coalesce($4::jsonb ->> c.provider, c.provider) AS "ProviderName",
    coalesce($4::jsonb ->> c.provider, c.provider) AS "PublisherName", c.region_id AS "RegionId",
    c.region_id AS "RegionName", nullif(c.resource_id, '') AS "ResourceId", c.resource_name AS "ResourceName",
    c.resource_type AS "ResourceType", coalesce(c.service_category, 'Other') AS "ServiceCategory",
    c.service_name AS "ServiceName", c.sku_id AS "SkuId", c.sku_price_id AS "SkuPriceId",
    c.sub_account_id AS "SubAccountId", c.sub_account_name AS "SubAccountName",
    CASE WHEN c.tags = '{}'::jsonb THEN NULL ELSE c.tags::text END AS "Tags"
  FROM cost_records c JOIN connections cn ON cn.id = c.connection_id
  WHERE ($1::text IS NULL OR c.charge_period_start >= ${bound('$1')})
    AND ($2::text IS NULL OR c.charge_period_start < ${endBound('$2')})
    AND ($3::uuid IS NULL OR c.connection_id = $3::uuid)
  ORDER BY c.charge_period_start`;

/** Opens a cursor over the export (inside withTenant: RLS keeps it to the tenant). */
export async function declareFocusExport(
  q: Queryable,
  filter: FocusExportFilter,
  providerNames: Record<string, string>
): Promise<void> {
  await q.query(`DECLARE focus_export NO SCROLL CURSOR FOR ${EXPORT_SELECT}`, [
    filter.from ?? null,
    filter.to ?? null,
    filter.connectionId ?? null,
    JSON.stringify(providerNames),
  ]);
}

export async function fetchFocusExport(q: Queryable, pageSize: number): Promise<Record<string, string | null>[]> {
  return q.query<Record<string, string | null>>(`FETCH ${Number(pageSize)} FROM focus_export`);
}

export async function connectionExists(q: Queryable, connectionId: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM connections WHERE id = $1`, [connectionId]);
  return rows.length > 0;
}
