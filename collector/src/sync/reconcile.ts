/**
 * Phases 2–7 of the billing-first sync, as pure functions: billing says what costs money, inventory
 * says what exists. Every billed object lands on a resource; an object billed now but missing from a
 * complete inventory is a zombie; a volume attached to nothing is an orphan; volumes fold into their VM
 * (attachments, billing parent_id, or `disk-for-{VM}` naming) and the VM's cost includes them.
 */
import { Decimal } from 'decimal.js';
import type { InventoryResource, InventoryResult, ResourceStatus, ResourceType } from '../providers/types.js';
import { addDaily, baselineFrom, baselineFromBilling, baselineFromPrice, type CostBaseline } from './cost-baseline.js';

/** What billing says about one object over the current window (aggregated in SQL, see repositories). */
export interface BilledObject {
  resourceId: string;
  name: string | null;
  type: ResourceType;
  parentResourceId: string | null;
  region: string | null;
  serviceName: string | null;
  serviceCategory: string | null;
  total: string;
  /** Distinct charge periods in the window and their length. */
  periods: number;
  periodHours: number;
  currency: string;
  /** The lines are a projection of stated prices (Beget), not metered usage. */
  statedPrice: boolean;
}

export interface ReconciledResource {
  providerResourceId: string;
  name: string;
  type: ResourceType;
  status: ResourceStatus;
  region: string | null;
  serviceName: string | null;
  serviceCategory: string | null;
  zombie: boolean;
  orphan: boolean;
  parentProviderId: string | null;
  specs: Record<string, unknown>;
  tags: Record<string, string>;
  baseline: CostBaseline | null;
}

export interface ReconcileResult {
  resources: ReconciledResource[];
  byType: Record<string, number>;
  /** Per phase: how many objects it handled. */
  phaseCounts: Record<'servers' | 'volumes' | 'fileStorage' | 'generic' | 'unified', number>;
}

/** Types whose inventory we read by default: a billed object of another type cannot be called a zombie. */
export const DEFAULT_COVERED_TYPES: readonly ResourceType[] = ['server', 'volume'];
export const ACCOUNT_RESOURCE_ID = 'account';

export interface ReconcileInput {
  billed: BilledObject[];
  inventory: InventoryResult;
  coveredTypes?: readonly ResourceType[];
}

export function groupByType(billed: BilledObject[]): Map<ResourceType, BilledObject[]> {
  const groups = new Map<ResourceType, BilledObject[]>();
  for (const object of billed) {
    const list = groups.get(object.type) ?? [];
    list.push(object);
    groups.set(object.type, list);
  }
  return groups;
}

export function reconcile(input: ReconcileInput): ReconcileResult {
  const covered = new Set(input.coveredTypes ?? input.inventory.coveredTypes ?? DEFAULT_COVERED_TYPES);
  const canFlagZombie = (type: ResourceType) => input.inventory.complete && covered.has(type);
  const inventory = new Map(input.inventory.resources.map((r) => [r.providerResourceId, r]));
  const billedIds = new Set(input.billed.map((b) => b.resourceId));
  const groups = groupByType(input.billed);
  const out = new Map<string, ReconciledResource>();
  const phaseCounts = { servers: 0, volumes: 0, fileStorage: 0, generic: 0, unified: 0 };

  const fromBilled = (b: BilledObject): ReconciledResource => {
    const inv = inventory.get(b.resourceId);
    const zombie = !inv && canFlagZombie(b.type);
    return {
      providerResourceId: b.resourceId || ACCOUNT_RESOURCE_ID,
      name: inv?.name ?? b.name ?? (b.resourceId ? b.resourceId : 'Account-level charges'),
      type: inv?.type ?? b.type,
      // Billed and not inventoried: a zombie when the inventory is trustworthy, unknown when it failed.
      status: inv ? inv.status : zombie ? 'DELETED' : covered.has(b.type) ? 'UNKNOWN' : 'RUNNING',
      region: inv?.region ?? b.region,
      serviceName: inv?.serviceName ?? b.serviceName,
      serviceCategory: b.serviceCategory,
      zombie,
      // The provider's own evidence of waste (an unused reserved IP); volumes are judged in phase 4.
      orphan: !zombie && inv?.flags?.orphan === true,
      parentProviderId: null,
      specs: inv ? { ...inv.specs } : { billedOnly: true },
      tags: inv?.tags ?? {},
      baseline: billedBaseline(b, inv),
    };
  };
  const fromInventory = (inv: InventoryResource): ReconciledResource => ({
    providerResourceId: inv.providerResourceId,
    name: inv.name,
    type: inv.type,
    status: inv.status,
    region: inv.region ?? null,
    serviceName: inv.serviceName ?? null,
    serviceCategory: null,
    zombie: false,
    orphan: inv.flags?.orphan === true,
    parentProviderId: null,
    specs: { ...inv.specs },
    tags: inv.tags ?? {},
    baseline: inv.price ? baselineFromPrice(inv.price, inv.type === 'volume' ? 'list' : 'price') : null,
  });

  // Phase 3: servers — billed first, then inventory servers nobody billed (stopped, free tier…).
  for (const b of groups.get('server') ?? []) out.set(b.resourceId, fromBilled(b));
  for (const inv of input.inventory.resources) {
    if (inv.type === 'server' && !billedIds.has(inv.providerResourceId))
      out.set(inv.providerResourceId, fromInventory(inv));
  }
  phaseCounts.servers = [...out.values()].filter((r) => r.type === 'server').length;

  // Phase 4: volumes, folded into their VM or flagged as orphans.
  const servers = [...out.values()].filter((r) => r.type === 'server');
  const serverIds = new Set(servers.map((s) => s.providerResourceId));
  const volumes: ReconciledResource[] = [];
  const billedVolumes = new Map((groups.get('volume') ?? []).map((b) => [b.resourceId, b]));
  for (const b of billedVolumes.values()) volumes.push(fromBilled(b));
  for (const inv of input.inventory.resources) {
    if (inv.type === 'volume' && !billedVolumes.has(inv.providerResourceId)) volumes.push(fromInventory(inv));
  }
  for (const volume of volumes) {
    const inv = inventory.get(volume.providerResourceId);
    const attached = inv?.attachedTo?.find((id) => serverIds.has(id));
    const billedParent = billedVolumes.get(volume.providerResourceId)?.parentResourceId ?? null;
    const byName = parentByName(volume, servers);
    volume.parentProviderId =
      attached ??
      (billedParent && serverIds.has(billedParent) ? billedParent : null) ??
      byName?.providerResourceId ??
      null;
    if (volume.parentProviderId)
      volume.specs.foldedBy = attached
        ? 'attachment'
        : billedParent && serverIds.has(billedParent)
          ? 'billing-parent'
          : 'name';
    volume.orphan = volume.parentProviderId === null && !volume.zombie;
    out.set(volume.providerResourceId, volume);
  }
  phaseCounts.volumes = volumes.length;

  // Phase 5: file storage (Manila shares and the like).
  for (const b of groups.get('file_storage') ?? []) out.set(b.resourceId, fromBilled(b));
  phaseCounts.fileStorage = groups.get('file_storage')?.length ?? 0;

  // Phase 6: every other billed service, then inventory-only resources (domains, plans, free buckets).
  for (const [type, list] of groups) {
    if (type === 'server' || type === 'volume' || type === 'file_storage') continue;
    for (const b of list) out.set(b.resourceId || ACCOUNT_RESOURCE_ID, fromBilled(b));
    phaseCounts.generic += list.length;
  }
  for (const inv of input.inventory.resources) {
    if (!out.has(inv.providerResourceId)) {
      out.set(inv.providerResourceId, fromInventory(inv));
      phaseCounts.generic++;
    }
  }

  // Phase 7: unification — a VM carries its volumes and their cost.
  phaseCounts.unified = unify(out);

  const resources = [...out.values()];
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return { resources, byType, phaseCounts };
}

