/**
 * Everything one test or sync needs to talk to VK Cloud: the OpenStack HTTP client with the Keystone
 * AuthProvider (Keystone itself is called without it), the connector's inputs, and list helpers.
 */
import type { Logger } from '../../observability/logger.js';
import { ProviderHttpClient } from '../http/client.js';
import { listAll, type ListRequest } from '../openstack/pagination.js';
import type { ConnectorContext } from '../types.js';
import { KeystoneAuth } from './auth.js';
import type { VkcloudCredentials, VkcloudSettings } from './schema.js';

export interface VkcloudContext {
  settings: VkcloudSettings;
  logger: Logger;
  now: Date;
  openstack: ProviderHttpClient;
  keystone: KeystoneAuth;
}

export function createContext(ctx: ConnectorContext<VkcloudCredentials, VkcloudSettings>): VkcloudContext {
  const openstack = new ProviderHttpClient({
    provider: 'vkcloud',
    options: ctx.http,
    logger: ctx.logger,
    signal: ctx.signal,
  });
  const keystone = new KeystoneAuth(openstack, ctx.settings.identityUrl, ctx.credentials);
  openstack.setAuth(keystone);
  return { settings: ctx.settings, logger: ctx.logger, now: ctx.now, openstack, keystone };
}

/** Every item of a paginated OpenStack list. */
export function list(c: VkcloudContext, req: ListRequest): Promise<unknown[]> {
  return listAll({ http: c.openstack, logger: c.logger, providerName: 'VK Cloud', provider: 'vkcloud' }, req);
}
