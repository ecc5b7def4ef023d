/**
 * The connections management API through app.inject on a real PostgreSQL: validation, secrecy of
 * credentials, tenant isolation, soft delete vs purge, audit, and the provider test (sandbox).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createLogger } from '../src/observability/logger.js';
import { ProviderError } from '../src/providers/http/errors.js';
import type { Connector } from '../src/providers/types.js';
import { ConnectionNotFoundError, loadConnectionRuntime, runConnectorTest } from '../src/services/connections.js';
import { createTenant, ensureBootstrapTenant } from '../src/services/tenancy.js';
import type { SecretStore } from '../src/services/secret-store.js';
import { upsertCostRecords, type CostRecordInput } from '../src/storage/repositories/cost-records.js';
import { upsertMetricSamples } from '../src/storage/repositories/resource-metrics.js';
import { refreshCostDaily, refreshMetricsHourly } from '../src/storage/rollups.js';
import { buildTestApp, TEST_HTTP_OPTIONS } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const BEGET_CREDENTIALS = { login: 'acme-login-7731', password: 'S3cr3t-Beget-Pa55word!' };
const SELECTEL_CREDENTIALS = {
  apiKey: 'sel-api-key-0a9f8e7d6c5b4a39',
  accountId: '123456',
  username: 'svc-infrazen',
  password: 'Selectel-Pa55-xyz-0987',
  project: 'prod-project',
};
const YANDEX_CREDENTIALS = { oauthToken: 'y0_AgAAAAYandexOAuthTokenSecretValue' };

/** Every credential value the tests ever send: none may appear in a response, a log row or the audit log. */
const SECRET_VALUES = [
  BEGET_CREDENTIALS.password,
  SELECTEL_CREDENTIALS.apiKey,
  SELECTEL_CREDENTIALS.password,
  YANDEX_CREDENTIALS.oauthToken,
  'Rotated-Beget-Pa55word-2',
  'wrong-password-QQQ-991',
];

function assertNoSecrets(text: string, context: string) {
  for (const secret of SECRET_VALUES) {
    assert.ok(!text.includes(secret), `${context} contains a credential value`);
  }
}

