/**
 * Stores and reads encrypted secrets (provider credentials, delivery tokens). Each value is bound to its
 * row (tenant id and secret id as authenticated data). Rotation re-encrypts every row in one transaction:
 * either all values move to the new key or none do.
 */
import { randomUUID } from 'node:crypto';
import { DecryptError, Keyring } from '../security/crypto.js';
import type { Database, Queryable } from '../storage/db.js';
import {
  deleteSecret,
  findSecret,
  insertSecret,
  lockAllSecrets,
  updateSecretCiphertext,
  updateSecretsBatch,
} from '../storage/repositories/secrets.js';

const aadFor = (tenantId: string, secretId: string) => `infrazen:secret:${tenantId}:${secretId}`;

export class SecretStore {
  constructor(
    private keyring: Keyring,
    /** Re-reads key files, for a value written under a key created by a rotation in another process. */
    private readonly reloadKeyring?: () => Promise<Keyring>
  ) {}

  get currentKeyId() {
    return this.keyring.currentKeyId;
  }

  async create(q: Queryable, tenantId: string, purpose: string, value: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    const { keyId, ciphertext } = this.keyring.encrypt(JSON.stringify(value), aadFor(tenantId, id));
    await insertSecret(q, { id, tenantId, purpose, keyId, ciphertext });
    return id;
  }

  async replace(q: Queryable, tenantId: string, id: string, value: Record<string, unknown>): Promise<void> {
    const { keyId, ciphertext } = this.keyring.encrypt(JSON.stringify(value), aadFor(tenantId, id));
    await updateSecretCiphertext(q, id, keyId, ciphertext);
  }

  async read(q: Queryable, id: string): Promise<Record<string, unknown> | undefined> {
    const row = await findSecret(q, id);
    if (!row) return undefined;
    if (!this.keyring.has(row.keyId) && this.reloadKeyring) this.keyring = await this.reloadKeyring();
    return JSON.parse(this.keyring.decrypt(row.ciphertext, aadFor(row.tenantId, row.id))) as Record<string, unknown>;
  }

  async remove(q: Queryable, id: string): Promise<void> {
    await deleteSecret(q, id);
  }

  /**
   * Re-encrypts every secret under `next` (whose keyring must also know the old keys). Any value that
   * does not decrypt aborts the whole rotation and changes nothing.
   */
  static async rotate(db: Database, from: Keyring, next: Keyring): Promise<{ rotated: number; keyId: string }> {
    return db.transaction(async (tx) => {
      const rows = await lockAllSecrets(tx);
      const failures: string[] = [];
      const updated = rows.map((row) => {
        const aad = aadFor(row.tenantId, row.id);
        try {
          const plain = from.decrypt(row.ciphertext, aad);
          return { id: row.id, ...next.encrypt(plain, aad) };
        } catch (err) {
          if (!(err instanceof DecryptError)) throw err;
          failures.push(`${row.id}: ${err.message}`);
          return undefined;
        }
      });
      if (failures.length > 0) {
        throw new DecryptError(
          `rotation aborted, nothing changed: ${failures.length} secret(s) did not decrypt (${failures.slice(0, 5).join('; ')})`
        );
      }
      await updateSecretsBatch(tx, updated as { id: string; keyId: string; ciphertext: string }[]);
      return { rotated: rows.length, keyId: next.currentKeyId };
    });
  }
}
