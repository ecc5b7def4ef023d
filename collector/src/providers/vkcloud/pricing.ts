/**
 * Prices from the user's price list (VK Cloud has no public billing API). A running VM costs its
 * flavor's monthly price; a volume costs its size × its type's price per GB-month. VK Cloud charges
 * vCPU and RAM only while a VM runs, so a stopped VM (or one building or in error) has no compute price;
 * its volumes keep theirs.
 * Every priced resource says where its price came from in `specs`, and one without a price says
 * `specs.price: 'missing'` and which entry to add — a cost is never guessed. Pure.
 */
import { Decimal } from 'decimal.js';
import type { InventoryResource, StatedPrice } from '../types.js';
import type { VkcloudPriceList } from './schema.js';

export const CURRENCY = 'RUB';

/** An entry by exact name, else case-insensitively (`std2-2-4` for `STD2-2-4`). */
function lookup(table: Record<string, string>, name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (table[name] !== undefined) return table[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(table)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

export type PriceNote =
  | { price: 'price-list'; priceKey: string }
  | { price: 'missing'; priceKey: string | null; priceHint: string }
  | { price: 'stopped' | 'not-running'; priceKey: string };

export function priceOf(
  resource: InventoryResource,
  list: VkcloudPriceList
): { price?: StatedPrice; note?: PriceNote; extra?: Record<string, unknown> } {
  if (resource.type === 'server') {
    const flavor = typeof resource.specs.flavor === 'string' ? resource.specs.flavor : undefined;
    const key = flavor ? `flavor ${flavor}` : null;
    const monthly = lookup(list.flavors, flavor);
    if (monthly === undefined) {
      return {
        note: {
          price: 'missing',
          priceKey: key,
          priceHint: flavor
            ? `add flavor "${flavor}" to the connection's price list`
            : 'Nova did not report the flavor of this VM',
        },
      };
    }
    if (resource.status !== 'RUNNING') {
      const price = resource.status === 'STOPPED' ? 'stopped' : 'not-running';
      return { note: { price, priceKey: key! }, extra: { listPriceMonthly: monthly } };
    }
    return {
      price: { amount: monthly, period: 'monthly', currency: CURRENCY },
      note: { price: 'price-list', priceKey: key! },
    };
  }
  if (resource.type === 'volume') {
    const type = typeof resource.specs.volumeType === 'string' ? resource.specs.volumeType : undefined;
    const size = typeof resource.specs.sizeGb === 'number' ? resource.specs.sizeGb : undefined;
    const key = type ? `volume type ${type}` : null;
    const perGb = lookup(list.volumeTypes, type);
    if (perGb === undefined || size === undefined) {
      return {
        note: {
          price: 'missing',
          priceKey: key,
          priceHint: type
            ? `add volume type "${type}" to the connection's price list`
            : 'Cinder did not report the volume type',
        },
      };
    }
    const amount = new Decimal(perGb).mul(size).toFixed();
    return {
      price: { amount, period: 'monthly', currency: CURRENCY },
      note: { price: 'price-list', priceKey: key! },
      extra: { pricePerGbMonth: perGb },
    };
  }
  return {};
}

/** Sets `price` and the price notes in `specs` of every server and volume. */
export function applyPriceList(resources: InventoryResource[], list: VkcloudPriceList): InventoryResource[] {
  return resources.map((resource) => {
    const { price, note, extra } = priceOf(resource, list);
    if (!note) return resource;
    return { ...resource, ...(price ? { price } : {}), specs: { ...resource.specs, ...note, ...extra } };
  });
}
