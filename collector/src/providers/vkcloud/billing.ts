/**
 * Derived daily billing lines. VK Cloud has no public billing API, and the engine is billing-first, so
 * each priced resource (pricing.ts) yields one line per Moscow calendar day it existed in the window —
 * from max(window start, created) up to now, the current day at its full daily price — at the monthly
 * price ÷ 30 (tag `basis: stated-price`, as Beget's stated prices). The lines are a projection of
 * today's inventory and prices: a day already synced is produced again on the next sync and replaces
 * the stored one, so a price-list change corrects the days the sync re-reads, never doubling them.
 */
import { Decimal } from 'decimal.js';
import type { BillingLine, InventoryResource, TimeWindow } from '../types.js';

export const BATCH_SIZE = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MOSCOW_OFFSET_MS = 3 * HOUR_MS;

/** The UTC instant of Moscow midnight starting the Moscow day that contains `t`. */
export function moscowDayStart(t: number): number {
  return Math.floor((t + MOSCOW_OFFSET_MS) / DAY_MS) * DAY_MS - MOSCOW_OFFSET_MS;
}

/** Six decimals: a month ÷ 30 stays exact to far below a kopeck, with a bounded scale for the database. */
export function dailyOf(monthly: string): string {
  return new Decimal(monthly).div(30).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed();
}

const CATEGORY: Record<string, string> = { server: 'Compute', volume: 'Storage' };

function lineFor(resource: InventoryResource, amount: string, day: number): BillingLine {
  const serviceName = resource.serviceName ?? 'VK Cloud';
  const key = typeof resource.specs.priceKey === 'string' ? resource.specs.priceKey : undefined;
  return {
    resourceId: resource.providerResourceId,
    resourceName: resource.name,
    resourceType: resource.type,
    lineKey: resource.type === 'server' ? 'flavor' : 'volume',
    periodStart: new Date(day),
    periodEnd: new Date(day + DAY_MS),
    amount,
    currency: resource.price!.currency,
    serviceName,
    serviceCategory: CATEGORY[resource.type] ?? 'Other',
    region: resource.region,
    consumedQuantity: '1',
    consumedUnit: 'day',
    pricingUnit: 'day',
    chargeCategory: 'Usage',
    chargeDescription: `${serviceName} "${resource.name}": price list${key ? ` (${key})` : ''} per day`,
    tags: { basis: 'stated-price', ...(key ? { price_key: key } : {}) },
  };
}

/** One line per priced resource per Moscow day overlapping [max(window.start, created), min(window.end, now)). */
export function* derivedDailyLines(
  resources: readonly InventoryResource[],
  window: TimeWindow,
  now: Date,
  batchSize = BATCH_SIZE
): Generator<BillingLine[]> {
  const end = Math.min(window.end.getTime(), now.getTime());
  const priced = resources
    .filter((r) => r.price && r.status !== 'DELETED' && new Decimal(r.price.amount).gt(0))
    .map((resource) => {
      const created = resource.createdAt ? Date.parse(resource.createdAt) : Number.NaN;
      const from = Number.isNaN(created) ? window.start.getTime() : Math.max(window.start.getTime(), created);
      return { resource, from, amount: dailyOf(resource.price!.amount) };
    });
  if (priced.length === 0 || end <= window.start.getTime()) return;
  let batch: BillingLine[] = [];
  for (let day = moscowDayStart(window.start.getTime()); day < end; day += DAY_MS) {
    for (const item of priced) {
      if (day + DAY_MS <= item.from || item.from >= end) continue;
      batch.push(lineFor(item.resource, item.amount, day));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
