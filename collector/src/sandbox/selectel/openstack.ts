/**
 * Nova, Cinder and Neutron answers for one region, shaped like OpenStack's (field names, string
 * booleans, microsecond timestamps without a zone in Cinder) with their quirks:
 * - the flavor is embedded (vcpus, ram, original_name) only from compute microversion 2.47 on;
 * - pagination by `limit`/`marker`, a `*_links` next link whenever a page is full (so the last page can be
 *   empty), and the next href carries the internal host, as OpenStack behind a proxy often does.
 */
import type { SandboxPort, SandboxServer, SandboxVolume, SelectelAccount } from './model.js';

type Json = Record<string, unknown>;

export class BadRequest extends Error {}

const cinderTime = (d: Date) => d.toISOString().replace('Z', '000');
const novaTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Microversion from `X-OpenStack-Nova-API-Version: 2.47` or `OpenStack-API-Version: compute 2.47`. */
export function novaMicroversion(headers: Record<string, string | string[] | undefined>): number {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const legacy = first(headers['x-openstack-nova-api-version']);
  const generic = first(headers['openstack-api-version'])?.match(/compute\s+(\S+)/i)?.[1];
  const raw = (legacy ?? generic ?? '2.1').trim();
  if (raw === 'latest') return 2.96;
  const [major, minor] = raw.split('.').map(Number);
  return major === 2 && Number.isFinite(minor) ? 2 + minor! / 1000 : 2.001;
}
const embedsFlavor = (microversion: number) => microversion >= 2.047;

export interface Page {
  items: Json[];
  links?: { rel: 'next'; href: string }[];
}

/** One page after `marker`, at most min(limit, pageSize) long; a full page always links to the next. */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  query: { limit?: string; marker?: string },
  pageSize: number,
  internalUrl: string,
  render: (item: T) => Json
): Page {
  const asked = Number(query.limit);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, pageSize) : pageSize;
  let start = 0;
  if (query.marker) {
    const at = all.findIndex((item) => item.id === query.marker);
    if (at < 0) throw new BadRequest(`marker [${query.marker}] not found`);
    start = at + 1;
  }
  const slice = all.slice(start, start + limit);
  const page: Page = { items: slice.map(render) };
  if (slice.length === limit) {
    page.links = [{ rel: 'next', href: `${internalUrl}?limit=${limit}&marker=${slice[slice.length - 1]!.id}` }];
  }
  return page;
}

export function serverJson(account: SelectelAccount, s: SandboxServer, microversion: number): Json {
  const flavor = embedsFlavor(microversion)
    ? {
        vcpus: s.flavor.vcpus,
        ram: s.flavor.ram,
        disk: s.flavor.disk,
        ephemeral: 0,
        swap: 0,
        original_name: s.flavor.name,
        extra_specs: { 'aggregate_instance_extra_specs:pool': 'standard' },
      }
    : { id: s.flavor.id, links: [{ rel: 'bookmark', href: `http://nova-api.internal/flavors/${s.flavor.id}` }] };
  const addresses: Record<string, Json[]> = {};
  for (const p of s.ports) {
    const net = p.ip.startsWith('10.') ? 'private' : 'external-network';
    (addresses[net] ??= []).push({
      version: 4,
      addr: p.ip,
      'OS-EXT-IPS:type': 'fixed',
      'OS-EXT-IPS-MAC:mac_addr': p.mac,
    });
  }
  const stopped = s.status === 'SHUTOFF';
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: account.projectId,
    user_id: account.username,
    metadata: {},
    hostId: s.id.replace(/-/g, '').slice(0, 24),
    image: '',
    flavor,
    created: novaTime(s.createdAt),
    updated: novaTime(s.stoppedAt ?? s.createdAt),
    addresses,
    accessIPv4: '',
    accessIPv6: '',
    links: [{ rel: 'self', href: `http://nova-api.internal/v2.1/servers/${s.id}` }],
    'OS-DCF:diskConfig': 'MANUAL',
    progress: 0,
    'OS-EXT-AZ:availability_zone': s.zone,
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': cinderTime(s.createdAt),
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': null,
    'OS-EXT-STS:vm_state': stopped ? 'stopped' : 'active',
    'OS-EXT-STS:power_state': stopped ? 4 : 1,
    'os-extended-volumes:volumes_attached': s.volumeIds.map((id) => ({ id, delete_on_termination: false })),
    security_groups: [{ name: 'default' }],
    locked: false,
    tags: [],
    description: null,
  };
}

export function volumeJson(account: SelectelAccount, v: SandboxVolume): Json {
  return {
    id: v.id,
    name: v.name,
    status: v.status,
    size: v.sizeGb,
    volume_type: v.volumeType,
    // Cinder writes booleans of this field as strings.
    bootable: v.bootable ? 'true' : 'false',
    availability_zone: v.zone,
    created_at: cinderTime(v.createdAt),
    updated_at: cinderTime(v.createdAt),
    attachments: v.attachedTo
      ? [
          {
            id: v.id,
            attachment_id: `${v.id.slice(0, 24)}${v.attachedTo.slice(24)}`,
            volume_id: v.id,
            server_id: v.attachedTo,
            host_name: null,
            device: v.bootable ? '/dev/sda' : '/dev/sdb',
            attached_at: cinderTime(v.createdAt),
          },
        ]
      : [],
    multiattach: false,
    encrypted: false,
    metadata: {},
    description: null,
    snapshot_id: null,
    source_volid: null,
    replication_status: null,
    consistencygroup_id: null,
    user_id: account.username,
    'os-vol-tenant-attr:tenant_id': account.projectId,
    links: [],
  };
}

export function portJson(account: SelectelAccount, p: SandboxPort, deviceStopped: boolean): Json {
  return {
    id: p.id,
    name: '',
    network_id: p.networkId,
    tenant_id: account.projectId,
    project_id: account.projectId,
    mac_address: p.mac,
    admin_state_up: true,
    status: deviceStopped ? 'DOWN' : 'ACTIVE',
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    fixed_ips: [{ subnet_id: p.subnetId, ip_address: p.ip }],
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: [],
    description: '',
    'binding:vnic_type': 'normal',
    port_security_enabled: true,
    tags: [],
    revision_number: 1,
  };
}
