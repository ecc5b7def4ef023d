/**
 * Beget's v1 API (`/v1/…`): VPS, cloud services (managed databases, S3) and VPS statistics. It takes a
 * short-lived JWT from `POST /v1/auth`; the token can expire in the middle of a long sync, so it is
 * served through an AuthProvider and the HTTP client re-authenticates once on a 401.
 */
import type { Logger } from '../../observability/logger.js';
import { ProviderHttpClient, type AuthProvider, type HttpOptions } from '../http/client.js';
import { ProviderError, type ProviderErrorKind } from '../http/errors.js';
import type { BegetCredentials } from './schema.js';
import { asObject, int, isObject, str } from './values.js';

export type StatisticKind = 'cpu' | 'memory';
export type StatisticPeriod = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

export interface StatisticSeries {
  date: unknown[];
  value: unknown[];
}

export interface V1Api {
  /** Logs in now (test/open fail fast on bad credentials instead of on the first list call). */
  authenticate(): Promise<void>;
  listVps(): Promise<unknown[]>;
  listCloudServices(): Promise<unknown[]>;
  statistic(kind: StatisticKind, vpsId: string, period: StatisticPeriod): Promise<StatisticSeries>;
}

export interface V1ApiInit {
  apiUrl: string;
  credentials: BegetCredentials;
  logger: Logger;
  options: HttpOptions;
  signal?: AbortSignal;
}

export const AUTH_ENDPOINT = 'auth';
const PAGE_SIZE = 100;
/** A runaway paginator (total_count that never stops growing) ends here instead of looping forever. */
const MAX_PAGES = 10_000;

/** Why a login failed, in words a person can act on; the kind drives the API's status for the test call. */
const AUTH_REASONS: Record<string, { kind: ProviderErrorKind; message: string }> = {
  INCORRECT_CREDENTIALS: { kind: 'auth', message: 'Beget rejected the login or password' },
  EMPTY_LOGIN: { kind: 'auth', message: 'Beget rejected the login or password (the login is empty)' },
  EMPTY_PASSWORD: { kind: 'auth', message: 'Beget rejected the login or password (the password is empty)' },
  IP_BLOCKED: {
    kind: 'auth',
    message:
      "Beget blocked API logins from the collector's IP address (too many failed attempts, or an IP allow-list in the Beget control panel)",
  },
  CODE_REQUIRED: {
    kind: 'auth',
    message:
      'two-factor authentication is enabled on this Beget account; API login needs it turned off (or a separate login without 2FA)',
  },
  INCORRECT_CODE: { kind: 'auth', message: 'Beget asked for a two-factor code; API login needs 2FA turned off' },
  ACCOUNT_DELETED: { kind: 'auth', message: 'the Beget account has been deleted' },
  ACCOUNT_ON_MAINTANCE: { kind: 'provider', message: 'the Beget account is under maintenance; try again later' },
  INTERNAL_ERROR: { kind: 'provider', message: 'Beget reported an internal error while logging in; try again later' },
};
AUTH_REASONS.CODE_REQUIRED_EMAIL = AUTH_REASONS.CODE_REQUIRED!;
AUTH_REASONS.CODE_REQUIRED_SMS = AUTH_REASONS.CODE_REQUIRED!;

export function authError(code: string): ProviderError {
  const reason = AUTH_REASONS[code] ?? { kind: 'auth' as const, message: `Beget refused the API login` };
  return new ProviderError(reason.kind, AUTH_ENDPOINT, `${reason.message} (v1 API, ${code})`);
}

/**
 * Holds the current token. Concurrent callers share one login in flight, so a burst of 401s from
 * parallel statistics calls does not turn into a burst of logins (which Beget answers with IP_BLOCKED).
 */
class TokenAuth implements AuthProvider {
  private token?: string;
  private pending?: Promise<string>;

  constructor(private readonly login: () => Promise<string>) {}

  async headers(): Promise<Record<string, string>> {
    const token = this.token ?? (await this.obtain());
    return { authorization: `Bearer ${token}` };
  }

  async refresh(): Promise<void> {
    if (!this.pending) this.token = undefined;
    await this.obtain();
  }

  obtain(): Promise<string> {
    this.pending ??= this.login()
      .then((token) => {
        this.token = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

export function createV1Api(init: V1ApiInit): V1Api {
  const http = new ProviderHttpClient({
    provider: 'beget',
    options: init.options,
    logger: init.logger,
    signal: init.signal,
  });

  const login = async (): Promise<string> => {
    let body: unknown;
    try {
      ({ body } = await http.request({
        endpoint: AUTH_ENDPOINT,
        method: 'POST',
        url: `${init.apiUrl}/v1/auth`,
        json: { login: init.credentials.login, password: init.credentials.password },
        auth: false,
      }));
    } catch (err) {
      // Some gateways answer a bad login with a bare 401/403 instead of the `{error}` body.
      if (err instanceof ProviderError && (err.kind === 'auth' || err.kind === 'forbidden')) {
        throw authError('INCORRECT_CREDENTIALS');
      }
      throw err;
    }
    const obj = asObject(body);
    const error = str(obj.error);
    if (error) throw authError(error);
    const token = str(obj.token);
    if (!token) throw new ProviderError('bad_response', AUTH_ENDPOINT, 'beget auth: the login answer has no token');
    return token;
  };

  const auth = new TokenAuth(login);
  http.setAuth(auth);

  const listAll = async (endpoint: string, path: string, key: string): Promise<unknown[]> => {
    const items: unknown[] = [];
    for (let offset = 0, page = 0; page < MAX_PAGES; page++) {
      const res = await http.request({ endpoint, url: `${init.apiUrl}${path}`, query: { offset, limit: PAGE_SIZE } });
      const body = asObject(res.body);
      const batch = body[key];
      if (!Array.isArray(batch)) {
        throw new ProviderError('bad_response', endpoint, `beget ${endpoint}: the answer has no "${key}" list`);
      }
      items.push(...batch);
      offset += batch.length;
      const total = int(body.total_count);
      // Without total_count, a short page is the only end marker there is.
      if (total === undefined) {
        if (batch.length < PAGE_SIZE) return items;
        continue;
      }
      if (offset >= total) return items;
      // An empty page before total_count means the listing is broken; returning what we have would make
      // the missing resources look deleted (and their costs vanish), so this fails the endpoint instead.
      if (batch.length === 0) {
        throw new ProviderError(
          'bad_response',
          endpoint,
          `beget ${endpoint}: the listing ended after ${offset} of ${total} items`
        );
      }
    }
    throw new ProviderError(
      'bad_response',
      endpoint,
      `beget ${endpoint}: the listing did not end after ${MAX_PAGES} pages`
    );
  };

  return {
    async authenticate() {
      await auth.obtain();
    },
    listVps: () => listAll('vps.list', '/v1/vps/server/list', 'vps'),
    listCloudServices: () => listAll('cloud.list', '/v1/cloud', 'service'),
    async statistic(kind, vpsId, period) {
      const endpoint = `vps.statistic:${kind}`;
      const res = await http.request({
        endpoint,
        url: `${init.apiUrl}/v1/vps/statistic/${kind}/${encodeURIComponent(vpsId)}`,
        query: { period },
      });
      const series = asObject(res.body)[kind];
      if (!isObject(series) || !Array.isArray(series.date) || !Array.isArray(series.value)) {
        throw new ProviderError('bad_response', endpoint, `beget ${endpoint}: the answer has no "${kind}" series`);
      }
      return { date: series.date, value: series.value };
    },
  };
}
