/**
 * VK Cloud's Keystone catalog → per region, the public URL of each OpenStack service. Unlike
 * Selectel (one regional host, fixed service paths), VK Cloud publishes each service on its own host
 * and port (`https://infra.mail.ru:8774/v2.1/{project}`, `https://public.infra.mail.ru:8776/v3/{project}`,
 * `https://infra.mail.ru:9696`, `https://infra.mail.ru:8041`), so the catalog URL is the service root
 * and API paths are appended to it, with or without the version the catalog may already carry. Pure.
 */
import { asArray, asObject, str } from '../values.js';

export type ServiceKind = 'compute' | 'volume' | 'network' | 'metric';

/** Catalog types per service, the preferred one first (a catalog may list volumev2 and volumev3). */
const CATALOG_TYPES: [string, ServiceKind][] = [
  ['compute', 'compute'],
  ['volumev3', 'volume'],
  ['block-storage', 'volume'],
  ['volume', 'volume'],
  ['volumev2', 'volume'],
  ['network', 'network'],
  ['metric', 'metric'],
];

export interface RegionServices {
  region: string;
  urls: Partial<Record<ServiceKind, string>>;
}

const trim = (url: string) => url.replace(/\/+$/, '');

/** Regions that publish at least one service, each with the public URL of its services. */
export function servicesFromCatalog(catalog: unknown): RegionServices[] {
  const regions = new Map<string, Partial<Record<ServiceKind, string>>>();
  const services = asArray(catalog).map(asObject);
  for (const [type, kind] of CATALOG_TYPES) {
    for (const service of services.filter((s) => s.type === type)) {
      for (const endpoint of asArray(service.endpoints).map(asObject)) {
        const region = str(endpoint.region) ?? str(endpoint.region_id);
        const url = str(endpoint.url);
        // Internal and admin interfaces are not reachable from outside VK Cloud.
        if (!region || !url || endpoint.interface !== 'public') continue;
        const urls = regions.get(region) ?? {};
        urls[kind] ??= trim(url);
        regions.set(region, urls);
      }
    }
  }
  return [...regions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([region, urls]) => ({ region, urls }));
}

/** Cinder's root carries the project (`…/v3/{project}`); add it when the catalog left it out. */
export function volumeRoot(url: string, projectId: string): string {
  return /\/v\d+(\.\d+)?$/.test(url) ? `${url}/${encodeURIComponent(projectId)}` : url;
}

/** A path under a versioned API whose catalog URL may or may not already end in that version. */
export function versioned(url: string, version: string, path: string): string {
  return url.endsWith(`/${version}`) ? `${url}${path}` : `${url}/${version}${path}`;
}
