/**
 * OpenStack list pagination (Nova, Cinder, Neutron): `limit`/`marker`, with a `*_links` next link
 * whenever a page is full. Shared by the OpenStack clouds (Selectel, VK Cloud).
 */
import type { Logger } from '../../observability/logger.js';
import type { ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import { asArray, asObject, str } from '../values.js';

/** A paginator whose marker never ends (a provider bug) stops here instead of looping forever. */
const MAX_PAGES = 10_000;

/**
 * The query of the `next` link (`*_links: [{rel: "next", href}]`). Only the query is kept: behind a
 * proxy OpenStack often writes its internal host into the href, so the next page is asked of the same
 * URL with the link's `marker` and `limit`.
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

export interface ListRequest {
  /** Endpoint name for errors, logs and sandbox faults (`servers:ru-3`). */
  endpoint: string;
  url: string;
  /** The list's key in the body (`servers`); its next link is `${key}_links`. */
  key: string;
  headers?: Record<string, string>;
}

export interface ListContext {
  http: ProviderHttpClient;
  logger: Logger;
  /** For messages (`Selectel`) and logs (`selectel`). */
  providerName: string;
  provider: string;
}

/** Every item of a paginated list; a body without the list is a bad response (retried by the client). */
export async function listAll(c: ListContext, req: ListRequest): Promise<unknown[]> {
  const items: unknown[] = [];
  const markers = new Set<string>();
  let query: Record<string, string> = {};
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await c.http.request({ endpoint: req.endpoint, url: req.url, query, headers: req.headers });
    const body = asObject(res.body);
    const list = body[req.key];
    if (!Array.isArray(list)) {
      throw new ProviderError(
        'bad_response',
        req.endpoint,
        `${c.providerName} ${req.endpoint}: the response has no "${req.key}" list`
      );
    }
    for (const item of list) items.push(item);
    const next = nextPageQuery(body[`${req.key}_links`]);
    if (!next || markers.has(next.marker!)) return items;
    markers.add(next.marker!);
    query = next;
  }
  c.logger.warn(
    { provider: c.provider, endpoint: req.endpoint, pages: MAX_PAGES },
    'pagination stopped at the page limit'
  );
  return items;
}
