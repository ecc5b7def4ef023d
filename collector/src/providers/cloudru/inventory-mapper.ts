/**
 * Cloud.ru Evolution compute objects → InventoryResources (pure). A VM
 * (`GET /api/v1/vms`) carries `flavor{name, cpu, ram}`, `state`, `interfaces[]{ip_address,
 * floating_ip{ip_address}}`, `availability_zone{name}`, `created_time`; its detail form adds `disks[]`.
 * A disk (`GET /api/v1/disks`) carries `size` (GB), `disk_type{name}`, `state` and the VMs it is
 * attached to — named `vms[]`, `vm` or `attachments[]` depending on the API version, all accepted.
 * The availability zone (`ru.AZ-1`) is the region: Evolution has no coarser one that the API names.
 */
import type { InventoryResource, ResourceStatus } from '../types.js';
import { asArray, asObject, bool, isObject, num, str, type Json } from '../values.js';

export const SERVICE_NAMES = { server: 'Evolution Compute', volume: 'Evolution Disks' } as const;

const VM_RUNNING = new Set([
  'running',
  'active',
  'starting',
  'rebooting',
  'restarting',
  'migrating',
  'resizing',
  'updating',
]);
const VM_STOPPED = new Set(['stopped', 'stopping', 'shutoff', 'shutdown', 'suspended', 'paused', 'shelved']);
const ERROR = new Set(['error', 'failed', 'broken']);
const DELETED = new Set(['deleted', 'deleting', 'removed']);

export function normalizeVmState(raw: unknown): ResourceStatus {
  const state =
    str(raw)
      ?.toLowerCase()
      .replace(/[\s-]+/g, '_') ?? '';
  if (VM_RUNNING.has(state)) return 'RUNNING';
  if (VM_STOPPED.has(state)) return 'STOPPED';
  if (ERROR.has(state) || state.startsWith('error')) return 'ERROR';
  if (DELETED.has(state)) return 'DELETED';
  // creating and whatever Evolution adds later: we cannot tell whether it runs.
  return 'UNKNOWN';
}

/** A disk that exists is billed, attached or not (orphans are the engine's call, not a status). */
export function normalizeDiskState(raw: unknown): ResourceStatus {
  const state =
    str(raw)
      ?.toLowerCase()
      .replace(/[\s-]+/g, '_') ?? '';
  if (ERROR.has(state) || state.startsWith('error')) return 'ERROR';
  if (DELETED.has(state)) return 'DELETED';
  if (state === 'creating' || state === '') return 'UNKNOWN';
  return 'RUNNING';
}

const unique = (values: (string | undefined)[]): string[] => [
  ...new Set(values.filter((v): v is string => v !== undefined)),
];

/** RAM as megabytes: Evolution flavors state gigabytes (1, 2, 4 …); a value ≥ 256 is already MB. */
function ramMbOf(ram: number | undefined): number | undefined {
  if (ram === undefined || ram <= 0) return undefined;
  return ram < 256 ? ram * 1024 : ram;
}

