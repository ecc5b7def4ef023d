/**
 * The generated Selectel account: servers, volumes and ports per region, the billed objects and their
 * hourly meters. Generated once, deterministically from the seed, against the clock at start-up, so
 * creation dates stay fixed while the sandbox runs. Consumption is not stored: each (meter, hour)
 * amount is a pure function of the meter and the hour (consumption.ts), so any window of any size
 * account is produced on demand without holding its history.
 */
import { hashSeed, int, pick, seededRandom, uuid, type Random } from '../random.js';
import { CORE_HOUR, HOUR_MS, MeterBuilder, RAM_GB_HOUR, VOLUME_KINDS, type Meter, type VolumeKind } from './meters.js';

export { HOUR_MS } from './meters.js';
const DAY_HOURS = 24;

export interface SelectelSandboxOptions {
  /** Servers in Nova (default 8), spread over the regions. */
  vms?: number;
  /** Ordinary volumes attached to servers: one boot disk per server first, the rest data disks (default vms + 2). */
  volumes?: number;
  /** Regions that hold the account's resources (default ru-3 and ru-7). */
  regions?: string[];
  /** Regions the Keystone catalog lists (default: `regions`; [] to exercise the fallback list). */
  catalogRegions?: string[];
  /** Nova/Cinder page size (their default max_limit is 1000; small values exercise pagination). */
  pageSize?: number;
}

export interface SandboxServer {
  id: string;
  name: string;
  region: string;
  zone: string;
  status: 'ACTIVE' | 'SHUTOFF';
  flavor: { id: string; name: string; vcpus: number; ram: number; disk: number };
  createdAt: Date;
  /** SHUTOFF since (compute is no longer billed from then on). */
  stoppedAt?: Date;
  preemptible: boolean;
  volumeIds: string[];
  ports: SandboxPort[];
  /** Baseline CPU % and memory fraction for Gnocchi. */
  cpuBase: number;
  memFraction: number;
}

export interface SandboxPort {
  id: string;
  region: string;
  deviceId: string;
  deviceOwner: string;
  networkId: string;
  subnetId: string;
  mac: string;
  ip: string;
}

export interface SandboxVolume {
  id: string;
  name: string;
  region: string;
  zone: string;
  sizeGb: number;
  volumeType: string;
  bootable: boolean;
  status: 'in-use' | 'available';
  attachedTo?: string;
  createdAt: Date;
}

export interface BilledOnly {
  id: string;
  name: string;
  kind: 'server' | 'volume' | 'ip' | 'database' | 'k8s';
}

export interface SelectelAccount {
  accountId: string;
  projectId: string;
  projectName: string;
  apiKey: string;
  username: string;
  password: string;
  regions: string[];
  catalogRegions: string[];
  pageSize: number;
  servers: SandboxServer[];
  volumes: SandboxVolume[];
  /** Ports of servers plus network-owned ones (DHCP, router) per region. */
  ports: SandboxPort[];
  meters: Meter[];
  zombieServer: BilledOnly;
  zombieVolume: BilledOnly;
  orphanVolumeId: string;
  diskFor: { volumeId: string; serverId: string };
  stoppedServerId: string;
  /** Runs at about 4 % CPU and 20 % memory: a rightsizing candidate. */
  idleServerId: string;
  spike: { serverId: string; day: string; fromHour: number; toHour: number; factor: number };
  billedOnly: BilledOnly[];
  /** Account balance, whole kopecks; Selectel's own runway forecast in days. */
  balanceKopecks: number;
  daysToBlock: number;
  /** `settings` under `data` (newer answers) or at top level (one client saw that). */
  balancesSettingsAtTop: boolean;
}

const NAMES = ['web-01', 'api-01', 'db-01', 'staging-app', 'worker-01', 'monitoring', 'web-02', 'gitlab'];
const FLAVORS = [
  { name: 'SL1.1-2048', vcpus: 1, ram: 2048 },
  { name: 'SL1.2-4096', vcpus: 2, ram: 4096 },
  { name: 'SL1.2-8192', vcpus: 2, ram: 8192 },
  { name: 'SL1.4-16384', vcpus: 4, ram: 16384 },
  { name: 'SL1.8-32768', vcpus: 8, ram: 32768 },
];
const hourOf = (date: Date) => Math.floor(date.getTime() / HOUR_MS);

