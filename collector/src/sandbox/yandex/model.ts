/**
 * The generated Yandex Cloud account: a cloud with two folders, VMs, disks, addresses, buckets, a managed
 * PostgreSQL cluster, and the billing meters behind the detailed export. Generated once from the seed,
 * against the clock at start-up. The special cases a correct sync must find are fixed roles: a zombie VM
 * with its disk (billed, never listed), an orphan disk, a reserved IP nothing uses, a VM stopped 20 days
 * ago whose disks are still billed, a grant and a committed-volume discount (credits), folder-wide usage
 * without a resource id, VPC egress billed to a VM id.
 */
import { hashSeed, int, seededRandom } from '../random.js';
import { ComputeBuilder } from './builder.js';
import { addDays, moscowDay, PRICE, SKUS, ycId, type Sku } from './catalog.js';

export { addDays, dayStartMs, DAY_MS, moscowDay, SKUS } from './catalog.js';

export interface YandexSandboxOptions {
  /** Items per page the list APIs return at most (small values exercise pagination; default 3). */
  pageSize?: number;
  /** Keys per ListObjectsV2 page at most (default 1000). */
  s3PageSize?: number;
  /** Days of export files before today (default 120). */
  historyDays?: number;
}

export interface Folder {
  id: string;
  name: string;
  /** Export rows of this folder are written in this locale (SKU names in English or Russian). */
  locale: 'en' | 'ru';
}

export interface Instance {
  id: string;
  folderId: string;
  name: string;
  zone: string;
  platformId: string;
  cores: number;
  coreFraction: number;
  memoryGb: number;
  status: 'RUNNING' | 'STOPPED';
  preemptible: boolean;
  createdAt: Date;
  stoppedDay?: string;
  bootDiskId: string;
  secondaryDiskIds: string[];
  internalIp: string;
  natIp?: string;
  mac: string;
  labels: Record<string, string>;
  cpuBase: number;
}

export interface Disk {
  id: string;
  folderId: string;
  name: string;
  zone: string;
  typeId: 'network-ssd' | 'network-hdd';
  sizeGb: number;
  instanceIds: string[];
  createdAt: Date;
  labels: Record<string, string>;
}

export interface Address {
  id: string;
  folderId: string;
  name: string;
  address: string;
  zone: string;
  reserved: boolean;
  used: boolean;
  createdAt: Date;
}

export interface Bucket {
  name: string;
  folderId: string;
  storageClass: string;
  maxSize: number;
  createdAt: Date;
}

export interface DbCluster {
  id: string;
  folderId: string;
  name: string;
  createdAt: Date;
  hosts: { name: string; zone: string; role: 'MASTER' | 'REPLICA' }[];
}

/** One billed (resource, SKU) with a daily amount in micro-roubles, billed on days [fromDay, toDay). */
export interface Meter {
  resourceId: string;
  folderId: string;
  sku: Sku;
  microPerDay: number;
  quantityPerDay: string;
  fromDay: string;
  toDay?: string;
  labels: Record<string, string>;
  /** Committed-volume discount share of the cost (negative credit), e.g. 0.2. */
  cudShare?: number;
  /** Free tier: the whole cost comes back as misc_credit. */
  free?: boolean;
  seed: number;
}

export interface YandexAccount {
  cloud: { id: string; name: string };
  folders: Folder[];
  billingAccount: { id: string; name: string; balance: string; currency: 'RUB' };
  serviceAccountId: string;
  keyId: string;
  oauthToken: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  prefix: string;
  pageSize: number;
  s3PageSize: number;
  firstDay: string;
  instances: Instance[];
  disks: Disk[];
  addresses: Address[];
  buckets: Bucket[];
  clusters: DbCluster[];
  meters: Meter[];
  /** A monetary grant covered half of every cost on these days [from, to). */
  grant: { fromDay: string; toDay: string; share: number };
  zombie: { serverId: string; diskId: string };
  orphanDiskId: string;
  reservedIpId: string;
  stoppedInstanceId: string;
  egressInstanceId: string;
}

