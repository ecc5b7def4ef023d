/**
 * The generated Cloud.ru Evolution customer: projects (two the connection reads, one it may not), VMs
 * and disks per project, billed-only services, and the daily consumption meters behind them.
 * Generated once, deterministically from the seed, against the clock at start-up. Amounts are integers
 * in ten-thousandths of a rouble (usefact × unit price, both exact), so what the API serves and what
 * the truth sums agree to the last digit.
 */
import { hashSeed, int, pick, seededRandom, uuid, type Random } from '../random.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const MOSCOW_OFFSET_MS = 3 * HOUR_MS;

/** Moscow day number of an instant (days since 1970-01-01 Moscow). */
export const dayOf = (t: number): number => Math.floor((t + MOSCOW_OFFSET_MS) / DAY_MS);
/** UTC instant of Moscow midnight of a day number. */
export const dayStart = (day: number): number => day * DAY_MS - MOSCOW_OFFSET_MS;
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export interface CloudruSandboxOptions {
  /** VMs across the connection's two projects (default 6, at least 4). */
  vms?: number;
  /** Consumption page size cap (default 40; small values exercise paging). */
  pageSize?: number;
  /** Compute list page size cap (default 100). */
  listLimit?: number;
  /** IAM token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
}

export interface SandboxProject {
  id: string;
  name: string;
  /** Readable by the service account (the third project belongs to another team). */
  accessible: boolean;
}

export interface SandboxVm {
  id: string;
  name: string;
  projectId: string;
  zone: string;
  state: 'running' | 'stopped';
  flavor: { id: string; name: string; cpu: number; ram: number };
  createdAt: Date;
  stoppedDay?: number;
  ip: string;
  floatingIp?: string;
}

export interface SandboxDisk {
  id: string;
  name: string;
  projectId: string;
  zone: string;
  sizeGb: number;
  type: 'SSD' | 'HDD' | 'SSD-NVME';
  bootable: boolean;
  attachedTo?: string;
  createdAt: Date;
}

/** One (object, SKU) series billed daily: usefact per full day × unit price. */
export interface Meter {
  objectId: string;
  objectName: string;
  projectId: string;
  sku: string;
  servname: string;
  unit: string;
  /** Units per full day; today's row carries the elapsed hours' share. */
  usefactPerDay: number;
  /** Grows by this many units a day (object storage fills up). */
  usefactGrowth: number;
  /** Rouble ten-thousandths per unit. */
  unitPrice: number;
  fromDay: number;
  /** Exclusive; Infinity while still billed. */
  toDay: number;
  /** Serve amounts as JSON strings instead of numbers (the API is not consistent). */
  asStrings: boolean;
  type: 'server' | 'volume' | 'ip' | 'bucket' | 'database' | 'other';
}

export interface CloudruAccount {
  keyId: string;
  secret: string;
  customerName: string;
  projects: SandboxProject[];
  vms: SandboxVm[];
  disks: SandboxDisk[];
  meters: Meter[];
  zombieVm: { id: string; name: string; projectId: string };
  orphanDiskId: string;
  stoppedVmId: string;
  billedOnly: { id: string; name: string; type: Meter['type'] }[];
  pageSize: number;
  listLimit: number;
  tokenTtlSeconds: number;
}

const FLAVORS = [
  { name: 'gen-2-4', cpu: 2, ram: 4 },
  { name: 'gen-4-8', cpu: 4, ram: 8 },
  { name: 'gen-2-8', cpu: 2, ram: 8 },
  { name: 'lowcost10-1-1', cpu: 1, ram: 1 },
];
const NAMES = ['web-01', 'api-01', 'db-01', 'staging-app', 'worker-01', 'monitoring', 'web-02', 'gitlab'];
const ZONES = ['ru.AZ-1', 'ru.AZ-2'];
/** Rouble ten-thousandths per unit (≈ list prices without VAT). */
const PRICE = { vcpuHour: 9167, ramGbHour: 2431, diskGbHour: { SSD: 179, HDD: 42, 'SSD-NVME': 361 }, ipHour: 2500 };

