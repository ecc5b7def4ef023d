/**
 * Inventory across the regions of the Keystone catalog: per region, in parallel, Nova servers, Cinder
 * volumes (with their attachments) and Neutron ports, mapped by the shared OpenStack mapper and priced
 * from the user's price list. A failing list becomes an EndpointError; the inventory is incomplete when
 * servers or volumes are missing (then nothing is concluded from what is absent).
 */
import { ProviderError } from '../http/errors.js';
import { mapRegionInventory, type OpenStackMapOptions } from '../openstack/inventory-mapper.js';
import type { EndpointError, InventoryResource, InventoryResult } from '../types.js';
import { asObject, num, str } from '../values.js';
import { AUTH_ENDPOINT, type KeystoneToken } from './auth.js';
import { versioned, volumeRoot, type RegionServices } from './catalog.js';
import { list, type VkcloudContext } from './context.js';
import { applyPriceList } from './pricing.js';

/** Nova embeds the flavor (vcpus, ram, original_name) from 2.47 on; older answers carry its id only. */
export const NOVA_HEADERS = { 'X-OpenStack-Nova-API-Version': '2.47', 'OpenStack-API-Version': 'compute 2.47' };
const VK_MAPPING: OpenStackMapOptions = { serviceNames: { server: 'Cloud Servers', volume: 'Cloud Disks' } };

/** A server whose flavor Nova did not embed (microversion < 2.47): only `{id, links}`. */
const lacksFlavor = (server: unknown) => {
  const flavor = asObject(asObject(server).flavor);
  return !str(flavor.original_name) && !str(flavor.name) && num(flavor.vcpus) === undefined;
};

/** Embeds each server's flavor from `/flavors/detail`, the way microversion 2.47 would have. */
function embedFlavors(servers: unknown[], flavors: unknown[]): unknown[] {
  const byId = new Map(flavors.map((f) => [str(asObject(f).id), asObject(f)]));
  return servers.map((s) => {
    const server = asObject(s);
    const flavor = byId.get(str(asObject(server.flavor).id));
    if (!flavor) return s;
    return {
      ...server,
      flavor: { original_name: flavor.name, vcpus: flavor.vcpus, ram: flavor.ram, disk: flavor.disk },
    };
  });
}

interface RegionResult {
  resources: InventoryResource[];
  errors: EndpointError[];
  complete: boolean;
}

async function readRegion(c: VkcloudContext, region: RegionServices, projectId: string): Promise<RegionResult> {
  const { region: name, urls } = region;
  const errors: EndpointError[] = [];
  const missing = (endpoint: string) =>
    Promise.reject(
      new ProviderError('not_found', endpoint, `VK Cloud ${endpoint}: the catalog lists no endpoint for region ${name}`)
    );
  const servers = async () => {
    if (!urls.compute) return missing(`servers:${name}`);
    const items = await list(c, {
      endpoint: `servers:${name}`,
      url: `${urls.compute}/servers/detail`,
      key: 'servers',
      headers: NOVA_HEADERS,
    });
    if (!items.some(lacksFlavor)) return items;
    const flavors = await list(c, {
      endpoint: `flavors:${name}`,
      url: `${urls.compute}/flavors/detail`,
      key: 'flavors',
    });
    return embedFlavors(items, flavors);
  };
  const calls = await Promise.allSettled([
    servers(),
    urls.volume
      ? list(c, {
          endpoint: `volumes:${name}`,
          url: `${volumeRoot(urls.volume, projectId)}/volumes/detail`,
          key: 'volumes',
        })
      : missing(`volumes:${name}`),
    urls.network
      ? list(c, { endpoint: `ports:${name}`, url: versioned(urls.network, 'v2.0', '/ports'), key: 'ports' })
      : missing(`ports:${name}`),
  ]);
  const value = (endpoint: string, result: PromiseSettledResult<unknown[]>): unknown[] | undefined => {
    if (result.status === 'fulfilled') return result.value;
    const err: unknown = result.reason;
    if (!(err instanceof ProviderError)) throw err;
    errors.push({ endpoint, region: name, kind: err.kind, message: err.message });
    c.logger.warn({ provider: 'vkcloud', endpoint, region: name, kind: err.kind }, 'region endpoint failed');
    return undefined;
  };
  const raw = {
    region: name,
    servers: value('servers', calls[0]),
    volumes: value('volumes', calls[1]),
    ports: value('ports', calls[2]),
  };
  return {
    resources: applyPriceList(mapRegionInventory(raw, VK_MAPPING), c.settings.priceList),
    errors,
    complete: raw.servers !== undefined && raw.volumes !== undefined,
  };
}

export async function readInventory(c: VkcloudContext): Promise<InventoryResult> {
  let token: KeystoneToken;
  try {
    token = await c.keystone.token();
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    return {
      resources: [],
      errors: [{ endpoint: AUTH_ENDPOINT, kind: err.kind, message: err.message }],
      complete: false,
    };
  }
  if (token.regions.length === 0) {
    const message = 'the VK Cloud token carries no service catalog; nothing can be listed';
    return { resources: [], errors: [{ endpoint: AUTH_ENDPOINT, kind: 'bad_response', message }], complete: false };
  }
  const results = await Promise.all(token.regions.map((region) => readRegion(c, region, token.projectId)));
  return {
    resources: results.flatMap((r) => r.resources),
    errors: results.flatMap((r) => r.errors),
    complete: results.every((r) => r.complete),
  };
}
