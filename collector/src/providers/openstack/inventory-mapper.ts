/**
 * One region's Nova servers, Cinder volumes and Neutron ports → InventoryResources (reference §14.1):
 * a VM carries its flavor (vCPU, RAM), IPs and MACs from its ports, the ids and total size of its
 * volumes; a volume carries the servers it is attached to. Shared by the OpenStack clouds; what differs
 * per provider (service names, a volume list price) comes in `options`. Pure.
 */
import type { InventoryResource, StatedPrice } from '../types.js';
import { asArray, asObject, bool, isObject, num, str, type Json } from '../values.js';
import { normalizeServerStatus, normalizeVolumeStatus } from './status.js';

export interface OpenStackMapOptions {
  serviceNames: { server: string; volume: string };
  /** A provider's list price for a volume, used by the engine only when billing has no line for it. */
  volumePrice?: (sizeGb: number | undefined, volumeType: string | undefined) => StatedPrice | undefined;
}

export interface RegionInventoryRaw {
  region: string;
  servers?: unknown[];
  volumes?: unknown[];
  /** Undefined when the ports call failed: addresses then come from the server's own `addresses`. */
  ports?: unknown[];
}

/** Metadata as tags (string values only; Nova and Cinder metadata are string maps anyway). */
function tagsOf(metadata: unknown): Record<string, string> | undefined {
  if (!isObject(metadata)) return undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) if (typeof v === 'string') tags[k] = v;
  return Object.keys(tags).length > 0 ? tags : undefined;
}

const unique = (values: (string | undefined)[]): string[] => [
  ...new Set(values.filter((v): v is string => v !== undefined)),
];

/** Ports of servers: Neutron marks them `device_owner: compute:<zone>` (DHCP and router ports are not). */
function portsByServer(ports: unknown[]): Map<string, Json[]> {
  const byServer = new Map<string, Json[]>();
  for (const p of ports) {
    const port = asObject(p);
    const device = str(port.device_id);
    const owner = str(port.device_owner) ?? '';
    if (!device || !owner.startsWith('compute:')) continue;
    const list = byServer.get(device) ?? [];
    list.push(port);
    byServer.set(device, list);
  }
  return byServer;
}

/** Addresses from Nova's own `addresses` (used when the ports call failed). */
function addressesOf(server: Json): { ips: string[]; macs: string[] } {
  const ips: (string | undefined)[] = [];
  const macs: (string | undefined)[] = [];
  for (const list of Object.values(asObject(server.addresses))) {
    for (const a of asArray(list)) {
      ips.push(str(asObject(a).addr));
      macs.push(str(asObject(a)['OS-EXT-IPS-MAC:mac_addr']));
    }
  }
  return { ips: unique(ips), macs: unique(macs) };
}

export function mapVolume(raw: unknown, region: string, options: OpenStackMapOptions): InventoryResource | undefined {
  const v = asObject(raw);
  const id = str(v.id);
  if (!id) return undefined;
  const sizeGb = num(v.size);
  const volumeType = str(v.volume_type);
  const attachedTo = unique(asArray(v.attachments).map((a) => str(asObject(a).server_id)));
  const price = options.volumePrice?.(sizeGb, volumeType);
  return {
    providerResourceId: id,
    name: str(v.name) ?? id,
    type: 'volume',
    status: normalizeVolumeStatus(v.status),
    region,
    serviceName: options.serviceNames.volume,
    specs: {
      sizeGb,
      volumeType,
      bootable: bool(v.bootable) ?? false,
      zone: str(v.availability_zone),
      rawStatus: str(v.status),
    },
    attachedTo,
    ...(price === undefined ? {} : { price }),
    createdAt: str(v.created_at),
    tags: tagsOf(v.metadata),
  };
}

/** `attached`: the Cinder volumes whose attachments name this server. */
export function mapServer(
  raw: unknown,
  region: string,
  ports: Json[] | undefined,
  attached: InventoryResource[],
  options: OpenStackMapOptions
): InventoryResource | undefined {
  const s = asObject(raw);
  const id = str(s.id);
  if (!id) return undefined;
  // With microversion ≥ 2.47 Nova embeds the flavor; older answers carry only {id, links}.
  const flavor = asObject(s.flavor);
  const vcpus = num(flavor.vcpus);
  const ramMb = num(flavor.ram);
  const localDiskGb = num(flavor.disk);
  const addresses =
    ports === undefined || ports.length === 0
      ? addressesOf(s)
      : {
          ips: unique(ports.flatMap((p) => asArray(p.fixed_ips).map((ip) => str(asObject(ip).ip_address)))),
          macs: unique(ports.map((p) => str(p.mac_address))),
        };
  const volumeIds = unique([
    ...attached.map((v) => v.providerResourceId),
    ...asArray(s['os-extended-volumes:volumes_attached']).map((v) => str(asObject(v).id)),
  ]);
  const sizes = attached.map((v) => v.specs.sizeGb).filter((n): n is number => typeof n === 'number');
  const totalStorageGb = sizes.length > 0 ? sizes.reduce((a, b) => a + b, 0) : undefined;
  return {
    providerResourceId: id,
    name: str(s.name) ?? id,
    type: 'server',
    status: normalizeServerStatus(s.status),
    region,
    serviceName: options.serviceNames.server,
    specs: {
      vcpus,
      cpu: vcpus,
      ramMb,
      flavor: str(flavor.original_name) ?? str(flavor.name) ?? str(flavor.id),
      ...(localDiskGb ? { localDiskGb } : {}),
      ips: addresses.ips,
      macs: addresses.macs,
      volumeIds,
      totalStorageGb,
      diskGb: totalStorageGb,
      zone: str(s['OS-EXT-AZ:availability_zone']),
      rawStatus: str(s.status),
    },
    createdAt: str(s.created),
    tags: tagsOf(s.metadata),
  };
}

/** Volumes first: a server's storage is the sum of the volumes attached to it. */
export function mapRegionInventory(raw: RegionInventoryRaw, options: OpenStackMapOptions): InventoryResource[] {
  const volumes = (raw.volumes ?? []).map((v) => mapVolume(v, raw.region, options)).filter((v) => v !== undefined);
  const volumesByServer = new Map<string, InventoryResource[]>();
  for (const volume of volumes) {
    for (const serverId of volume.attachedTo ?? []) {
      const list = volumesByServer.get(serverId) ?? [];
      list.push(volume);
      volumesByServer.set(serverId, list);
    }
  }
  const ports = raw.ports === undefined ? undefined : portsByServer(raw.ports);
  const servers = (raw.servers ?? [])
    .map((s) => {
      const id = str(asObject(s).id) ?? '';
      const serverPorts = ports?.get(id) ?? (ports ? [] : undefined);
      return mapServer(s, raw.region, serverPorts, volumesByServer.get(id) ?? [], options);
    })
    .filter((s) => s !== undefined);
  return [...servers, ...volumes];
}
