/**
 * One row of the detailed billing export → BillingLines (pure). A row is one (resource, SKU, Moscow day):
 * - `cost` becomes a Usage line; each credit column that is not zero becomes its own Credit line
 *   (credits are negative), so net = cost + credits and FOCUS keeps ChargeCategory Credit. `credit` is
 *   the total of the detailed credit columns, not another credit: only a remainder it holds beyond them
 *   (an older export without the detail columns) becomes a line, so nothing is counted twice;
 * - amounts stay decimal strings (decimal.js), never floats;
 * - `date` is a Moscow day: the line covers [Moscow midnight, +24 h);
 * - `label.user_labels.<name>` columns become tags; `folder_id`/`folder_name` the sub-account.
 */
import { Decimal } from 'decimal.js';
import type { BillingLine, ResourceType } from '../types.js';
import { DAY_MS, moscowDayStart, parseDay } from './time.js';

export type ExportRow = Record<string, string | undefined>;

export const CREDIT_COLUMNS = [
  'monetary_grant_credit',
  'volume_incentive_credit',
  'cud_credit',
  'misc_credit',
] as const;
export const REQUIRED_COLUMNS = ['date', 'cost', 'sku_id', 'resource_id', 'service_name'] as const;
const LABEL_PREFIX = 'label.user_labels.';

const Money = Decimal.clone({ precision: 40 });
const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A decimal cell ('' = 0, as the export leaves empty credit cells); undefined when it is not a number. */
export function decimalCell(value: string | undefined): Decimal | undefined {
  const text = (value ?? '').trim();
  if (text === '') return new Money(0);
  return NUMERIC.test(text) ? new Money(text) : undefined;
}

const plain = (d: Decimal): string => (d.isZero() ? '0' : d.toFixed());

interface Classification {
  type: ResourceType;
  category: string;
}

/**
 * The normalized type of a billed object from its service and SKU name (English or Russian: the export's
 * locale decides the SKU language). The billing resource id alone cannot tell a VM from a disk.
 */
export function classify(serviceName: string | undefined, skuName: string | undefined): Classification {
  const service = (serviceName ?? '').toLowerCase();
  const sku = (skuName ?? '').toLowerCase();
  if (service.includes('compute')) {
    if (/snapshot|image|снимок|образ/.test(sku)) return { type: 'other', category: 'Storage' };
    if (/drive|disk|storage|filesystem|диск|хранилищ|файлов/.test(sku)) return { type: 'volume', category: 'Storage' };
    return { type: 'server', category: 'Compute' };
  }
  if (service.includes('virtual private cloud') || service === 'vpc') {
    if (/\bip\b|адрес/.test(sku)) return { type: 'ip', category: 'Networking' };
    return { type: 'network', category: 'Networking' };
  }
  if (service.includes('object storage')) return { type: 'bucket', category: 'Storage' };
  if (service.includes('kubernetes')) return { type: 'k8s', category: 'Compute' };
  if (service.includes('load balancer')) return { type: 'load_balancer', category: 'Networking' };
  if (
    /managed service for (postgresql|mysql|clickhouse|redis|valkey|mongodb|opensearch|greenplum|ydb|sql server)|managed service for ydb|\bydb\b/.test(
      service
    )
  ) {
    return { type: 'database', category: 'Databases' };
  }
  if (service.includes('kafka') || service.includes('message queue') || service.includes('data streams')) {
    return { type: 'other', category: 'Integration' };
  }
  if (service.includes('functions') || service.includes('serverless') || service.includes('containers')) {
    return { type: 'other', category: 'Compute' };
  }
  return { type: 'other', category: 'Other' };
}

/** When one resource's lines disagree (a VM's egress is billed by VPC), the resource keeps the strongest. */
const TYPE_RANK: Record<ResourceType, number> = {
  server: 10,
  database: 9,
  k8s: 8,
  volume: 7,
  file_storage: 6,
  bucket: 5,
  load_balancer: 4,
  ip: 3,
  domain: 2,
  network: 1,
  other: 0,
};

export function strongerType(a: ResourceType, b: ResourceType): ResourceType {
  return TYPE_RANK[b] > TYPE_RANK[a] ? b : a;
}

