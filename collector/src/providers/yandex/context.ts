/**
 * Everything one test or sync needs to talk to Yandex Cloud: the HTTP client (IAM bearer token,
 * refreshed on 401), service URLs from the settings' template, and the connector's inputs.
 */
import type { Logger } from '../../observability/logger.js';
import { ProviderHttpClient, type HttpOptions } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import type { ConnectorContext } from '../types.js';
import { IamAuth } from './auth.js';
import type { YandexCredentials, YandexSettings } from './schema.js';
import { asArray, isObject, str } from './values.js';

export type YandexService =
  'iam' | 'billing' | 'compute' | 'vpc' | 'storage' | 'mdb' | 'monitoring' | 'resource-manager';

export interface YandexContext {
  credentials: YandexCredentials;
  settings: YandexSettings;
  logger: Logger;
  now: Date;
  http: HttpOptions;
  signal?: AbortSignal;
  state: Record<string, unknown>;
  api: ProviderHttpClient;
  iam: IamAuth;
  url(service: YandexService, path: string): string;
}

export function createContext(ctx: ConnectorContext<YandexCredentials, YandexSettings>): YandexContext {
  const api = new ProviderHttpClient({ provider: 'yandex', options: ctx.http, logger: ctx.logger, signal: ctx.signal });
  const url = (service: YandexService, path: string) =>
    `${ctx.settings.apiUrlTemplate.replaceAll('{service}', service)}${path}`;
  const iam = new IamAuth(api, url('iam', '/iam/v1/tokens'), ctx.credentials);
  api.setAuth(iam);
  return {
    credentials: ctx.credentials,
    settings: ctx.settings,
    logger: ctx.logger,
    now: ctx.now,
    http: ctx.http,
    signal: ctx.signal,
    state: ctx.state ?? {},
    api,
    iam,
    url,
  };
}

/** A paginator whose token never ends (a provider bug) stops here instead of looping forever. */
const MAX_PAGES = 10_000;
export const PAGE_SIZE = 1000;

/**
 * Every item of a Yandex list call: `pageSize`/`pageToken` in, `{<key>: [...], nextPageToken}` out.
 * A repeated token ends the loop (with a warning) rather than spinning.
 */
export async function listAll(
  c: YandexContext,
  req: { endpoint: string; url: string; key: string; query?: Record<string, string> }
): Promise<unknown[]> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await c.api.request({
      endpoint: req.endpoint,
      url: req.url,
      query: { ...req.query, pageSize: PAGE_SIZE, pageToken },
    });
    if (!isObject(res.body)) {
      throw new ProviderError(
        'bad_response',
        req.endpoint,
        `Yandex ${req.endpoint}: the response is not a JSON object`
      );
    }
    const body = res.body;
    const list = body[req.key];
    // Proto3 JSON leaves an empty repeated field out altogether: `{}` is an empty page.
    if (list !== undefined && !Array.isArray(list)) {
      throw new ProviderError(
        'bad_response',
        req.endpoint,
        `Yandex ${req.endpoint}: "${req.key}" in the response is not a list`
      );
    }
    for (const item of asArray(list)) items.push(item);
    const next = str(body.nextPageToken);
    if (!next) return items;
    if (seen.has(next)) {
      c.logger.warn({ provider: 'yandex', endpoint: req.endpoint }, 'pagination repeated a page token; stopped');
      return items;
    }
    seen.add(next);
    pageToken = next;
  }
  c.logger.warn(
    { provider: 'yandex', endpoint: req.endpoint, pages: MAX_PAGES },
    'pagination stopped at the page limit'
  );
  return items;
}
