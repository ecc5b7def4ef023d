/**
 * Builds the compute side of the fake account: VMs with their boot and data disks, and the billing
 * meters each one brings (vCPU and RAM until it stops, disks for as long as they exist).
 */
import { hashSeed, int, type Random } from '../random.js';
import { addDays, dayStartMs, moscowDay, PRICE, SKUS, ycId, ZONE_PREFIX } from './catalog.js';
import type { Disk, Folder, Instance, Meter } from './model.js';

export interface InstanceSpec {
  name: string;
  zone: string;
  cores: number;
  coreFraction: number;
  memoryGb: number;
  ageDays: number;
  bootGb: number;
  bootType: Disk['typeId'];
  data?: { gb: number; type: Disk['typeId'] }[];
  stoppedDaysAgo?: number;
  nat?: boolean;
  preemptible?: boolean;
  labels?: Record<string, string>;
  cudShare?: number;
}

export class ComputeBuilder {
  readonly instances: Instance[] = [];
  readonly disks: Disk[] = [];
  readonly meters: Meter[] = [];
  private ipSerial = 10;

  constructor(
    private readonly seed: number,
    private readonly random: Random,
    private readonly today: string
  ) {}

  /** An instant `n` days before today, at some hour of that Moscow day. */
  daysAgo(n: number): Date {
    return new Date(dayStartMs(addDays(this.today, -n)) + int(this.random, 1, 20) * 3_600_000);
  }

  meter(m: Omit<Meter, 'seed' | 'labels'> & { labels?: Record<string, string> }): void {
    this.meters.push({ labels: {}, ...m, seed: hashSeed(this.seed, m.resourceId, m.sku.id) });
  }

  disk(
    folder: Folder,
    name: string,
    zone: string,
    typeId: Disk['typeId'],
    sizeGb: number,
    createdAt: Date,
    instanceId?: string,
    labels: Record<string, string> = {}
  ): Disk {
    const disk: Disk = {
      id: ycId(this.random, ZONE_PREFIX[zone]!),
      folderId: folder.id,
      name,
      zone,
      typeId,
      sizeGb,
      instanceIds: instanceId ? [instanceId] : [],
      createdAt,
      labels,
    };
    this.disks.push(disk);
    this.meter({
      resourceId: disk.id,
      folderId: folder.id,
      sku: typeId === 'network-ssd' ? SKUS.ssd : SKUS.hdd,
      microPerDay: sizeGb * (typeId === 'network-ssd' ? PRICE.ssdGb : PRICE.hddGb),
      quantityPerDay: String(sizeGb * 24),
      fromDay: moscowDay(createdAt),
      labels,
    });
    return disk;
  }

  instance(folder: Folder, spec: InstanceSpec): Instance {
    const { random } = this;
    const createdAt = this.daysAgo(spec.ageDays);
    const id = ycId(random, ZONE_PREFIX[spec.zone]!);
    const labels = spec.labels ?? {};
    const boot = this.disk(folder, `${spec.name}-boot`, spec.zone, spec.bootType, spec.bootGb, createdAt, id, labels);
    const data = (spec.data ?? []).map((d, i) =>
      this.disk(folder, `${spec.name}-data-${i + 1}`, spec.zone, d.type, d.gb, createdAt, id, labels)
    );
    const serial = ++this.ipSerial;
    const hex = () => int(random, 16, 255).toString(16);
    const instance: Instance = {
      id,
      folderId: folder.id,
      name: spec.name,
      zone: spec.zone,
      platformId: 'standard-v3',
      cores: spec.cores,
      coreFraction: spec.coreFraction,
      memoryGb: spec.memoryGb,
      status: spec.stoppedDaysAgo !== undefined ? 'STOPPED' : 'RUNNING',
      preemptible: spec.preemptible ?? false,
      createdAt,
      stoppedDay: spec.stoppedDaysAgo !== undefined ? addDays(this.today, -spec.stoppedDaysAgo) : undefined,
      bootDiskId: boot.id,
      secondaryDiskIds: data.map((d) => d.id),
      internalIp: `10.128.0.${serial}`,
      natIp: spec.nat ? `158.160.${int(random, 2, 250)}.${serial}` : undefined,
      mac: `d0:0d:${serial.toString(16).padStart(2, '0')}:${hex()}:${hex()}:${hex()}`,
      labels,
      cpuBase: 5 + random() * 50,
    };
    this.instances.push(instance);
    // Preemptible VMs cost about 30 % of the regular price.
    const discount = spec.preemptible ? 0.3 : 1;
    const common = {
      resourceId: id,
      folderId: folder.id,
      fromDay: moscowDay(createdAt),
      toDay: instance.stoppedDay,
      labels,
      cudShare: spec.cudShare,
    };
    this.meter({
      ...common,
      sku: spec.coreFraction === 100 ? SKUS.cpu : SKUS.cpu20,
      microPerDay: Math.round(spec.cores * (spec.coreFraction === 100 ? PRICE.core : PRICE.core20) * discount),
      quantityPerDay: String(spec.cores * 24),
    });
    this.meter({
      ...common,
      sku: SKUS.ram,
      microPerDay: Math.round(spec.memoryGb * PRICE.ramGb * discount),
      quantityPerDay: String(spec.memoryGb * 24),
    });
    return instance;
  }
}
