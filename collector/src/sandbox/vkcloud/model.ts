/**
 * The generated VK Cloud project: servers, volumes and ports per region, and the price list a user
 * would keep for it — one flavor and one volume type deliberately left out, so "no price" is
 * exercised. Generated once, deterministically from the seed, against the clock at start-up.
 */
import { hashSeed, int, pick, seededRandom, uuid } from '../random.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface VkcloudSandboxOptions {
  /** Servers (default 6, at least 5), spread over the regions. */
  vms?: number;
  /** Regions of the catalog (default `RegionOne`, VK Cloud's Moscow region). */
  regions?: string[];
  /** Nova/Cinder page size (small values exercise pagination). */
  pageSize?: number;
  /** An old Nova that embeds no flavor whatever microversion is asked (the connector reads /flavors). */
  legacyNova?: boolean;
  /** Keystone token lifetime in seconds (default 86 400). */
  tokenTtlSeconds?: number;
}

export interface VkFlavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
}

export interface VkServer {
  id: string;
  name: string;
  region: string;
  zone: string;
  status: 'ACTIVE' | 'SHUTOFF';
  flavor: VkFlavor;
  createdAt: Date;
  /** Gnocchi keeps memory.usage only for VMs whose guest agent reports it. */
  memoryMetric: boolean;
  cpuBase: number;
  memFraction: number;
  ports: { id: string; mac: string; ip: string; networkId: string; subnetId: string }[];
}

export interface VkVolume {
  id: string;
  name: string;
  region: string;
  zone: string;
  sizeGb: number;
  volumeType: string;
  bootable: boolean;
  attachedTo?: string;
  createdAt: Date;
}

export interface VkAccount {
  username: string;
  password: string;
  domain: string;
  projectId: string;
  projectName: string;
  regions: string[];
  pageSize: number;
  legacyNova: boolean;
  tokenTtlSeconds: number;
  flavors: VkFlavor[];
  servers: VkServer[];
  volumes: VkVolume[];
  /** Network-owned ports (DHCP) per region: listed by Neutron, attached to no server. */
  networkPorts: { id: string; region: string; mac: string; ip: string }[];
  priceList: { flavors: Record<string, string>; volumeTypes: Record<string, string> };
  orphanVolumeId: string;
  stoppedServerId: string;
  unpricedServerId: string;
  unpricedVolumeId: string;
  noMemoryServerId: string;
}

const FLAVORS: Omit<VkFlavor, 'id'>[] = [
  { name: 'STD2-1-2', vcpus: 1, ram: 2048, disk: 0 },
  { name: 'STD2-2-4', vcpus: 2, ram: 4096, disk: 0 },
  { name: 'STD3-2-8', vcpus: 2, ram: 8192, disk: 0 },
  { name: 'STD3-4-16', vcpus: 4, ram: 16384, disk: 0 },
  // Not in the price list: a flavor the user has not priced yet.
  { name: 'GPU-8-32', vcpus: 8, ram: 32768, disk: 0 },
];
const NAMES = ['web-01', 'api-01', 'db-01', 'staging', 'ml-train', 'worker-01', 'web-02', 'gitlab'];
const VOLUME_TYPES = ['ceph-ssd', 'ceph-hdd', 'high-iops'];
const macOf = (n: number) =>
  `fa:16:3e:${[n >> 16, n >> 8, n].map((v) => (v & 0xff).toString(16).padStart(2, '0')).join(':')}`;

