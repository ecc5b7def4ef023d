/**
 * Tenant isolation for EVERY /api/v1 endpoint (issue 6). The endpoints are not listed here: the test
 * walks the app's route catalog (plugins/actor.ts), so an endpoint added later is probed too, and the
 * test fails with a pointer to what it needs when it cannot probe one:
 * - every route with an `:id` parameter is called with tenant B's token and an id of tenant A's (taken
 *   from A's own list endpoint, or from ID_SOURCES) and must answer 404, changing nothing;
 * - every read without an id (GET lists, POST reads such as /query) with B's token must show nothing of
 *   A's (no id or name of A's anywhere in the answer).
 * Tenant A's data is real: a sandbox sync (connections, snapshots, resources, costs), tokens, and rows in
 * the analytics tables.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { QUERY_TYPES } from '../src/contract/query.js';
import { routeAccessOf, type RouteAccess } from '../src/plugins/actor.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createTenant, createToken, ensureBootstrapTenant } from '../src/services/tenancy.js';
import { adminContext, fillRoute, request, type As, type TestApp } from './helpers/actors.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const NOW = new Date('2026-03-15T12:00:00Z');
const RANGE = { from: '2026-03-01T00:00:00Z', to: '2026-03-16T00:00:00Z' };
const PARAM_VALUES: Record<string, string> = { dimension: 'provider' };
/** Names of tenant A's things; none may appear in anything tenant B reads. */
const A_NAME = 'alpha-isolation';

/** Bodies that pass validation, so a write probe reaches the tenant check (else it could stop at 400). */
const WRITE_BODIES: Record<string, { body?: unknown; payload?: string; contentType?: string }> = {
  'PATCH /api/v1/connections/:id': { body: { name: 'hijacked' } },
  'PUT /api/v1/connections/:id/price-list': { body: { flavors: {}, volumeTypes: {} } },
  'POST /api/v1/connections/:id/focus-import': {
    payload: 'BilledCost,BillingCurrency\n1,RUB\n',
    contentType: 'text/csv',
  },
  'PATCH /api/v1/recommendations/:id': { body: { status: 'accepted' } },
  'PATCH /api/v1/anomalies/:id': { body: { feedback: 'confirmed' } },
  'PATCH /api/v1/budgets/:id': { body: { name: 'hijacked' } },
  'PATCH /api/v1/allocation-rules/:id': { body: { name: 'hijacked' } },
  'PATCH /api/v1/reports/:id': { body: { name: 'hijacked' } },
  'PATCH /api/v1/report-destinations/:id': { body: { name: 'hijacked' } },
};

/** Tables of path segments whose name differs. */
const TABLE_OF: Record<string, string> = {
  snapshots: 'sync_snapshots',
  tokens: 'api_tokens',
  reports: 'report_schedules',
};

/** Query strings for list endpoints that need one (unlisted: none). */
const LIST_QUERIES: Record<string, string> = {
  '/api/v1/dimensions/:dimension/values': `?from=${RANGE.from}&to=${RANGE.to}`,
  '/api/v1/anomalies': `?from=${RANGE.from}&to=${RANGE.to}`,
  '/api/v1/export/focus': `?from=2026-03-01&to=2026-03-16`,
  // groupBy connection: a leak would name tenant A's connection in the file.
  '/api/v1/export/costs.csv': `?from=${RANGE.from}&to=${RANGE.to}&groupBy=connection`,
  '/api/v1/export/costs.xlsx': `?from=${RANGE.from}&to=${RANGE.to}`,
};

/** Reads sent as POST (minRole Viewer), e.g. Grafana queries: their bodies (and query strings). */
const READ_REQUESTS: Record<string, { query?: string; body: unknown }[]> = {
  'POST /api/v1/query': [...QUERY_TYPES].map((queryType) => ({
    body: { ...RANGE, queries: [{ refId: 'A', queryType }] },
  })),
  'POST /api/v1/allocation-rules/preview': [{ body: RANGE }],
  'POST /api/v1/reports/preview': [
    {
      query: '?format=csv',
      body: { definition: { period: { kind: 'custom', from: '2026-03-01', to: '2026-03-15' } } },
    },
  ],
};

