/**
 * Bearer tokens a sandbox fake has issued: deterministic values from the seed, a real-time lifetime
 * (as the provider states it in `expires_in`/`expires_at`), and the fault switchboard's
 * "expire after N authenticated requests" on top, so tests can kill tokens mid-sync.
 */
import type { FaultSwitchboard } from './faults.js';
import { hashSeed } from './random.js';

export class IssuedTokens {
  private readonly tokens = new Map<string, { uses: number; expiresAt: number }>();
  private serial = 0;

  constructor(
    private readonly seed: number,
    /** Provider name of the `<provider>.token-expiry` fault switch. */
    private readonly provider: string,
    private readonly faults: FaultSwitchboard,
    private readonly prefix = ''
  ) {}

  issue(ttlSeconds: number): string {
    this.serial++;
    const token = `${this.prefix}${hashSeed(this.seed, this.provider, 'token', this.serial).toString(16)}${hashSeed(this.serial, this.provider).toString(16)}`;
    this.tokens.set(token, { uses: 0, expiresAt: Date.now() + ttlSeconds * 1000 });
    return token;
  }

  /** Counts one use; false when the token is unknown, expired, or past the fault switch's lifetime. */
  use(token: string | undefined): boolean {
    const entry = token === undefined ? undefined : this.tokens.get(token);
    if (!entry || Date.now() >= entry.expiresAt) return false;
    const lifetime = this.faults.tokenLifetime(this.provider);
    if (lifetime !== undefined && entry.uses >= lifetime) {
      // One expiry spends one use of the switch (as for the other fakes), so `times` bounds how often tokens die.
      this.faults.take(`${this.provider}.token-expiry`, ['token-expiry']);
      return false;
    }
    entry.uses++;
    return true;
  }
}
