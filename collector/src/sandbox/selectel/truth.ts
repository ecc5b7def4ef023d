/**
 * What a correct sync of the generated account must find, for tests and the demo to check against:
 * the special cases (zombie VM, orphan volume, `disk-for-` volume, stopped VM, spike day), the inventory
 * per region, and the exact rouble cost of any window (honouring restatements).
 */
import { Consumption, roublesOf } from './consumption.js';
import { HOUR_MS, type SelectelAccount } from './model.js';

export interface SelectelTruthServer {
  id: string;
  name: string;
  region: string;
  zone: string;
  /** Raw Nova status (ACTIVE / SHUTOFF). */
  status: string;
  vcpus: number;
  ramMb: number;
  flavor: string;
  ips: string[];
  macs: string[];
  volumeIds: string[];
}

export interface SelectelTruthVolume {
  id: string;
  name: string;
  region: string;
  sizeGb: number;
  volumeType: string;
  bootable: boolean;
  status: string;
  attachedTo: string[];
}

export interface SelectelTruth {
  accountId: string;
  projectId: string;
  projectName: string;
  regions: string[];
  catalogRegions: string[];
  servers: SelectelTruthServer[];
  volumes: SelectelTruthVolume[];
  serverCountByRegion: Record<string, number>;
  volumeCountByRegion: Record<string, number>;
  /** Billed every hour up to now, absent from Nova (its billed boot disk is absent from Cinder). */
  zombieServer: { id: string; name: string };
  zombieVolume: { id: string; name: string; parentId: string };
  /** In Cinder, available, attached to nothing, billed without a parent. */
  orphanVolume: { id: string; name: string };
  /** Named `disk-for-{VM}`, neither attached nor billed with a parent: folded by the naming rule only. */
  diskForVolume: { id: string; name: string; serverId: string; serverName: string };
  /** Runs at about 4 % CPU and 20 % memory (Gnocchi): rightsizing finds it. */
  idleServer: { id: string; name: string; flavor: string; vcpus: number; ramMb: number; preemptible: boolean };
  /** SHUTOFF: billed only for its disks since it stopped. */
  stoppedServer: { id: string; name: string; stoppedAt: Date };
  /** One VM's compute ×factor for one Moscow calendar day. */
  spike: { serverId: string; serverName: string; day: string; start: Date; end: Date; factor: number };
  /** Billed objects no inventory call lists (public IP, managed database, Kubernetes). */
  billedOnly: { id: string; name: string; type: 'ip' | 'database' | 'k8s' | 'server' | 'volume' }[];
  balance: string;
  currency: 'RUB';
  daysToBlock: number;
  /** Billing rows per hour now (objects × metrics), for benchmarks. */
  rowsPerHour(): number;
  /** Billing lines (one per billed object, metric and hour) for the same hours as `expectedCost`. */
  expectedLines(window: { start: Date; end: Date }, providerKeys?: readonly string[]): number;
  /** Exact roubles billed for hours whose start lies in [floor-to-hour(start), end), up to the last complete hour. */
  expectedCost(window: { start: Date; end: Date }, providerKeys?: readonly string[]): string;
  /** The same, per billed object id. */
  expectedCostByResource(window: { start: Date; end: Date }, providerKeys?: readonly string[]): Record<string, string>;
  /**
   * Restates amounts already served: hours whose start lies in [from, to) are multiplied by `factor`
   * (rounded to hundredths of a kopeck) from the next request on.
   */
  restate(r: { from: Date; to: Date; factor: number }): void;
}

