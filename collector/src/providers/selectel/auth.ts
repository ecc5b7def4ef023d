/**
 * Selectel has two auth paths (PROVIDERS.md):
 * - the static API key, sent as `X-Token` to api.selectel.ru (billing, balance, projects). It does not
 *   expire, so a 401 means the key is wrong and there is nothing to refresh;
 * - a service user's Keystone token for the OpenStack APIs and Gnocchi: password auth with domain =
 *   account id and a project scope, answered with HTTP 201 and the token in `X-Subject-Token`. Tokens
 *   expire (and can be revoked) mid-sync, so they are served through an AuthProvider that logs in again
 *   when the HTTP client reports a 401.
 * Failures are rewritten into reasons a person can act on; no message ever carries a secret.
 */
import type { AuthProvider, ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import { regionsFromCatalog } from './regions.js';
import type { SelectelCredentials } from './schema.js';
import { asObject, str } from './values.js';

export const AUTH_ENDPOINT = 'auth';

export function xTokenHeaders(apiKey: string): Record<string, string> {
  return { 'X-Token': apiKey };
}

/** Where a URL points, for messages: host only (paths and queries can carry ids we do not echo). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

/** An X-Token call failed: say which credential is wrong instead of "HTTP 401". */
export function apiKeyError(err: unknown, apiUrl: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  const opts = { status: err.status, cause: err };
  if (err.kind === 'auth') return new ProviderError('auth', err.endpoint, 'Selectel rejected the API key', opts);
  if (err.kind === 'forbidden') {
    return new ProviderError(
      'forbidden',
      err.endpoint,
      `the Selectel API key may not read ${err.endpoint} (HTTP 403); use a key of the account owner or of a user with the billing role`,
      opts
    );
  }
  if (err.kind === 'unreachable' || err.kind === 'timeout') {
    return new ProviderError(
      err.kind,
      err.endpoint,
      `cannot reach the Selectel API at ${hostOf(apiUrl)} (${err.message})`,
      opts
    );
  }
  return err;
}

/** A Keystone login failed. */
export function keystoneError(err: unknown, identityUrl: string, project: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  const opts = { status: err.status, cause: err };
  if (err.kind === 'auth') {
    return new ProviderError('auth', AUTH_ENDPOINT, "Selectel rejected the service user's name or password", opts);
  }
  if (err.kind === 'forbidden') {
    return new ProviderError(
      'forbidden',
      AUTH_ENDPOINT,
      `the service user has no role in project "${project}"; add it to the project in the Selectel control panel`,
      opts
    );
  }
  if (err.kind === 'unreachable' || err.kind === 'timeout') {
    return new ProviderError(
      err.kind,
      AUTH_ENDPOINT,
      `cannot reach Selectel Keystone at ${hostOf(identityUrl)} (${err.message})`,
      opts
    );
  }
  return err;
}

export interface KeystoneToken {
  token: string;
  projectId: string;
  projectName?: string;
  /** Region → public regional base URL, from the token's catalog. */
  catalog: Map<string, string | undefined>;
}

/** Keystone scopes by project id when given an id (32 hex digits), else by name within the account's domain. */
function projectScope(project: string, accountId: string): Record<string, unknown> {
  if (/^[0-9a-f]{32}$/i.test(project)) return { id: project };
  return { name: project, domain: { name: accountId } };
}

export class KeystoneAuth implements AuthProvider {
  private current?: KeystoneToken;
  private pending?: Promise<KeystoneToken>;

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly identityUrl: string,
    private readonly credentials: SelectelCredentials
  ) {}

  /** The current token, logging in on first use. */
  async token(): Promise<KeystoneToken> {
    return this.current ?? this.login();
  }

  async headers(): Promise<Record<string, string>> {
    return { 'X-Auth-Token': (await this.token()).token };
  }

  async refresh(): Promise<void> {
    this.current = undefined;
    await this.login();
  }

  /**
   * One login in flight at a time: when parallel regional calls all see their token expire, they share
   * a single new token instead of each logging in.
   */
  private login(): Promise<KeystoneToken> {
    this.pending ??= this.authenticate()
      .then((token) => {
        this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async authenticate(): Promise<KeystoneToken> {
    const { username, password, accountId, project } = this.credentials;
    const body = {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: username, domain: { name: accountId }, password } },
        },
        scope: { project: projectScope(project, accountId) },
      },
    };
    let res;
    try {
      res = await this.http.request({
        endpoint: AUTH_ENDPOINT,
        method: 'POST',
        url: `${this.identityUrl}/auth/tokens`,
        json: body,
        auth: false,
      });
    } catch (err) {
      throw keystoneError(err, this.identityUrl, project);
    }
    const header = res.headers['x-subject-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      throw new ProviderError(
        'bad_response',
        AUTH_ENDPOINT,
        'Selectel Keystone answered without an X-Subject-Token header'
      );
    }
    const tokenBody = asObject(asObject(res.body).token);
    const scoped = asObject(tokenBody.project);
    const projectId = str(scoped.id);
    if (!projectId) {
      throw new ProviderError(
        'bad_response',
        AUTH_ENDPOINT,
        'Selectel Keystone issued a token that is not scoped to a project'
      );
    }
    return { token, projectId, projectName: str(scoped.name), catalog: regionsFromCatalog(tokenBody.catalog) };
  }
}
