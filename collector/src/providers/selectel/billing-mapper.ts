/**
 * One consumption row → one BillingLine. Pure, so the quirks are unit-tested without a server:
 * - `value` is kopecks, as a JSON number (integer or fractional) or a numeric string → roubles with
 *   decimal.js (exact: never float arithmetic on money);
 * - `period` is naive Moscow wall-clock time → a UTC instant; each row covers one hour;
 * - `metric.region` is an availability zone (`ru-3b`) → region `ru-3` (the zone is kept in tags), so
 *   billing and inventory group by the same region;
 * - `object.parent_id` ties a disk to its VM and is `""` at top level.
 */
import { Decimal } from 'decimal.js';
import type { BillingLine, ResourceType } from '../types.js';
import { regionOfZone } from './regions.js';
import { HOUR_MS, parseMoscowNaive } from './time.js';
import { asObject, str } from './values.js';

/** Wide enough that kopecks ÷ 100 never rounds, whatever magnitude the API sends. */
const Money = Decimal.clone({ precision: 40 });
const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function decimalOf(value: unknown): Decimal | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Money(value) : undefined;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return new Money(value.trim());
  return undefined;
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Plain decimal text (`-1234.5`, `300`) ÷ 100 by moving the point two digits left: the same exact text
 * decimal.js gives, at a fraction of its cost (a large account sends millions of amounts per sync).
 * Undefined for any other shape (exponent notation, a leading `+` …), which decimal.js handles.
 */
function shiftTwoPlaces(text: string): string | undefined {
  const m = PLAIN.exec(text);
  if (!m) return undefined;
  const int = m[2]!;
  let first = 0;
  while (first < int.length - 1 && int.charCodeAt(first) === 48) first++;
  const digits = first === 0 ? int : int.slice(first);
  let whole = '0';
  let fraction: string;
  if (digits.length > 2) {
    whole = digits.slice(0, -2);
    fraction = digits.slice(-2);
  } else fraction = digits.length === 2 ? digits : `0${digits}`;
  if (m[3] !== undefined) fraction += m[3];
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
  if (end === 0) return whole === '0' ? '0' : m[1] + whole;
  return `${m[1]}${whole}.${end === fraction.length ? fraction : fraction.slice(0, end)}`;
}

/** Kopecks (number or numeric string) → roubles as a plain decimal string; undefined when not a number. */
export function kopecksToRoubles(value: unknown): string | undefined {
  // decimal.js reads a JS number through its shortest round-trip text, i.e. String(value).
  if (typeof value === 'number' && Number.isFinite(value)) {
    const shifted = shiftTwoPlaces(String(value));
    if (shifted !== undefined) return shifted;
  } else if (typeof value === 'string') {
    const shifted = shiftTwoPlaces(value.trim());
    if (shifted !== undefined) return shifted;
  }
  const kopecks = decimalOf(value);
  if (kopecks === undefined) return undefined;
  if (kopecks.isZero()) return '0';
  return kopecks.div(100).toFixed();
}

/** A quantity as a plain decimal string (no exponent notation), or undefined. */
export function decimalString(value: unknown): string | undefined {
  // The usual case (a count of vCPUs, MB, GB) needs no decimal arithmetic to print.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value === 0 ? '0' : String(value);
  const d = decimalOf(value);
  return d === undefined ? undefined : d.isZero() ? '0' : d.toFixed();
}

/**
 * The normalized type of a billed object, from its provider key, metric id and object type: managed
 * services by provider key first (a database's disk metric is still a database), then the metric family.
 */
export function resourceTypeFor(providerKey?: string, metricId?: string, objectType?: string): ResourceType {
  const key = (providerKey ?? '').toLowerCase();
  const metric = (metricId ?? '').toLowerCase();
  const object = (objectType ?? '').toLowerCase();
  const either = (test: (s: string) => boolean) => test(metric) || test(object);
  if (key === 'dbaas' || either((s) => s.startsWith('dbaas'))) return 'database';
  if (key === 'mks' || either((s) => s.startsWith('mks'))) return 'k8s';
  if (key === 's3' || key === 'storage' || either((s) => s.startsWith('s3') || s.startsWith('object_storage')))
    return 'bucket';
  if (object === 'cloud_vm' || either((s) => s.startsWith('compute_') || s === 'compute')) return 'server';
  if (either((s) => s.startsWith('volume'))) return 'volume';
  if (either((s) => s.startsWith('share') || s.includes('file_storage') || s.startsWith('sfs'))) return 'file_storage';
  if (either((s) => /floating_?ips?|public_?ips?/.test(s))) return 'ip';
  return 'other';
}

export interface ServiceInfo {
  serviceName: string;
  /** FOCUS ServiceCategory. */
  serviceCategory: string;
}

