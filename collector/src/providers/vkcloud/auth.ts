/**
 * Keystone v3 as VK Cloud runs it: password auth of the user (domain `users`) scoped to the project
 * id; HTTP 201 with the token in `X-Subject-Token` and the service catalog in the body. Tokens expire
 * (and can be revoked) mid-sync, so they are served through an AuthProvider that logs in again when the
 * HTTP client reports a 401; parallel calls share one login. Failures are rewritten into reasons a
 * person can act on; no message carries a secret.
 */
import type { AuthProvider, ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import { asObject, str } from '../values.js';
import { servicesFromCatalog, type RegionServices } from './catalog.js';
import type { VkcloudCredentials } from './schema.js';

export const AUTH_ENDPOINT = 'auth';

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

/** A Keystone login failed. */
export function keystoneError(err: unknown, identityUrl: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  const opts = { status: err.status, cause: err };
  // Keystone answers a project the user has no role in with 401 too; only its message tells them apart.
  const project = /access to project|project .*not found|scope/i.test(err.message);
  if (err.kind === 'auth' && !project) {
    return new ProviderError(
      'auth',
      AUTH_ENDPOINT,
      'VK Cloud rejected the user name or password (API access needs two-factor authentication enabled on the account)',
      opts
    );
  }
  if (err.kind === 'auth' || err.kind === 'forbidden' || err.kind === 'not_found') {
    return new ProviderError(
      'forbidden',
      AUTH_ENDPOINT,
      'the VK Cloud user has no role in the project; check the project id on the API access page',
      opts
    );
  }
  if (err.kind === 'unreachable' || err.kind === 'timeout') {
    return new ProviderError(
      err.kind,
      AUTH_ENDPOINT,
      `cannot reach VK Cloud Keystone at ${hostOf(identityUrl)} (${err.message})`,
      opts
    );
  }
  return err;
}

export interface KeystoneToken {
  token: string;
  projectId: string;
  projectName?: string;
  regions: RegionServices[];
}

export class KeystoneAuth implements AuthProvider {
  private current?: KeystoneToken;
  private pending?: Promise<KeystoneToken>;

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly identityUrl: string,
    private readonly credentials: VkcloudCredentials
  ) {}

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
    const { username, password, domain, projectId } = this.credentials;
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: username, domain: { id: domain }, password } } },
        scope: { project: { id: projectId } },
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
      throw keystoneError(err, this.identityUrl);
    }
    const header = res.headers['x-subject-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      throw new ProviderError(
        'bad_response',
        AUTH_ENDPOINT,
        'VK Cloud Keystone answered without an X-Subject-Token header'
      );
    }
    const tokenBody = asObject(asObject(res.body).token);
    const scoped = asObject(tokenBody.project);
    const scopedId = str(scoped.id);
    if (!scopedId) {
      throw new ProviderError(
        'bad_response',
        AUTH_ENDPOINT,
        'VK Cloud Keystone issued a token that is not scoped to a project'
      );
    }
    return {
      token,
      projectId: scopedId,
      projectName: str(scoped.name),
      regions: servicesFromCatalog(tokenBody.catalog),
    };
  }
}
