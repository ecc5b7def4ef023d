/**
 * Yandex IAM as the fake runs it: `POST /iam/v1/tokens` takes `{jwt}` (PS256, signed with the service
 * account's authorized key, verified here against its public key: `kid`, `iss`, `aud`, lifetime ≤ 1 h)
 * or `{yandexPassportOauthToken}`, and answers `{iamToken, expiresAt}` (12 h). Errors carry the gRPC
 * envelope `{code, message, details}` with the status the REST gateway maps the code to. Tokens can be
 * made to expire after N authenticated requests through the fault switchboard.
 */
import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { hashSeed } from '../random.js';

export const IAM_AUDIENCE = 'https://iam.api.cloud.yandex.net/iam/v1/tokens';

/** gRPC status → the HTTP status the REST gateway answers with. */
export const GRPC_HTTP: Record<number, number> = { 3: 400, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401 };

export interface GrpcError {
  status: number;
  body: { code: number; message: string; details: unknown[] };
}

export const grpcError = (code: number, message: string): GrpcError => ({
  status: GRPC_HTTP[code] ?? 500,
  body: { code, message, details: [] },
});

export interface IamIdentity {
  serviceAccountId: string;
  keyId: string;
  publicKey: KeyObject;
  oauthToken: string;
}

/** Checks a token request; resolves to the subject or a gRPC error. */
export async function checkTokenRequest(identity: IamIdentity, body: unknown): Promise<GrpcError | undefined> {
  const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof o.yandexPassportOauthToken === 'string') {
    return o.yandexPassportOauthToken === identity.oauthToken
      ? undefined
      : grpcError(16, 'OAuth token is invalid or expired');
  }
  if (typeof o.jwt !== 'string') return grpcError(3, 'one of jwt or yandexPassportOauthToken is required');
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(o.jwt).kid;
  } catch {
    return grpcError(3, 'JWT is malformed');
  }
  if (kid !== identity.keyId) return grpcError(16, 'Key not found');
  try {
    const { payload, protectedHeader } = await jwtVerify(o.jwt, identity.publicKey, {
      algorithms: ['PS256'],
      audience: IAM_AUDIENCE,
      issuer: identity.serviceAccountId,
    });
    if (protectedHeader.alg !== 'PS256') return grpcError(3, 'JWT must be signed with PS256');
    if (payload.iat === undefined || payload.exp === undefined || payload.exp - payload.iat > 3600) {
      return grpcError(3, 'JWT lifetime must not exceed one hour');
    }
  } catch {
    return grpcError(3, 'JWT signature, issuer, audience or lifetime is invalid');
  }
  return undefined;
}

/** Issued IAM tokens and how many authenticated requests each has served. */
export class IamTokens {
  private readonly uses = new Map<string, number>();
  private serial = 0;

  constructor(private readonly seed: number) {}

  issue(): { iamToken: string; expiresAt: string } {
    this.serial++;
    const token = `t1.9euelZq${hashSeed(this.seed, 'iam', this.serial).toString(36)}${hashSeed(this.serial, 'iam').toString(36)}`;
    this.uses.set(token, 0);
    // Real time, not the sandbox clock: the connector caches against its own wall clock.
    return { iamToken: token, expiresAt: new Date(Date.now() + 12 * 3_600_000).toISOString() };
  }

  /** Counts one use; false when the token is unknown or past its (fault-injected) lifetime. */
  use(token: string | undefined, lifetime: number | undefined): boolean {
    const used = token === undefined ? undefined : this.uses.get(token);
    if (used === undefined) return false;
    if (lifetime !== undefined && used >= lifetime) return false;
    this.uses.set(token!, used + 1);
    return true;
  }
}
