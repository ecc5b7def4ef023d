/**
 * Yandex Cloud IAM (PROVIDERS.md): every API call carries `Authorization: Bearer <IAM token>`. The token
 * comes from `POST iam/v1/tokens` with either
 * - a JWT signed PS256 with the service account's authorized key (`kid` = key id, `iss` = service
 *   account id, `aud` = the tokens URL, lifetime ≤ 1 h), or
 * - a Yandex Passport OAuth token (`{yandexPassportOauthToken}`).
 * IAM tokens live up to 12 h; one is cached until shortly before its `expiresAt`, refreshed early by
 * `headers()` and on demand when an API answers 401 (revoked or expired mid-sync).
 * Failure messages say which credential is wrong and never contain the key, the JWT or the token.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthProvider, ProviderHttpClient } from '../http/client.js';
import { ProviderError } from '../http/errors.js';
import type { YandexCredentials } from './schema.js';
import { asObject, str } from './values.js';

export const IAM_ENDPOINT = 'iam';
/** The `aud` claim Yandex requires, whatever host the token request actually goes to (proxy, sandbox). */
export const IAM_AUDIENCE = 'https://iam.api.cloud.yandex.net/iam/v1/tokens';
/** JWT lifetime: Yandex refuses more than one hour. */
export const JWT_LIFETIME_SECONDS = 3600;
/** Refresh this long before `expiresAt` (or at half-life for short-lived tokens). */
const REFRESH_MARGIN_MS = 5 * 60_000;

type AuthorizedKey = NonNullable<YandexCredentials['serviceAccountKey']>;

/**
 * The key's PEM as a KeyObject. Key files written by `yc` put a line `PLEASE DO NOT REMOVE THIS LINE!
 * Yandex.Cloud SA Key ID <…>` before the PEM; PKCS#1 (`BEGIN RSA PRIVATE KEY`) is accepted too.
 */
export function parsePrivateKey(pem: string): KeyObject {
  const start = pem.indexOf('-----BEGIN');
  if (start < 0) throw invalidKey();
  try {
    const key = createPrivateKey(pem.slice(start).replace(/\\n/g, '\n'));
    if (key.asymmetricKeyType !== 'rsa') throw invalidKey();
    return key;
  } catch {
    throw invalidKey();
  }
}

function invalidKey(): ProviderError {
  return new ProviderError(
    'auth',
    IAM_ENDPOINT,
    "the service-account key's private_key is not an RSA private key in PEM form; paste the whole key file that `yc iam key create` writes"
  );
}

/** The JWT exchanged for an IAM token. `now` is the real clock: IAM checks `iat`/`exp` against its own. */
export async function signServiceAccountJwt(key: AuthorizedKey, now: Date = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', kid: key.id })
    .setIssuer(key.service_account_id)
    .setAudience(IAM_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + JWT_LIFETIME_SECONDS)
    .sign(parsePrivateKey(key.private_key));
}

export interface IamToken {
  token: string;
  /** Epoch ms after which the token is not used any more. */
  refreshAt: number;
}

/** Parses `{iamToken, expiresAt}`; a token without a readable expiry is kept for an hour. */
export function parseTokenResponse(body: unknown, nowMs: number): IamToken {
  const o = asObject(body);
  const token = str(o.iamToken);
  if (!token) throw new ProviderError('bad_response', IAM_ENDPOINT, 'Yandex IAM answered without an iamToken');
  const expires = Date.parse(str(o.expiresAt) ?? '');
  const lifetime = Number.isNaN(expires) ? 3_600_000 : Math.max(0, expires - nowMs);
  return { token, refreshAt: nowMs + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2) };
}

/** Where a URL points, for messages: host only. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

/** An IAM exchange failed: say which credential and what to do. */
export function iamError(err: unknown, usesKey: boolean, iamUrl: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  const opts = { status: err.status, cause: err };
  // IAM answers 400 INVALID_ARGUMENT for a malformed or wrongly signed JWT and 401 for unknown keys/tokens.
  if (err.kind === 'auth' || (err.kind === 'provider' && err.status === 400) || err.kind === 'forbidden') {
    const what = usesKey
      ? 'Yandex Cloud IAM rejected the service-account key (check the key id, the service account id and that the key was not deleted)'
      : 'Yandex Cloud IAM rejected the OAuth token (it may have expired: get a new one at oauth.yandex.ru)';
    return new ProviderError('auth', IAM_ENDPOINT, what, opts);
  }
  if (err.kind === 'unreachable' || err.kind === 'timeout') {
    return new ProviderError(
      err.kind,
      IAM_ENDPOINT,
      `cannot reach Yandex Cloud IAM at ${hostOf(iamUrl)} (${err.message})`,
      opts
    );
  }
  return err;
}

export class IamAuth implements AuthProvider {
  private current?: IamToken;
  private pending?: Promise<IamToken>;

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly tokensUrl: string,
    private readonly credentials: YandexCredentials,
    private readonly clock: () => number = Date.now
  ) {}

  /** A valid token, exchanging credentials when there is none or it is about to expire. */
  async token(): Promise<string> {
    const current = this.current;
    if (current && this.clock() < current.refreshAt) return current.token;
    return (await this.exchange()).token;
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }

  async refresh(): Promise<void> {
    this.current = undefined;
    await this.exchange();
  }

  /** One exchange in flight: parallel calls that all saw the token expire share the next one. */
  private exchange(): Promise<IamToken> {
    this.pending ??= this.request()
      .then((token) => {
        this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async request(): Promise<IamToken> {
    const key = this.credentials.serviceAccountKey;
    // The key wins when both are present: it does not expire, unlike an OAuth token (one year).
    const json = key
      ? { jwt: await signServiceAccountJwt(key, new Date(this.clock())) }
      : { yandexPassportOauthToken: this.credentials.oauthToken };
    try {
      const res = await this.http.request({
        endpoint: IAM_ENDPOINT,
        method: 'POST',
        url: this.tokensUrl,
        json,
        auth: false,
      });
      return parseTokenResponse(res.body, this.clock());
    } catch (err) {
      throw iamError(err, key !== undefined, this.tokensUrl);
    }
  }
}