export function generateAccount(seed: number, now: Date, options: YandexSandboxOptions): YandexAccount {
  const random = seededRandom(hashSeed(seed, 'yandex'));
  const today = moscowDay(now);
  const historyDays = Math.max(10, options.historyDays ?? 120);
  const firstDay = addDays(today, -historyDays);
  const prod: Folder = { id: ycId(random, 'b1g'), name: 'production', locale: 'en' };
  // A folder name with a comma and quotes: the CSV must quote it.
  const staging: Folder = { id: ycId(random, 'b1g'), name: 'staging, "beta"', locale: 'ru' };

  const b = new ComputeBuilder(seed, random, today);
  const { instances, disks, meters } = b;

  const web = b.instance(prod, {
    name: 'web-1',
    zone: 'ru-central1-a',
    cores: 2,
    coreFraction: 100,
    memoryGb: 4,
    ageDays: 200,
    bootGb: 20,
    bootType: 'network-ssd',
    nat: true,
    labels: { env: 'prod', team: 'web' },
  });
  b.instance(prod, {
    name: 'api-1',
    zone: 'ru-central1-b',
    cores: 4,
    coreFraction: 100,
    memoryGb: 8,
    ageDays: 180,
    bootGb: 30,
    bootType: 'network-ssd',
    data: [{ gb: 100, type: 'network-hdd' }],
    labels: { env: 'prod', team: 'api' },
    cudShare: 0.2,
  });
  b.instance(prod, {
    name: 'db-replica',
    zone: 'ru-central1-a',
    cores: 2,
    coreFraction: 100,
    memoryGb: 8,
    ageDays: 30,
    bootGb: 50,
    bootType: 'network-ssd',
    // The only `project` label: its export column appears on the day this VM was created.
    labels: { env: 'prod', project: 'reports' },
  });
  const stopped = b.instance(prod, {
    name: 'old-reports',
    zone: 'ru-central1-d',
    cores: 2,
    coreFraction: 100,
    memoryGb: 4,
    ageDays: 240,
    bootGb: 40,
    bootType: 'network-hdd',
    data: [{ gb: 200, type: 'network-hdd' }],
    stoppedDaysAgo: 20,
    labels: { env: 'prod', team: 'analytics' },
  });
  const stagingApp = b.instance(staging, {
    name: 'staging-app',
    zone: 'ru-central1-a',
    cores: 2,
    coreFraction: 20,
    memoryGb: 2,
    ageDays: 90,
    bootGb: 15,
    bootType: 'network-hdd',
    nat: true,
    preemptible: true,
    labels: { env: 'staging' },
  });
  b.instance(staging, {
    name: 'ci-runner',
    zone: 'ru-central1-b',
    cores: 4,
    coreFraction: 100,
    memoryGb: 8,
    ageDays: 60,
    bootGb: 64,
    bootType: 'network-ssd',
    labels: { env: 'staging', team: 'ci' },
  });

  // Egress of a VM is billed by VPC under the VM's id: the VM must stay a server.
  b.meter({
    resourceId: stagingApp.id,
    folderId: staging.id,
    sku: SKUS.egress,
    microPerDay: 1_530_000,
    quantityPerDay: '1.5',
    fromDay: moscowDay(stagingApp.createdAt),
  });

  const orphan = b.disk(prod, 'backup-2023', 'ru-central1-a', 'network-hdd', 300, b.daysAgo(210), undefined, {
    team: 'analytics',
  });

  const addresses: Address[] = [
    {
      id: ycId(random, 'e9b'),
      folderId: prod.id,
      name: 'web-1-ip',
      address: web.natIp!,
      zone: web.zone,
      reserved: true,
      used: true,
      createdAt: web.createdAt,
    },
    {
      id: ycId(random, 'e9b'),
      folderId: prod.id,
      name: 'old-lb-ip',
      address: `51.250.${int(random, 2, 250)}.${int(random, 2, 250)}`,
      zone: 'ru-central1-a',
      reserved: true,
      used: false,
      createdAt: b.daysAgo(150),
    },
  ];
  b.meter({
    resourceId: addresses[0]!.id,
    folderId: prod.id,
    sku: SKUS.ip,
    microPerDay: PRICE.ip,
    quantityPerDay: '24',
    fromDay: moscowDay(web.createdAt),
  });
  b.meter({
    resourceId: addresses[1]!.id,
    folderId: prod.id,
    sku: SKUS.ipReserved,
    microPerDay: Math.round(PRICE.ip * 1.2),
    quantityPerDay: '24',
    fromDay: moscowDay(addresses[1]!.createdAt),
  });

  const buckets: Bucket[] = [
    { name: 'infrazen-assets', folderId: prod.id, storageClass: 'STANDARD', maxSize: 0, createdAt: b.daysAgo(300) },
    {
      name: 'infrazen-billing',
      folderId: prod.id,
      storageClass: 'COLD',
      maxSize: 10 * 1024 ** 3,
      createdAt: b.daysAgo(300),
    },
  ];
  b.meter({
    resourceId: buckets[0]!.name,
    folderId: prod.id,
    sku: SKUS.s3,
    microPerDay: 120 * PRICE.s3Gb,
    quantityPerDay: String(120 * 24),
    fromDay: firstDay,
    labels: { team: 'web' },
  });
  b.meter({
    resourceId: buckets[0]!.name,
    folderId: prod.id,
    sku: SKUS.s3get,
    microPerDay: 410_000,
    quantityPerDay: '105000',
    fromDay: firstDay,
  });

  const cluster: DbCluster = {
    id: ycId(random, 'c9q'),
    folderId: prod.id,
    name: 'pg-main',
    createdAt: b.daysAgo(170),
    hosts: [
      { name: `rc1a-${ycId(random, '').slice(0, 16)}.mdb.yandexcloud.net`, zone: 'ru-central1-a', role: 'MASTER' },
      { name: `rc1b-${ycId(random, '').slice(0, 16)}.mdb.yandexcloud.net`, zone: 'ru-central1-b', role: 'REPLICA' },
    ],
  };
  for (const host of cluster.hosts) {
    const from = moscowDay(cluster.createdAt);
    b.meter({
      resourceId: host.name,
      folderId: prod.id,
      sku: SKUS.pgCpu,
      microPerDay: Math.round(2 * PRICE.core * 1.25),
      quantityPerDay: '48',
      fromDay: from,
      labels: { env: 'prod', team: 'api' },
    });
    b.meter({
      resourceId: host.name,
      folderId: prod.id,
      sku: SKUS.pgRam,
      microPerDay: Math.round(8 * PRICE.ramGb * 1.25),
      quantityPerDay: '192',
      fromDay: from,
      labels: { env: 'prod', team: 'api' },
    });
    b.meter({
      resourceId: host.name,
      folderId: prod.id,
      sku: SKUS.pgSsd,
      microPerDay: 100 * PRICE.ssdGb,
      quantityPerDay: '2400',
      fromDay: from,
      labels: { env: 'prod', team: 'api' },
    });
  }

  // The zombie: billed every day (with its disk) but gone from every listing.
  const zombieId = ycId(random, 'fhm');
  const zombieDiskId = ycId(random, 'fhm');
  b.meter({
    resourceId: zombieId,
    folderId: staging.id,
    sku: SKUS.cpu,
    microPerDay: 4 * PRICE.core,
    quantityPerDay: '96',
    fromDay: firstDay,
    labels: { env: 'staging', team: 'ci' },
  });
  b.meter({
    resourceId: zombieId,
    folderId: staging.id,
    sku: SKUS.ram,
    microPerDay: 16 * PRICE.ramGb,
    quantityPerDay: '384',
    fromDay: firstDay,
    labels: { env: 'staging', team: 'ci' },
  });
  b.meter({
    resourceId: zombieDiskId,
    folderId: staging.id,
    sku: SKUS.ssd,
    microPerDay: 100 * PRICE.ssdGb,
    quantityPerDay: '2400',
    fromDay: firstDay,
  });

  // Folder-wide usage without a resource id, inside the free tier (misc_credit gives it back).
  b.meter({
    resourceId: '',
    folderId: prod.id,
    sku: SKUS.metrics,
    microPerDay: 250_000,
    quantityPerDay: '1000000',
    fromDay: firstDay,
    free: true,
  });
  b.meter({
    resourceId: '',
    folderId: staging.id,
    sku: SKUS.metrics,
    microPerDay: 90_000,
    quantityPerDay: '360000',
    fromDay: firstDay,
    free: true,
  });

  const r = seededRandom(hashSeed(seed, 'yandex-secrets'));
  return {
    cloud: { id: ycId(random, 'b1g'), name: 'infrazen-demo' },
    folders: [prod, staging],
    billingAccount: {
      id: ycId(random, 'dn2'),
      name: 'InfraZen Demo',
      balance: `${int(random, 8_000, 60_000)}.${String(int(random, 0, 99)).padStart(2, '0')}`,
      currency: 'RUB',
    },
    serviceAccountId: ycId(r, 'aje'),
    keyId: ycId(r, 'aje'),
    oauthToken: `y0_AgAAAA${hashSeed(seed, 'oauth').toString(36)}${hashSeed(seed, 'oauth-2').toString(36)}`,
    accessKeyId: `YCAJE${hashSeed(seed, 'access-key').toString(36)}`,
    secretAccessKey: `YCN${hashSeed(seed, 'secret-key').toString(36)}${hashSeed(seed, 'secret-key-2').toString(36)}`,
    bucket: 'infrazen-billing',
    prefix: 'yc-billing-export/',
    pageSize: Math.max(1, options.pageSize ?? 3),
    s3PageSize: Math.max(1, options.s3PageSize ?? 1000),
    firstDay,
    instances,
    disks,
    addresses,
    buckets,
    clusters: [cluster],
    meters,
    grant: { fromDay: addDays(today, -70), toDay: addDays(today, -40), share: 0.5 },
    zombie: { serverId: zombieId, diskId: zombieDiskId },
    orphanDiskId: orphan.id,
    reservedIpId: addresses[1]!.id,
    stoppedInstanceId: stopped.id,
    egressInstanceId: stagingApp.id,
  };
}
