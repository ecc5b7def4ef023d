/**
 * Change detection between a resource's stored state and what this sync found (reference §6.1.5):
 * cost, status and configuration changes, recorded per snapshot in resource_states.
 */
import { Decimal } from 'decimal.js';
import type { ReconciledResource } from './reconcile.js';

/** The comparable state of a resource, as stored in resource_states.previous_state/current_state. */
export interface ResourceStateView {
  name: string;
  type: string;
  status: string;
  region: string | null;
  zombie: boolean;
  orphan: boolean;
  parent: string | null;
  dailyCost: string | null;
  currency: string | null;
  specs: Record<string, unknown>;
}

export type StateAction = 'created' | 'updated' | 'deleted' | 'unchanged';

export interface StateChange {
  action: StateAction;
  changes: Record<string, { from: unknown; to: unknown }>;
  costChanged: boolean;
  statusChanged: boolean;
  configChanged: boolean;
}

export function viewOf(r: ReconciledResource): ResourceStateView {
  return {
    name: r.name,
    type: r.type,
    status: r.status,
    region: r.region,
    zombie: r.zombie,
    orphan: r.orphan,
    parent: r.parentProviderId,
    dailyCost: r.baseline?.daily ?? null,
    currency: r.baseline?.currency ?? null,
    specs: r.specs,
  };
}

/** Keys of specs that describe configuration (volatile figures such as disk usage are not config). */
const VOLATILE_SPECS = new Set(['diskUsed', 'diskLeft', 'costBreakdown', 'volumes']);

export function compareStates(
  previous: ResourceStateView | undefined,
  current: ResourceStateView | undefined
): StateChange {
  if (!previous && current)
    return { action: 'created', changes: {}, costChanged: false, statusChanged: false, configChanged: false };
  if (previous && !current)
    return { action: 'deleted', changes: {}, costChanged: false, statusChanged: false, configChanged: false };
  const prev = previous!;
  const cur = current!;
  const changes: StateChange['changes'] = {};
  const costChanged = !sameMoney(prev.dailyCost, cur.dailyCost);
  if (costChanged) changes.dailyCost = { from: prev.dailyCost, to: cur.dailyCost };
  const statusChanged = prev.status !== cur.status || prev.zombie !== cur.zombie;
  if (prev.status !== cur.status) changes.status = { from: prev.status, to: cur.status };
  if (prev.zombie !== cur.zombie) changes.zombie = { from: prev.zombie, to: cur.zombie };
  for (const key of ['name', 'region', 'parent', 'orphan'] as const) {
    if (prev[key] !== cur[key]) changes[key] = { from: prev[key], to: cur[key] };
  }
  const specKeys = new Set([...Object.keys(prev.specs ?? {}), ...Object.keys(cur.specs ?? {})]);
  for (const key of specKeys) {
    if (VOLATILE_SPECS.has(key)) continue;
    const from = prev.specs?.[key];
    const to = cur.specs?.[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[`specs.${key}`] = { from: from ?? null, to: to ?? null };
  }
  const configChanged = Object.keys(changes).some(
    (k) => k.startsWith('specs.') || ['name', 'region', 'parent', 'orphan'].includes(k)
  );
  const changed = costChanged || statusChanged || configChanged;
  return { action: changed ? 'updated' : 'unchanged', changes, costChanged, statusChanged, configChanged };
}

function sameMoney(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return new Decimal(a).equals(b);
}