/** Managed products are named by provider key; the cloud platform (`vpc`) by metric family. */
const PROVIDER_SERVICES: Record<string, ServiceInfo> = {
  dbaas: { serviceName: 'Managed Databases', serviceCategory: 'Databases' },
  mks: { serviceName: 'Managed Kubernetes', serviceCategory: 'Compute' },
  craas: { serviceName: 'Container Registry', serviceCategory: 'Developer Tools' },
  s3: { serviceName: 'Object Storage', serviceCategory: 'Storage' },
  storage: { serviceName: 'Object Storage', serviceCategory: 'Storage' },
  cdn: { serviceName: 'CDN', serviceCategory: 'Networking' },
};

const TYPE_SERVICES: Partial<Record<ResourceType, ServiceInfo>> = {
  server: { serviceName: 'Cloud Servers', serviceCategory: 'Compute' },
  volume: { serviceName: 'Block Storage', serviceCategory: 'Storage' },
  file_storage: { serviceName: 'File Storage', serviceCategory: 'Storage' },
  ip: { serviceName: 'Public IPs', serviceCategory: 'Networking' },
};

export function serviceFor(
  providerKey: string | undefined,
  metricId: string | undefined,
  type: ResourceType
): ServiceInfo {
  const byKey = PROVIDER_SERVICES[(providerKey ?? '').toLowerCase()];
  if (byKey) return byKey;
  const byType = TYPE_SERVICES[type];
  if (byType) return byType;
  const metric = (metricId ?? '').toLowerCase();
  if (metric.startsWith('image')) return { serviceName: 'Images', serviceCategory: 'Storage' };
  if (metric.startsWith('snapshot') || metric.includes('backup'))
    return { serviceName: 'Backups and Snapshots', serviceCategory: 'Storage' };
  if (metric.startsWith('network') || metric.includes('traffic'))
    return { serviceName: 'Networking', serviceCategory: 'Networking' };
  return { serviceName: 'Cloud Platform', serviceCategory: 'Other' };
}

/**
 * Maps the rows of one billing read. Rows of one hour arrive together, so the last period's parse is
 * reused. Nothing else is cached across rows: the sync's peak memory follows the data it holds at once
 * (V8 lets the heap grow to a multiple of it), and a per-series cache of 20k+ entries cost more there
 * than it saved in CPU.
 */
export class ConsumptionMapper {
  private lastPeriod?: string;
  private lastPeriodMs?: number;

  /** A row it could not use (no amount or no period) gives undefined; the caller counts and reports them. */
  map(row: unknown): BillingLine | undefined {
    const r = asObject(row);
    const amount = kopecksToRoubles(r.value);
    if (amount === undefined) return undefined;
    const start = this.periodMs(r.period);
    if (start === undefined) return undefined;

    const metric = asObject(r.metric);
    const object = asObject(r.object);
    const project = asObject(r.project);
    const providerKey = str(r.provider_key);
    const metricId = str(metric.id);
    const objectType = str(object.type);
    const resourceType = resourceTypeFor(providerKey, metricId, objectType);
    const zone = str(metric.region);
    const unit = str(metric.unit);
    const tags: Record<string, string> = {};
    if (providerKey) tags.provider_key = providerKey;
    if (zone) tags.availability_zone = zone;
    if (objectType) tags.object_type = objectType;

    return {
      resourceId: str(object.id) ?? '',
      resourceName: str(object.name),
      resourceType,
      parentResourceId: str(object.parent_id),
      // One row per (object, metric, hour): the metric id is the line's identity within the hour.
      lineKey: metricId ?? providerKey ?? 'consumption',
      periodStart: new Date(start),
      periodEnd: new Date(start + HOUR_MS),
      amount,
      currency: 'RUB',
      ...serviceFor(providerKey, metricId, resourceType),
      region: regionOfZone(zone),
      consumedQuantity: decimalString(metric.quantity),
      consumedUnit: unit,
      pricingUnit: unit,
      chargeDescription: str(metric.name),
      chargeCategory: 'Usage',
      subAccountId: str(project.id),
      subAccountName: str(project.name),
      tags,
    };
  }

  private periodMs(value: unknown): number | undefined {
    if (typeof value === 'string' && value === this.lastPeriod) return this.lastPeriodMs;
    const period = str(value);
    const ms = period === undefined ? undefined : parseMoscowNaive(period)?.getTime();
    if (typeof value === 'string' && ms !== undefined) {
      this.lastPeriod = value;
      this.lastPeriodMs = ms;
    }
    return ms;
  }
}

/** One row on its own (tests, one-off reads); a billing read uses one ConsumptionMapper for all rows. */
export function mapConsumptionRow(row: unknown): BillingLine | undefined {
  return new ConsumptionMapper().map(row);
}
