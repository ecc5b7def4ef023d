import type { Connection, Resource } from '../../api/types';
import { dominantCurrency, sumMoney } from '../../utils/money';

export interface ResourceFilters {
  search: string;
  type: string;
  status: string;
  flag: '' | 'zombie' | 'orphan';
}

export const NO_FILTERS: ResourceFilters = { search: '', type: '', status: '', flag: '' };

export interface Summary {
  total: number;
  running: number;
  stopped: number;
  zombie: number;
  orphan: number;
  currency: string;
  daily: string;
  monthly: string;
  /** Resources in another currency, left out of the sums. */
  skipped: number;
}

/**
 * Counts and exact cost totals. A volume folded into its VM (parentId) is counted but not costed:
 * its cost is inside the VM's (the collector's rule for totals).
 */
export function summarize(resources: Resource[]): Summary {
  const costed = resources.filter((r) => !r.parentId);
  const currency = dominantCurrency(costed.map((r) => r.currency));
  const daily = sumMoney(
    costed.map((r) => ({ amount: r.dailyCost, currency: r.currency })),
    currency
  );
  const monthly = sumMoney(
    costed.map((r) => ({ amount: r.monthlyCost, currency: r.currency })),
    currency
  );
  return {
    total: resources.length,
    running: resources.filter((r) => r.status === 'RUNNING').length,
    stopped: resources.filter((r) => r.status === 'STOPPED').length,
    zombie: resources.filter((r) => r.flags.zombie).length,
    orphan: resources.filter((r) => r.flags.orphan).length,
    currency,
    daily: daily.total,
    monthly: monthly.total,
    skipped: daily.skipped,
  };
}

export function applyFilters(resources: Resource[], f: ResourceFilters): Resource[] {
  const needle = f.search.trim().toLowerCase();
  return resources.filter(
    (r) =>
      (!needle ||
        r.name.toLowerCase().includes(needle) ||
        r.providerResourceId.toLowerCase().includes(needle) ||
        r.id.toLowerCase() === needle) &&
      (!f.type || r.type === f.type) &&
      (!f.status || r.status === f.status) &&
      (!f.flag || r.flags[f.flag])
  );
}

export interface Section {
  connectionId: string;
  connection?: Connection;
  resources: Resource[];
}

/** One section per connection, in the order of the connection list; unknown connections last. */
export function groupByConnection(resources: Resource[], connections: Connection[]): Section[] {
  const byId = new Map<string, Resource[]>();
  for (const r of resources) {
    byId.set(r.connectionId, [...(byId.get(r.connectionId) ?? []), r]);
  }
  const known = connections
    .filter((c) => byId.has(c.id))
    .map((c) => ({ connectionId: c.id, connection: c, resources: byId.get(c.id)! }));
  const unknown = [...byId.keys()]
    .filter((id) => !connections.some((c) => c.id === id))
    .map((id) => ({ connectionId: id, resources: byId.get(id)! }));
  return [...known, ...unknown];
}

/** A resource by InfraZen id or provider resource id (links from dashboards use either). */
export function findResource(resources: Resource[], id: string): Resource | undefined {
  return resources.find((r) => r.id === id) ?? resources.find((r) => r.providerResourceId === id);
}

export function distinct(resources: Resource[], key: 'type' | 'status'): string[] {
  return [...new Set(resources.map((r) => r[key]))].sort();
}
