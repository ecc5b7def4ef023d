import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring, generateKey } from '../src/security/crypto.js';
import { generateToken } from '../src/security/tokens.js';
import { SecretStore } from '../src/services/secret-store.js';
import {
  TenantExistsError,
  authenticate,
  createTenant,
  createToken,
  ensureBootstrapTenant,
} from '../src/services/tenancy.js';
import { migrate } from '../src/storage/migrate.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';
import { runCli } from './helpers/process.js';

describe('tenants and tokens', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase('tenancy');
    await migrate(t.db);
  });
  after(async () => {
    await t.drop();
  });

  it('bootstraps org 1 once with a generated token, shown only the first time', async () => {
    const first = await ensureBootstrapTenant(t.db, undefined);
    assert.equal(first.tenant.grafanaOrgId, 1);
    assert.ok(first.generatedToken);
    const second = await ensureBootstrapTenant(t.db, undefined);
    assert.equal(second.generatedToken, undefined);
    assert.equal(second.tenant.id, first.tenant.id);
    assert.equal((await authenticate(t.db, first.generatedToken!))?.tenantId, first.tenant.id);
  });

  it('uses INFRAZEN_BOOTSTRAP_TOKEN and replaces it when the value changes', async () => {
    const v1 = generateToken();
    await ensureBootstrapTenant(t.db, v1);
    assert.ok(await authenticate(t.db, v1));
    const v2 = generateToken();
    await ensureBootstrapTenant(t.db, v2);
    assert.ok(await authenticate(t.db, v2));
    assert.equal(await authenticate(t.db, v1), undefined, 'the previous bootstrap token is revoked');
  });

  it('stores only token hashes', async () => {
    const { token } = await createTenant(t.db, { orgId: 5, name: 'Five', actor: 'test' });
    const rows = await t.db.query<{ token_hash: Buffer; prefix: string }>(`SELECT token_hash, prefix FROM api_tokens`);
    for (const row of rows) {
      assert.equal(row.token_hash.length, 32);
      assert.ok(!row.token_hash.toString('latin1').includes(token.token));
    }
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM api_tokens`));
    assert.ok(!dump.includes(token.token));
  });

  it('refuses a second tenant for the same org and audits creations', async () => {
    await assert.rejects(createTenant(t.db, { orgId: 5, name: 'Again', actor: 'test' }), TenantExistsError);
    const [tenant] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE grafana_org_id = 5`);
    const issued = await createToken(t.db, { tenantId: tenant!.id, name: 'grafana', actor: 'test', actorKind: 'cli' });
    assert.equal((await authenticate(t.db, issued.token))?.grafanaOrgId, 5);
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE tenant_id = $1 ORDER BY id`,
      [tenant!.id]
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['tenant.create', 'token.create']
    );
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM audit_log`));
    assert.ok(!dump.includes(issued.token), 'no token in the audit log');
  });
});

describe('secrets at rest', () => {
  let t: TestDatabase;
  let tenantId: string;
  before(async () => {
    t = await createTestDatabase('secrets');
    await migrate(t.db);
    tenantId = (await ensureBootstrapTenant(t.db, undefined)).tenant.id;
  });
  after(async () => {
    await t.drop();
    await stopTestCluster();
  });

  it('stores credentials encrypted and reads them back', async () => {
    const store = new SecretStore(new Keyring(generateKey()));
    const id = await store.create(t.db, tenantId, 'connection', { apiKey: 'sel-secret-123', password: 'p@ss' });
    const [row] = await t.db.query<{ ciphertext: string }>(`SELECT ciphertext FROM secrets WHERE id = $1`, [id]);
    assert.ok(!row!.ciphertext.includes('sel-secret-123'));
    assert.deepEqual(await store.read(t.db, id), { apiKey: 'sel-secret-123', password: 'p@ss' });
  });

  it('rotates every secret to a new key with zero decrypt failures', async () => {
    const oldKey = generateKey();
    const store = new SecretStore(new Keyring(oldKey));
    await t.db.query(`DELETE FROM secrets`);
    const ids: string[] = [];
    for (let i = 0; i < 250; i++)
      ids.push(await store.create(t.db, tenantId, 'connection', { n: i, token: `tok-${i}` }));
    const newKey = generateKey();
    const result = await SecretStore.rotate(t.db, new Keyring(oldKey), new Keyring(newKey));
    assert.equal(result.rotated, 250);
    const onlyNew = new SecretStore(new Keyring(newKey));
    for (const [i, id] of ids.entries()) assert.deepEqual(await onlyNew.read(t.db, id), { n: i, token: `tok-${i}` });
    const keyIds = await t.db.query<{ key_id: string }>(`SELECT DISTINCT key_id FROM secrets`);
    assert.deepEqual(
      keyIds.map((k) => k.key_id),
      [new Keyring(newKey).currentKeyId]
    );
  });

  it('changes nothing when any secret does not decrypt', async () => {
    const key = generateKey();
    const store = new SecretStore(new Keyring(key));
    await t.db.query(`DELETE FROM secrets`);
    const good = await store.create(t.db, tenantId, 'connection', { ok: true });
    const foreign = await new SecretStore(new Keyring(generateKey())).create(t.db, tenantId, 'connection', {
      ok: false,
    });
    const before = await t.db.query(`SELECT id, ciphertext FROM secrets ORDER BY id`);
    await assert.rejects(
      SecretStore.rotate(t.db, new Keyring(key), new Keyring(generateKey())),
      /nothing changed: 1 secret/
    );
    assert.deepEqual(await t.db.query(`SELECT id, ciphertext FROM secrets ORDER BY id`), before);
    assert.ok(good && foreign);
  });

  it('`infrazen secrets rotate` re-encrypts under a new key file', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'infrazen-rot-'));
    await fs.chmod(dataDir, 0o755);
    const env = { INFRAZEN_DATA_DIR: dataDir };
    const created = runCli(['tenant', 'create', '--org', '3', '--name', 'Rot'], env);
    assert.equal(created.status, 0, created.stderr);
    const keyBefore = await fs.readFile(path.join(dataDir, 'secret.key'), 'utf8');
    const rotated = runCli(['secrets', 'rotate'], env);
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(rotated.stdout, /re-encrypted \d+ secret\(s\) under key [0-9a-f]{16}; 0 failures/);
    const keyAfter = await fs.readFile(path.join(dataDir, 'secret.key'), 'utf8');
    assert.notEqual(keyAfter, keyBefore);
    assert.equal((await fs.stat(path.join(dataDir, 'secret.key'))).mode & 0o777, 0o600);
    const withEnvKey = runCli(['secrets', 'rotate'], { ...env, INFRAZEN_SECRET_KEY: 'ab'.repeat(32) });
    assert.notEqual(withEnvKey.status, 0);
    assert.match(withEnvKey.stderr, /INFRAZEN_NEW_SECRET_KEY/);
  });
});
