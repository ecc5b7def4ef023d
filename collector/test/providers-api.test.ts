/**
 * GET /api/v1/providers: the connection form schemas the app plugin renders, generated from the
 * providers' zod schemas — checked against what POST /connections actually accepts and refuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROVIDERS } from '../src/domain/providers.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

interface Described {
  provider: string;
  syncs: boolean;
  defaultBackfillDays: number | null;
  credentials: {
    properties: Record<string, { type?: string; enum?: string[]; items?: { enum?: string[] } }>;
    required?: string[];
  };
  settings: {
    properties: Record<string, { type?: string; default?: unknown; items?: { enum?: string[] } }>;
    required?: string[];
  };
}

describe('providers API', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let token: string;

  before(async () => {
    t = await createTestDatabase('providers');
    ({ app } = await buildTestApp(t.db));
    token = (await ensureBootstrapTenant(t.db, undefined)).generatedToken!;
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  async function list(): Promise<Described[]> {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/providers',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { items: Described[] }).items;
  }

  it('needs a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/providers' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'unauthorized');
  });

  it('lists every provider with the fields its connection takes', async () => {
    const items = await list();
    assert.deepEqual(
      items.map((p) => p.provider),
      [...PROVIDERS]
    );
    const byId = Object.fromEntries(items.map((p) => [p.provider, p]));

    assert.deepEqual(Object.keys(byId.beget!.credentials.properties), ['login', 'password']);
    assert.deepEqual(byId.beget!.credentials.required, ['login', 'password']);
    assert.deepEqual(byId.selectel!.credentials.required, ['apiKey', 'accountId', 'username', 'password', 'project']);
    assert.deepEqual(byId.selectel!.settings.properties.providerKeys!.items!.enum, [
      'vpc',
      'mks',
      'dbaas',
      'craas',
      's3',
      'cdn',
    ]);
    assert.deepEqual(byId.selectel!.settings.properties.providerKeys!.default, ['vpc', 'mks', 'dbaas', 'craas']);
    // Yandex: either auth method; the either/or rule is not JSON Schema, so nothing is marked required.
    assert.equal(byId.yandex!.credentials.required, undefined);
    assert.equal(byId.yandex!.credentials.properties.serviceAccountKey!.type, 'object');
    assert.deepEqual(byId.cloudru!.settings.required, ['projectIds']);
    assert.equal(byId.cloudru!.settings.properties.includeVat!.type, 'boolean');
    for (const p of items) {
      assert.equal(p.settings.properties.collectMetrics!.type, 'boolean', p.provider);
      assert.equal(p.settings.properties.backfillDays!.type, 'integer', p.provider);
    }
  });

  it('says which providers sync and which only import files', async () => {
    const items = await list();
    assert.deepEqual(
      items.filter((p) => !p.syncs).map((p) => p.provider),
      ['focus']
    );
    assert.equal(items.find((p) => p.provider === 'focus')!.defaultBackfillDays, null);
    assert.ok(items.filter((p) => p.syncs).every((p) => typeof p.defaultBackfillDays === 'number'));
  });

  it('describes what POST /connections accepts: the listed required fields are enough, one less is refused', async () => {
    const beget = (await list()).find((p) => p.provider === 'beget')!;
    const credentials = Object.fromEntries(beget.credentials.required!.map((f) => [f, `value-of-${f}-123`]));
    const post = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: { authorization: `Bearer ${token}` },
        payload: body as object,
      });

    const ok = await post({ name: 'From the schema', provider: 'beget', credentials, enabled: false });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().credentialFields, ['login', 'password']);

    const { password: _dropped, ...partial } = credentials;
    const refused = await post({ name: 'Missing one', provider: 'beget', credentials: partial, enabled: false });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().message, /\/credentials\/password/);
  });
});
