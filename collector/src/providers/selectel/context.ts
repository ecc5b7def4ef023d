/**
 * Everything one test or sync needs to talk to Selectel: two HTTP clients (the X-Token API needs no
 * AuthProvider, the OpenStack one refreshes its Keystone token on 401) and the connector's inputs.
 */
import type { Logger } from '../../observability/logger.js';
import { ProviderHttpClient } from '../http/client.js';
import type { ConnectorContext } from '../types.js';
import { apiKeyError, KeystoneAuth, xTokenHeaders } from './auth.js';
import type { SelectelCredentials, SelectelSettings } from './schema.js';

export interface SelectelContext {
  credentials: SelectelCredentials;
  settings: SelectelSettings;
  logger: Logger;
  now: Date;
  /** api.selectel.ru (billing, balance, projects). */
  api: ProviderHttpClient;
  /** Regional OpenStack APIs and Gnocchi, with the Keystone token. */
  openstack: ProviderHttpClient;
  keystone: KeystoneAuth;
}

export function createContext(ctx: ConnectorContext<SelectelCredentials, SelectelSettings>): SelectelContext {
  const init = { provider: 'selectel', options: ctx.http, logger: ctx.logger, signal: ctx.signal };
  const api = new ProviderHttpClient(init);
  const openstack = new ProviderHttpClient(init);
  const keystone = new KeystoneAuth(openstack, ctx.settings.identityUrl, ctx.credentials);
  openstack.setAuth(keystone);
  return {
    credentials: ctx.credentials,
    settings: ctx.settings,
    logger: ctx.logger,
    now: ctx.now,
    api,
    openstack,
    keystone,
  };
}

/** GET on api.selectel.ru with the API key; failures come back with a human reason. */
export async function apiGet(
  c: SelectelContext,
  endpoint: string,
  path: string,
  query?: Record<string, string | readonly string[] | undefined>
): Promise<unknown> {
  try {
    const res = await c.api.request({
      endpoint,
      url: `${c.settings.apiUrl}${path}`,
      query,
      headers: xTokenHeaders(c.credentials.apiKey),
    });
    return res.body;
  } catch (err) {
    throw apiKeyError(err, c.settings.apiUrl);
  }
}
