/**
 * What counts as a provider secret in the security suite: the secret fields of connection credentials,
 * and every token the collector sent to a provider on the wire (issued by the provider during the sync:
 * Keystone and IAM tokens, bearer JWTs), read from undici's diagnostics channel as requests leave.
 */
import diagnostics from 'node:diagnostics_channel';

/** Credential fields that are secrets (ids such as keyId or accountId are not). */
const SECRET_FIELD = /(pass(word|wd)?|secret|token|key)$/i;
/** Headers that carry a credential, and the scheme words in front of it. */
const AUTH_HEADERS = new Set(['authorization', 'x-auth-token', 'x-token', 'x-subject-token', 'x-api-key']);
const SCHEME = /^(Bearer|OAuth|Api-Key|Token)\s+/i;

/** The secret values inside a credentials object (nested objects such as a service account key too). */
export function secretValues(credentials: unknown, key = ''): string[] {
  if (typeof credentials === 'string') return SECRET_FIELD.test(key) && credentials.length >= 6 ? [credentials] : [];
  if (credentials && typeof credentials === 'object')
    return Object.entries(credentials).flatMap(([k, v]) => secretValues(v, k));
  return [];
}

/**
 * The forms of a secret to search for: itself, JSON-escaped, and for long ones (keys) a 24-character
 * piece from the middle, which catches a truncated or re-wrapped leak too.
 */
export function needlesOf(secrets: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    out.add(s);
    out.add(JSON.stringify(s).slice(1, -1));
    if (s.length >= 64) out.add(s.slice(Math.floor(s.length / 2) - 12, Math.floor(s.length / 2) + 12));
  }
  return [...out];
}

export interface WireWatch {
  /** Credential header values sent so far. */
  tokens(): string[];
  stop(): void;
}

/** Records the credential headers of every outgoing undici request from now on. */
export function watchOutgoingCredentials(): WireWatch {
  const seen = new Set<string>();
  const onCreate = (message: unknown) => {
    const { request } = message as { request: { headers?: string | (string | Buffer)[] } };
    for (const [name, value] of headerPairs(request.headers)) {
      if (!AUTH_HEADERS.has(name.toLowerCase())) continue;
      // AWS signatures are derived per request, not secrets themselves.
      if (value.startsWith('AWS4-HMAC')) continue;
      const token = value.replace(SCHEME, '').trim();
      if (token.length >= 8) seen.add(token);
    }
  };
  diagnostics.subscribe('undici:request:create', onCreate);
  return {
    tokens: () => [...seen],
    stop: () => diagnostics.unsubscribe('undici:request:create', onCreate),
  };
}

function headerPairs(headers: string | (string | Buffer)[] | undefined): [string, string][] {
  if (!headers) return [];
  if (typeof headers === 'string') {
    return headers
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]);
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
  return pairs;
}