export function generateAccount(seed: number, now: Date, options: CloudruSandboxOptions): CloudruAccount {
  const random = seededRandom(hashSeed(seed, 'cloudru'));
  const today = dayOf(now.getTime());
  const vmCount = Math.max(4, options.vms ?? 6);
  const projects: SandboxProject[] = [
    { id: uuid(random), name: 'infrazen-prod', accessible: true },
    { id: uuid(random), name: 'infrazen-dev', accessible: true },
    { id: uuid(random), name: 'other-team', accessible: false },
  ];
  const meters: Meter[] = [];
  const meter = (m: Omit<Meter, 'usefactGrowth' | 'asStrings' | 'toDay'> & Partial<Meter>, r: Random) =>
    meters.push({ usefactGrowth: 0, toDay: Number.POSITIVE_INFINITY, asStrings: r() < 0.3, ...m });
  const compute = (
    vm: { id: string; name: string; projectId: string; cpu: number; ram: number },
    from: number,
    to: number | undefined,
    r: Random
  ) => {
    const base = {
      objectId: vm.id,
      objectName: vm.name,
      projectId: vm.projectId,
      servname: 'Evolution Compute',
      type: 'server' as const,
      fromDay: from,
      toDay: to ?? Number.POSITIVE_INFINITY,
    };
    meter(
      { ...base, sku: 'evo.compute.vcpu', unit: 'vCPU*hour', usefactPerDay: vm.cpu * 24, unitPrice: PRICE.vcpuHour },
      r
    );
    meter(
      { ...base, sku: 'evo.compute.ram', unit: 'GB*hour', usefactPerDay: vm.ram * 24, unitPrice: PRICE.ramGbHour },
      r
    );
  };
  const diskMeter = (d: SandboxDisk, r: Random) =>
    meter(
      {
        objectId: d.id,
        objectName: d.name,
        projectId: d.projectId,
        servname: 'Evolution Disks',
        sku: `evo.disk.${d.type.toLowerCase()}`,
        unit: 'GB*hour',
        usefactPerDay: d.sizeGb * 24,
        unitPrice: PRICE.diskGbHour[d.type],
        fromDay: dayOf(d.createdAt.getTime()),
        type: 'volume',
      },
      r
    );

  const STOPPED = 3;
  const vms: SandboxVm[] = [];
  const disks: SandboxDisk[] = [];
  for (let i = 0; i < vmCount; i++) {
    const r = seededRandom(hashSeed(seed, 'cloudru-vm', i));
    const project = projects[i % 2]!;
    const f = pick(r, FLAVORS);
    const createdAt = new Date(dayStart(today - int(r, 40, 300)) + int(r, 1, 20) * HOUR_MS);
    const vm: SandboxVm = {
      id: uuid(r),
      name: i < NAMES.length ? NAMES[i]! : `vm-${String(i).padStart(4, '0')}`,
      projectId: project.id,
      zone: pick(r, ZONES),
      state: i === STOPPED ? 'stopped' : 'running',
      flavor: { id: uuid(r), name: f.name, cpu: f.cpu, ram: f.ram },
      createdAt,
      ip: `10.${i % 2}.0.${10 + i}`,
      ...(i % 3 === 0 ? { floatingIp: `176.123.${160 + i}.${int(r, 2, 250)}` } : {}),
    };
    if (i === STOPPED) vm.stoppedDay = today - 12;
    vms.push(vm);
    compute({ ...vm, cpu: f.cpu, ram: f.ram }, dayOf(createdAt.getTime()), vm.stoppedDay, r);
    const boot: SandboxDisk = {
      id: uuid(r),
      name: `${vm.name}-boot`,
      projectId: project.id,
      zone: vm.zone,
      sizeGb: pick(r, [20, 30, 50]),
      type: pick(r, ['SSD', 'HDD'] as const),
      bootable: true,
      attachedTo: vm.id,
      createdAt,
    };
    disks.push(boot);
    diskMeter(boot, r);
    if (i % 2 === 1) {
      const data: SandboxDisk = {
        ...boot,
        id: uuid(r),
        name: `${vm.name}-data`,
        sizeGb: pick(r, [100, 200]),
        type: 'SSD-NVME',
        bootable: false,
      };
      disks.push(data);
      diskMeter(data, r);
    }
  }

  const r = seededRandom(hashSeed(seed, 'cloudru-specials'));
  const [prod, dev, other] = projects as [SandboxProject, SandboxProject, SandboxProject];
  // An orphan: a disk attached to nothing, billed every day.
  const orphan: SandboxDisk = {
    id: uuid(r),
    name: 'backup-disk',
    projectId: dev.id,
    zone: ZONES[0]!,
    sizeGb: 250,
    type: 'HDD',
    bootable: false,
    createdAt: new Date(dayStart(today - 200) + 5 * HOUR_MS),
  };
  disks.push(orphan);
  diskMeter(orphan, r);
  // A zombie: billed up to today, absent from the VM list.
  const zombie = { id: uuid(r), name: 'old-gitlab-runner', projectId: prod.id };
  compute({ ...zombie, cpu: 4, ram: 8 }, today - 150, undefined, r);
  // Billed services no compute list shows.
  const billedOnly: CloudruAccount['billedOnly'] = [];
  for (const vm of vms.filter((v) => v.floatingIp)) {
    const ip = { id: uuid(r), name: vm.floatingIp!, type: 'ip' as const };
    billedOnly.push(ip);
    meter(
      {
        objectId: ip.id,
        objectName: ip.name,
        projectId: vm.projectId,
        servname: 'Evolution Floating IP',
        sku: 'evo.network.fip',
        unit: 'IP*hour',
        usefactPerDay: 24,
        unitPrice: PRICE.ipHour,
        fromDay: dayOf(vm.createdAt.getTime()),
        type: 'ip',
      },
      r
    );
  }
  const bucket = { id: uuid(r), name: 'infrazen-backups', type: 'bucket' as const };
  billedOnly.push(bucket);
  meter(
    {
      objectId: bucket.id,
      objectName: bucket.name,
      projectId: prod.id,
      servname: 'Object Storage',
      sku: 'evo.s3.standard',
      unit: 'GB*day',
      usefactPerDay: 400,
      usefactGrowth: 3,
      unitPrice: 7333,
      fromDay: today - 120,
      type: 'bucket',
    },
    r
  );
  const pg = { id: uuid(r), name: 'pg-main', type: 'database' as const };
  billedOnly.push(pg);
  meter(
    {
      objectId: pg.id,
      objectName: pg.name,
      projectId: prod.id,
      servname: 'Managed PostgreSQL',
      sku: 'evo.dbaas.postgresql.vcpu',
      unit: 'vCPU*hour',
      usefactPerDay: 48,
      unitPrice: 13750,
      fromDay: today - 90,
      type: 'database',
    },
    r
  );
  // Technical support: an account-level charge with no resource.
  meter(
    {
      objectId: '',
      objectName: '',
      projectId: prod.id,
      servname: 'Техническая поддержка',
      sku: 'support.business',
      unit: 'day',
      usefactPerDay: 1,
      unitPrice: 1_000_000,
      fromDay: today - 200,
      type: 'other',
    },
    r
  );
  // The other team's project: served only when the request does not filter by project.
  const theirs = { id: uuid(r), name: 'their-vm', projectId: other.id, cpu: 8, ram: 32 };
  compute(theirs, today - 60, undefined, r);

  return {
    keyId: `${hashSeed(seed, 'cloudru-key-id').toString(16)}-key`,
    secret: `Sec-${hashSeed(seed, 'cloudru-secret').toString(36)}${hashSeed(seed, 'cloudru-secret-2').toString(36)}`,
    customerName: 'ООО «ИнфраЗен Демо»',
    projects,
    vms,
    disks,
    meters,
    zombieVm: zombie,
    orphanDiskId: orphan.id,
    stoppedVmId: vms[STOPPED]!.id,
    billedOnly,
    pageSize: Math.max(1, options.pageSize ?? 40),
    listLimit: Math.max(1, options.listLimit ?? 100),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
  };
}
