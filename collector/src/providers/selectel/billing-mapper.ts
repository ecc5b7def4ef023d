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

/** Everything in a line but its hour and amount: the same for every hour of one (object, metric). */
type LineTemplate = Omit<BillingLine, 'periodStart' | 'periodEnd' | 'amount'>;

/** The row fields a template is built from, in a fixed order. */
function templateInputs(r: Record<string, unknown>): unknown[] {
  const metric = asObject(r.metric);
  const object = asObject(r.object);
  const project = asObject(r.project);
  return [
    object.id,
    metric.id,
    r.provider_key,
    metric.name,
    metric.quantity,
    metric.region,
    metric.unit,
    object.name,
    object.parent_id,
    object.type,
    project.id,
    project.name,
  ];
}

function buildTemplate(inputs: unknown[]): LineTemplate {
  const [objectId, rawMetricId, rawProviderKey, metricName, quantity, rawZone, rawUnit, objectName, parentId, rawType] =
    inputs;
  const [projectId, projectName] = inputs.slice(10);
  const providerKey = str(rawProviderKey);
  const metricId = str(rawMetricId);
  const objectType = str(rawType);
  const resourceType = resourceTypeFor(providerKey, metricId, objectType);
  const zone = str(rawZone);
  const unit = str(rawUnit);
  const tags: Record<string, string> = {};
  if (providerKey) tags.provider_key = providerKey;
  if (zone) tags.availability_zone = zone;
  if (objectType) tags.object_type = objectType;
  return {
    resourceId: str(objectId) ?? '',
    resourceName: str(objectName),
    resourceType,
    parentResourceId: str(parentId),
    // One row per (object, metric, hour): the metric id is the line's identity within the hour.
    lineKey: metricId ?? providerKey ?? 'consumption',
    currency: 'RUB',
    ...serviceFor(providerKey, metricId, resourceType),
    region: regionOfZone(zone),
    consumedQuantity: decimalString(quantity),
    consumedUnit: unit,
    pricingUnit: unit,
    chargeDescription: str(metricName),
    chargeCategory: 'Usage',
    subAccountId: str(projectId),
    subAccountName: str(projectName),
    // Shared by every hour of the series; frozen so a consumer that edits it fails loudly instead of
    // changing other lines (the sync engine copies tags before adding its own).
    tags: Object.freeze(tags),
  };
}

/**
 * Maps the rows of one billing read. A large account repeats each (object, metric) every hour with the
 * same names, zone and quantity, so the derived part of a line is built once per series and reused
 * while the row's fields stay equal (compared on every row: a renamed object or resized disk gets a new
 * template). The last period's parse is kept too: rows of one hour arrive together.
 */
export class ConsumptionMapper {
  private readonly templates = new Map<string, { inputs: unknown[]; template: LineTemplate }>();
  private lastPeriod?: string;
  private lastPeriodMs?: number;

  /** A row it could not use (no amount or no period) gives undefined; the caller counts and reports them. */
  map(row: unknown): BillingLine | undefined {
    const r = asObject(row);
    const amount = kopecksToRoubles(r.value);
    if (amount === undefined) return undefined;
    const start = this.periodMs(r.period);
    if (start === undefined) return undefined;

    const inputs = templateInputs(r);
    const key = `${String(inputs[0])}\u0000${String(inputs[1])}`;
    let entry = this.templates.get(key);
    if (!entry || !inputs.every((v, i) => v === entry!.inputs[i])) {
      entry = { inputs, template: buildTemplate(inputs) };
      this.templates.set(key, entry);
    }
    return { ...entry.template, periodStart: new Date(start), periodEnd: new Date(start + HOUR_MS), amount };
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
