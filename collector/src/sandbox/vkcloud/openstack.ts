/**
 * Nova, Cinder and Neutron answers for one VK Cloud region, shaped like OpenStack's: the flavor embedded
 * only from compute microversion 2.47 on (never on a legacy Nova), string booleans and zone-less
 * microsecond timestamps in Cinder, `limit`/`marker` pagination with a `*_links` next link whenever a
 * page is full, written with the internal host as OpenStack behind a proxy does.
 */
import type { VkAccount, VkServer, VkVolume } from './model.js';

type Json = Record<string, unknown>;

export class BadRequest extends Error {}

const cinderTime = (d: Date) => d.toISOString().replace('Z', '000');
const novaTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Microversion from `X-OpenStack-Nova-API-Version: 2.47` or `OpenStack-API-Version: compute 2.47`, as 2.047. */
export function novaMicroversion(headers: Record<string, string | string[] | undefined>): number {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const raw = (
    first(headers['x-openstack-nova-api-version']) ??
    first(headers['openstack-api-version'])?.match(/compute\s+(\S+)/i)?.[1] ??
    '2.1'
  ).trim();
  if (raw === 'latest') return 2.09;
  const [major, minor] = raw.split('.').map(Number);
  return major === 2 && Number.isFinite(minor) ? 2 + minor! / 1000 : 2.001;
}

/** One page after `marker`, at most min(limit, pageSize) long; a full page links to the next. */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  query: { limit?: string; marker?: string },
  pageSize: number,
  internalUrl: string,
  render: (item: T) => Json
): { items: Json[]; links?: { rel: 'next'; href: string }[] } {
  const asked = Number(query.limit);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, pageSize) : pageSize;
  let start = 0;
  if (query.marker) {
    const at = all.findIndex((item) => item.id === query.marker);
    if (at < 0) throw new BadRequest(`marker [${query.marker}] not found`);
    start = at + 1;
  }
  const slice = all.slice(start, start + limit);
  return {
    items: slice.map(render),
    ...(slice.length === limit
      ? {
          links: [
            { rel: 'next' as const, href: `${internalUrl}?limit=${limit}&marker=${slice[slice.length - 1]!.id}` },
          ],
        }
      : {}),
  };
}

export function serverJson(account: VkAccount, s: VkServer, microversion: number): Json {
  const flavor =
    !account.legacyNova && microversion >= 2.047
      ? {
          vcpus: s.flavor.vcpus,
          ram: s.flavor.ram,
          disk: s.flavor.disk,
          ephemeral: 0,
          swap: 0,
          original_name: s.flavor.name,
          extra_specs: {},
        }
      : { id: s.flavor.id, links: [{ rel: 'bookmark', href: `http://nova.internal/flavors/${s.flavor.id}` }] };
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: account.projectId,
    user_id: 'b7c1f0',
    metadata: {},
    flavor,
    created: novaTime(s.createdAt),
    updated: novaTime(s.createdAt),
    addresses: {
      [`net-${s.region}`]: s.ports.map((p) => ({
        version: 4,
        addr: p.ip,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': p.mac,
      })),
    },
    'OS-EXT-AZ:availability_zone': s.zone,
    'OS-EXT-STS:vm_state': s.status === 'SHUTOFF' ? 'stopped' : 'active',
    'os-extended-volumes:volumes_attached': account.volumes
      .filter((v) => v.attachedTo === s.id)
      .map((v) => ({ id: v.id })),
    links: [{ rel: 'self', href: `http://nova.internal/v2.1/servers/${s.id}` }],
  };
}

export function flavorJson(f: VkAccount['flavors'][number]): Json {
  return {
    id: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ram: f.ram,
    disk: f.disk,
    'OS-FLV-EXT-DATA:ephemeral': 0,
    swap: '',
    is_public: true,
  };
}

export function volumeJson(account: VkAccount, v: VkVolume): Json {
  return {
    id: v.id,
    name: v.name,
    status: v.attachedTo ? 'in-use' : 'available',
    size: v.sizeGb,
    volume_type: v.volumeType,
    bootable: v.bootable ? 'true' : 'false',
    availability_zone: v.zone,
    created_at: cinderTime(v.createdAt),
    attachments: v.attachedTo
      ? [
          {
            id: v.id,
            attachment_id: `${v.id.slice(0, 18)}-att`,
            volume_id: v.id,
            server_id: v.attachedTo,
            device: v.bootable ? '/dev/vda' : '/dev/vdb',
          },
        ]
      : [],
    metadata: {},
    'os-vol-tenant-attr:tenant_id': account.projectId,
    multiattach: false,
    encrypted: false,
  };
}

export function portsJson(account: VkAccount, region: string): Json[] {
  const servers = account.servers.filter((s) => s.region === region);
  return [
    ...servers.flatMap((s) =>
      s.ports.map((p) => ({
        id: p.id,
        network_id: p.networkId,
        project_id: account.projectId,
        mac_address: p.mac,
        status: s.status === 'SHUTOFF' ? 'DOWN' : 'ACTIVE',
        device_id: s.id,
        device_owner: `compute:${s.zone}`,
        fixed_ips: [{ subnet_id: p.subnetId, ip_address: p.ip }],
      }))
    ),
    ...account.networkPorts
      .filter((p) => p.region === region)
      .map((p) => ({
        id: p.id,
        project_id: account.projectId,
        mac_address: p.mac,
        status: 'ACTIVE',
        device_id: `dhcp-${p.id.slice(0, 8)}`,
        device_owner: 'network:dhcp',
        fixed_ips: [{ ip_address: p.ip }],
      })),
  ];
}
