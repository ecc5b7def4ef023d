/**
 * Writes billing lines. Keyed by (connection, resource, line, charge period start): re-ingesting a
 * window replaces rows, never doubles them (providers restate bills). Amounts travel as decimal strings
 * inside one JSON document per batch, so nothing passes through binary floating point and the same SQL
 * runs on every driver.
 */
import type { Queryable } from '../db.js';
import { dedupeWithWindow, type WriteResult } from './batch.js';

export interface CostRecordInput {
  tenantId: string;
  connectionId: string;
  resourceId: string;
  lineKey: string;
  chargePeriodStart: Date | string;
  chargePeriodEnd: Date | string;
  provider: string;
  billedCost: string;
  effectiveCost: string;
  listCost?: string | null;
  billingCurrency: string;
  serviceName?: string | null;
  serviceCategory?: string | null;
  regionId?: string | null;
  resourceName?: string | null;
  resourceType?: string | null;
  chargeCategory?: 'Usage' | 'Purchase' | 'Tax' | 'Credit' | 'Adjustment';
  chargeClass?: 'Correction' | null;
  chargeDescription?: string | null;
  billingAccountId?: string | null;
  subAccountId?: string | null;
  consumedQuantity?: string | null;
  consumedUnit?: string | null;
  pricingUnit?: string | null;
  tags?: Record<string, string>;
  source?: 'api' | 'focus' | 'demo';
}

const BATCH_SIZE = 5_000;

const COLUMNS: [string, string, keyof CostRecordInput][] = [
  ['tenant_id', 'uuid', 'tenantId'],
  ['connection_id', 'uuid', 'connectionId'],
  ['resource_id', 'text', 'resourceId'],
  ['line_key', 'text', 'lineKey'],
  ['charge_period_start', 'timestamptz', 'chargePeriodStart'],
  ['charge_period_end', 'timestamptz', 'chargePeriodEnd'],
  ['provider', 'text', 'provider'],
  ['billed_cost', 'numeric', 'billedCost'],
  ['effective_cost', 'numeric', 'effectiveCost'],
  ['list_cost', 'numeric', 'listCost'],
  ['billing_currency', 'text', 'billingCurrency'],
  ['service_name', 'text', 'serviceName'],
  ['service_category', 'text', 'serviceCategory'],
  ['region_id', 'text', 'regionId'],
  ['resource_name', 'text', 'resourceName'],
  ['resource_type', 'text', 'resourceType'],
  ['charge_category', 'text', 'chargeCategory'],
  ['charge_class', 'text', 'chargeClass'],
  ['charge_description', 'text', 'chargeDescription'],
  ['billing_account_id', 'text', 'billingAccountId'],
  ['sub_account_id', 'text', 'subAccountId'],
  ['consumed_quantity', 'numeric', 'consumedQuantity'],
  ['consumed_unit', 'text', 'consumedUnit'],
  ['pricing_unit', 'text', 'pricingUnit'],
  ['tags', 'jsonb', 'tags'],
  ['source', 'text', 'source'],
];

const KEY = ['connection_id', 'resource_id', 'line_key', 'charge_period_start'];
const names = COLUMNS.map(([c]) => c);
const UPSERT_SQL = `
  INSERT INTO cost_records (${names.join(', ')})
  SELECT ${COLUMNS.map(([c]) => (c === 'charge_category' ? `coalesce(r.${c}, 'Usage')` : c === 'tags' ? `coalesce(r.tags, '{}')` : c === 'source' ? `coalesce(r.source, 'api')` : `r.${c}`)).join(', ')}
  FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})
  ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET
    ${names
      .filter((c) => !KEY.includes(c))
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(',\n    ')},
    ingested_at = now()`;

function toJsonRow(row: CostRecordInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, , field] of COLUMNS) {
    const value = row[field];
    out[column] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return out;
}

function keyOf(row: CostRecordInput) {
  return `${row.connectionId}\u0000${row.resourceId}\u0000${row.lineKey}\u0000${new Date(row.chargePeriodStart).getTime()}`;
}

/** Upserts rows in batches; returns the number of distinct rows written and the time window touched. */
export async function upsertCostRecords(q: Queryable, rows: CostRecordInput[]): Promise<WriteResult> {
  const { unique, window } = dedupeWithWindow(rows, keyOf, (r) => r.chargePeriodStart);
  for (let i = 0; i < unique.length; i += BATCH_SIZE) {
    const batch = unique.slice(i, i + BATCH_SIZE).map(toJsonRow);
    await q.query(UPSERT_SQL, [JSON.stringify(batch)]);
  }
  return { written: unique.length, window };
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * COPY text format: backslash, tab and line breaks escaped; NULL as \N. Most fields need no escaping,
 * so one test skips the replace (this runs for every field of millions of rows in a large sync).
 */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

const COPY_SQL = `COPY cost_records (${names.join(', ')}) FROM STDIN`;

function* copyLines(rows: CostRecordInput[]): Generator<string> {
  const defaults: Partial<Record<keyof CostRecordInput, unknown>> = {
    chargeCategory: 'Usage',
    tags: {},
    source: 'api',
  };
  let chunk = '';
  for (const row of rows) {
    chunk += COLUMNS.map(([, , field]) => copyField(row[field] ?? defaults[field])).join('\t') + '\n';
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Removes one connection's provider-fetched lines in [from, to] (by charge period start). The sync
 * engine clears each window it re-reads before writing it, so a restated bill replaces the old lines,
 * including lines the provider no longer reports.
 */
export async function deleteCostWindow(
  q: Queryable,
  scope: { tenantId: string; connectionId: string },
  from: Date,
  to: Date
): Promise<number> {
  // tenant_id lets the (tenant_id, charge_period_start) index find the window; the primary key leads
  // with resource_id after connection_id, so without it every call scanned the connection's rows.
  const rows = await q.query<{ n: number }>(
    `WITH d AS (DELETE FROM cost_records WHERE tenant_id = $1 AND connection_id = $2 AND source <> 'focus'
       AND charge_period_start >= $3 AND charge_period_start <= $4 RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [scope.tenantId, scope.connectionId, from, to]
  );
  return rows[0]?.n ?? 0;
}

/**
 * Inserts rows of a window that was just cleared: COPY where the driver supports it (the fast path the
 * sync engine relies on), keyed upserts otherwise. Duplicate keys inside the batch keep the last row.
 */
export async function insertCostRecords(q: Queryable, rows: CostRecordInput[]): Promise<WriteResult> {
  if (!q.copyFrom) return upsertCostRecords(q, rows);
  const { unique, window } = dedupeWithWindow(rows, keyOf, (r) => r.chargePeriodStart);
  if (unique.length > 0) await q.copyFrom(COPY_SQL, copyLines(unique));
  return { written: unique.length, window };
}
