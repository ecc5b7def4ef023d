/**
 * The generated account as the Yandex REST gateway writes it: proto3 JSON with int64 as strings
 * (sizes in bytes, memory, cores, timestamps), defaults omitted (a false `used` is absent), lists
 * paginated by `pageSize`/`pageToken` → `nextPageToken`.
 */
import type { Address, Bucket, DbCluster, Disk, Instance, YandexAccount } from './model.js';

const GIB = 1024 ** 3;
type Json = Record<string, unknown>;

export class PageTokenError extends Error {}

/** One page: at most min(pageSize, the account's cap) items after the token's offset. */
export function paginate<T>(
  items: T[],
  query: { pageSize?: string; pageToken?: string },
  cap: number
): { page: T[]; next?: string } {
  const size = Math.min(cap, Math.max(1, Number(query.pageSize) || 100));
  let offset = 0;
  if (query.pageToken) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(query.pageToken, 'base64url').toString());
    if (!decoded) throw new PageTokenError('invalid page token');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  return { page, next: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined };
}

const labelsJson = (labels: Record<string, string>) => (Object.keys(labels).length > 0 ? { labels } : {});

export function instanceJson(i: Instance): Json {
  return {
    id: i.id,
    folderId: i.folderId,
    createdAt: i.createdAt.toISOString(),
    name: i.name,
    ...labelsJson(i.labels),
    zoneId: i.zone,
    platformId: i.platformId,
    resources: { memory: String(i.memoryGb * GIB), cores: String(i.cores), coreFraction: String(i.coreFraction) },
    status: i.status,
    metadataOptions: { gceHttpEndpoint: 'ENABLED', awsV1HttpEndpoint: 'ENABLED' },
    bootDisk: { mode: 'READ_WRITE', deviceName: `${i.name}-boot`, autoDelete: true, diskId: i.bootDiskId },
    ...(i.secondaryDiskIds.length > 0
      ? {
          secondaryDisks: i.secondaryDiskIds.map((diskId, n) => ({
            mode: 'READ_WRITE',
            deviceName: `data-${n + 1}`,
            diskId,
          })),
        }
      : {}),
    networkInterfaces: [
      {
        index: '0',
        macAddress: i.mac,
        subnetId: `e9b${i.zone.slice(-1)}subnet000000000000`.slice(0, 20),
        primaryV4Address: {
          address: i.internalIp,
          ...(i.natIp ? { oneToOneNat: { address: i.natIp, ipVersion: 'IPV4' } } : {}),
        },
      },
    ],
    fqdn: `${i.name}.ru-central1.internal`,
    schedulingPolicy: i.preemptible ? { preemptible: true } : {},
    networkSettings: { type: 'STANDARD' },
    placementPolicy: {},
  };
}

export function diskJson(d: Disk): Json {
  return {
    id: d.id,
    folderId: d.folderId,
    createdAt: d.createdAt.toISOString(),
    name: d.name,
    ...labelsJson(d.labels),
    typeId: d.typeId,
    zoneId: d.zone,
    size: String(d.sizeGb * GIB),
    blockSize: '4096',
    status: 'READY',
    ...(d.instanceIds.length > 0 ? { instanceIds: d.instanceIds } : {}),
    diskPlacementPolicy: {},
  };
}

export function addressJson(a: Address): Json {
  return {
    id: a.id,
    folderId: a.folderId,
    createdAt: a.createdAt.toISOString(),
    name: a.name,
    externalIpv4Address: { address: a.address, zoneId: a.zone, requirements: {} },
    ...(a.reserved ? { reserved: true } : {}),
    ...(a.used ? { used: true } : {}),
    type: 'EXTERNAL',
    ipVersion: 'IPV4',
  };
}

export function bucketJson(b: Bucket): Json {
  return {
    name: b.name,
    folderId: b.folderId,
    anonymousAccessFlags: { read: false, list: false, configRead: false },
    defaultStorageClass: b.storageClass,
    versioning: 'VERSIONING_DISABLED',
    maxSize: String(b.maxSize),
    createdAt: b.createdAt.toISOString(),
  };
}

export function clusterJson(c: DbCluster): Json {
  return {
    id: c.id,
    folderId: c.folderId,
    createdAt: c.createdAt.toISOString(),
    name: c.name,
    labels: { env: 'prod' },
    environment: 'PRODUCTION',
    config: {
      version: '16',
      resources: { resourcePresetId: 's3-c2-m8', diskSize: String(100 * GIB), diskTypeId: 'network-ssd' },
    },
    networkId: 'enp00000000000000000',
    health: 'ALIVE',
    status: 'RUNNING',
  };
}

export function hostJson(c: DbCluster, h: DbCluster['hosts'][number]): Json {
  return {
    name: h.name,
    clusterId: c.id,
    zoneId: h.zone,
    resources: { resourcePresetId: 's3-c2-m8', diskSize: String(100 * GIB), diskTypeId: 'network-ssd' },
    role: h.role,
    health: 'ALIVE',
    services: [{ type: 'POSTGRESQL', health: 'ALIVE' }],
    subnetId: 'e9b00000000000000000',
  };
}

/** Folder-scoped lists of the account, keyed by route. */
export function listsOf(account: YandexAccount) {
  const inFolder =
    <T extends { folderId: string }>(items: T[]) =>
    (folderId: string) =>
      items.filter((x) => x.folderId === folderId);
  return {
    instances: inFolder(account.instances),
    disks: inFolder(account.disks),
    addresses: inFolder(account.addresses),
    buckets: inFolder(account.buckets),
    clusters: inFolder(account.clusters),
  };
}
