/**
 * Roles (issue 6): the acting role is the lowest of X-Infrazen-Role, X-Grafana-Context OrgRole and the
 * token's Admin; every route's `config.minRole` (default Viewer for GET, Admin otherwise) is enforced for
 * every route in the app — including routes added after this test was written, since it walks the
 * route catalog — and malformed headers are a clear 400, never a 5xx.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { routeAccessOf } from '../src/plugins/actor.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { defaultMinRole } from '../src/services/roles.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { adminContext, fillRoute, request, type As, type Role, type TestApp } from './helpers/actors.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const ROLES: Role[] = ['Viewer', 'Editor', 'Admin'];
const RANK: Record<Role, number> = { Viewer: 1, Editor: 2, Admin: 3 };
const NOW = new Date('2026-03-15T12:00:00Z');

/** Values for route parameters that are not ids. */
const PARAM_VALUES: Record<string, string> = { dimension: 'provider' };

describe('roles', () => {
  let t: TestDatabase;
  let app: TestApp;
  let sandbox: Sandbox;
  let token: string;
  let tenantId: string;

  const as = (extra: Partial<As> = {}): As => ({ token, ...extra });

  before(async () => {
    t = await createTestDatabase('roles');
    sandbox = await startSandbox({ now: () => NOW });
    app = (await buildTestApp(t.db, { now: () => NOW })).app;
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
  });
  after(async () => {
    await app.close();
    await sandbox.close();
    await t.drop();
    await stopTestCluster();
  });

  it('knows every /api/v1 route with its required role', () => {
    const routes = routeAccessOf(app);
    const find = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url);
    assert.ok(routes.length >= 20, `only ${routes.length} routes in the catalog`);
    const expected: [string, string, Role][] = [
      ['GET', '/api/v1/connections', 'Viewer'],
      ['POST', '/api/v1/connections', 'Admin'],
      ['PATCH', '/api/v1/connections/:id', 'Admin'],
      ['DELETE', '/api/v1/connections/:id', 'Admin'],
      ['POST', '/api/v1/connections/:id/test', 'Admin'],
      ['PUT', '/api/v1/connections/:id/price-list', 'Admin'],
      ['POST', '/api/v1/connections/:id/focus-import', 'Admin'],
      ['POST', '/api/v1/connections/:id/sync', 'Editor'],
      ['POST', '/api/v1/query', 'Viewer'],
      ['GET', '/api/v1/export/focus', 'Viewer'],
      ['GET', '/api/v1/admin/status', 'Admin'],
      ['GET', '/api/v1/admin/tokens', 'Admin'],
      ['POST', '/api/v1/admin/tokens', 'Admin'],
      ['DELETE', '/api/v1/admin/tokens/:id', 'Admin'],
      ['GET', '/api/v1/admin/tenants', 'Admin'],
      ['GET', '/api/v1/audit', 'Admin'],
    ];
    for (const [method, url, role] of expected) {
      assert.equal(find(method, url)?.minRole, role, `${method} ${url}`);
    }
    assert.equal(find('GET', '/api/v1/admin/tenants')?.serverAdmin, true);
    // A route that says nothing: reads are for Viewers, every other method for Admins.
    assert.deepEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map(defaultMinRole), [
      'Viewer',
      'Viewer',
      'Admin',
      'Admin',
      'Admin',
      'Admin',
    ]);
  });

  it('enforces each route’s role for every route in the app', async () => {
    const checked: string[] = [];
    for (const route of routeAccessOf(app)) {
      if (route.public) continue;
      const url = fillRoute(route.url, randomUUID(), PARAM_VALUES);
      // Server-admin routes also need the claim and a support token; that part is tested in management-api.
      const extra: Partial<As> = route.serverAdmin ? { context: adminContext('root') } : {};
      for (const role of ROLES) {
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        const res = await request(app, route.method as 'GET', url, as({ role, ...extra }), body);
        const label = `${route.method} ${route.url} as ${role} (needs ${route.minRole}): ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (RANK[role] < RANK[route.minRole]) {
          assert.equal(res.statusCode, 403, label);
          assert.equal(res.json().error, 'forbidden', label);
          assert.match(res.json().message, new RegExp(`needs the Grafana role ${route.minRole}`), label);
        } else if (!route.serverAdmin) {
          assert.notEqual(res.statusCode, 403, label);
        }
      }
      checked.push(`${route.method} ${route.url}`);
    }
    assert.ok(checked.length >= 20);
  });

  it('Viewer reads, Editor syncs, Admin manages connections and tokens (known answers)', async () => {
    const created = await request(app, 'POST', '/api/v1/connections', as({ role: 'Admin', user: 'ada' }), {
      name: 'Sandbox Beget',
      provider: 'beget',
      credentials: sandbox.beget.credentials,
      settings: { ...sandbox.beget.settings, backfillDays: 2 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;

    const matrix: [Role, string, string, unknown, number][] = [
      ['Viewer', 'GET', '/api/v1/connections', undefined, 200],
      ['Viewer', 'GET', `/api/v1/connections/${id}`, undefined, 200],
      [
        'Viewer',
        'POST',
        '/api/v1/query',
        { from: '2026-03-01', to: '2026-03-02', queries: [{ refId: 'A', queryType: 'costs' }] },
        200,
      ],
      ['Viewer', 'PATCH', `/api/v1/connections/${id}`, { name: 'renamed' }, 403],
      ['Viewer', 'POST', `/api/v1/connections/${id}/sync`, undefined, 403],
      ['Viewer', 'GET', '/api/v1/admin/tokens', undefined, 403],
      ['Editor', 'POST', '/api/v1/connections', { name: 'x', provider: 'beget', credentials: {} }, 403],
      ['Editor', 'PATCH', `/api/v1/connections/${id}`, { name: 'renamed' }, 403],
      ['Editor', 'DELETE', `/api/v1/connections/${id}`, undefined, 403],
      ['Editor', 'POST', `/api/v1/connections/${id}/test`, undefined, 403],
      ['Editor', 'POST', '/api/v1/admin/tokens', { name: 'x' }, 403],
      ['Editor', 'GET', '/api/v1/audit', undefined, 403],
      ['Editor', 'GET', '/api/v1/admin/status', undefined, 403],
      ['Admin', 'GET', '/api/v1/audit', undefined, 200],
      ['Admin', 'GET', '/api/v1/admin/tokens', undefined, 200],
      ['Admin', 'PATCH', `/api/v1/connections/${id}`, { schedule: '15 * * * *' }, 200],
    ];
    for (const [role, method, url, body, status] of matrix) {
      const res = await request(app, method as 'GET', url, as({ role, user: 'ada' }), body);
      assert.equal(res.statusCode, status, `${role} ${method} ${url}: ${res.body}`);
    }
    const [name] = await t.db.query<{ name: string }>(`SELECT name FROM connections WHERE id = $1`, [id]);
    assert.equal(name!.name, 'Sandbox Beget', 'refused writes changed nothing');

    // An Editor starts a sync; the audit log names the Grafana login and the source address.
    const sync = await request(app, 'POST', `/api/v1/connections/${id}/sync`, as({ role: 'Editor', user: 'eve' }));
    assert.equal(sync.statusCode, 202, sync.body);
    const snapshotId = sync.json().snapshotId as string;
    for (let i = 0; i < 400; i++) {
      const snap = await request(app, 'GET', `/api/v1/snapshots/${snapshotId}`, as({ role: 'Viewer' }));
      if (snap.json().status !== 'running') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const [entry] = await t.db.query<{ actor: string; kind: string; source: string; details: Record<string, unknown> }>(
      `SELECT actor, actor_kind AS kind, source_ip AS source, details FROM audit_log
       WHERE action = 'connection.sync' AND target_id = $1`,
      [id]
    );
    assert.deepEqual(entry, {
      actor: 'eve',
      kind: 'user',
      source: '127.0.0.1',
      details: { snapshotId, tokenId: entry!.details.tokenId },
    });
    assert.match(String(entry!.details.tokenId), /^[0-9a-f-]{36}$/);
  });

  it('takes the lowest of every role statement, so a forged header never raises it', async () => {
    const post = (extra: Partial<As>) =>
      request(app, 'POST', '/api/v1/admin/tokens', as(extra), { name: `probe-${randomUUID().slice(0, 8)}` });
    const cases: [Partial<As>, number, string][] = [
      [{}, 201, 'bare token: automation acts as Admin'],
      [{ context: { Login: 'v', OrgRole: 'Viewer' } }, 403, 'Grafana context says Viewer'],
      [{ context: { Login: 'e', OrgRole: 'Editor' } }, 403, 'Grafana context says Editor'],
      [{ context: { Login: 'a', OrgRole: 'Admin' } }, 201, 'Grafana context says Admin'],
      [{ role: 'Admin', context: { Login: 'v', OrgRole: 'Viewer' } }, 403, 'route header cannot lift a Viewer'],
      [{ role: 'Viewer', context: { Login: 'a', OrgRole: 'Admin' } }, 403, 'a Viewer route keeps an Admin at Viewer'],
      [{ context: { Login: 'n', OrgRole: 'None' } }, 403, 'no org role'],
      [{ context: { Login: 'n', OrgRole: '' } }, 403, 'empty org role'],
      [
        { context: { Login: 'g', OrgRole: 'Viewer', IsGrafanaAdmin: true } },
        403,
        'server admin flag is not an org role',
      ],
    ];
    for (const [extra, status, label] of cases) {
      const res = await post(extra);
      assert.equal(res.statusCode, status, `${label}: ${res.body}`);
    }
    const none = await request(app, 'GET', '/api/v1/connections', as({ context: { Login: 'n', OrgRole: 'None' } }));
    assert.equal(none.statusCode, 403);
    assert.match(none.json().message, /acts as None/);
  });

  it('answers malformed role headers with a clear 400 and changes nothing', async () => {
    const before = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens`);
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'x-infrazen-role': 'root' }, /X-Infrazen-Role must be one of Viewer, Editor, Admin/],
      [{ 'x-infrazen-role': 'admin' }, /X-Infrazen-Role must be one of/],
      [{ 'x-infrazen-role': 'Viewer, Admin' }, /X-Infrazen-Role must be one of/],
      [{ 'x-grafana-context': '{"Login":' }, /X-Grafana-Context is not valid JSON/],
      [{ 'x-grafana-context': '[1,2]' }, /X-Grafana-Context is malformed/],
      [{ 'x-grafana-context': '"Admin"' }, /X-Grafana-Context is malformed/],
      [{ 'x-grafana-context': '{"OrgRole":"Owner"}' }, /X-Grafana-Context is malformed: OrgRole/],
      [{ 'x-grafana-context': '{"IsGrafanaAdmin":"yes"}' }, /X-Grafana-Context is malformed: IsGrafanaAdmin/],
      [{ 'x-grafana-context': '{"Login":42}' }, /X-Grafana-Context is malformed: Login/],
      [{ 'x-grafana-context': JSON.stringify({ Login: 'x', pad: 'y'.repeat(20_000) }) }, /larger than/],
      [{ 'x-infrazen-support-tenant': 'org-2' }, /X-Infrazen-Support-Tenant must be a tenant id/],
    ];
    for (const [headers, message] of cases) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await request(
          app,
          method,
          method === 'GET' ? '/api/v1/connections' : '/api/v1/admin/tokens',
          as({ headers }),
          method === 'POST' ? { name: 'never' } : undefined
        );
        assert.equal(res.statusCode, 400, `${JSON.stringify(headers).slice(0, 80)}: ${res.body.slice(0, 200)}`);
        assert.equal(res.json().error, 'bad_request');
        assert.match(res.json().message, message);
      }
    }
    const afterCount = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens`);
    assert.deepEqual(afterCount, before);
  });

  it('takes the login from X-Grafana-User, else the Grafana context, else the token', async () => {
    const cases: [Partial<As>, string, string][] = [
      [{ user: 'uma', context: adminContext('ctx-login', { IsGrafanaAdmin: false }) }, 'uma', 'user'],
      [{ context: adminContext('ctx-login', { IsGrafanaAdmin: false }) }, 'ctx-login', 'user'],
      [{ user: '  spaced\u0007 ' }, 'spaced', 'user'],
      [{}, 'token:', 'token'],
    ];
    for (const [extra, actor, kind] of cases) {
      const name = `who-${randomUUID().slice(0, 8)}`;
      const res = await request(app, 'POST', '/api/v1/admin/tokens', as(extra), { name });
      assert.equal(res.statusCode, 201, res.body);
      const [row] = await t.db.query<{ actor: string; kind: string }>(
        `SELECT actor, actor_kind AS kind FROM audit_log WHERE action = 'token.create' AND target_id = $1`,
        [res.json().id]
      );
      assert.equal(row!.kind, kind);
      if (kind === 'token') assert.match(row!.actor, /^token:[0-9a-f-]{36}$/);
      else assert.equal(row!.actor, actor);
    }
    assert.ok(tenantId);
  });
});
