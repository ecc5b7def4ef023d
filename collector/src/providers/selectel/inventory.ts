/**
 * Inventory across every region (reference §6.5.2): Keystone token and catalog → regions → per region,
 * in parallel, Nova servers, Cinder volumes and Neutron ports. One region failing never stops the
 * others; its failures become EndpointErrors, and the inventory is marked incomplete when servers or
 * volumes are missing (the engine then calls nothing a zombie: absent from a partial list proves nothing).
 */
import { ProviderError } from '../http/errors.js';
import { listAll as listOpenStack, type ListRequest } from '../openstack/pagination.js';
import type { EndpointError, InventoryResource, InventoryResult } from '../types.js';
import { AUTH_ENDPOINT, type KeystoneToken } from './auth.js';
import type { SelectelContext } from './context.js';
import { mapRegionInventory } from './inventory-mapper.js';
import { resolveRegions, type RegionEndpoint } from './regions.js';

/** Nova embeds the flavor (vcpus, ram, original_name) from 2.47 on; without it we would need a call per flavor. */
export const NOVA_HEADERS = { 'X-OpenStack-Nova-API-Version': '2.47', 'OpenStack-API-Version': 'compute 2.47' };

/** The regions to query for this token: the catalog's, else the configured fallback. */
export function regionsFor(c: SelectelContext, token: KeystoneToken): RegionEndpoint[] {
  const regions = resolveRegions(token.catalog, c.settings);
  c.logger.debug(
    { provider: 'selectel', regions: regions.map((r) => r.region), fromCatalog: token.catalog.size > 0 },
    'selectel regions'
  );
  return regions;
}

export { nextPageQuery } from '../openstack/pagination.js';

function listAll(c: SelectelContext, req: ListRequest): Promise<unknown[]> {
  return listOpenStack({ http: c.openstack, logger: c.logger, providerName: 'Selectel', provider: 'selectel' }, req);
}

interface RegionResult {
  resources: InventoryResource[];
  errors: EndpointError[];
  complete: boolean;
}

async function readRegion(c: SelectelContext, region: RegionEndpoint, projectId: string): Promise<RegionResult> {
  const { region: name, baseUrl } = region;
  const calls = {
    servers: listAll(c, {
      endpoint: `servers:${name}`,
      url: `${baseUrl}/compute/v2.1/servers/detail`,
      key: 'servers',
      headers: NOVA_HEADERS,
    }),
    volumes: listAll(c, {
      endpoint: `volumes:${name}`,
      url: `${baseUrl}/volume/v3/${encodeURIComponent(projectId)}/volumes/detail`,
      key: 'volumes',
    }),
    ports: listAll(c, { endpoint: `ports:${name}`, url: `${baseUrl}/network/v2.0/ports`, key: 'ports' }),
  };
  const [servers, volumes, ports] = await Promise.allSettled([calls.servers, calls.volumes, calls.ports]);
  const errors: EndpointError[] = [];
  const value = (endpoint: string, result: PromiseSettledResult<unknown[]>): unknown[] | undefined => {
    if (result.status === 'fulfilled') return result.value;
    const err: unknown = result.reason;
    if (!(err instanceof ProviderError)) throw err;
    errors.push({ endpoint, region: name, kind: err.kind, message: err.message });
    c.logger.warn({ provider: 'selectel', endpoint, region: name, kind: err.kind }, 'region endpoint failed');
    return undefined;
  };
  const raw = {
    region: name,
    servers: value('servers', servers),
    volumes: value('volumes', volumes),
    ports: value('ports', ports),
  };
  return {
    resources: mapRegionInventory(raw),
    errors,
    complete: raw.servers !== undefined && raw.volumes !== undefined,
  };
}

export async function readInventory(c: SelectelContext): Promise<InventoryResult> {
  let token: KeystoneToken;
  try {
    token = await c.keystone.token();
  } catch (err) {
    // Without a token nothing can be listed, but billing (API key) may still have worked: report, don't throw.
    if (!(err instanceof ProviderError)) throw err;
    return {
      resources: [],
      errors: [{ endpoint: AUTH_ENDPOINT, kind: err.kind, message: err.message }],
      complete: false,
    };
  }
  const results = await Promise.all(regionsFor(c, token).map((region) => readRegion(c, region, token.projectId)));
  return {
    resources: results.flatMap((r) => r.resources),
    errors: results.flatMap((r) => r.errors),
    complete: results.every((r) => r.complete),
  };
}
