import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPgDatabase } from '../src/storage/db.js';
import { createToken, ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

describe('HTTP API', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let token: string;
  let tenantId: string;

  before(async () => {
    t = await createTestDatabase('api');
    ({ app } = await buildTestApp(t.db, { config: { authFailureLimit: 5 } }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  it('answers health without a token', async () => {
    const res = await app.inject({ url: '/api/v1/health' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.db.mode, 'plain');
    assert.equal(body.db.migration.upToDate, true);
    assert.deepEqual(Object.keys(body).sort(), ['db', 'scheduler', 'status', 'syncs', 'version']);
  });

  it('refuses /api/v1 routes without a token with a JSON 401', async () => {
    const res = await app.inject({ url: '/api/v1/connections' });
    assert.equal(res.statusCode, 401);
    assert.match(res.headers['content-type'] as string, /application\/json/);
    assert.equal(res.json().error, 'unauthorized');
  });

  it('refuses unknown, malformed and revoked tokens', async () => {
    for (const header of ['Bearer izn_unknownunknownunknownunknownunknownunknown00', 'Basic abc', `Bearer ${token}x`]) {
      const res = await app.inject({
        url: '/api/v1/connections',
        headers: { authorization: header, 'x-forwarded-for': '10.9.9.9' },
      });
      assert.equal(res.statusCode, 401, header);
    }
    const extra = await createToken(t.db, { tenantId, name: 'to-revoke', actor: 'test', actorKind: 'cli' });
    const ok = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${extra.token}` } });
    assert.equal(ok.statusCode, 200);
    await t.db.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [extra.id]);
    const revoked = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${extra.token}` } });
    assert.equal(revoked.statusCode, 401);
  });

  it('serves the tenant its own data with a valid token', async () => {
    const res = await app.inject({ url: '/api/v1/connections', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { items: [], total: 0 });
    const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.json().tenant.grafanaOrgId, 1);
    assert.ok(!JSON.stringify(me.json()).includes(token), 'the token is never echoed');
  });

  it('rate-limits repeated authentication failures per address, but not valid tokens', async () => {
    const from = { 'x-forwarded-for': '10.1.2.3' };
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await app.inject({
        url: '/api/v1/connections',
        remoteAddress: '127.0.0.1',
        headers: { ...from, authorization: 'Bearer wrong-token-wrong-token' },
      });
      codes.push(res.statusCode);
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429, 429]);
    const limited = await app.inject({ url: '/api/v1/connections', headers: { ...from } });
    assert.equal(limited.json().error, 'too_many_requests');
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '10.1.2.4' },
      });
      assert.equal(res.statusCode, 200);
    }
  });

  it('answers unknown routes and bad input with JSON errors, never 5xx', async () => {
    const missing = await app.inject({ url: '/api/v1/nothing-here', headers: { authorization: `Bearer ${token}` } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error, 'not_found');
    const badJson = await app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.ok(badJson.statusCode >= 400 && badJson.statusCode < 500, String(badJson.statusCode));
    assert.ok(badJson.json().error);
  });

  it('publishes Prometheus metrics and OpenAPI docs', async () => {
    const metrics = await app.inject({ url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /infrazen_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\}/);
    assert.match(metrics.body, /infrazen_auth_failures_total \d+/);
    assert.match(metrics.body, /infrazen_sync_runs_total/);
    assert.match(metrics.body, /infrazen_rows_written_total/);
    assert.match(metrics.body, /infrazen_process_cpu_seconds_total/);
    const docs = await app.inject({ url: '/api/docs/json' });
    assert.equal(docs.statusCode, 200);
    const spec = docs.json();
    assert.ok(spec.paths['/api/v1/health']);
    assert.ok(spec.paths['/api/v1/connections'].get.responses['200']);
    const ui = await app.inject({ url: '/api/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
  });

  it('reports degraded (503) and refuses API calls with 503 while the database is unreachable', async () => {
    const dead = createPgDatabase({ connectionString: 'postgresql://x:y@127.0.0.1:1/none', max: 1 });
    const { app: offline } = await buildTestApp(dead, { ready: false });
    try {
      const res = await offline.inject({ url: '/api/v1/health' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().status, 'degraded');
      assert.equal(res.json().db.reachable, false);
      const api = await offline.inject({ url: '/api/v1/connections', headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 503);
      assert.equal(api.json().error, 'unavailable');
    } finally {
      await offline.close();
      await dead.close();
    }
  });
});
