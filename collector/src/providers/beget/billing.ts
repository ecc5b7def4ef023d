/**
 * Derived daily billing lines.
 *
 * Beget has no consumption or billing-history API: what it exposes is the current stated price of every
 * VPS and cloud service (`price_day` / `price_month`) and the hosting plan's rate. The daily baseline is
 * therefore a projection of today's prices onto each Moscow calendar day the resource existed in the
 * window (tagged `basis: stated-price` so reports can say so). A day already synced is simply produced
 * again: the engine keys cost rows by (resource, lineKey, periodStart), so a re-sync replaces the row
 * and a price change corrects the day it is seen on, never doubling it.
 */
import type { BillingLine, InventoryResource, ResourceType, TimeWindow } from '../types.js';
import { CURRENCY, dailyAmount } from './mapper.js';
import { DAY_MS, moscowDayStart } from './time.js';
import { decimalString } from './values.js';

export const BILLING_BATCH_SIZE = 1000;

export type BegetLineKey = 'vps' | 'cloud-service' | 'plan';

export interface BaselineItem {
  resource: InventoryResource;
  lineKey: BegetLineKey;
}

/** FOCUS ServiceCategory per resource type. */
const SERVICE_CATEGORY: Partial<Record<ResourceType, string>> = {
  server: 'Compute',
  database: 'Databases',
  bucket: 'Storage',
  domain: 'Networking',
};

/** Resources that produce a line: priced above zero and not deleted (a removed VPS is no longer charged). */
export function billable(resource: InventoryResource): boolean {
  if (!resource.price || resource.status === 'DELETED') return false;
  return dailyAmount(resource.price).greaterThan(0);
}

/**
 * One line per item per Moscow day overlapping [max(window.start, createdAt), min(window.end, now)).
 * The day that contains `now` is included at its full daily price: Beget charges the day up front.
 */
export function* dailyBaselineLines(
  items: readonly BaselineItem[],
  window: TimeWindow,
  now: Date,
  batchSize = BILLING_BATCH_SIZE
): Generator<BillingLine[]> {
  const end = Math.min(window.end.getTime(), now.getTime());
  const priced = items
    .filter((item) => billable(item.resource))
    .map((item) => {
      const created = item.resource.createdAt ? Date.parse(item.resource.createdAt) : Number.NaN;
      const from = Number.isNaN(created) ? window.start.getTime() : Math.max(window.start.getTime(), created);
      return { ...item, from, amount: decimalString(dailyAmount(item.resource.price!)) };
    });
  if (priced.length === 0 || end <= window.start.getTime()) return;

  let batch: BillingLine[] = [];
  for (let day = moscowDayStart(window.start).getTime(); day < end; day += DAY_MS) {
    const dayEnd = day + DAY_MS;
    for (const item of priced) {
      if (dayEnd <= item.from) continue;
      batch.push(lineFor(item.resource, item.lineKey, item.amount, new Date(day), new Date(dayEnd)));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

function lineFor(
  resource: InventoryResource,
  lineKey: BegetLineKey,
  amount: string,
  periodStart: Date,
  periodEnd: Date
): BillingLine {
  const serviceName = resource.serviceName ?? 'Beget';
  return {
    resourceId: resource.providerResourceId,
    resourceName: resource.name,
    resourceType: resource.type,
    lineKey,
    periodStart,
    periodEnd,
    amount,
    currency: resource.price?.currency ?? CURRENCY,
    serviceName,
    serviceCategory: SERVICE_CATEGORY[resource.type] ?? (lineKey === 'plan' ? 'Web' : 'Other'),
    region: resource.region,
    consumedQuantity: '1',
    consumedUnit: 'day',
    pricingUnit: 'day',
    chargeCategory: 'Usage',
    chargeDescription: `${serviceName} "${resource.name}": stated price per day`,
    tags: { basis: 'stated-price' },
  };
}