export function labelTags(row: ExportRow): Record<string, string> | undefined {
  let tags: Record<string, string> | undefined;
  for (const [column, value] of Object.entries(row)) {
    if (!column.startsWith(LABEL_PREFIX) || value === undefined || value === '') continue;
    (tags ??= {})[column.slice(LABEL_PREFIX.length)] = value;
  }
  return tags;
}

export type MappedRow = { ok: true; day: string; lines: BillingLine[] } | { ok: false; reason: string };

/** Maps one export row; `fallbackCurrency` is the billing account's, for exports without the column. */
export function mapExportRow(row: ExportRow, fallbackCurrency: string): MappedRow {
  const day = parseDay(row.date);
  if (!day) return { ok: false, reason: 'no readable date' };
  const cost = decimalCell(row.cost);
  if (!cost) return { ok: false, reason: 'cost is not a number' };
  const credits: [string, Decimal][] = [];
  for (const column of CREDIT_COLUMNS) {
    const value = decimalCell(row[column]);
    if (!value) return { ok: false, reason: `${column} is not a number` };
    credits.push([column, value]);
  }
  const creditTotal = decimalCell(row.credit);
  if (!creditTotal) return { ok: false, reason: 'credit is not a number' };
  const detailed = credits.reduce((acc, [, v]) => acc.plus(v), new Money(0));
  const remainder = creditTotal.minus(detailed);
  // An empty or absent `credit` says nothing beyond the detail columns.
  if (!remainder.isZero() && (row.credit ?? '').trim() !== '') credits.push(['credit', remainder]);

  const resourceId = (row.resource_id ?? '').trim();
  const folderId = (row.folder_id ?? '').trim();
  const skuId = (row.sku_id ?? '').trim() || (row.sku_name ?? '').trim() || 'unknown-sku';
  // Folder-wide usage (Monitoring, support …) has no resource id: the folder keeps such lines apart.
  const baseKey = resourceId ? skuId : `${skuId}@${folderId}`;
  const { type, category } = classify(row.service_name, row.sku_name);
  const periodStart = moscowDayStart(day);
  const common = {
    resourceId,
    resourceType: type,
    periodStart,
    periodEnd: new Date(periodStart.getTime() + DAY_MS),
    currency: (row.currency ?? '').trim().toUpperCase() || fallbackCurrency,
    serviceName: row.service_name?.trim() || undefined,
    serviceCategory: category,
    subAccountId: folderId || undefined,
    subAccountName: row.folder_name?.trim() || undefined,
    tags: labelTags(row),
  };
  const description = row.sku_name?.trim() || undefined;
  const lines: BillingLine[] = [
    {
      ...common,
      lineKey: baseKey,
      amount: plain(cost),
      chargeCategory: 'Usage',
      chargeDescription: description,
      consumedQuantity: (row.pricing_quantity ?? '').trim() ? decimalCell(row.pricing_quantity)?.toFixed() : undefined,
      consumedUnit: row.pricing_unit?.trim() || undefined,
      pricingUnit: row.pricing_unit?.trim() || undefined,
    },
  ];
  for (const [column, value] of credits) {
    if (value.isZero()) continue;
    lines.push({
      ...common,
      lineKey: `${baseKey}:${column}`,
      amount: plain(value),
      chargeCategory: 'Credit',
      chargeDescription: description ? `${description} (${column})` : column,
    });
  }
  return { ok: true, day, lines };
}

/**
 * Folds the lines of one day: repeated keys (the same resource and SKU on two rows, e.g. two label sets)
 * are summed rather than left to overwrite each other, and every line of a resource gets the strongest
 * type any of its lines has.
 */
export function foldDay(lines: BillingLine[]): BillingLine[] {
  const byKey = new Map<string, BillingLine>();
  const types = new Map<string, ResourceType>();
  for (const line of lines) {
    types.set(line.resourceId, strongerType(types.get(line.resourceId) ?? 'other', line.resourceType));
    const key = `${line.resourceId}\u0000${line.lineKey}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...line });
      continue;
    }
    seen.amount = plain(new Money(seen.amount).plus(line.amount));
    if (seen.consumedQuantity !== undefined && line.consumedQuantity !== undefined) {
      seen.consumedQuantity = plain(new Money(seen.consumedQuantity).plus(line.consumedQuantity));
    }
  }
  const out = [...byKey.values()];
  for (const line of out) line.resourceType = types.get(line.resourceId) ?? line.resourceType;
  return out;
}
