import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { DecryptError, Keyring, generateKey, keyIdOf } from '../src/security/crypto.js';
import { MissingSecretKeyError, loadKeyring, promoteKeyFile, stageNewKeyFile } from '../src/security/key-store.js';

const logger = createLogger('silent');

describe('encryption of secrets', () => {
  it('round-trips and stores the key id with the ciphertext', () => {
    const key = generateKey();
    const ring = new Keyring(key);
    const secret = JSON.stringify({ apiKey: 'sel-123', password: 'пароль' });
    const enc = ring.encrypt(secret, 'aad-1');
    assert.equal(enc.keyId, keyIdOf(key));
    assert.ok(enc.ciphertext.startsWith(`v1:${enc.keyId}:`));
    assert.ok(!enc.ciphertext.includes('sel-123'));
    assert.equal(ring.decrypt(enc.ciphertext, 'aad-1'), secret);
  });

  it('uses a fresh nonce for every value', () => {
    const ring = new Keyring(generateKey());
    assert.notEqual(ring.encrypt('same', 'a').ciphertext, ring.encrypt('same', 'a').ciphertext);
  });

  it('refuses a ciphertext moved to another row, tampered with, or under an unknown key', () => {
    const ring = new Keyring(generateKey());
    const enc = ring.encrypt('value', 'row-1');
    assert.throws(() => ring.decrypt(enc.ciphertext, 'row-2'), DecryptError);
    const parts = enc.ciphertext.split(':');
    const body = Buffer.from(parts[4]!, 'base64');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64');
    assert.throws(() => ring.decrypt(parts.join(':'), 'row-1'), DecryptError);
    assert.throws(() => new Keyring(generateKey()).decrypt(enc.ciphertext, 'row-1'), /no key with id/);
    assert.throws(() => ring.decrypt('garbage', 'row-1'), /unrecognized ciphertext format/);
  });

  it('decrypts values under previous keys and encrypts under the current one', () => {
    const oldKey = generateKey();
    const old = new Keyring(oldKey).encrypt('v', 'a');
    const ring = new Keyring(generateKey(), [oldKey]);
    assert.equal(ring.decrypt(old.ciphertext, 'a'), 'v');
    assert.notEqual(ring.encrypt('v', 'a').keyId, old.keyId);
  });
});

describe('key store', () => {
  it('generates a 0600 key file in embedded mode and reuses it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'izkey-'));
    const config = loadConfig({ INFRAZEN_DATA_DIR: dir });
    const first = await loadKeyring(config, logger);
    const stat = await fs.stat(path.join(dir, 'secret.key'));
    assert.equal(stat.mode & 0o777, 0o600);
    const second = await loadKeyring(config, logger);
    assert.equal(second.currentKeyId, first.currentKeyId);
  });

  it('refuses to start with DATABASE_URL and no INFRAZEN_SECRET_KEY', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' });
    await assert.rejects(loadKeyring(config, logger), MissingSecretKeyError);
  });

  it('uses INFRAZEN_SECRET_KEY when given', async () => {
    const key = generateKey();
    const config = loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', INFRAZEN_SECRET_KEY: key.toString('hex') });
    assert.equal((await loadKeyring(config, logger)).currentKeyId, keyIdOf(key));
  });

  it('keeps old and staged keys readable through a key-file rotation', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'izkey-'));
    const config = loadConfig({ INFRAZEN_DATA_DIR: dir });
    const before = await loadKeyring(config, logger);
    const next = generateKey();
    await stageNewKeyFile(config, next);
    const during = await loadKeyring(config, logger);
    assert.equal(during.currentKeyId, before.currentKeyId);
    assert.ok(during.has(keyIdOf(next)));
    await promoteKeyFile(config, next);
    const after = await loadKeyring(config, logger);
    assert.equal(after.currentKeyId, keyIdOf(next));
    assert.ok(after.has(before.currentKeyId), 'the retired key stays available for reading');
  });
});
