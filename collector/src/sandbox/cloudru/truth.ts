/**
 * What a correct sync of the generated Cloud.ru customer must find: the inventory of the two readable
 * projects, the special cases (zombie VM, orphan disk, stopped VM, billed-only services, an
 * account-level charge), and the exact cost of any window with and without VAT.
 */
import { Decimal } from 'decimal.js';
import { charges, roubles } from './consumption.js';
import { dayOf, dayStart, type CloudruAccount } from './model.js';

export interface CloudruTruth {
  /** The projects the connection reads (its settings); the third belongs to another team. */
  projectIds: string[];
  otherProjectId: string;
  vms: {
    id: string;
    name: string;
    projectId: string;
    state: string;
    cpu: number;
    ramMb: number;
    flavor: string;
    zone: string;
    ips: string[];
    diskIds: string[];
  }[];
  disks: { id: string; name: string; projectId: string; sizeGb: number; type: string; attachedTo: string[] }[];
  zombieVm: { id: string; name: string };
  orphanDisk: { id: string; name: string };
  stoppedVm: { id: string; name: string };
  billedOnly: { id: string; name: string; type: string }[];
  /** Rows per Moscow day in the readable projects (for paging checks). */
  rowsPerDay: number;
  /**
   * Exact roubles of the readable projects for the Moscow days whose midnight lies in
   * [start, end) — today's partial day included when its midnight is in range.
   */
  expectedCost(window: { start: Date; end: Date }, options?: { vat?: boolean }): string;
  expectedCostByResource(window: { start: Date; end: Date }, options?: { vat?: boolean }): Record<string, string>;
  /** Consumption rows in the window (one per object, SKU and day). */
  expectedRows(window: { start: Date; end: Date }): number;
}

export function buildTruth(account: CloudruAccount, now: () => Date): CloudruTruth {
  const readable = account.projects.filter((p) => p.accessible).map((p) => p.id);
  const days = (window: { start: Date; end: Date }) => {
    const from = dayOf(window.start.getTime() - 1) + 1; // first day whose midnight is ≥ start
    let to = dayOf(window.end.getTime());
    if (dayStart(to) >= window.end.getTime()) to--;
    return { from, to };
  };
  const inWindow = (window: { start: Date; end: Date }) => {
    const { from, to } = days(window);
    return charges(account, from, to, new Set(readable), now());
  };
  const byResource = (window: { start: Date; end: Date }, vat: boolean) => {
    const out = new Map<string, Decimal>();
    for (const c of inWindow(window)) {
      const units = vat ? c.amount + c.vat : c.amount;
      const id = c.meter.objectId || 'account';
      out.set(id, (out.get(id) ?? new Decimal(0)).plus(roubles(units)));
    }
    return out;
  };
  const today = dayOf(now().getTime());
  return {
    projectIds: readable,
    otherProjectId: account.projects.find((p) => !p.accessible)!.id,
    vms: account.vms.map((v) => ({
      id: v.id,
      name: v.name,
      projectId: v.projectId,
      state: v.state,
      cpu: v.flavor.cpu,
      ramMb: v.flavor.ram * 1024,
      flavor: v.flavor.name,
      zone: v.zone,
      ips: [v.ip, ...(v.floatingIp ? [v.floatingIp] : [])],
      diskIds: account.disks.filter((d) => d.attachedTo === v.id).map((d) => d.id),
    })),
    disks: account.disks.map((d) => ({
      id: d.id,
      name: d.name,
      projectId: d.projectId,
      sizeGb: d.sizeGb,
      type: d.type,
      attachedTo: d.attachedTo ? [d.attachedTo] : [],
    })),
    zombieVm: { id: account.zombieVm.id, name: account.zombieVm.name },
    orphanDisk: { id: account.orphanDiskId, name: account.disks.find((d) => d.id === account.orphanDiskId)!.name },
    stoppedVm: { id: account.stoppedVmId, name: account.vms.find((v) => v.id === account.stoppedVmId)!.name },
    billedOnly: account.billedOnly.map((b) => ({ ...b })),
    rowsPerDay: charges(account, today - 1, today - 1, new Set(readable), now()).length,
    expectedCost(window, options = {}) {
      let total = new Decimal(0);
      for (const value of byResource(window, options.vat ?? true).values()) total = total.plus(value);
      return total.toFixed();
    },
    expectedCostByResource(window, options = {}) {
      return Object.fromEntries([...byResource(window, options.vat ?? true)].map(([id, d]) => [id, d.toFixed()]));
    },
    expectedRows(window) {
      return inWindow(window).length;
    },
  };
}