describe('tenant isolation on every /api/v1 endpoint', () => {
  let t: TestDatabase;
  let app: TestApp;
  let sandbox: Sandbox;
  let tenantA: string;
  let tokenA: string;
  let tokenB: string;
  let supportTokenB: string;
  /** Strings only tenant A's data contains. */
  const markers = new Set<string>();
  /** Which tenant-A rows failed to seed (a changed analytics schema), for the failure message. */
  const seedFailures: string[] = [];

  const asA: As = { token: '' };
  const asB: As = { token: '' };

  async function seed(label: string, sql: string, params: unknown[]) {
    try {
      const rows = await t.db.query<{ id?: string }>(sql, params);
      for (const r of rows) if (r.id) markers.add(r.id);
    } catch (err) {
      seedFailures.push(`${label}: ${(err as Error).message}`);
    }
  }

  /** A digest of everything tenant A owns, to prove B's probes changed nothing. */
  async function digestA(): Promise<string> {
    const tables = await t.db.query<{ table: string }>(
      `SELECT c.table_name AS table FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
       WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
       ORDER BY 1`
    );
    const parts: string[] = [];
    for (const { table } of tables) {
      const [row] = await t.db.query<{ d: string | null }>(
        `SELECT md5(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text)) AS d
         FROM ${table} x WHERE tenant_id = $1`,
        [tenantA]
      );
      parts.push(`${table}:${row!.d ?? '-'}`);
    }
    return parts.join('\n');
  }

  function assertNoMarkers(text: string, label: string) {
    for (const m of markers) assert.ok(!text.includes(m), `${label} shows tenant A's ${m}`);
  }

  before(async () => {
    t = await createTestDatabase('isolation');
    sandbox = await startSandbox({ now: () => NOW });
    app = (await buildTestApp(t.db, { now: () => NOW })).app;
    const boot = await ensureBootstrapTenant(t.db, undefined);
    tenantA = boot.tenant.id;
    tokenA = boot.generatedToken!;
    asA.token = tokenA;
    const b = await createTenant(t.db, { orgId: 2, name: 'Bravo Org', actor: 'test' });
    tokenB = b.token.token;
    asB.token = tokenB;
    // Even B's support token (with a server admin) gets no further than support access allows.
    supportTokenB = (
      await createToken(t.db, {
        tenantId: b.tenant.id,
        name: 'support',
        actor: 'cli',
        actorKind: 'cli',
        supportAccess: true,
      })
    ).token;
    markers.add(tenantA);

    // Tenant A: a real sandbox sync.
    const created = await request(app, 'POST', '/api/v1/connections', asA, {
      name: `${A_NAME} beget`,
      provider: 'beget',
      credentials: sandbox.beget.credentials,
      settings: { ...sandbox.beget.settings, backfillDays: 3 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const connectionA = created.json().id as string;
    const sync = await request(app, 'POST', `/api/v1/connections/${connectionA}/sync`, asA);
    assert.equal(sync.statusCode, 202, sync.body);
    for (let i = 0; i < 800; i++) {
      const snap = await request(app, 'GET', `/api/v1/snapshots/${sync.json().snapshotId}`, asA);
      if (snap.json().status !== 'running') {
        // The sandbox's Beget plan forbids two legacy methods: a partial sync, with everything else stored.
        assert.ok(['success', 'partial'].includes(snap.json().status), snap.body.slice(0, 300));
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const token = await request(app, 'POST', '/api/v1/admin/tokens', asA, { name: `${A_NAME} token` });
    assert.equal(token.statusCode, 201);

    // Tenant A: analytics rows (the engines' output and the users' settings).
    await seed(
      'budgets',
      `INSERT INTO budgets (tenant_id, name, amount, currency) VALUES ($1, $2, 1000, 'RUB') RETURNING id`,
      [tenantA, `${A_NAME} budget`]
    );
    await seed(
      'recommendations',
      `INSERT INTO recommendations (tenant_id, connection_id, fingerprint, kind, title, action,
         estimated_monthly_savings, current_monthly_cost, currency, confidence)
       VALUES ($1, $2, 'iso-1', 'rightsize', $3, 'Downsize', 10, 100, 'RUB', 0.9) RETURNING id`,
      [tenantA, connectionA, `${A_NAME} recommendation`]
    );
    await seed(
      'anomalies',
      `INSERT INTO anomalies (tenant_id, connection_id, scope_kind, scope_key, day, actual, expected, lower_bound,
         upper_bound, score, impact, currency)
       VALUES ($1, $2, 'tenant', $3, '2026-03-10', 500, 100, 50, 150, 6.5, 400, 'RUB') RETURNING id`,
      [tenantA, connectionA, A_NAME]
    );
    await seed(
      'allocation_rules',
      `INSERT INTO allocation_rules (tenant_id, name, match, assign) VALUES ($1, $2, '{"provider":"beget"}',
         '{"project":"alpha-isolation-project"}') RETURNING id`,
      [tenantA, `${A_NAME} rule`]
    );
    await seed('report_schedules', `INSERT INTO report_schedules (tenant_id, name) VALUES ($1, $2) RETURNING id`, [
      tenantA,
      `${A_NAME} report`,
    ]);
    await seed(
      'report_destinations',
      `INSERT INTO report_destinations (tenant_id, name, kind, settings) VALUES ($1, $2, 'telegram', '{"chatId":"-100123"}')
       RETURNING id`,
      [tenantA, `${A_NAME} destination`]
    );
    await seed(
      'report_runs',
      `INSERT INTO report_runs (tenant_id, report_id, trigger, definition)
       SELECT $1, id, 'manual', '{}' FROM report_schedules WHERE tenant_id = $1 LIMIT 1 RETURNING id`,
      [tenantA]
    );
    await seed(
      'unit_metrics',
      `INSERT INTO unit_metrics (tenant_id, name, ts, value) VALUES ($1, $2, '2026-03-10', 42)`,
      [tenantA, `${A_NAME}-orders`]
    );

    // Everything of A's with an id or a name is a marker.
    markers.add(A_NAME);
    for (const row of await t.db.query<{ id: string }>(
      `SELECT id::text FROM connections WHERE tenant_id = $1 UNION ALL SELECT id::text FROM sync_snapshots WHERE tenant_id = $1
       UNION ALL SELECT id::text FROM resources WHERE tenant_id = $1 UNION ALL SELECT id::text FROM api_tokens WHERE tenant_id = $1
       UNION ALL SELECT prefix FROM api_tokens WHERE tenant_id = $1`,
      [tenantA]
    )) {
      markers.add(row.id);
    }
    const [resources] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resources WHERE tenant_id = $1`,
      [tenantA]
    );
    assert.ok(resources!.n > 0, 'the sandbox sync gave tenant A resources');

    // Tenant B has a connection of its own, so its lists are not trivially empty.
    const own = await request(app, 'POST', '/api/v1/connections', asB, {
      name: 'Bravo own',
      provider: 'beget',
      credentials: { login: 'bravo', password: 'Bravo-Pa55-word' },
    });
    assert.equal(own.statusCode, 201, own.body);
  });
  after(async () => {
    await app.close();
    await sandbox.close();
    await t.drop();
    await stopTestCluster();
  });

  /**
   * An id of tenant A's for a route's `:id`: from A's own list endpoint (items[].id), else from the table
   * the path names (`/allocation-rules/:id` → allocation_rules, `/snapshots/:id` → sync_snapshots).
   */
  async function idOfA(route: RouteAccess): Promise<string | undefined> {
    const prefix = route.url.split('/:id')[0]!;
    const list = await app.inject({ method: 'GET', url: prefix, headers: { authorization: `Bearer ${tokenA}` } });
    if (list.statusCode === 200) {
      const items = (list.json() as { items?: { id?: unknown }[] }).items;
      const id = items?.find((i) => typeof i.id === 'string')?.id;
      if (typeof id === 'string') return id;
    }
    const segment = prefix.split('/').at(-1)!.replace(/-/g, '_');
    const table = TABLE_OF[segment] ?? segment;
    const [exists] = await t.db.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table]);
    if (!exists?.ok) return undefined;
    const [row] = await t.db.query<{ id: string }>(`SELECT id::text FROM ${table} WHERE tenant_id = $1 LIMIT 1`, [
      tenantA,
    ]);
    return row?.id;
  }

  it('answers 404 to tenant B for tenant A’s ids on every :id endpoint, changing nothing', async (ctx) => {
    const routes = routeAccessOf(app).filter((r) => !r.public && r.url.includes('/:id'));
    assert.ok(routes.length >= 10, `only ${routes.length} :id routes`);
    const before = await digestA();
    const probed: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const id = await idOfA(route);
      assert.ok(
        id,
        `${key}: no id of tenant A's to probe with. Seed tenant A's data for it in this test (seed failures: ${
          seedFailures.join('; ') || 'none'
        }) or give its list endpoint an items[].id.`
      );
      const url = fillRoute(route.url, id, PARAM_VALUES);
      const write = WRITE_BODIES[key];
      const res = await app.inject({
        method: route.method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${tokenB}`,
          ...(write?.contentType ? { 'content-type': write.contentType } : {}),
        },
        ...(write?.payload !== undefined
          ? { payload: write.payload }
          : route.method === 'GET' || route.method === 'DELETE'
            ? {}
            : { payload: (write?.body ?? {}) as Record<string, unknown> }),
      });
      assert.equal(
        res.statusCode,
        404,
        `${key} with tenant B's token and tenant A's id answered ${res.statusCode} ${res.body.slice(0, 300)}` +
          (res.statusCode === 400
            ? ` — add a valid body for it to WRITE_BODIES so the probe reaches the tenant check`
            : '')
      );
      assert.equal(res.json().error, 'not_found', key);
      assertNoMarkers(res.body.replace(id, ''), key);
      probed.push(key);
    }
    assert.equal(await digestA(), before, "tenant B's probes changed tenant A's data");
    ctx.diagnostic(`probed ${probed.length} :id endpoints: ${probed.join(', ')}`);
    assert.ok(probed.includes('GET /api/v1/connections/:id') && probed.includes('DELETE /api/v1/admin/tokens/:id'));
  });

  it('shows tenant B nothing of tenant A’s on every read without an id', async (ctx) => {
    const routes = routeAccessOf(app).filter(
      (r) => !r.public && !r.url.includes('/:id') && (r.method === 'GET' || r.minRole === 'Viewer')
    );
    const checked: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const url = fillRoute(route.url, randomUUID(), PARAM_VALUES);
      const requests =
        route.method === 'GET' ? [{ query: LIST_QUERIES[route.url], body: undefined }] : READ_REQUESTS[key];
      assert.ok(requests, `${key} is a read sent as ${route.method}: add its request bodies to READ_REQUESTS`);
      for (const { query, body } of requests) {
        const res = await request(app, route.method as 'GET', `${url}${query ?? ''}`, asB, body);
        assert.ok(
          res.statusCode === 200 || res.statusCode === 403,
          `${key} answered tenant B ${res.statusCode} ${res.body.slice(0, 300)}` +
            (res.statusCode === 400 ? ' — add the query it needs to LIST_QUERIES' : '')
        );
        assertNoMarkers(res.body, `${key} ${body ? JSON.stringify(body).slice(0, 80) : ''}`);
      }
      checked.push(key);
    }
    ctx.diagnostic(`checked ${checked.length} reads: ${checked.join(', ')}`);
    for (const key of ['GET /api/v1/connections', 'GET /api/v1/resources', 'GET /api/v1/audit', 'POST /api/v1/query']) {
      assert.ok(checked.includes(key), `${key} was not checked`);
    }
  });

  it('the same reads do show tenant A its own data (the probes can fail)', async () => {
    const list = await request(app, 'GET', '/api/v1/resources', asA);
    assert.ok((list.json().items as unknown[]).length > 0);
    const costsFor = async (as: As) => {
      const res = await request(app, 'POST', '/api/v1/query', as, {
        ...RANGE,
        queries: [{ refId: 'A', queryType: 'costs', granularity: 'total' }],
      });
      assert.equal(res.statusCode, 200, res.body);
      const frames = res.json().results.A.frames as { data: { values: unknown[][] } }[];
      return frames.flatMap((f) => f.data.values.at(-1) ?? []).reduce<number>((s, v) => s + Number(v ?? 0), 0);
    };
    assert.ok((await costsFor(asA)) > 0, 'tenant A has costs');
    assert.equal(await costsFor(asB), 0, 'tenant B sees none of them');
  });

  it('lets no header reach tenant A: forged support access, Grafana context, org id', async () => {
    const [connectionA] = await t.db.query<{ id: string }>(`SELECT id::text FROM connections WHERE tenant_id = $1`, [
      tenantA,
    ]);
    const attempts: [As, number][] = [
      [{ token: tokenB, context: adminContext('mallory'), supportTenant: tenantA }, 403],
      [{ token: tokenB, context: { Login: 'mallory', OrgID: 1, OrgRole: 'Admin' } }, 404],
      [{ token: tokenB, headers: { 'x-grafana-org-id': '1' } }, 404],
      // A support token of B's, with a server admin, reads A only as support (read-only, audited).
      [{ token: supportTokenB, context: adminContext('root'), supportTenant: tenantA, role: 'Admin' }, 200],
    ];
    for (const [as, status] of attempts) {
      const res = await request(app, 'GET', `/api/v1/connections/${connectionA!.id}`, as);
      assert.equal(res.statusCode, status, `${JSON.stringify({ ...as, token: undefined })}: ${res.body.slice(0, 200)}`);
    }
    const write = await request(
      app,
      'PATCH',
      `/api/v1/connections/${connectionA!.id}`,
      { token: supportTokenB, context: adminContext('root'), supportTenant: tenantA },
      { name: 'hijacked' }
    );
    assert.equal(write.statusCode, 403);
  });
});
