/**
 * Everything one test or sync needs to talk to Cloud.ru: one HTTP client whose AuthProvider is the
 * IAM token (IAM itself is called without it), the connector's inputs, and the API error rewriting.
 */
import type { Logger } from '../../observability/logger.js';
import { ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import type { ConnectorContext } from '../types.js';
import { AUTH_ENDPOINT, hostOf, IamAuth } from './auth.js';
import type { CloudruCredentials, CloudruSettings } from './schema.js';

export interface CloudruContext {
  settings: CloudruSettings;
  logger: Logger;
  now: Date;
  http: ProviderHttpClient;
  iam: IamAuth;
}

export function createContext(
  ctx: ConnectorContext<CloudruCredentials, CloudruSettings>,
  clock?: () => number
): CloudruContext {
  const http = new ProviderHttpClient({
    provider: 'cloudru',
    options: ctx.http,
    logger: ctx.logger,
    signal: ctx.signal,
  });
  const iam = new IamAuth(http, ctx.settings.iamUrl, ctx.credentials, clock);
  http.setAuth(iam);
  return { settings: ctx.settings, logger: ctx.logger, now: ctx.now, http, iam };
}

/**
 * An authenticated API call failed: a 401 that survived a fresh login, a missing role, an
 * unreachable host — each gets a reason naming what to fix. `forbidden` says what the key may not do.
 */
export function apiError(err: unknown, url: string, forbidden: string): unknown {
  // An IAM failure met while fetching a token already says what is wrong with the key.
  if (!(err instanceof ProviderError) || err.endpoint === AUTH_ENDPOINT) return err;
  const opts = { status: err.status, cause: err };
  if (err.kind === 'auth') {
    return new ProviderError(
      'auth',
      err.endpoint,
      `Cloud.ru refused the access token for ${err.endpoint} even after a new login; check the service account's access`,
      opts
    );
  }
  if (err.kind === 'forbidden') return new ProviderError('forbidden', err.endpoint, forbidden, opts);
  if (err.kind === 'unreachable' || err.kind === 'timeout') {
    return new ProviderError(err.kind, err.endpoint, `cannot reach Cloud.ru at ${hostOf(url)} (${err.message})`, opts);
  }
  return err;
}
