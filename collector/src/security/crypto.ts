/**
 * Encryption of secrets at rest: AES-256-GCM, a fresh 96-bit nonce per value, the key id stored with
 * each ciphertext so old values stay readable during a rotation, and additional authenticated data
 * binding each ciphertext to its row (a ciphertext copied onto another row does not decrypt).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function generateKey(): Buffer {
  return randomBytes(32);
}

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

export interface Encrypted {
  keyId: string;
  ciphertext: string;
}

export class Keyring {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('encryption keys must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = keyIdOf(current);
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  encrypt(plaintext: string, aad: string): Encrypted {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const ciphertext = [
      VERSION,
      this.currentKeyId,
      iv.toString('base64'),
      tag.toString('base64'),
      body.toString('base64'),
    ].join(':');
    return { keyId: this.currentKeyId, ciphertext };
  }

  /** Errors never include the plaintext or the key; only which key id was wanted. */
  decrypt(ciphertext: string, aad: string): string {
    const parts = ciphertext.split(':');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptError('unrecognized ciphertext format');
    const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new DecryptError(`no key with id ${keyId} in the keyring`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptError(`authentication failed for a value under key ${keyId}`);
    }
  }
}
