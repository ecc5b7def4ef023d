import { createHash, randomBytes } from 'node:crypto';

/** A recognizable prefix lets secret scanners find leaked tokens. */
export const TOKEN_PREFIX = 'izn_';
const TOKEN_PATTERN = /^izn_[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: `izn_` + 43 characters. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored as SHA-256 digests. A slow password hash buys nothing for 256-bit random values
 * and would cost a KDF run on every API request.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** What may be shown of a token after creation: enough to tell tokens apart, useless to an attacker. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

export function looksLikeGeneratedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Extracts the token from `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S{16,512})\s*$/i.exec(header);
  return match?.[1];
}