export function generateAccount(seed: number, now: Date, options: VkcloudSandboxOptions): VkAccount {
  const random = seededRandom(hashSeed(seed, 'vkcloud'));
  const regions = options.regions?.length ? [...options.regions] : ['RegionOne'];
  const count = Math.max(5, options.vms ?? 6);
  const flavors = FLAVORS.map((f) => ({ id: uuid(random), ...f }));
  const nets = new Map(regions.map((r, i) => [r, { networkId: uuid(random), subnetId: uuid(random), index: i }]));
  const STOPPED = 3;
  const UNPRICED = 4;
  const NO_MEMORY = 1;
  const daysAgo = (d: number, r: () => number) => new Date(now.getTime() - d * DAY_MS - int(r, 1, 20) * HOUR_MS);

  const servers: VkServer[] = [];
  const volumes: VkVolume[] = [];
  for (let i = 0; i < count; i++) {
    const r = seededRandom(hashSeed(seed, 'vk-server', i));
    const region = regions[i % regions.length]!;
    const net = nets.get(region)!;
    const id = uuid(r);
    const zone = pick(r, ['MS1', 'GZ1', 'ME1']);
    const server: VkServer = {
      id,
      name: i < NAMES.length ? NAMES[i]! : `vm-${String(i).padStart(4, '0')}`,
      region,
      zone,
      status: i === STOPPED ? 'SHUTOFF' : 'ACTIVE',
      flavor: i === UNPRICED ? flavors[4]! : flavors[i % 4]!,
      // Every sixth is recent, so the first days of a window are not billed for it.
      createdAt: daysAgo(i % 6 === 5 ? 2 : int(r, 40, 300), r),
      memoryMetric: i !== NO_MEMORY,
      cpuBase: 5 + r() * 55,
      memFraction: 0.3 + r() * 0.5,
      ports: [
        {
          id: uuid(r),
          mac: macOf(hashSeed(seed, 'vk-mac', i) & 0xffffff),
          ip: `10.${net.index}.0.${10 + i}`,
          networkId: net.networkId,
          subnetId: net.subnetId,
        },
      ],
    };
    servers.push(server);
    volumes.push({
      id: uuid(r),
      name: `${server.name}-boot`,
      region,
      zone,
      sizeGb: pick(r, [20, 40, 50]),
      volumeType: pick(r, VOLUME_TYPES),
      bootable: true,
      attachedTo: id,
      createdAt: server.createdAt,
    });
    if (i % 2 === 0) {
      volumes.push({
        id: uuid(r),
        name: `${server.name}-data`,
        region,
        zone,
        sizeGb: pick(r, [100, 200, 500]),
        volumeType: 'ceph-ssd',
        bootable: false,
        attachedTo: id,
        createdAt: new Date(server.createdAt.getTime() + DAY_MS),
      });
    }
  }
  const r = seededRandom(hashSeed(seed, 'vk-specials'));
  const orphan: VkVolume = {
    id: uuid(r),
    name: 'old-backup',
    region: regions[0]!,
    zone: 'MS1',
    sizeGb: 300,
    volumeType: 'ceph-hdd',
    bootable: false,
    createdAt: daysAgo(120, r),
  };
  // A type the price list does not name: attached, so only its price is missing.
  const unpriced: VkVolume = {
    id: uuid(r),
    name: `${servers[0]!.name}-fast`,
    region: servers[0]!.region,
    zone: servers[0]!.zone,
    sizeGb: 64,
    volumeType: 'dp1-ssd',
    bootable: false,
    attachedTo: servers[0]!.id,
    createdAt: daysAgo(30, r),
  };
  volumes.push(orphan, unpriced);

  return {
    username: 'finops@infrazen.example',
    password: `Vk-${hashSeed(seed, 'vk-password').toString(36)}!`,
    domain: 'users',
    projectId: uuid(r).replace(/-/g, ''),
    projectName: 'mcs1234567890',
    regions,
    pageSize: Math.max(1, options.pageSize ?? 1000),
    legacyNova: options.legacyNova ?? false,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400,
    flavors,
    servers,
    volumes,
    networkPorts: regions.map((region, i) => ({ id: uuid(r), region, mac: macOf(0xd0000 + i), ip: `10.${i}.0.2` })),
    priceList: {
      flavors: { 'STD2-1-2': '1650', 'STD2-2-4': '2950', 'STD3-2-8': '4450.5', 'STD3-4-16': '8800' },
      volumeTypes: { 'ceph-ssd': '12.8', 'ceph-hdd': '5.2', 'high-iops': '25.55' },
    },
    orphanVolumeId: orphan.id,
    stoppedServerId: servers[STOPPED]!.id,
    unpricedServerId: servers[UNPRICED]!.id,
    unpricedVolumeId: unpriced.id,
    noMemoryServerId: servers[NO_MEMORY]!.id,
  };
}