function billedBaseline(b: BilledObject, inv: InventoryResource | undefined): CostBaseline {
  // Stated-price lines are a projection of the price: keep the provider's own amount and period.
  if (b.statedPrice && inv?.price && inv.price.currency === b.currency) return baselineFromPrice(inv.price, 'price');
  return baselineFromBilling(b.total, b.periods, b.periodHours, b.currency);
}

const DISK_FOR = /^disk-for-(.+)$/i;

function parentByName(volume: ReconciledResource, servers: ReconciledResource[]): ReconciledResource | undefined {
  const match = DISK_FOR.exec(volume.name);
  if (!match) return undefined;
  const candidates = servers.filter((s) => s.name === match[1]);
  return candidates.find((s) => s.region === volume.region) ?? candidates[0];
}

function unify(resources: Map<string, ReconciledResource>): number {
  const children = new Map<string, ReconciledResource[]>();
  for (const r of resources.values()) {
    if (!r.parentProviderId) continue;
    const list = children.get(r.parentProviderId) ?? [];
    list.push(r);
    children.set(r.parentProviderId, list);
  }
  for (const [parentId, list] of children) {
    const parent = resources.get(parentId);
    if (!parent) continue;
    const own = parent.baseline;
    let volumesDaily: string | null = null;
    let storage = 0;
    let billedVolumes = false;
    for (const child of list) {
      if (child.baseline && (!own || child.baseline.currency === own.currency)) {
        volumesDaily = addDaily(volumesDaily, child.baseline.daily);
        if (child.baseline.source === 'billing' && new Decimal(child.baseline.daily).gt(0)) billedVolumes = true;
      }
      storage += Number(child.specs.sizeGb ?? 0);
    }
    // A stopped VM whose disks the provider still bills: waste the owner may not know about.
    if (parent.type === 'server' && parent.status === 'STOPPED') parent.specs.stoppedButBilled = billedVolumes;
    parent.specs.volumes = list.map((c) => ({
      id: c.providerResourceId,
      name: c.name,
      sizeGb: c.specs.sizeGb ?? null,
      volumeType: c.specs.volumeType ?? null,
      dailyCost: c.baseline?.daily ?? null,
    }));
    if (parent.specs.totalStorageGb === undefined && storage > 0) parent.specs.totalStorageGb = storage;
    parent.specs.costBreakdown = { ownDaily: own?.daily ?? null, volumesDaily };
    const currency = own?.currency ?? list.find((c) => c.baseline)?.baseline?.currency;
    const unified = addDaily(own?.daily ?? null, volumesDaily);
    if (unified !== null && currency) {
      // The VM keeps its own original amount and period; daily and monthly become the unified figures.
      const unifiedBaseline = baselineFrom(
        unified,
        'daily',
        currency,
        own?.source ?? list.find((c) => c.baseline)!.baseline!.source
      );
      parent.baseline = own
        ? { ...own, daily: unifiedBaseline.daily, monthly: unifiedBaseline.monthly }
        : unifiedBaseline;
    }
  }
  return children.size;
}
