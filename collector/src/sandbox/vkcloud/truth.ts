/**
 * What a correct sync of the generated VK Cloud project must find: the inventory, the special cases
 * (orphan volume, stopped VM, a VM and a volume the price list does not cover, a VM without a memory
 * metric), and — computed here independently of the connector — the monthly and daily price of each
 * resource and the exact cost of any window under any price list.
 */
import { Decimal } from 'decimal.js';
import { DAY_MS, HOUR_MS, type VkAccount } from './model.js';

export type VkPriceList = { flavors: Record<string, string>; volumeTypes: Record<string, string> };

export interface VkcloudTruth {
  projectId: string;
  projectName: string;
  regions: string[];
  servers: {
    id: string;
    name: string;
    region: string;
    status: string;
    flavor: string;
    vcpus: number;
    ramMb: number;
    ips: string[];
    macs: string[];
    volumeIds: string[];
  }[];
  volumes: {
    id: string;
    name: string;
    region: string;
    sizeGb: number;
    volumeType: string;
    bootable: boolean;
    attachedTo: string[];
  }[];
  /** The price list the sandbox's settings carry. */
  priceList: VkPriceList;
  orphanVolume: { id: string; name: string };
  stoppedServer: { id: string; name: string };
  unpricedServer: { id: string; name: string; flavor: string };
  unpricedVolume: { id: string; name: string; volumeType: string };
  noMemoryServer: { id: string; name: string };
  /** Monthly roubles of every priced resource (running VMs of a listed flavor, volumes of a listed type). */
  monthlyPrices(priceList?: VkPriceList): Record<string, string>;
  /** Monthly ÷ 30, rounded half-up to 6 decimals: the amount of one day's line. */
  dailyPrices(priceList?: VkPriceList): Record<string, string>;
  /** Σ of the daily lines whose Moscow day overlaps [max(start, created), min(end, now)). */
  expectedCost(window: { start: Date; end: Date }, priceList?: VkPriceList): string;
  expectedLines(window: { start: Date; end: Date }, priceList?: VkPriceList): number;
}

const MOSCOW = 3 * HOUR_MS;

export function buildTruth(account: VkAccount, now: () => Date): VkcloudTruth {
  const monthly = (list: VkPriceList) => {
    const out: Record<string, string> = {};
    for (const s of account.servers) {
      const price = list.flavors[s.flavor.name];
      if (price !== undefined && s.status === 'ACTIVE') out[s.id] = new Decimal(price).toFixed();
    }
    for (const v of account.volumes) {
      const price = list.volumeTypes[v.volumeType];
      if (price !== undefined) out[v.id] = new Decimal(price).mul(v.sizeGb).toFixed();
    }
    return out;
  };
  const daily = (list: VkPriceList) =>
    Object.fromEntries(
      Object.entries(monthly(list)).map(([id, m]) => [
        id,
        new Decimal(m).div(30).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(),
      ])
    );
  const created = new Map([...account.servers, ...account.volumes].map((o) => [o.id, o.createdAt.getTime()]));
  const lines = (window: { start: Date; end: Date }, list: VkPriceList) => {
    const end = Math.min(window.end.getTime(), now().getTime());
    const first = Math.floor((window.start.getTime() + MOSCOW) / DAY_MS) * DAY_MS - MOSCOW;
    const out: string[] = [];
    for (const [id, amount] of Object.entries(daily(list))) {
      const from = Math.max(window.start.getTime(), created.get(id)!);
      for (let day = first; day < end; day += DAY_MS) if (day + DAY_MS > from && from < end) out.push(amount);
    }
    return out;
  };
  const pick = (id: string) => {
    const o = [...account.servers, ...account.volumes].find((x) => x.id === id)!;
    return { id: o.id, name: o.name };
  };
  const unpricedServer = account.servers.find((s) => s.id === account.unpricedServerId)!;
  const unpricedVolume = account.volumes.find((v) => v.id === account.unpricedVolumeId)!;
  return {
    projectId: account.projectId,
    projectName: account.projectName,
    regions: account.regions,
    servers: account.servers.map((s) => ({
      id: s.id,
      name: s.name,
      region: s.region,
      status: s.status,
      flavor: s.flavor.name,
      vcpus: s.flavor.vcpus,
      ramMb: s.flavor.ram,
      ips: s.ports.map((p) => p.ip),
      macs: s.ports.map((p) => p.mac),
      volumeIds: account.volumes.filter((v) => v.attachedTo === s.id).map((v) => v.id),
    })),
    volumes: account.volumes.map((v) => ({
      id: v.id,
      name: v.name,
      region: v.region,
      sizeGb: v.sizeGb,
      volumeType: v.volumeType,
      bootable: v.bootable,
      attachedTo: v.attachedTo ? [v.attachedTo] : [],
    })),
    priceList: { flavors: { ...account.priceList.flavors }, volumeTypes: { ...account.priceList.volumeTypes } },
    orphanVolume: pick(account.orphanVolumeId),
    stoppedServer: pick(account.stoppedServerId),
    unpricedServer: { ...pick(unpricedServer.id), flavor: unpricedServer.flavor.name },
    unpricedVolume: { ...pick(unpricedVolume.id), volumeType: unpricedVolume.volumeType },
    noMemoryServer: pick(account.noMemoryServerId),
    monthlyPrices: (list = account.priceList) => monthly(list),
    dailyPrices: (list = account.priceList) => daily(list),
    expectedCost: (window, list = account.priceList) =>
      lines(window, list)
        .reduce((sum, a) => sum.plus(a), new Decimal(0))
        .toFixed(),
    expectedLines: (window, list = account.priceList) => lines(window, list).length,
  };
}
