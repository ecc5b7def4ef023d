/**
 * Cloud.ru IAM (PROVIDERS.md): `POST {iam}/api/v1/auth/token` with the service-account key
 * `{keyId, secret}` answers `{access_token, expires_in}`; every API takes `Authorization: Bearer`.
 * The token is cached until shortly before it expires and fetched again when an API answers 401
 * (revoked, or the clock of the API disagrees with ours). Failures become reasons a person can act
 * on; no message carries the key or the token.
 */
import type { AuthProvider, ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import { asObject, num, str } from '../values.js';
import type { CloudruCredentials } from './schema.js';

export const AUTH_ENDPOINT = 'auth';
/** Assumed lifetime when IAM does not say (its tokens live an hour). */
const DEFAULT_TTL_S = 3600;
/** Renew this long before expiry, so a token never dies between the check and the call. */
const MAX_MARGIN_MS = 60_000;

/** Where a URL points, for messages: host only. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

/** An IAM login failed: say which credential is wrong instead of "HTTP 401". */
export function iamError(err: unknown, iamUrl: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  const opts = { status: err.status, cause: err };
  // IAM answers a wrong or disabled key with 400, 401 or 403 depending on what is wrong with it.
  if (err.kind === 'auth' || err.kind === 'forbidden' || (err.kind === 'provider' && err.status === 400)) {
    return new ProviderError(
      'auth',
      AUTH_ENDPOINT,
      'Cloud.ru rejected the access key (Key ID or Key Secret); check that the service-account key exists and is active',
      opts
    );
  }
  if (err.kind === 'unreachable' || err.kind === 'timeout') {
    return new ProviderError(
      err.kind,
      AUTH_ENDPOINT,
      `cannot reach Cloud.ru IAM at ${hostOf(iamUrl)} (${err.message})`,
      opts
    );
  }
  return err;
}

interface Token {
  value: string;
  /** Epoch ms after which the token is not used any more (expiry minus a margin). */
  renewAt: number;
}

export class IamAuth implements AuthProvider {
  private current?: Token;
  private pending?: Promise<Token>;

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly iamUrl: string,
    private readonly credentials: CloudruCredentials,
    /** Wall clock for token lifetimes (real time even when the sync's clock is pinned). */
    private readonly clock: () => number = Date.now
  ) {}

  /** A valid token, logging in on first use and again shortly before expiry. */
  async token(): Promise<string> {
    const current = this.current;
    if (current && this.clock() < current.renewAt) return current.value;
    return (await this.login()).value;
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }

  async refresh(): Promise<void> {
    this.current = undefined;
    await this.login();
  }

  /** One login in flight at a time: parallel calls that all need a token share it. */
  private login(): Promise<Token> {
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

  private async authenticate(): Promise<Token> {
    const started = this.clock();
    let body: unknown;
    try {
      const res = await this.http.request({
        endpoint: AUTH_ENDPOINT,
        method: 'POST',
        url: `${this.iamUrl}/api/v1/auth/token`,
        json: { keyId: this.credentials.keyId, secret: this.credentials.secret },
        auth: false,
      });
      body = res.body;
    } catch (err) {
      throw iamError(err, this.iamUrl);
    }
    const answer = asObject(body);
    const value = str(answer.access_token);
    if (!value) {
      throw new ProviderError('bad_response', AUTH_ENDPOINT, 'Cloud.ru IAM answered without an access token');
    }
    const ttlMs = Math.max(1, num(answer.expires_in) ?? DEFAULT_TTL_S) * 1000;
    // A tenth of the lifetime, at most a minute: short-lived tokens are still used, never stale ones.
    return { value, renewAt: started + ttlMs - Math.min(MAX_MARGIN_MS, ttlMs / 10) };
  }
}