export function buildTruth(account: SelectelAccount, consumption: Consumption, now: () => Date): SelectelTruth {
  const countBy = <T>(items: T[], key: (item: T) => string) =>
    items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});
  const byId = new Map(account.servers.map((s) => [s.id, s]));
  const diskFor = account.volumes.find((v) => v.id === account.diskFor.volumeId)!;
  const diskForServer = byId.get(account.diskFor.serverId)!;
  const stopped = byId.get(account.stoppedServerId)!;
  const idle = byId.get(account.idleServerId)!;
  const spikeServer = byId.get(account.spike.serverId)!;
  const orphan = account.volumes.find((v) => v.id === account.orphanVolumeId)!;
  const keysOf = (providerKeys?: readonly string[]) => (providerKeys ? new Set(providerKeys) : undefined);

  return {
    accountId: account.accountId,
    projectId: account.projectId,
    projectName: account.projectName,
    regions: account.regions,
    catalogRegions: account.catalogRegions,
    servers: account.servers.map((s) => ({
      id: s.id,
      name: s.name,
      region: s.region,
      zone: s.zone,
      status: s.status,
      vcpus: s.flavor.vcpus,
      ramMb: s.flavor.ram,
      flavor: s.flavor.name,
      ips: s.ports.map((p) => p.ip),
      macs: s.ports.map((p) => p.mac),
      volumeIds: [...s.volumeIds],
    })),
    volumes: account.volumes.map((v) => ({
      id: v.id,
      name: v.name,
      region: v.region,
      sizeGb: v.sizeGb,
      volumeType: v.volumeType,
      bootable: v.bootable,
      status: v.status,
      attachedTo: v.attachedTo ? [v.attachedTo] : [],
    })),
    serverCountByRegion: countBy(account.servers, (s) => s.region),
    volumeCountByRegion: countBy(account.volumes, (v) => v.region),
    zombieServer: { id: account.zombieServer.id, name: account.zombieServer.name },
    zombieVolume: { id: account.zombieVolume.id, name: account.zombieVolume.name, parentId: account.zombieServer.id },
    orphanVolume: { id: orphan.id, name: orphan.name },
    diskForVolume: { id: diskFor.id, name: diskFor.name, serverId: diskForServer.id, serverName: diskForServer.name },
    stoppedServer: { id: stopped.id, name: stopped.name, stoppedAt: stopped.stoppedAt! },
    idleServer: {
      id: idle.id,
      name: idle.name,
      flavor: idle.flavor.name,
      vcpus: idle.flavor.vcpus,
      ramMb: idle.flavor.ram,
      preemptible: idle.preemptible,
    },
    spike: {
      serverId: spikeServer.id,
      serverName: spikeServer.name,
      day: account.spike.day,
      start: new Date(account.spike.fromHour * HOUR_MS),
      end: new Date(account.spike.toHour * HOUR_MS),
      factor: account.spike.factor,
    },
    billedOnly: account.billedOnly.map((b) => ({ id: b.id, name: b.name, type: b.kind })),
    balance: roublesOf(account.balanceKopecks * 100),
    currency: 'RUB',
    daysToBlock: account.daysToBlock,
    rowsPerHour() {
      const hour = Math.floor(now().getTime() / HOUR_MS) - 1;
      return account.meters.filter((m) => m.fromHour <= hour && hour < m.toHour).length;
    },
    expectedLines(window, providerKeys) {
      return consumption.rowCount(
        Math.floor(window.start.getTime() / HOUR_MS),
        Math.ceil(window.end.getTime() / HOUR_MS),
        keysOf(providerKeys)
      );
    },
    expectedCost(window, providerKeys) {
      let total = 0;
      for (const sum of consumption.totals(window, keysOf(providerKeys)).values()) total += sum;
      return roublesOf(total);
    },
    expectedCostByResource(window, providerKeys) {
      const out: Record<string, string> = {};
      for (const [id, sum] of consumption.totals(window, keysOf(providerKeys))) out[id] = roublesOf(sum);
      return out;
    },
    restate({ from, to, factor }) {
      consumption.restate({
        fromHour: Math.ceil(from.getTime() / HOUR_MS),
        toHour: Math.ceil(to.getTime() / HOUR_MS),
        factor,
      });
    },
  };
}
