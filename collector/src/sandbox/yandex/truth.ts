/**
 * What a correct sync of the generated Yandex account must find: the inventory, the special cases
 * (zombie VM and disk, orphan disk, reserved unused IP, stopped VM with billed disks), and the exact
 * cost, credits and lines of any span of Moscow days (honouring re-exports).
 */
import { Decimal } from 'decimal.js';
import type { BillingExport } from './export.js';
import { addDays, type YandexAccount } from './model.js';

export interface YandexTruthTotals {
  cost: string;
  credits: string;
  net: string;
  /** Billing lines a connector produces: one usage line per (resource, SKU), one per non-zero credit. */
  lines: number;
  /** Net (cost + credits) per resource id ('' = folder-wide usage). */
  byResource: Record<string, string>;
}

export interface YandexTruth {
  cloudId: string;
  folders: { id: string; name: string }[];
  billingAccount: { id: string; name: string; balance: string; currency: 'RUB' };
  serviceAccountId: string;
  keyId: string;
  /** The service account key's public half (SPKI PEM), to verify JWTs independently. */
  publicKeyPem: string;
  oauthToken: string;
  bucket: string;
  prefix: string;
  instances: {
    id: string;
    name: string;
    folderId: string;
    status: 'RUNNING' | 'STOPPED';
    cores: number;
    memoryMb: number;
    zone: string;
    diskIds: string[];
    ips: string[];
  }[];
  disks: { id: string; name: string; folderId: string; sizeGb: number; typeId: string; instanceIds: string[] }[];
  addresses: { id: string; address: string; reserved: boolean; used: boolean }[];
  buckets: string[];
  dbHosts: { name: string; clusterId: string; clusterName: string }[];
  zombieServer: { id: string };
  zombieDisk: { id: string };
  orphanDisk: { id: string; name: string };
  reservedIp: { id: string; address: string };
  stoppedServer: { id: string; name: string; diskIds: string[]; stoppedDay: string };
  /** A VM whose VPC egress is billed under its own id. */
  egressServer: { id: string };
  grant: { fromDay: string; toDay: string };
  /** Moscow day of the sandbox clock, and the last day that has ended. */
  today(): string;
  lastCompleteDay(): string;
  objectKey(day: string): string;
  /** Totals over the days [fromDay, toDay] (inclusive), as the files say now. */
  expected(fromDay: string, toDay: string): YandexTruthTotals;
  /** Re-exports a day with every amount × factor: a new file (ETag, Last-Modified) for that day. */
  restate(day: string, factor: number): void;
}

const rub = (micro: number) => new Decimal(micro).div(1_000_000).toFixed();

export function buildTruth(account: YandexAccount, exp: BillingExport, publicKeyPem: string): YandexTruth {
  const stopped = account.instances.find((i) => i.id === account.stoppedInstanceId)!;
  const reserved = account.addresses.find((a) => a.id === account.reservedIpId)!;
  const orphan = account.disks.find((d) => d.id === account.orphanDiskId)!;
  return {
    cloudId: account.cloud.id,
    folders: account.folders.map((f) => ({ id: f.id, name: f.name })),
    billingAccount: { ...account.billingAccount },
    serviceAccountId: account.serviceAccountId,
    keyId: account.keyId,
    publicKeyPem,
    oauthToken: account.oauthToken,
    bucket: account.bucket,
    prefix: account.prefix,
    instances: account.instances.map((i) => ({
      id: i.id,
      name: i.name,
      folderId: i.folderId,
      status: i.status,
      cores: i.cores,
      memoryMb: i.memoryGb * 1024,
      zone: i.zone,
      diskIds: [i.bootDiskId, ...i.secondaryDiskIds],
      ips: [i.internalIp, ...(i.natIp ? [i.natIp] : [])],
    })),
    disks: account.disks.map((d) => ({
      id: d.id,
      name: d.name,
      folderId: d.folderId,
      sizeGb: d.sizeGb,
      typeId: d.typeId,
      instanceIds: [...d.instanceIds],
    })),
    addresses: account.addresses.map((a) => ({ id: a.id, address: a.address, reserved: a.reserved, used: a.used })),
    buckets: account.buckets.map((b) => b.name),
    dbHosts: account.clusters.flatMap((c) =>
      c.hosts.map((h) => ({ name: h.name, clusterId: c.id, clusterName: c.name }))
    ),
    zombieServer: { id: account.zombie.serverId },
    zombieDisk: { id: account.zombie.diskId },
    orphanDisk: { id: orphan.id, name: orphan.name },
    reservedIp: { id: reserved.id, address: reserved.address },
    stoppedServer: {
      id: stopped.id,
      name: stopped.name,
      diskIds: [stopped.bootDiskId, ...stopped.secondaryDiskIds],
      stoppedDay: stopped.stoppedDay!,
    },
    egressServer: { id: account.egressInstanceId },
    grant: { fromDay: account.grant.fromDay, toDay: account.grant.toDay },
    today: () => exp.today(),
    lastCompleteDay: () => addDays(exp.today(), -1),
    objectKey: (day) => exp.key(day),
    expected(fromDay, toDay) {
      let cost = 0;
      let credits = 0;
      let lines = 0;
      const byResource = new Map<string, number>();
      for (const day of exp.days()) {
        if (day < fromDay || day > toDay) continue;
        for (const a of exp.amounts(day)) {
          const credit = a.monetaryGrant + a.cud + a.misc;
          cost += a.cost;
          credits += credit;
          lines += 1 + [a.monetaryGrant, a.cud, a.misc].filter((v) => v !== 0).length;
          byResource.set(a.meter.resourceId, (byResource.get(a.meter.resourceId) ?? 0) + a.cost + credit);
        }
      }
      return {
        cost: rub(cost),
        credits: rub(credits),
        net: rub(cost + credits),
        lines,
        byResource: Object.fromEntries([...byResource].map(([id, micro]) => [id, rub(micro)])),
      };
    },
    restate: (day, factor) => exp.restate(day, factor),
  };
}