describe('connections API', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let secrets: SecretStore;
  let tokenA: string;
  let tenantA: string;
  let tokenB: string;
  let tenantB: string;

  before(async () => {
    t = await createTestDatabase('connections');
    const built = await buildTestApp(t.db);
    app = built.app;
    secrets = built.runtime.secrets;
    const boot = await ensureBootstrapTenant(t.db, undefined);
    tokenA = boot.generatedToken!;
    tenantA = boot.tenant.id;
    const other = await createTenant(t.db, { orgId: 2, name: 'Other Org', actor: 'test' });
    tokenB = other.token.token;
    tenantB = other.tenant.id;
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  async function call(
    method: InjectOptions['method'],
    url: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}
  ): Promise<LightMyRequestResponse> {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${options.token ?? tokenA}`, ...options.headers },
      ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
    });
    assertNoSecrets(res.body, `${method} ${url} response`);
    assert.ok(res.statusCode < 500, `${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res;
  }

  async function counts() {
    const [row] = await t.db.query<{ connections: number; secrets: number; audit: number }>(
      `SELECT (SELECT count(*)::int FROM connections) AS connections, (SELECT count(*)::int FROM secrets) AS secrets,
              (SELECT count(*)::int FROM audit_log) AS audit`
    );
    return row!;
  }

  async function createBeget(name: string, extra: Record<string, unknown> = {}, token = tokenA) {
    const res = await call('POST', '/api/v1/connections', {
      token,
      body: { name, provider: 'beget', credentials: BEGET_CREDENTIALS, ...extra },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; name: string };
  }

  async function storedCredentials(connectionId: string) {
    const [row] = await t.db.query<{ secretId: string | null }>(
      `SELECT credentials_secret_id AS "secretId" FROM connections WHERE id = $1`,
      [connectionId]
    );
    return row?.secretId ? secrets.read(t.db, row.secretId) : undefined;
  }

  it('creates a connection and never returns or stores credentials in the clear', async () => {
    const res = await call('POST', '/api/v1/connections', {
      headers: { 'x-grafana-user': 'alice' },
      body: {
        name: 'Beget main',
        provider: 'beget',
        credentials: BEGET_CREDENTIALS,
        schedule: '15 */2 * * *',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(!res.body.includes(BEGET_CREDENTIALS.login), 'the login is a credential too');
    const body = res.json();
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    assert.equal(body.name, 'Beget main');
    assert.equal(body.provider, 'beget');
    assert.deepEqual(body.credentialFields, ['login', 'password']);
    assert.equal(body.credentials, undefined);
    assert.equal(body.settings.apiUrl, 'https://api.beget.com', 'provider defaults apply');
    assert.equal(body.settings.collectMetrics, true);
    assert.equal(body.schedule, '15 */2 * * *');
    assert.equal(body.enabled, true);
    assert.equal(body.status, 'pending');

    const [secretRow] = await t.db.query<{ ciphertext: string; tenantId: string }>(
      `SELECT s.ciphertext, s.tenant_id AS "tenantId" FROM secrets s
       JOIN connections c ON c.credentials_secret_id = s.id WHERE c.id = $1`,
      [body.id]
    );
    assert.ok(secretRow, 'the credentials live in secrets');
    assert.equal(secretRow.tenantId, tenantA);
    assert.ok(!secretRow.ciphertext.includes(BEGET_CREDENTIALS.password));
    assert.ok(!secretRow.ciphertext.includes(BEGET_CREDENTIALS.login));
    const [raw] = await t.db.query<{ dump: string }>(
      `SELECT (SELECT string_agg(row_to_json(s)::text, '') FROM secrets s) ||
              (SELECT string_agg(row_to_json(c)::text, '') FROM connections c) AS dump`
    );
    assertNoSecrets(raw!.dump, 'the database');
    assert.deepEqual(await storedCredentials(body.id), BEGET_CREDENTIALS, 'decrypts to what was sent');
  });

  it('refuses invalid input with 400 naming the field, and writes nothing', async () => {
    const before = await counts();
    const cases: { body: Record<string, unknown>; path: string | RegExp; label: string }[] = [
      {
        label: 'unknown provider',
        body: { name: 'x', provider: 'aws', credentials: {} },
        path: '/provider',
      },
      {
        label: 'missing credential field',
        body: { name: 'x', provider: 'beget', credentials: { login: BEGET_CREDENTIALS.login } },
        path: '/credentials/password',
      },
      {
        label: 'blank credential field',
        body: { name: 'x', provider: 'beget', credentials: { ...BEGET_CREDENTIALS, password: '   ' } },
        path: '/credentials/password',
      },
      {
        label: 'unknown extra credential field',
        body: {
          name: 'x',
          provider: 'selectel',
          credentials: { ...SELECTEL_CREDENTIALS, bogusField: 'wrong-password-QQQ-991' },
        },
        path: '/credentials',
      },
      {
        label: 'credentials of the wrong type',
        body: { name: 'x', provider: 'beget', credentials: { login: 42, password: ['S3cr3t-Beget-Pa55word!'] } },
        path: /^\/credentials\/(login|password)$/,
      },
      {
        label: 'yandex without any auth',
        body: { name: 'x', provider: 'yandex', credentials: {} },
        path: '/credentials',
      },
      {
        label: 'bad cron (minute 61)',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, schedule: '61 * * * *' },
        path: '/schedule',
      },
      {
        label: 'cron with 4 fields',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, schedule: '* * * *' },
        path: '/schedule',
      },
      {
        label: 'cron with seconds',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, schedule: '0 0 * * * *' },
        path: '/schedule',
      },
      {
        label: 'cron alias',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, schedule: '@hourly' },
        path: '/schedule',
      },
      {
        label: 'impossible date',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, schedule: '0 0 31 2 *' },
        path: '/schedule',
      },
      {
        label: 'settings URL that is not http(s)',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, settings: { apiUrl: 'ftp://example' } },
        path: '/settings/apiUrl',
      },
      {
        label: 'settings URL that is not a URL',
        body: { name: 'x', provider: 'selectel', credentials: SELECTEL_CREDENTIALS, settings: { apiUrl: 'not a url' } },
        path: '/settings/apiUrl',
      },
      {
        label: 'unknown setting',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, settings: { colour: 'blue' } },
        path: '/settings',
      },
      {
        label: 'unknown top-level field',
        body: { name: 'x', provider: 'beget', credentials: BEGET_CREDENTIALS, owner: 'me' },
        path: /^\/?$/,
      },
      {
        label: 'empty name',
        body: { name: '  ', provider: 'beget', credentials: BEGET_CREDENTIALS },
        path: '/name',
      },
      {
        label: 'credentials missing',
        body: { name: 'x', provider: 'beget' },
        path: '/credentials',
      },
    ];
    for (const c of cases) {
      const res = await call('POST', '/api/v1/connections', { body: c.body });
      assert.equal(res.statusCode, 400, `${c.label}: ${res.body}`);
      const body = res.json();
      assert.equal(body.error, 'bad_request', c.label);
      assert.ok(Array.isArray(body.details) && body.details.length > 0, `${c.label}: details`);
      const paths = (body.details as { path: string }[]).map((d) => d.path);
      assert.ok(
        paths.some((p) => (typeof c.path === 'string' ? p === c.path : c.path.test(p))),
        `${c.label}: expected ${String(c.path)} in ${paths.join(', ')}`
      );
      assert.ok(!res.body.includes(BEGET_CREDENTIALS.login), `${c.label}: echoes the login`);
    }
    const unknownField = await call('POST', '/api/v1/connections', { body: cases[3]!.body });
    assert.match(unknownField.json().message, /bogusField/, 'names the unknown field');
    assert.deepEqual(await counts(), before, 'nothing was written');
  });

  it('refuses a duplicate name (case-insensitive) with 409', async () => {
    await createBeget('Duplicate Me');
    const before = await counts();
    const res = await call('POST', '/api/v1/connections', {
      body: { name: '  duplicate ME ', provider: 'beget', credentials: BEGET_CREDENTIALS },
    });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error, 'conflict');
    assert.deepEqual(await counts(), before, 'the rolled-back create leaves no secret behind');
    // Another tenant may use the same name.
    await createBeget('Duplicate Me', {}, tokenB);
  });

  it('gets and lists connections', async () => {
    const created = await createBeget('Listed', { enabled: false, settings: { collectMetrics: false } });
    const got = await call('GET', `/api/v1/connections/${created.id}`);
    assert.equal(got.statusCode, 200, got.body);
    assert.equal(got.json().name, 'Listed');
    assert.equal(got.json().enabled, false);
    assert.equal(got.json().status, 'disabled');
    assert.equal(got.json().settings.collectMetrics, false);
    assert.equal(got.json().schedule, null);
    const list = await call('GET', '/api/v1/connections');
    assert.equal(list.statusCode, 200);
    const names = (list.json().items as { name: string }[]).map((c) => c.name);
    assert.ok(names.includes('Listed') && names.includes('Beget main'));
    assert.equal(list.json().total, names.length);
    assert.ok(!names.includes('x'));
  });

  it('PATCH merges credentials (omitted fields kept) and settings, and validates again', async () => {
    const created = await createBeget('Patch target', { settings: { apiUrl: 'http://beget.proxy.local:8080/' } });
    const res = await call('PATCH', `/api/v1/connections/${created.id}`, {
      headers: { 'x-grafana-user': 'bob' },
      body: { credentials: { password: 'Rotated-Beget-Pa55word-2' } },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().credentialFields, ['login', 'password']);
    assert.deepEqual(await storedCredentials(created.id), {
      login: BEGET_CREDENTIALS.login,
      password: 'Rotated-Beget-Pa55word-2',
    });

    const settings = await call('PATCH', `/api/v1/connections/${created.id}`, {
      body: { settings: { collectMetrics: false, backfillDays: 30 } },
    });
    assert.equal(settings.statusCode, 200, settings.body);
    assert.deepEqual(settings.json().settings, {
      apiUrl: 'http://beget.proxy.local:8080',
      collectMetrics: false,
      backfillDays: 30,
    });
    const reset = await call('PATCH', `/api/v1/connections/${created.id}`, {
      body: { settings: { apiUrl: null }, schedule: '*/30 * * * *', name: 'Patched', enabled: false },
    });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal(reset.json().settings.apiUrl, 'https://api.beget.com', 'null returns a setting to its default');
    assert.equal(reset.json().settings.backfillDays, 30);
    assert.equal(reset.json().schedule, '*/30 * * * *');
    const next = new Date(reset.json().nextSyncAt as string);
    assert.equal(next.getUTCMinutes() % 30, 0, 'the next slot follows the new schedule');
    assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 30 * 60_000);
    assert.equal(reset.json().name, 'Patched');
    assert.equal(reset.json().status, 'disabled');
    const back = await call('PATCH', `/api/v1/connections/${created.id}`, { body: { schedule: null, enabled: true } });
    assert.equal(back.json().schedule, null);
    assert.equal(back.json().status, 'pending');

    const before = await counts();
    for (const body of [
      { credentials: { password: '' } },
      { credentials: { login: null } },
      { credentials: { token: 'wrong-password-QQQ-991' } },
      { settings: { apiUrl: 'javascript:alert(1)' } },
      { schedule: 'every hour' },
      { provider: 'selectel' },
      {},
    ]) {
      const bad = await call('PATCH', `/api/v1/connections/${created.id}`, { body });
      assert.equal(bad.statusCode, 400, `${JSON.stringify(body)}: ${bad.body}`);
      assert.ok(bad.json().details, JSON.stringify(body));
    }
    assert.deepEqual(await counts(), before, 'refused PATCHes write nothing');
    assert.equal(
      (await storedCredentials(created.id))?.password,
      'Rotated-Beget-Pa55word-2',
      'refused PATCHes keep the credentials'
    );

    await createBeget('Taken name');
    const conflict = await call('PATCH', `/api/v1/connections/${created.id}`, { body: { name: 'TAKEN NAME' } });
    assert.equal(conflict.statusCode, 409, conflict.body);

    const [entry] = await t.db.query<{ actor: string; actorKind: string; details: Record<string, unknown> }>(
      `SELECT actor, actor_kind AS "actorKind", details FROM audit_log
       WHERE action = 'connection.update' AND target_id = $1 ORDER BY id LIMIT 1`,
      [created.id]
    );
    assert.equal(entry?.actor, 'bob');
    assert.equal(entry?.actorKind, 'user');
    assert.deepEqual(entry?.details.credentialFieldsChanged, ['password']);
  });

  it('keeps tenants apart: another tenant gets 404 for every per-id route', async () => {
    const created = await createBeget('Tenant A only');
    const before = await counts();
    for (const [method, url, body] of [
      ['GET', `/api/v1/connections/${created.id}`, undefined],
      ['PATCH', `/api/v1/connections/${created.id}`, { name: 'hijacked' }],
      ['DELETE', `/api/v1/connections/${created.id}`, undefined],
      ['DELETE', `/api/v1/connections/${created.id}?purge=true`, undefined],
      ['POST', `/api/v1/connections/${created.id}/test`, undefined],
    ] as const) {
      const res = await call(method, url, { token: tokenB, body });
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error, 'not_found');
    }
    assert.deepEqual(await counts(), before);
    const listB = await call('GET', '/api/v1/connections', { token: tokenB });
    assert.deepEqual(
      (listB.json().items as { name: string }[]).map((c) => c.name),
      ['Duplicate Me']
    );
    assert.equal((await call('GET', `/api/v1/connections/${created.id}`)).statusCode, 200);
  });

  it('answers 400 for a malformed id and 404 for an unknown one, never 5xx', async () => {
    for (const id of ['not-a-uuid', '123', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000g']) {
      const encoded = encodeURIComponent(id);
      for (const [method, url] of [
        ['GET', `/api/v1/connections/${encoded}`],
        ['PATCH', `/api/v1/connections/${encoded}`],
        ['DELETE', `/api/v1/connections/${encoded}`],
        ['POST', `/api/v1/connections/${encoded}/test`],
      ] as const) {
        const res = await call(method, url, { body: method === 'PATCH' ? { name: 'y' } : undefined });
        assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().error, 'bad_request');
      }
    }
    const unknown = '7d444840-9dc0-11d1-b245-5ffdce74fad2';
    assert.equal((await call('GET', `/api/v1/connections/${unknown}`)).statusCode, 404);
    assert.equal((await call('PATCH', `/api/v1/connections/${unknown}`, { body: { name: 'z' } })).statusCode, 404);
    assert.equal((await call('DELETE', `/api/v1/connections/${unknown}`)).statusCode, 404);
    assert.equal((await call('POST', `/api/v1/connections/${unknown}/test`)).statusCode, 404);
    assert.equal((await call('DELETE', `/api/v1/connections/${unknown}?purge=maybe`)).statusCode, 400);
  });

  function costRows(connectionId: string, tenantId = tenantA): CostRecordInput[] {
    return [1, 2, 3].map((day) => ({
      tenantId,
      connectionId,
      resourceId: `vps-${day}`,
      lineKey: 'plan',
      chargePeriodStart: `2025-09-0${day}T00:00:00Z`,
      chargePeriodEnd: `2025-09-0${day + 1}T00:00:00Z`,
      provider: 'beget',
      billedCost: '12.50',
      effectiveCost: '12.50',
      billingCurrency: 'RUB',
    }));
  }

  async function seedHistory(connectionId: string) {
    await upsertCostRecords(t.db, costRows(connectionId));
    await upsertMetricSamples(t.db, [
      {
        tenantId: tenantA,
        connectionId,
        resourceId: 'vps-1',
        metric: 'cpu_utilization',
        ts: '2025-09-01T10:00:00Z',
        value: 12,
      },
    ]);
    await t.db.query(
      `INSERT INTO account_balances (tenant_id, connection_id, ts, balance, currency) VALUES ($1, $2, now(), '100.00', 'RUB')`,
      [tenantA, connectionId]
    );
    const [snapshot] = await t.db.query<{ id: string }>(
      `INSERT INTO sync_snapshots (tenant_id, connection_id, status) VALUES ($1, $2, 'success') RETURNING id`,
      [tenantA, connectionId]
    );
    const [resource] = await t.db.query<{ id: string }>(
      `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status, last_snapshot_id)
       VALUES ($1, $2, 'beget', 'vps-1', 'vps-1', 'server', 'RUNNING', $3) RETURNING id`,
      [tenantA, connectionId, snapshot!.id]
    );
    await t.db.query(
      `INSERT INTO resource_states (tenant_id, snapshot_id, resource_id, provider_resource_id, resource_type, resource_name, action)
       VALUES ($1, $2, $3, 'vps-1', 'server', 'vps-1', 'created')`,
      [tenantA, snapshot!.id, resource!.id]
    );
    const window = { from: new Date('2025-09-01T00:00:00Z'), to: new Date('2025-09-04T00:00:00Z') };
    await refreshCostDaily(t.db, 'plain', window);
    await refreshMetricsHourly(t.db, 'plain', window);
  }

  async function historyCounts(connectionId: string) {
    const [row] = await t.db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM cost_records WHERE connection_id = $1) AS cost_records,
              (SELECT count(*)::int FROM resource_metrics WHERE connection_id = $1) AS resource_metrics,
              (SELECT count(*)::int FROM account_balances WHERE connection_id = $1) AS account_balances,
              (SELECT count(*)::int FROM sync_snapshots WHERE connection_id = $1) AS sync_snapshots,
              (SELECT count(*)::int FROM resources WHERE connection_id = $1) AS resources,
              (SELECT count(*)::int FROM resource_states rs JOIN sync_snapshots s ON s.id = rs.snapshot_id
                 WHERE s.connection_id = $1) AS resource_states,
              (SELECT count(*)::int FROM cost_daily WHERE connection_id = $1) AS cost_daily,
              (SELECT count(*)::int FROM metrics_hourly WHERE connection_id = $1) AS metrics_hourly,
              (SELECT count(*)::int FROM connections WHERE id = $1) AS connection`,
      [connectionId]
    );
    return row!;
  }

  it('DELETE soft-deletes: hidden, disabled, credentials destroyed, cost history kept', async () => {
    const created = await createBeget('To delete');
    await seedHistory(created.id);
    const [{ secretId } = { secretId: '' }] = await t.db.query<{ secretId: string }>(
      `SELECT credentials_secret_id AS "secretId" FROM connections WHERE id = $1`,
      [created.id]
    );
    const res = await call('DELETE', `/api/v1/connections/${created.id}`, { headers: { 'x-grafana-user': 'carol' } });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(res.body, '');
    assert.equal((await call('GET', `/api/v1/connections/${created.id}`)).statusCode, 404);
    assert.equal((await call('DELETE', `/api/v1/connections/${created.id}`)).statusCode, 404, 'already deleted');
    assert.equal((await call('PATCH', `/api/v1/connections/${created.id}`, { body: { name: 'n' } })).statusCode, 404);
    const list = await call('GET', '/api/v1/connections');
    assert.ok(!(list.json().items as { id: string }[]).some((c) => c.id === created.id));
    const [row] = await t.db.query<{ deleted: boolean; enabled: boolean; secret: string | null; fields: string[] }>(
      `SELECT deleted_at IS NOT NULL AS deleted, enabled, credentials_secret_id AS secret, credential_fields AS fields
       FROM connections WHERE id = $1`,
      [created.id]
    );
    assert.deepEqual(row, { deleted: true, enabled: false, secret: null, fields: [] });
    assert.equal((await t.db.query(`SELECT 1 FROM secrets WHERE id = $1`, [secretId])).length, 0, 'secret removed');
    const kept = await historyCounts(created.id);
    assert.equal(kept.cost_records, 3);
    assert.equal(kept.cost_daily, 3);
    assert.equal(kept.resources, 1);
    // The name is free again.
    const again = await createBeget('To delete');
    assert.notEqual(again.id, created.id);

    // A soft-deleted connection can still be purged later.
    const purge = await call('DELETE', `/api/v1/connections/${created.id}?purge=true`);
    assert.equal(purge.statusCode, 204, purge.body);
    assert.ok(Object.values(await historyCounts(created.id)).every((n) => n === 0));
  });

  it('DELETE ?purge=true removes the history of that connection only', async () => {
    const doomed = await createBeget('Purge me');
    const survivor = await createBeget('Survivor');
    await seedHistory(doomed.id);
    await seedHistory(survivor.id);
    const [running] = await t.db.query<{ id: string }>(
      `INSERT INTO sync_snapshots (tenant_id, connection_id, status) VALUES ($1, $2, 'running') RETURNING id`,
      [tenantA, doomed.id]
    );
    const busy = await call('DELETE', `/api/v1/connections/${doomed.id}?purge=true`);
    assert.equal(busy.statusCode, 409, busy.body);
    assert.equal((await historyCounts(doomed.id)).cost_records, 3, 'a refused purge deletes nothing');
    await t.db.query(`UPDATE sync_snapshots SET status = 'success' WHERE id = $1`, [running!.id]);
    const res = await call('DELETE', `/api/v1/connections/${doomed.id}?purge=true`);
    assert.equal(res.statusCode, 204, res.body);
    assert.deepEqual(await historyCounts(doomed.id), {
      cost_records: 0,
      resource_metrics: 0,
      account_balances: 0,
      sync_snapshots: 0,
      resources: 0,
      resource_states: 0,
      cost_daily: 0,
      metrics_hourly: 0,
      connection: 0,
    });
    const other = await historyCounts(survivor.id);
    assert.equal(other.cost_records, 3);
    assert.equal(other.cost_daily, 3);
    assert.equal(other.resource_metrics, 1);
    assert.equal(other.resource_states, 1);
    assert.equal(other.connection, 1);
    assert.equal((await call('DELETE', `/api/v1/connections/${doomed.id}?purge=true`)).statusCode, 404);
    const [audit] = await t.db.query<{ details: { deleted: Record<string, number> } }>(
      `SELECT details FROM audit_log WHERE action = 'connection.purge' AND target_id = $1`,
      [doomed.id]
    );
    assert.equal(audit?.details.deleted.costRecords, 3);
  });

  it('audits every management action with the forwarded Grafana user and no secrets', async () => {
    const viaContext = await call('POST', '/api/v1/connections', {
      headers: {
        'x-grafana-context': JSON.stringify({ UserID: 7, Login: 'dave', OrgID: 1, OrgRole: 'Admin' }),
      },
      body: {
        name: 'Audited',
        provider: 'selectel',
        credentials: SELECTEL_CREDENTIALS,
        // Nothing listens on port 9 here: the test action below fails fast, without leaving the machine.
        settings: { apiUrl: 'http://127.0.0.1:9', identityUrl: 'http://127.0.0.1:9/identity/v3' },
      },
    });
    assert.equal(viaContext.statusCode, 201, viaContext.body);
    const id = viaContext.json().id as string;
    await call('PATCH', `/api/v1/connections/${id}`, { body: { credentials: { apiKey: 'wrong-password-QQQ-991' } } });
    await call('POST', `/api/v1/connections/${id}/test`, { headers: { 'x-grafana-user': 'erin' } });
    await call('DELETE', `/api/v1/connections/${id}`, { headers: { 'x-grafana-user': ` ${'f'.repeat(300)} ` } });

    const [{ tokenId } = { tokenId: '' }] = await t.db.query<{ tokenId: string }>(
      `SELECT id AS "tokenId" FROM api_tokens WHERE tenant_id = $1 AND revoked_at IS NULL ORDER BY created_at LIMIT 1`,
      [tenantA]
    );
    const entries = await t.db.query<{
      action: string;
      actor: string;
      actorKind: string;
      sourceIp: string | null;
      tenantId: string;
      details: Record<string, unknown>;
    }>(
      `SELECT action, actor, actor_kind AS "actorKind", source_ip AS "sourceIp", tenant_id AS "tenantId", details
       FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [id]
    );
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor, e.actorKind]),
      [
        ['connection.create', 'dave', 'user'],
        ['connection.update', `token:${tokenId}`, 'token'],
        ['connection.test', 'erin', 'user'],
        ['connection.delete', 'f'.repeat(200), 'user'],
      ]
    );
    for (const e of entries) {
      assert.equal(e.tenantId, tenantA);
      assert.equal(e.sourceIp, '127.0.0.1');
      assert.equal(e.details.tokenId, tokenId);
    }
    assert.deepEqual(entries[1]!.details.credentialFieldsChanged, ['apiKey']);
    assert.equal(entries[2]!.details.ok, false);
    const [all] = await t.db.query<{ dump: string }>(
      `SELECT string_agg(row_to_json(a)::text, '') AS dump FROM audit_log a`
    );
    assertNoSecrets(all!.dump, 'the audit log');
    assert.ok(!all!.dump.includes(BEGET_CREDENTIALS.login));
  });

  it('tests a FOCUS connection (no provider API) as unsupported, with where its data comes from', async () => {
    const res = await call('POST', '/api/v1/connections', {
      body: { name: 'AWS FOCUS', provider: 'focus', credentials: {}, settings: { sourceProvider: 'AWS' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().credentialFields, []);
    const test = await call('POST', `/api/v1/connections/${res.json().id}/test`);
    assert.equal(test.statusCode, 200, test.body);
    assert.equal(test.json().ok, false);
    assert.equal(test.json().error.kind, 'unsupported');
    assert.match(test.json().error.message, /imported FOCUS files/);
  });

  it('documents the routes in OpenAPI', async () => {
    const spec = (await app.inject({ url: '/api/docs/json' })).json();
    assert.ok(spec.paths['/api/v1/connections'].post.requestBody);
    assert.ok(spec.paths['/api/v1/connections/{id}'].get);
    assert.ok(spec.paths['/api/v1/connections/{id}'].patch);
    assert.ok(spec.paths['/api/v1/connections/{id}'].delete);
    assert.ok(spec.paths['/api/v1/connections/{id}/test'].post.responses['200']);
    assertNoSecrets(JSON.stringify(spec), 'the OpenAPI document');
  });

  it('loads a connection runtime for the sync engine: decrypted credentials, parsed settings, connector', async () => {
    const created = await createBeget('Runtime', { settings: { backfillDays: 7 } });
    const runtime = await loadConnectionRuntime(t.db, secrets, tenantA, created.id);
    assert.deepEqual(runtime.credentials, BEGET_CREDENTIALS);
    assert.equal(runtime.settings.backfillDays, 7);
    assert.equal(runtime.settings.apiUrl, 'https://api.beget.com');
    assert.equal(runtime.connection.id, created.id);
    assert.equal(runtime.connector?.provider, 'beget');
    await assert.rejects(loadConnectionRuntime(t.db, secrets, tenantB, created.id), ConnectionNotFoundError);
  });

  it('bounds a hanging connector test and scrubs credentials from provider messages', async () => {
    const created = await createBeget('Fake connector');
    const runtime = await loadConnectionRuntime(t.db, secrets, tenantA, created.id);
    const logger = createLogger('silent');
    const fake = (test: () => Promise<never>): Connector<unknown, unknown> => ({
      ...runtime.connector!,
      test,
    });
    const hanging = await runConnectorTest(
      { ...runtime, connector: fake(() => new Promise<never>(() => undefined)) },
      { logger, http: TEST_HTTP_OPTIONS, timeoutMs: 50 }
    );
    assert.deepEqual(hanging.ok ? undefined : hanging.error.kind, 'timeout');
    const leaky = await runConnectorTest(
      {
        ...runtime,
        connector: fake(async () => {
          throw new ProviderError(
            'auth',
            'auth',
            `login ${BEGET_CREDENTIALS.login} with ${BEGET_CREDENTIALS.password} refused`
          );
        }),
      },
      { logger, http: TEST_HTTP_OPTIONS }
    );
    assert.equal(leaky.ok, false);
    assert.ok(!leaky.ok && leaky.error.kind === 'auth');
    // The password is a secret; the login is the account's identity and stays readable.
    assert.equal(!leaky.ok && leaky.error.message, `login ${BEGET_CREDENTIALS.login} with [redacted] refused`);
  });

  describe('test against the provider sandbox', () => {
    // Imported here, not at the top: the sandbox is written in parallel, and the rest of the file
    // must run even when it does not load.
    let sandbox: Awaited<ReturnType<(typeof import('../src/sandbox/index.js'))['startSandbox']>> | undefined;

    before(async () => {
      const { startSandbox } = await import('../src/sandbox/index.js');
      sandbox = await startSandbox();
    });
    after(async () => {
      await sandbox?.close();
    });

    async function createFromSandbox(
      name: string,
      provider: 'beget' | 'selectel',
      credentials: Record<string, unknown>
    ) {
      const settings = provider === 'beget' ? sandbox!.beget.settings : sandbox!.selectel.settings;
      const res = await call('POST', '/api/v1/connections', { body: { name, provider, credentials, settings } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    }

    for (const provider of ['beget', 'selectel'] as const) {
      it(`${provider}: good credentials → ok with the account`, async () => {
        const id = await createFromSandbox(`${provider} sandbox`, provider, sandbox![provider].credentials);
        const res = await call('POST', `/api/v1/connections/${id}/test`);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.ok, true, res.body);
        assert.equal(typeof body.account.details, 'object');
        assert.ok(body.account.accountId || body.account.name, 'names the account');
        const { password } = sandbox![provider].credentials;
        const apiKey = provider === 'selectel' ? sandbox!.selectel.credentials.apiKey : undefined;
        for (const secret of [password, apiKey]) {
          if (secret) assert.ok(!res.body.includes(secret), 'no secret credential value in the answer');
        }
      });

      it(`${provider}: wrong password → ok:false, kind auth, and a message without the password`, async () => {
        const wrong = 'wrong-password-QQQ-991';
        const credentials = { ...sandbox![provider].credentials, password: wrong };
        const id = await createFromSandbox(`${provider} wrong`, provider, credentials);
        const res = await call('POST', `/api/v1/connections/${id}/test`);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.ok, false, res.body);
        assert.equal(body.error.kind, 'auth', res.body);
        assert.ok(body.error.message.length > 0);
        assert.ok(!res.body.includes(wrong));
      });
    }
  });
});
