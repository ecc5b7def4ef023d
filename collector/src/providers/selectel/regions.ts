/**
 * Region discovery (reference §6.5.2.1): the Keystone catalog lists every region the project can use
 * (ru-1 … ru-9, kz-1, gis-1 …) with its endpoint URLs, so new regions are picked up without a release.
 * When the catalog lists none, the configured fallback regions and URL template are used. Pure.
 */
import { asArray, asObject, str } from './values.js';

export interface RegionEndpoint {
  region: string;
  /** Regional API base; service paths (`/compute/v2.1`, `/volume/v3/…`) are appended to it. */
  baseUrl: string;
  source: 'catalog' | 'template';
}

/** Catalog services that live per region and tell us the region's base URL (identity is global). */
const REGIONAL_SERVICES = new Set(['compute', 'volume', 'volumev2', 'volumev3', 'block-storage', 'network', 'metric']);
/** Where a service path starts inside a catalog URL; everything before it is the regional base. */
const SERVICE_PATH = /\/(?:compute|volume|network|metric)(?:\/|$)/;

/** The regional base of a catalog URL: `https://ru-3.cloud.api.selcloud.ru/compute/v2.1` → its origin. */
export function regionalBase(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = SERVICE_PATH.exec(parsed.pathname);
  // A proxy (or the sandbox) may mount the regional API under a path prefix: keep it.
  const prefix = match ? parsed.pathname.slice(0, match.index) : parsed.pathname;
  return `${parsed.origin}${prefix}`.replace(/\/+$/, '');
}

/** Region → public base URL (undefined when the region has no public endpoint) from `token.catalog`. */
export function regionsFromCatalog(catalog: unknown): Map<string, string | undefined> {
  const regions = new Map<string, string | undefined>();
  for (const service of asArray(catalog)) {
    const type = str(asObject(service).type);
    if (!type || !REGIONAL_SERVICES.has(type)) continue;
    for (const endpoint of asArray(asObject(service).endpoints)) {
      const ep = asObject(endpoint);
      const region = str(ep.region) ?? str(ep.region_id);
      if (!region) continue;
      const base = ep.interface === 'public' ? regionalBase(str(ep.url) ?? '') : undefined;
      if (base !== undefined || !regions.has(region)) regions.set(region, regions.get(region) ?? base);
    }
  }
  return regions;
}

export interface RegionSettings {
  regionUrlTemplate: string;
  fallbackRegions: readonly string[];
}

export function urlFromTemplate(template: string, region: string): string {
  return template.replaceAll('{region}', region).replace(/\/+$/, '');
}

/** The regions to query: the catalog's, else the fallback list; each with its base URL. */
export function resolveRegions(catalog: Map<string, string | undefined>, settings: RegionSettings): RegionEndpoint[] {
  if (catalog.size > 0) {
    return [...catalog.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, base]) =>
        base !== undefined
          ? { region, baseUrl: base, source: 'catalog' as const }
          : { region, baseUrl: urlFromTemplate(settings.regionUrlTemplate, region), source: 'template' as const }
      );
  }
  return settings.fallbackRegions.map((region) => ({
    region,
    baseUrl: urlFromTemplate(settings.regionUrlTemplate, region),
    source: 'template' as const,
  }));
}

/** Billing reports availability zones (`ru-3b`); inventory and dashboards group by region (`ru-3`). */
export function regionOfZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  const match = /^([a-z]{2,4}-\d{1,2})[a-z]?$/i.exec(zone.trim());
  return match ? match[1]!.toLowerCase() : zone.trim();
}
