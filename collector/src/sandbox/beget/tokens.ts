/**
 * Bearer tokens for the fake v1 API. They look like JWTs because Beget's do (clients must treat them as
 * opaque anyway), and they are checked on every call: an unknown token, or one used past the fault
 * board's token lifetime, gets 401 so connectors prove they re-authenticate mid-sync.
 */
import { randomUUID } from 'node:crypto';
import type { FaultSwitchboard } from '../faults.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export type TokenCheck = 'ok' | 'missing' | 'unknown' | 'expired';

export class TokenStore {
  private readonly uses = new Map<string, number>();

  constructor(private readonly faults: FaultSwitchboard) {}

  issue(login: string, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const token = [
      b64url({ alg: 'HS256', typ: 'JWT' }),
      b64url({ sub: login, iat, exp: iat + 3600, jti: randomUUID() }),
      Buffer.from(randomUUID()).toString('base64url'),
    ].join('.');
    this.uses.set(token, 0);
    return token;
  }

  /** Counts one authenticated request against the token. */
  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return 'missing';
    const token = match[1]!;
    const used = this.uses.get(token);
    if (used === undefined) return 'unknown';
    const lifetime = this.faults.tokenLifetime('beget');
    if (lifetime !== undefined && used >= lifetime) {
      this.uses.delete(token);
      // One expiry spends one use of the switch, so `times` bounds how often tokens die.
      this.faults.take('beget.token-expiry', ['token-expiry']);
      return 'expired';
    }
    this.uses.set(token, used + 1);
    return 'ok';
  }
}
