/**
 * Inventory across every region (reference §6.5.2): Keystone token and catalog → regions → per region,
 * in parallel, Nova servers, Cinder volumes and Neutron ports. One region failing never stops the
 * others; its failures become EndpointErrors, and the inventory is marked incomplete when servers or
 * volumes are missing (the engine then calls nothing a zombie: absent from a partial list proves nothing).
 */
import { ProviderError } from '../http/errors.js';
import type { EndpointError, InventoryResource, InventoryResult } from '../types.js';
import { AUTH_ENDPOINT, type KeystoneToken } from './auth.js';
import type { SelectelContext } from './context.js';
import { mapRegionInventory } from './inventory-mapper.js';
import { resolveRegions, type RegionEndpoint } from './regions.js';
import { asArray, asObject, str } from './values.js';

/** Nova embeds the flavor (vcpus, ram, original_name) from 2.47 on; without it we would need a call per flavor. */
export const NOVA_HEADERS = { 'X-OpenStack-Nova-API-Version': '2.47', 'OpenStack-API-Version': 'compute 2.47' };
/** A paginator whose marker never ends (a provider bug) stops here instead of looping forever. */
const MAX_PAGES = 10_000;

/** The regions to query for this token: the catalog's, else the configured fallback. */
export function regionsFor(c: SelectelContext, token: KeystoneToken): RegionEndpoint[] {
  const regions = resolveRegions(token.catalog, c.settings);
  c.logger.debug(
    { provider: 'selectel', regions: regions.map((r) => r.region), fromCatalog: token.catalog.size > 0 },
    'selectel regions'
  );
  return regions;
}

/**
 * The query of the `next` link (`*_links: [{rel: "next", href}]`). Only the query is kept: behind a
 * proxy OpenStack often writes its internal host into the href, so the next page is asked of the same
 * regional URL with the link's `marker` and `limit`.
 */
export function nextPageQuery(links: unknown): Record<string, string> | undefined {
  for (const link of asArray(links)) {
    const l = asObject(link);
    const href = str(l.href);
    if (l.rel !== 'next' || !href) continue;
    const params = Object.fromEntries(new URL(href, 'http://next.invalid').searchParams);
    return params.marker ? params : undefined;
  }
  return undefined;
}

async function listAll(
  c: SelectelContext,
  req: { endpoint: string; url: string; key: string; headers?: Record<string, string> }
): Promise<unknown[]> {
  const items: unknown[] = [];
  const markers = new Set<string>();
  let query: Record<string, string> = {};
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await c.openstack.request({ endpoint: req.endpoint, url: req.url, query, headers: req.headers });
    const body = asObject(res.body);
    const list = body[req.key];
    if (!Array.isArray(list)) {
      throw new ProviderError(
        'bad_response',
        req.endpoint,
        `Selectel ${req.endpoint}: the response has no "${req.key}" list`
      );
    }
    for (const item of list) items.push(item);
    const next = nextPageQuery(body[`${req.key}_links`]);
    if (!next || markers.has(next.marker!)) return items;
    markers.add(next.marker!);
    query = next;
  }
  c.logger.warn(
    { provider: 'selectel', endpoint: req.endpoint, pages: MAX_PAGES },
    'pagination stopped at the page limit'
  );
  return items;
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
