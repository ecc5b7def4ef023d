/**
 * Raw Yandex Cloud API objects → InventoryResources (pure). int64 fields arrive as strings (memory and
 * disk sizes in bytes, cores); omitted fields mean their default. Ids are the same ones the billing
 * export puts in `resource_id` (VM and disk ids, bucket names, MDB host names), so billing and inventory
 * meet on them.
 */
import type { InventoryResource, ResourceStatus } from '../types.js';
import { asArray, asObject, bool, bytesToGb, bytesToMb, int64, labelsOf, regionOfZone, str } from './values.js';

/** Instance statuses: a VM that is starting, restarting or updating is billed as running. */
export function normalizeInstanceStatus(raw: unknown): ResourceStatus {
  switch (typeof raw === 'string' ? raw.toUpperCase() : '') {
    case 'RUNNING':
    case 'STARTING':
    case 'RESTARTING':
    case 'UPDATING':
    case 'STOPPING':
      return 'RUNNING';
    case 'STOPPED':
      return 'STOPPED';
    case 'ERROR':
    case 'CRASHED':
      return 'ERROR';
    case 'DELETING':
      return 'DELETED';
    default:
      return 'UNKNOWN'; // PROVISIONING and anything Yandex adds later
  }
}

/** Disks exist (and are billed) while READY, attached or not: "orphan" is the engine's call. */
export function normalizeDiskStatus(raw: unknown): ResourceStatus {
  switch (typeof raw === 'string' ? raw.toUpperCase() : '') {
    case 'READY':
      return 'RUNNING';
    case 'ERROR':
      return 'ERROR';
    case 'DELETING':
      return 'DELETED';
    default:
      return 'UNKNOWN';
  }
}

/** Managed database clusters: STOPPED clusters keep billing their storage. */
export function normalizeClusterStatus(raw: unknown, health?: unknown): ResourceStatus {
  const status = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (status === 'STOPPED' || status === 'STOPPING') return 'STOPPED';
  if (status === 'ERROR' || health === 'DEAD') return 'ERROR';
  if (status === 'RUNNING' || status === 'UPDATING' || status === 'STARTING') return 'RUNNING';
  return 'UNKNOWN';
}

export interface FolderInfo {
  id: string;
  name?: string;
  cloudId?: string;
}

const folderSpecs = (folder: FolderInfo) => ({ folderId: folder.id, folderName: folder.name ?? null });

/** Internal and one-to-one NAT (public) addresses of a VM's network interfaces. */
function addressesOf(instance: Record<string, unknown>): { ips: string[]; publicIps: string[]; macs: string[] } {
  const ips: string[] = [];
  const publicIps: string[] = [];
  const macs: string[] = [];
  for (const nic of asArray(instance.networkInterfaces)) {
    const n = asObject(nic);
    const v4 = asObject(n.primaryV4Address);
    const internal = str(v4.address);
    const nat = str(asObject(v4.oneToOneNat).address);
    const mac = str(n.macAddress);
    if (internal) ips.push(internal);
    if (nat) {
      ips.push(nat);
      publicIps.push(nat);
    }
    if (mac) macs.push(mac);
  }
  return { ips, publicIps, macs };
}

export function mapInstance(raw: unknown, folder: FolderInfo): InventoryResource | undefined {
  const s = asObject(raw);
  const id = str(s.id);
  if (!id) return undefined;
  const resources = asObject(s.resources);
  const cores = int64(resources.cores);
  const zone = str(s.zoneId);
  const bootDiskId = str(asObject(s.bootDisk).diskId);
  const secondary = asArray(s.secondaryDisks)
    .map((d) => str(asObject(d).diskId))
    .filter((d): d is string => d !== undefined);
  const { ips, publicIps, macs } = addressesOf(s);
  return {
    providerResourceId: id,
    name: str(s.name) ?? id,
    type: 'server',
    status: normalizeInstanceStatus(s.status),
    region: regionOfZone(zone),
    serviceName: 'Compute Cloud',
    specs: {
      vcpus: cores,
      cpu: cores,
      coreFraction: int64(resources.coreFraction) ?? 100,
      gpus: int64(resources.gpus) ?? 0,
      ramMb: bytesToMb(resources.memory),
      platformId: str(s.platformId),
      flavor: str(s.platformId),
      zone,
      preemptible: bool(asObject(s.schedulingPolicy).preemptible),
      fqdn: str(s.fqdn),
      ips,
      publicIps,
      macs,
      bootDiskId,
      volumeIds: bootDiskId ? [bootDiskId, ...secondary] : secondary,
      rawStatus: str(s.status),
      // Yandex Monitoring has CPU only: memory lives inside the guest and is never reported by the
      // hypervisor, so the UI must say "unavailable" rather than show an invented figure.
      memoryMetrics: 'unavailable',
      ...folderSpecs(folder),
    },
    createdAt: str(s.createdAt),
    tags: labelsOf(s.labels),
  };
}