function macOf(n: number): string {
  const hex = (v: number) => (v & 0xff).toString(16).padStart(2, '0');
  return `fa:16:3e:${hex(n >> 16)}:${hex(n >> 8)}:${hex(n)}`;
}

/** The Moscow calendar day (YYYY-MM-DD) a UTC instant falls on, and that day's first UTC hour. */
export function moscowDay(date: Date): { day: string; firstHour: number } {
  const msk = new Date(date.getTime() + 3 * HOUR_MS);
  const day = msk.toISOString().slice(0, 10);
  return { day, firstHour: hourOf(new Date(Date.parse(`${day}T00:00:00Z`) - 3 * HOUR_MS)) };
}

export function generateAccount(seed: number, now: Date, options: SelectelSandboxOptions): SelectelAccount {
  const random = seededRandom(hashSeed(seed, 'selectel'));
  const regions = options.regions?.length ? [...options.regions] : ['ru-3', 'ru-7'];
  const catalogRegions = options.catalogRegions ? [...options.catalogRegions] : regions;
  const vmCount = Math.max(4, options.vms ?? 8);
  const volumeCount = Math.max(0, options.volumes ?? vmCount + 2);
  const nowHour = hourOf(now);
  const daysAgo = (days: number) => nowHour - days * DAY_HOURS;

  const accountId = String(100_000 + int(random, 0, 899_999));
  const project = { id: uuid(random).replace(/-/g, ''), name: 'infrazen-demo' };
  const b = new MeterBuilder(accountId, project);
  const zoneOf = (region: string, r: Random) => `${region}${pick(r, ['a', 'b'])}`;

  // Roles, by index among the servers: which one is stopped, which spikes, which has a `disk-for-` twin.
  const SPIKE = 1;
  const STOPPED = 3;
  const DISK_FOR = 5;
  const { day: spikeDay, firstHour: spikeFrom } = moscowDay(new Date(now.getTime() - 10 * DAY_HOURS * HOUR_MS));
  const spike = { fromHour: spikeFrom, toHour: spikeFrom + DAY_HOURS, factor: 5 };

  const servers: SandboxServer[] = [];
  const ports: SandboxPort[] = [];
  const networks = new Map(
    regions.map((region, i) => [
      region,
      {
        networkId: uuid(random),
        subnetId: uuid(random),
        publicNetworkId: uuid(random),
        publicSubnetId: uuid(random),
        index: i,
      },
    ])
  );
  let portSerial = 0;
  const portFor = (
    region: string,
    deviceId: string,
    deviceOwner: string,
    isPublic: boolean,
    n: number
  ): SandboxPort => {
    const net = networks.get(region)!;
    portSerial++;
    return {
      id: uuid(random),
      region,
      deviceId,
      deviceOwner,
      networkId: isPublic ? net.publicNetworkId : net.networkId,
      subnetId: isPublic ? net.publicSubnetId : net.subnetId,
      mac: macOf(hashSeed(seed, 'mac', portSerial) & 0xffffff),
      ip: isPublic
        ? `185.${91 + net.index}.${(n >> 8) & 0xff}.${n & 0xff}`
        : `10.${net.index}.${(n >> 8) & 0xff}.${n & 0xff}`,
    };
  };

  for (let i = 0; i < vmCount; i++) {
    const region = regions[i % regions.length]!;
    const r = seededRandom(hashSeed(seed, 'server', i));
    const flavor = pick(r, FLAVORS);
    const name = i < NAMES.length ? NAMES[i]! : `vm-${String(i).padStart(5, '0')}`;
    // Most servers are older than the longest backfill; every eighth is recent.
    const ageDays = i % 8 === 7 ? int(r, 20, 60) : int(r, 130, 400);
    const id = uuid(r);
    const server: SandboxServer = {
      id,
      name,
      region,
      zone: zoneOf(region, r),
      status: i === STOPPED ? 'SHUTOFF' : 'ACTIVE',
      flavor: { id: uuid(r), name: flavor.name, vcpus: flavor.vcpus, ram: flavor.ram, disk: 0 },
      createdAt: new Date((daysAgo(ageDays) + int(r, 0, 23)) * HOUR_MS + int(r, 0, 3599) * 1000),
      // Batch workers run on cheaper preemptible machines (compute_*_preemptible meters).
      preemptible: name.startsWith('worker'),
      volumeIds: [],
      ports: [],
      cpuBase: 5 + r() * 55,
      memFraction: 0.3 + r() * 0.5,
    };
    if (i === STOPPED) server.stoppedAt = new Date((daysAgo(20) + 9) * HOUR_MS);
    const n = i + 10;
    server.ports.push(portFor(region, id, `compute:${server.zone}`, false, n));
    if (i % 2 === 0) server.ports.push(portFor(region, id, `compute:${server.zone}`, true, n));
    ports.push(...server.ports);
    servers.push(server);
    b.server(
      { ...server.flavor, id, name, zone: server.zone, preemptible: server.preemptible },
      hourOf(server.createdAt),
      server.stoppedAt ? hourOf(server.stoppedAt) : undefined,
      r,
      i === SPIKE ? spike : undefined
    );
  }
  // An idle VM for rightsizing: CPU around 4 % and memory around 20 % (set after the draws above, so
  // every other generated value stays as it was). The first plain server with a smaller flavor above it.
  const idle =
    servers.find((s, i) => ![SPIKE, STOPPED, DISK_FOR].includes(i) && !s.preemptible && s.flavor.vcpus > 1) ??
    servers[0]!;
  idle.cpuBase = 4;
  idle.memFraction = 0.2;

  // Network-owned ports (DHCP, router): present in Neutron, attached to no server.
  for (const region of regions) {
    ports.push(portFor(region, `dhcp${uuid(random).slice(0, 8)}`, 'network:dhcp', false, 2));
    ports.push(portFor(region, uuid(random), 'network:router_interface', false, 1));
  }

  const volumes: SandboxVolume[] = [];
  const addVolume = (
    v: Omit<SandboxVolume, 'zone' | 'volumeType' | 'status'> & { kind: VolumeKind; zone: string },
    billedParent: SandboxServer | undefined,
    r: Random
  ) => {
    const attached = v.attachedTo !== undefined;
    const volume: SandboxVolume = {
      id: v.id,
      name: v.name,
      region: v.region,
      zone: v.zone,
      sizeGb: v.sizeGb,
      volumeType: `${v.kind.type}.${v.zone}`,
      bootable: v.bootable,
      status: attached ? 'in-use' : 'available',
      attachedTo: v.attachedTo,
      createdAt: v.createdAt,
    };
    volumes.push(volume);
    b.volume({ ...v }, billedParent, hourOf(v.createdAt), r);
    return volume;
  };

  for (let j = 0; j < volumeCount; j++) {
    const r = seededRandom(hashSeed(seed, 'volume', j));
    const boot = j < vmCount;
    const server = servers[boot ? j : int(r, 0, vmCount - 1)]!;
    const kind = boot ? pick(r, VOLUME_KINDS.slice(0, 3)) : pick(r, VOLUME_KINDS);
    const volume = addVolume(
      {
        id: uuid(r),
        name: boot ? `disk-for-${server.name}-#1` : `${server.name}-data-${j}`,
        region: server.region,
        zone: server.zone,
        kind,
        sizeGb: boot ? pick(r, [10, 20, 30, 50]) : pick(r, [50, 100, 200, 500]),
        bootable: boot,
        attachedTo: server.id,
        createdAt: boot ? server.createdAt : new Date(server.createdAt.getTime() + int(r, 1, 10) * DAY_HOURS * HOUR_MS),
      },
      server,
      r
    );
    server.volumeIds.push(volume.id);
  }

  // The special cases a correct sync must find (reference §6.1.3): each deterministic, each in truth.
  const r = seededRandom(hashSeed(seed, 'specials'));
  const diskForServer = servers[DISK_FOR % vmCount]!;
  const diskFor = addVolume(
    {
      id: uuid(r),
      // Named for its VM, yet neither attached nor billed with a parent: only the naming rule folds it.
      name: `disk-for-${diskForServer.name}`,
      region: diskForServer.region,
      zone: diskForServer.zone,
      kind: VOLUME_KINDS[0]!,
      sizeGb: 40,
      bootable: false,
      createdAt: new Date((daysAgo(150) + 5) * HOUR_MS),
    },
    undefined,
    r
  );
  const orphanRegion = regions[regions.length - 1]!;
  const orphan = addVolume(
    {
      id: uuid(r),
      name: 'backup-data',
      region: orphanRegion,
      zone: zoneOf(orphanRegion, r),
      kind: VOLUME_KINDS[3]!,
      sizeGb: 300,
      bootable: false,
      createdAt: new Date((daysAgo(210) + 14) * HOUR_MS),
    },
    undefined,
    r
  );

  // A zombie: billed (with its boot disk) every hour up to now, but gone from Nova and Cinder.
  const zombieZone = zoneOf(regions[0]!, r);
  const zombie = { id: uuid(r), name: 'old-build-runner' };
  b.server(
    { id: zombie.id, name: zombie.name, zone: zombieZone, vcpus: 4, ram: 8192, preemptible: false },
    daysAgo(300),
    undefined,
    r
  );
  const zombieDisk = { id: uuid(r), name: `disk-for-${zombie.name}-#1` };
  b.volume({ ...zombieDisk, zone: zombieZone, sizeGb: 50, kind: VOLUME_KINDS[0]! }, zombie, daysAgo(300), r);

  // Billed services the inventory does not list: a public IP, a managed database, a Kubernetes cluster.
  const billedOnly: BilledOnly[] = [];
  const ipZone = zoneOf(regions[0]!, r);
  const ip = { id: uuid(r), name: `185.91.200.${int(r, 2, 250)}` };
  b.meter({
    object: { ...ip, type: 'network_floatingip' },
    providerKey: 'vpc',
    metric: { id: 'network_floatingips', name: 'Публичный IP-адрес', unit: 'item', quantity: 1 },
    zone: ipZone,
    base: 2083,
    fromHour: daysAgo(250),
    random: r,
  });
  billedOnly.push({ ...ip, kind: 'ip' });
  const db = { id: uuid(r), name: 'pg-main' };
  for (const [metric, name, unit, quantity, base] of [
    ['dbaas_postgresql_cores', 'vCPU', 'item', 2, 2 * CORE_HOUR * 1.3],
    ['dbaas_postgresql_ram', 'RAM', 'MB', 8192, 8 * RAM_GB_HOUR * 1.3],
    ['dbaas_postgresql_volume_gigabytes', 'Диск', 'GB', 80, 80 * 544],
  ] as const) {
    b.meter({
      object: { ...db, type: 'dbaas_cluster' },
      providerKey: 'dbaas',
      metric: { id: metric, name, unit, quantity },
      zone: ipZone,
      base,
      fromHour: daysAgo(180),
      random: r,
    });
  }
  billedOnly.push({ ...db, kind: 'database' });
  const k8s = { id: uuid(r), name: 'mks-prod' };
  b.meter({
    object: { ...k8s, type: 'mks_cluster' },
    providerKey: 'mks',
    metric: { id: 'mks_cluster_regional', name: 'Отказоустойчивый кластер', unit: 'item', quantity: 1 },
    zone: ipZone,
    base: 25000,
    fromHour: daysAgo(160),
    random: r,
  });
  billedOnly.push({ ...k8s, kind: 'k8s' });

  // Balance for 15–35 days of the current burn; Selectel's forecast says the same.
  const dailyHundredths = b.meters.reduce((sum, m) => (m.toHour > nowHour ? sum + m.base * DAY_HOURS : sum), 0);
  const days = int(r, 15, 35);
  const balanceKopecks = Math.round((dailyHundredths * days) / 100) + int(r, 0, 99);

  return {
    accountId,
    projectId: project.id,
    projectName: project.name,
    apiKey: `sel-${hashSeed(seed, 'api-key').toString(16)}${hashSeed(seed, 'api-key-2').toString(16)}`,
    username: 'infrazen-sync',
    password: `Pw-${hashSeed(seed, 'password').toString(36)}!`,
    regions,
    catalogRegions,
    pageSize: Math.max(1, options.pageSize ?? 1000),
    servers,
    volumes,
    ports,
    meters: b.meters,
    zombieServer: { ...zombie, kind: 'server' },
    zombieVolume: { ...zombieDisk, kind: 'volume' },
    orphanVolumeId: orphan.id,
    diskFor: { volumeId: diskFor.id, serverId: diskForServer.id },
    stoppedServerId: servers[STOPPED]!.id,
    idleServerId: idle.id,
    spike: { serverId: servers[SPIKE]!.id, day: spikeDay, ...spike },
    billedOnly,
    balanceKopecks,
    daysToBlock: Math.floor((balanceKopecks * 100) / Math.max(1, dailyHundredths)),
    balancesSettingsAtTop: (seed & 1) === 1,
  };
}