/** Tags as a string map: Evolution sends `[{name}]`, `[{key, value}]` or strings, depending on the object. */
function tagsOf(raw: unknown): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  if (isObject(raw)) for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') tags[k] = v;
  for (const t of asArray(raw)) {
    if (typeof t === 'string') tags[t] = '';
    const tag = asObject(t);
    const key = str(tag.key) ?? str(tag.name);
    if (key) tags[key] = str(tag.value) ?? '';
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function zoneOf(o: Json): string | undefined {
  return str(asObject(o.availability_zone).name) ?? str(o.availability_zone) ?? str(o.availability_zone_name);
}

export function mapVm(raw: unknown): InventoryResource | undefined {
  const vm = asObject(raw);
  const id = str(vm.id);
  if (!id) return undefined;
  const flavor = asObject(vm.flavor);
  const cpu = num(flavor.cpu) ?? num(flavor.vcpus);
  const ramMb = ramMbOf(num(flavor.ram));
  const interfaces = asArray(vm.interfaces).map(asObject);
  const disks = asArray(vm.disks).map(asObject);
  const sizes = disks.map((d) => num(d.size)).filter((n): n is number => n !== undefined);
  const zone = zoneOf(vm);
  return {
    providerResourceId: id,
    name: str(vm.name) ?? id,
    type: 'server',
    status: normalizeVmState(vm.state ?? vm.status),
    region: zone,
    serviceName: SERVICE_NAMES.server,
    specs: {
      vcpus: cpu,
      cpu,
      ramMb,
      ...(num(flavor.gpu) ? { gpu: num(flavor.gpu) } : {}),
      flavor: str(flavor.name) ?? str(flavor.id) ?? str(vm.flavor_name),
      ips: unique(interfaces.flatMap((i) => [str(i.ip_address), str(asObject(i.floating_ip).ip_address)])),
      ...(disks.length > 0 ? { volumeIds: unique(disks.map((d) => str(d.id))) } : {}),
      ...(sizes.length > 0 ? { totalStorageGb: sizes.reduce((a, b) => a + b, 0) } : {}),
      zone,
      projectId: str(vm.project_id) ?? str(asObject(vm.project).id),
      rawStatus: str(vm.state ?? vm.status),
    },
    createdAt: str(vm.created_time) ?? str(vm.created_at),
    tags: tagsOf(vm.tags),
  };
}

/** The VMs a disk is attached to, whichever field the API version uses. */
function attachedVms(disk: Json): string[] {
  return unique([
    ...asArray(disk.vms).map((v) => str(asObject(v).id) ?? str(v)),
    str(asObject(disk.vm).id),
    str(disk.vm_id),
    ...asArray(disk.attachments).map((a) => str(asObject(a).vm_id) ?? str(asObject(a).server_id)),
  ]);
}

export function mapDisk(raw: unknown): InventoryResource | undefined {
  const disk = asObject(raw);
  const id = str(disk.id);
  if (!id) return undefined;
  const zone = zoneOf(disk);
  return {
    providerResourceId: id,
    name: str(disk.name) ?? id,
    type: 'volume',
    status: normalizeDiskState(disk.state ?? disk.status),
    region: zone,
    serviceName: SERVICE_NAMES.volume,
    specs: {
      sizeGb: num(disk.size),
      volumeType: str(asObject(disk.disk_type).name) ?? str(disk.disk_type),
      bootable: bool(disk.bootable) ?? bool(disk.primary) ?? false,
      zone,
      projectId: str(disk.project_id) ?? str(asObject(disk.project).id),
      rawStatus: str(disk.state ?? disk.status),
    },
    attachedTo: attachedVms(disk),
    createdAt: str(disk.created_time) ?? str(disk.created_at),
    tags: tagsOf(disk.tags),
  };
}

/** VMs and disks of one project; a VM's storage is the sum of the disks attached to it. */
export function mapProjectInventory(vms: unknown[], disks: unknown[] | undefined): InventoryResource[] {
  const volumes = (disks ?? []).map(mapDisk).filter((d) => d !== undefined);
  const byVm = new Map<string, InventoryResource[]>();
  for (const volume of volumes) {
    for (const vmId of volume.attachedTo ?? []) byVm.set(vmId, [...(byVm.get(vmId) ?? []), volume]);
  }
  const servers = vms.map(mapVm).filter((s) => s !== undefined);
  for (const server of servers) {
    const attached = byVm.get(server.providerResourceId) ?? [];
    if (attached.length === 0) continue;
    server.specs.volumeIds = unique([
      ...((server.specs.volumeIds as string[] | undefined) ?? []),
      ...attached.map((v) => v.providerResourceId),
    ]);
    const total = attached.reduce((sum, v) => sum + ((v.specs.sizeGb as number | undefined) ?? 0), 0);
    server.specs.totalStorageGb = total;
    server.specs.diskGb = total;
  }
  return [...servers, ...volumes];
}