/** `bootDisks`: ids of disks some VM boots from (the Disk object does not say so itself). */
export function mapDisk(
  raw: unknown,
  folder: FolderInfo,
  bootDisks: ReadonlySet<string>
): InventoryResource | undefined {
  const d = asObject(raw);
  const id = str(d.id);
  if (!id) return undefined;
  const zone = str(d.zoneId);
  const attachedTo = asArray(d.instanceIds)
    .map((x) => str(x))
    .filter((x): x is string => x !== undefined);
  return {
    providerResourceId: id,
    name: str(d.name) ?? id,
    type: 'volume',
    status: normalizeDiskStatus(d.status),
    region: regionOfZone(zone),
    serviceName: 'Compute Cloud',
    specs: {
      sizeGb: bytesToGb(d.size),
      volumeType: str(d.typeId),
      bootable: bootDisks.has(id),
      zone,
      sourceImageId: str(d.sourceImageId),
      rawStatus: str(d.status),
      ...folderSpecs(folder),
    },
    attachedTo,
    createdAt: str(d.createdAt),
    tags: labelsOf(d.labels),
  };
}

/**
 * A VPC address. A static (reserved) address that nothing uses is still billed at the unused-IP rate:
 * it is flagged as an orphan, like a disk attached to nothing.
 */
export function mapAddress(raw: unknown, folder: FolderInfo): InventoryResource | undefined {
  const a = asObject(raw);
  const id = str(a.id);
  if (!id) return undefined;
  const external = asObject(a.externalIpv4Address);
  const address = str(external.address) ?? str(asObject(a.internalIpv4Address).address);
  const zone = str(external.zoneId);
  const reserved = bool(a.reserved);
  const used = bool(a.used);
  return {
    providerResourceId: id,
    name: str(a.name) ?? address ?? id,
    type: 'ip',
    status: 'RUNNING',
    region: regionOfZone(zone),
    serviceName: 'Virtual Private Cloud',
    specs: {
      address,
      reserved,
      used,
      addressType: str(a.type),
      zone,
      deletionProtection: bool(a.deletionProtection),
      ...folderSpecs(folder),
    },
    ...(reserved && !used ? { flags: { orphan: true } } : {}),
    createdAt: str(a.createdAt),
    tags: labelsOf(a.labels),
  };
}

/** A bucket is billed under its name (the export's `resource_id` for Object Storage). */
export function mapBucket(raw: unknown, folder: FolderInfo): InventoryResource | undefined {
  const b = asObject(raw);
  const name = str(b.name);
  if (!name) return undefined;
  const anonymous = asObject(b.anonymousAccessFlags);
  return {
    providerResourceId: name,
    name,
    type: 'bucket',
    status: 'RUNNING',
    region: 'ru-central1',
    serviceName: 'Object Storage',
    specs: {
      storageClass: str(b.defaultStorageClass),
      maxSizeBytes: int64(b.maxSize) ?? 0,
      versioning: str(b.versioning),
      publicRead: bool(anonymous.read),
      publicList: bool(anonymous.list),
      ...folderSpecs(folder),
    },
    createdAt: str(b.createdAt),
    tags: labelsOf(b.tags) ?? labelsOf(b.labels),
  };
}

/**
 * A managed database host. The export bills MDB per host (`resource_id` = the host's FQDN), so each host
 * is a resource of its own, carrying its cluster.
 */
export function mapDatabaseHost(
  rawHost: unknown,
  rawCluster: unknown,
  engine: string,
  folder: FolderInfo
): InventoryResource | undefined {
  const h = asObject(rawHost);
  const c = asObject(rawCluster);
  const name = str(h.name);
  if (!name) return undefined;
  const resources = asObject(h.resources);
  const zone = str(h.zoneId);
  const clusterName = str(c.name) ?? str(c.id) ?? 'cluster';
  return {
    providerResourceId: name,
    name: `${clusterName} · ${name.split('.')[0]}`,
    type: 'database',
    status: normalizeClusterStatus(c.status, h.health),
    region: regionOfZone(zone),
    serviceName: `Managed Service for ${ENGINE_NAMES[engine] ?? engine}`,
    specs: {
      engine,
      clusterId: str(c.id),
      clusterName,
      environment: str(c.environment),
      role: str(h.role),
      health: str(h.health),
      resourcePreset: str(resources.resourcePresetId),
      flavor: str(resources.resourcePresetId),
      diskSizeGb: bytesToGb(resources.diskSize),
      diskType: str(resources.diskTypeId),
      zone,
      fqdn: name,
      ...folderSpecs(folder),
    },
    createdAt: str(c.createdAt),
    tags: labelsOf(c.labels),
  };
}

export const ENGINE_NAMES: Record<string, string> = {
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  clickhouse: 'ClickHouse',
  redis: 'Valkey',
  mongodb: 'MongoDB',
};
