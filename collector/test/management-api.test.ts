/**
 * The management API on a real PostgreSQL through app.inject: admin status, API tokens (shown once,
 * revoked, audited), the operator's tenant list, the audit log (filters, keyset pages, bad input), the
 * append-only audit table, and support access (read-only, audited in both tenants, throttled).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { tokenCreateCommand } from '../src/cli/commands.js';
import { generateKey } from '../src/security/crypto.js';
import { createTenant, createToken, ensureBootstrapTenant } from '../src/services/tenancy.js';
import type { AuditRow } from '../src/storage/repositories/audit-log.js';
import { upsertCostRecords } from '../src/storage/repositories/cost-records.js';
import { refreshCostDaily } from '../src/storage/rollups.js';
import { adminContext, request, type As, type TestApp } from './helpers/actors.js';
import { buildTestApp, testConfig } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

/** An audit entry as JSON (dates are strings on the wire). */
type AuditItem = Omit<AuditRow, 'at'> & { at: string };

const MOSCOW_OFFSET_MS = 3 * 3_600_000;

/** The start of the current Moscow calendar month (Moscow has no DST). */
function moscowMonthStart(now: Date): Date {
  const local = new Date(now.getTime() + MOSCOW_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - MOSCOW_OFFSET_MS);
}

describe('management API', () => {
  let t: TestDatabase;
  let app: TestApp;
  let tenantA: string;
  let tenantB: string;
  let tokenA: string;
  let tokenB: string;
  let supportTokenA: string;
  let connectionA: string;
  let connectionB: string;
  let storageMode: 'plain' | 'timescale';
  let scheduler: { status(): unknown };

  const asA = (extra: Partial<As> = {}): As => ({ token: tokenA, user: 'alice', ...extra });
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, as: As, body?: unknown) =>
    request(app, method, url, as, body);

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await t.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
    return row!.n;
  }

  async function createConnection(token: string, name: string): Promise<string> {
    const res = await call(
      'POST',
      '/api/v1/connections',
      { token },
      {
        name,
        provider: 'beget',
        credentials: { login: 'acme-login', password: 'Not-A-Real-Pa55' },
      }
    );
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  }

  before(async () => {
    t = await createTestDatabase('management');
    const built = await buildTestApp(t.db);
    app = built.app;
    storageMode = built.runtime.dbState.mode ?? 'plain';
    scheduler = built.runtime.scheduler;
    const boot = await ensureBootstrapTenant(t.db, undefined);
    tenantA = boot.tenant.id;
    tokenA = boot.generatedToken!;
    const other = await createTenant(t.db, { orgId: 2, name: 'Second Org', actor: 'test' });
    tenantB = other.tenant.id;
    tokenB = other.token.token;
    // What `infrazen token create --org 1 --support` does: the only way to get such a token.
    supportTokenA = (
      await createToken(t.db, {
        tenantId: tenantA,
        name: 'grafana-app',
        actor: 'cli',
        actorKind: 'cli',
        supportAccess: true,
      })
    ).token;
    connectionA = await createConnection(tokenA, 'Alpha Beget');
    connectionB = await createConnection(tokenB, 'Bravo Beget');
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  describe('GET /admin/status', () => {
    it('reports version, database, migrations, scheduler and only this tenant’s failed syncs', async () => {
      for (const [tenant, connection, message] of [
        [tenantA, connectionA, 'Beget answered 503 three times'],
        [tenantB, connectionB, 'Bravo secret failure'],
      ] as const) {
        await t.db.query(
          `INSERT INTO sync_snapshots (tenant_id, connection_id, status, started_at, completed_at, error_message)
           VALUES ($1, $2, 'error', '2026-03-01T10:00:00Z', '2026-03-01T10:00:05Z', $3)`,
          [tenant, connection, message]
        );
      }
      const res = await call('GET', '/api/v1/admin/status', asA());
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.version, 'test');
      assert.equal(body.database.reachable, true);
      assert.equal(body.database.mode, storageMode);
      assert.equal(body.database.embedded, false);
      assert.equal(body.database.migrations.applied, body.database.migrations.latest);
      assert.equal(body.database.migrations.upToDate, true);
      assert.ok(body.database.migrations.latest >= 12);
      assert.deepEqual(body.scheduler, JSON.parse(JSON.stringify(scheduler.status())));
      assert.equal(body.scheduler.running, false);
      assert.deepEqual(body.syncs, { running: 0 });
      assert.deepEqual(body.lastErrors, [
        {
          at: '2026-03-01T10:00:05.000Z',
          connectionId: connectionA,
          connectionName: 'Alpha Beget',
          status: 'error',
          message: 'Beget answered 503 three times',
        },
      ]);
    });

    it('is for Admins only', async () => {
      const res = await call('GET', '/api/v1/admin/status', asA({ role: 'Editor' }));
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error, 'forbidden');
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, lists it without the value, and audits it', async () => {
      const expiresAt = '2099-01-01T00:00:00.000Z';
      const res = await call('POST', '/api/v1/admin/tokens', asA(), { name: ' ci pipeline ', expiresAt });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as { id: string; name: string; prefix: string; token: string; expiresAt: string };
      assert.match(created.token, /^izn_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.name, 'ci pipeline');
      assert.equal(created.prefix, created.token.slice(0, 10));
      assert.equal(created.expiresAt, expiresAt);

      // The new token works, in tenant A.
      const me = await call('GET', '/api/v1/me', { token: created.token });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().tenant.id, tenantA);

      const list = await call('GET', '/api/v1/admin/tokens', asA());
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(created.token), 'the list must not contain a token value');
      const item = (list.json().items as Record<string, unknown>[]).find((i) => i.id === created.id);
      assert.deepEqual(
        { ...item, createdAt: undefined, lastUsedAt: undefined },
        {
          id: created.id,
          name: 'ci pipeline',
          prefix: created.prefix,
          createdAt: undefined,
          createdBy: 'alice',
          lastUsedAt: undefined,
          revokedAt: null,
          expiresAt,
          supportAccess: false,
        }
      );
      assert.deepEqual(
        (list.json().items as { name: string }[]).map((i) => i.name),
        ['ci pipeline', 'grafana-app', 'bootstrap'],
        'newest first, and nothing of tenant B'
      );

      const [entry] = await t.db.query<{ actor: string; source: string; after: Record<string, unknown> }>(
        `SELECT actor, source_ip AS source, after_state AS after FROM audit_log
         WHERE action = 'token.create' AND target_id = $1`,
        [created.id]
      );
      assert.deepEqual(entry, {
        actor: 'alice',
        source: '127.0.0.1',
        after: { name: 'ci pipeline', prefix: created.prefix, expiresAt, supportAccess: false },
      });
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM audit_log`));
      assert.ok(!dump.includes(created.token), 'the audit log must not contain a token value');
    });

    it('revokes a token (then it stops working), idempotently, with before/after in the audit log', async () => {
      const created = (await call('POST', '/api/v1/admin/tokens', asA(), { name: 'to revoke' })).json() as {
        id: string;
        token: string;
      };
      const res = await call('DELETE', `/api/v1/admin/tokens/${created.id}`, asA({ user: 'bob' }));
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await call('GET', '/api/v1/me', { token: created.token })).statusCode, 401);
      const again = await call('DELETE', `/api/v1/admin/tokens/${created.id}`, asA({ user: 'bob' }));
      assert.equal(again.statusCode, 204);
      const entries = await t.db.query<{ actor: string; before: unknown; after: { revokedAt: string } }>(
        `SELECT actor, before_state AS before, after_state AS after FROM audit_log
         WHERE action = 'token.revoke' AND target_id = $1`,
        [created.id]
      );
      assert.equal(entries.length, 1, 'a second revoke changes nothing and writes nothing');
      assert.equal(entries[0]!.actor, 'bob');
      assert.deepEqual(entries[0]!.before, { revokedAt: null });
      assert.ok(!Number.isNaN(Date.parse(entries[0]!.after.revokedAt)));
      const listed = (await call('GET', '/api/v1/admin/tokens', asA())).json().items as {
        id: string;
        revokedAt: string;
      }[];
      assert.ok(listed.find((i) => i.id === created.id)?.revokedAt);
    });

    it('refuses bad input, foreign ids and revoking its own token, changing nothing', async () => {
      const before = {
        tokens: await count(`SELECT count(*) FROM api_tokens`),
        audit: await count(`SELECT count(*) FROM audit_log`),
      };
      const bad: [string, string, unknown, number, RegExp][] = [
        ['POST', '/api/v1/admin/tokens', {}, 400, /name/],
        ['POST', '/api/v1/admin/tokens', { name: '   ' }, 400, /name/],
        ['POST', '/api/v1/admin/tokens', { name: 'x'.repeat(201) }, 400, /200/],
        ['POST', '/api/v1/admin/tokens', { name: 'ok', scope: 'all' }, 400, /scope|Unrecognized/i],
        ['POST', '/api/v1/admin/tokens', { name: 'ok', supportAccess: true }, 400, /supportAccess|Unrecognized/i],
        ['POST', '/api/v1/admin/tokens', { name: 'ok', expiresAt: '2001-01-01T00:00:00Z' }, 400, /future/],
        ['POST', '/api/v1/admin/tokens', { name: 'ok', expiresAt: 'tomorrow' }, 400, /ISO 8601/],
        ['DELETE', '/api/v1/admin/tokens/not-a-uuid', undefined, 400, /UUID/],
        ['DELETE', `/api/v1/admin/tokens/${randomUUID()}`, undefined, 404, /not found/],
      ];
      for (const [method, url, body, status, message] of bad) {
        const res = await call(method as 'POST', url, asA(), body);
        assert.equal(res.statusCode, status, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`);
        assert.match(res.json().message, message);
      }
      // Tenant B's token id, revoked with A's token: 404, and B's token keeps working.
      const [bToken] = await t.db.query<{ id: string }>(`SELECT id FROM api_tokens WHERE tenant_id = $1`, [tenantB]);
      const foreign = await call('DELETE', `/api/v1/admin/tokens/${bToken!.id}`, asA());
      assert.equal(foreign.statusCode, 404);
      assert.equal((await call('GET', '/api/v1/me', { token: tokenB })).statusCode, 200);
      // The token of the request itself.
      const [own] = await t.db.query<{ id: string }>(
        `SELECT id FROM api_tokens WHERE tenant_id = $1 AND name = 'bootstrap'`,
        [tenantA]
      );
      const self = await call('DELETE', `/api/v1/admin/tokens/${own!.id}`, asA());
      assert.equal(self.statusCode, 409);
      assert.equal(self.json().error, 'conflict');
      assert.deepEqual(
        {
          tokens: await count(`SELECT count(*) FROM api_tokens`),
          audit: await count(`SELECT count(*) FROM audit_log`),
        },
        before
      );
    });

    it('issues support access only through the CLI', async () => {
      const lines: string[] = [];
      await tokenCreateCommand(testConfig({ databaseUrl: t.url, secretKey: generateKey() }), (l) => lines.push(l), {
        org: 2,
        name: 'bravo-app',
        support: true,
      });
      assert.match(lines[0]!, /created for tenant .* with support access; shown once:/);
      const token = lines[1]!;
      assert.match(token, /^izn_/);
      const listed = (await call('GET', '/api/v1/admin/tokens', { token })).json().items as {
        name: string;
        supportAccess: boolean;
      }[];
      assert.deepEqual(
        listed.filter((i) => i.supportAccess).map((i) => i.name),
        ['bravo-app']
      );
    });

    it('is for Admins only; Editors can neither list nor create', async () => {
      assert.equal((await call('GET', '/api/v1/admin/tokens', asA({ role: 'Editor' }))).statusCode, 403);
      assert.equal(
        (await call('POST', '/api/v1/admin/tokens', asA({ role: 'Editor' }), { name: 'x' })).statusCode,
        403
      );
      assert.equal(
        (await call('DELETE', `/api/v1/admin/tokens/${randomUUID()}`, asA({ role: 'Editor' }))).statusCode,
        403
      );
    });
  });

  describe('GET /admin/tenants', () => {
    it('lists every tenant with connections and month-to-date cost in its reporting currency', async () => {
      const now = new Date();
      const monthStart = moscowMonthStart(now);
      const at = new Date(Math.max(monthStart.getTime() + 60_000, now.getTime() - 3 * 3_600_000));
      const line = (tenantId: string, connectionId: string, key: string, cost: string, currency: string) => ({
        tenantId,
        connectionId,
        resourceId: 'vm-1',
        lineKey: key,
        chargePeriodStart: at,
        chargePeriodEnd: new Date(at.getTime() + 60_000),
        provider: 'beget',
        billedCost: cost,
        effectiveCost: cost,
        billingCurrency: currency,
      });
      await upsertCostRecords(t.db, [
        line(tenantA, connectionA, 'rub', '100.505', 'RUB'),
        line(tenantA, connectionA, 'usd', '10', 'USD'),
        line(tenantB, connectionB, 'eur', '5', 'EUR'),
        // Last month: not month to date.
        {
          ...line(tenantA, connectionA, 'old', '999', 'RUB'),
          chargePeriodStart: new Date(monthStart.getTime() - 86_400_000),
          chargePeriodEnd: new Date(monthStart.getTime() - 86_000_000),
        },
      ]);
      await t.db.query(
        `INSERT INTO fx_rates (tenant_id, from_currency, to_currency, rate_date, rate) VALUES ($1, 'USD', 'RUB', '2000-01-01', 90)`,
        [tenantA]
      );
      await refreshCostDaily(t.db, storageMode, {
        from: new Date(monthStart.getTime() - 2 * 86_400_000),
        to: new Date(now.getTime() + 86_400_000),
      });

      const res = await call('GET', '/api/v1/admin/tenants', { token: supportTokenA, context: adminContext('root') });
      assert.equal(res.statusCode, 200, res.body);
      const items = (res.json().items as Record<string, unknown>[]).map(({ createdAt, ...rest }) => {
        assert.ok(typeof createdAt === 'string');
        return rest;
      });
      assert.deepEqual(items, [
        {
          id: tenantA,
          grafanaOrgId: 1,
          name: 'Main Org.',
          connections: 1,
          // 100.505 RUB + 10 USD × 90, rounded to kopecks.
          monthToDateCost: '1000.51',
          currency: 'RUB',
          unconvertedCurrencies: [],
        },
        {
          id: tenantB,
          grafanaOrgId: 2,
          name: 'Second Org',
          connections: 1,
          monthToDateCost: '0.00',
          currency: 'RUB',
          unconvertedCurrencies: ['EUR'],
        },
      ]);
    });

    it('needs both a server admin and a support-access token', async () => {
      const cases: [As, string][] = [
        [{ token: tokenA, context: adminContext('root') }, 'ordinary token, server admin claim'],
        [
          { token: supportTokenA, context: adminContext('root', { IsGrafanaAdmin: false }) },
          'support token, org admin',
        ],
        [{ token: supportTokenA }, 'support token, no Grafana context'],
        [{ token: supportTokenA, role: 'Viewer', context: adminContext('root') }, 'server admin on a Viewer route'],
      ];
      for (const [as, label] of cases) {
        const res = await call('GET', '/api/v1/admin/tenants', as);
        assert.equal(res.statusCode, 403, label);
        assert.equal(res.json().error, 'forbidden', label);
      }
    });
  });

  describe('GET /audit', () => {
    async function page(query: string, as: As = asA()) {
      const res = await call('GET', `/api/v1/audit${query}`, as);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: AuditItem[]; nextBefore: string | null };
    }

    it('lists the tenant’s entries newest first with the contract’s fields', async () => {
      const { items } = await page('?limit=500');
      const expected = await t.db.query<{ id: string; action: string }>(
        `SELECT id::text, action FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC`,
        [tenantA]
      );
      assert.deepEqual(
        items.map((i) => [i.id, i.action]),
        expected.map((e) => [e.id, e.action])
      );
      assert.ok(
        items.every((i) => i.action !== 'tenant.create'),
        'tenant B’s creation is not in A’s log'
      );
      const create = items.find((i) => i.action === 'connection.create')!;
      assert.deepEqual(Object.keys(create).sort(), [
        'action',
        'actor',
        'actorKind',
        'after',
        'at',
        'before',
        'details',
        'id',
        'sourceAddress',
        'summary',
        'targetId',
        'targetKind',
      ]);
      assert.equal(create.targetId, connectionA);
      assert.equal(create.summary, 'connection.create connection "Alpha Beget"');
      assert.equal(create.sourceAddress, '127.0.0.1');
    });

    it('filters by action list, actor, target kind and time', async () => {
      const tokens = await page('?action=token.create,token.revoke&actor=alice');
      assert.deepEqual(
        tokens.items.map((i) => [i.action, i.actor, i.targetKind]),
        [
          ['token.create', 'alice', 'api_token'],
          ['token.create', 'alice', 'api_token'],
        ]
      );
      const bob = await page('?actor=bob');
      assert.deepEqual(
        bob.items.map((i) => i.action),
        ['token.revoke']
      );
      const connections = await page('?targetKind=connection');
      assert.ok(connections.items.length >= 1 && connections.items.every((i) => i.targetKind === 'connection'));
      assert.deepEqual((await page('?from=2099-01-01')).items, []);
      assert.deepEqual((await page('?to=2000-01-01T00:00:00Z')).items, []);
      const all = await page('?limit=500');
      const windowed = await page(
        `?from=${encodeURIComponent(all.items.at(-1)!.at)}&to=2099-01-01T00:00:00%2B03:00&limit=500`
      );
      assert.equal(windowed.items.length, all.items.length);
    });

    it('pages with a keyset cursor that neither skips nor repeats entries', async () => {
      const all = await page('?limit=500');
      assert.ok(all.items.length >= 5, `only ${all.items.length} entries`);
      assert.equal(all.nextBefore, null);
      const seen: string[] = [];
      let cursor: string | null = '';
      let pages = 0;
      while (cursor !== null) {
        const p = await page(`?limit=2${cursor ? `&before=${cursor}` : ''}`);
        assert.ok(p.items.length <= 2);
        seen.push(...p.items.map((i) => i.id));
        cursor = p.nextBefore;
        pages++;
        assert.ok(pages < 100);
      }
      assert.deepEqual(
        seen,
        all.items.map((i) => i.id)
      );
      assert.equal(pages, Math.ceil(all.items.length / 2));
    });

    it('answers 400 for bad filters', async () => {
      const bad: [string, RegExp][] = [
        ['?limit=0', /limit/],
        ['?limit=501', /limit/],
        ['?limit=ten', /limit/],
        ['?before=abc', /nextBefore/],
        ['?before=-5', /nextBefore/],
        ['?from=yesterday', /ISO 8601/],
        ['?from=2026-02-30', /ISO 8601/],
        ['?from=2026-03-02&to=2026-03-01', /before `to`/],
        ['?action=DROP%20TABLE', /comma-separated actions/],
        ['?actor=', /actor/],
      ];
      for (const [query, message] of bad) {
        const res = await call('GET', `/api/v1/audit${query}`, asA());
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.equal(res.json().error, 'bad_request');
        assert.match(res.json().message, message, query);
      }
    });

    it('shows tenant B only its own entries, and Editors nothing', async () => {
      const b = await page('?limit=500', { token: tokenB });
      const ids = await t.db.query<{ id: string }>(
        `SELECT id::text FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC`,
        [tenantB]
      );
      assert.deepEqual(
        b.items.map((i) => i.id),
        ids.map((r) => r.id)
      );
      assert.ok(!JSON.stringify(b).includes(tenantA));
      assert.equal((await call('GET', '/api/v1/audit', asA({ role: 'Editor' }))).statusCode, 403);
    });
  });

  describe('append-only audit log', () => {
    it('refuses UPDATE, DELETE and TRUNCATE, for the owner and the tenant role', async () => {
      const before = await count(`SELECT count(*) FROM audit_log`);
      await assert.rejects(t.db.query(`UPDATE audit_log SET actor = 'mallory'`), /append-only \(UPDATE refused\)/);
      await assert.rejects(t.db.query(`UPDATE audit_log SET tenant_id = NULL, details = '{}'`), /append-only/);
      await assert.rejects(
        t.db.query(`DELETE FROM audit_log WHERE tenant_id = $1`, [tenantA]),
        /append-only \(DELETE refused\)/
      );
      await assert.rejects(t.db.query(`TRUNCATE audit_log`), /append-only \(TRUNCATE refused\)/);
      await assert.rejects(
        t.db.withTenant(tenantA, (tx) => tx.query(`UPDATE audit_log SET actor = 'mallory'`)),
        /permission denied|append-only/
      );
      await assert.rejects(
        t.db.withTenant(tenantA, (tx) => tx.query(`DELETE FROM audit_log`)),
        /permission denied|append-only/
      );
      assert.equal(await count(`SELECT count(*) FROM audit_log`), before);
      assert.equal(await count(`SELECT count(*) FROM audit_log WHERE actor = 'mallory'`), 0);
    });

    it('lets a tenant be purged while its audit rows stay exactly as written', async () => {
      const doomed = await createTenant(t.db, { orgId: 99, name: 'Leaving Org', actor: 'ops' });
      await createToken(t.db, { tenantId: doomed.tenant.id, name: 'extra', actor: 'ops', actorKind: 'cli' });
      const rowsBefore = await t.db.query(`SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY id`, [
        doomed.tenant.id,
      ]);
      assert.equal(rowsBefore.length, 2, 'tenant.create and token.create');
      await t.db.query(`DELETE FROM tenants WHERE id = $1`, [doomed.tenant.id]);
      assert.equal(await count(`SELECT count(*) FROM api_tokens WHERE tenant_id = $1`, [doomed.tenant.id]), 0);
      const rowsAfter = await t.db.query(`SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY id`, [
        doomed.tenant.id,
      ]);
      assert.deepEqual(rowsAfter, rowsBefore);
    });
  });

  describe('support access', () => {
    const support = (extra: Partial<As> = {}): As => ({
      token: supportTokenA,
      context: adminContext('root'),
      supportTenant: tenantB,
      ...extra,
    });

    async function supportEntries() {
      return t.db.query<{ tenantId: string; actor: string; targetId: string; endpoint: string; home: string }>(
        `SELECT tenant_id AS "tenantId", actor, target_id AS "targetId", details ->> 'endpoint' AS endpoint,
                details ->> 'homeTenantId' AS home
         FROM audit_log WHERE action = 'support.access' ORDER BY id`
      );
    }

    it('reads the other tenant’s data, scoped to that tenant', async () => {
      const me = await call('GET', '/api/v1/me', support());
      assert.equal(me.statusCode, 200, me.body);
      assert.equal(me.json().tenant.id, tenantB);
      const list = await call('GET', '/api/v1/connections', support());
      assert.equal(list.statusCode, 200);
      assert.deepEqual(
        (list.json().items as { id: string }[]).map((c) => c.id),
        [connectionB]
      );
      const one = await call('GET', `/api/v1/connections/${connectionB}`, support());
      assert.equal(one.statusCode, 200);
      // A's own connection is not visible while reading B.
      assert.equal((await call('GET', `/api/v1/connections/${connectionA}`, support())).statusCode, 404);
      const query = await call('POST', '/api/v1/query', support({ role: 'Viewer' }), {
        from: '2026-01-01T00:00:00Z',
        to: '2026-02-01T00:00:00Z',
        queries: [{ refId: 'A', queryType: 'costs' }],
      });
      assert.equal(query.statusCode, 200, query.body);
    });

    it('refuses every write, changing nothing', async () => {
      const before = {
        connections: await count(`SELECT count(*) FROM connections`),
        tokens: await count(`SELECT count(*) FROM api_tokens`),
      };
      const writes: [string, string, unknown][] = [
        [
          'POST',
          '/api/v1/connections',
          { name: 'sneaky', provider: 'beget', credentials: { login: 'a', password: 'b' } },
        ],
        ['PATCH', `/api/v1/connections/${connectionB}`, { name: 'renamed' }],
        ['DELETE', `/api/v1/connections/${connectionB}`, undefined],
        ['POST', `/api/v1/connections/${connectionB}/sync`, undefined],
        ['POST', '/api/v1/admin/tokens', { name: 'backdoor' }],
      ];
      for (const [method, url, body] of writes) {
        const res = await call(method as 'POST', url, support(), body);
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
        assert.match(res.json().message, /read-only/);
      }
      assert.deepEqual(
        {
          connections: await count(`SELECT count(*) FROM connections`),
          tokens: await count(`SELECT count(*) FROM api_tokens`),
        },
        before
      );
      const [name] = await t.db.query<{ name: string }>(`SELECT name FROM connections WHERE id = $1`, [connectionB]);
      assert.equal(name!.name, 'Bravo Beget');
    });

    it('is refused without a server admin or without a support token; bad tenant ids are 400/404', async () => {
      const refused: [As, number][] = [
        [support({ token: tokenA }), 403],
        [support({ context: adminContext('root', { IsGrafanaAdmin: false }) }), 403],
        [support({ context: undefined }), 403],
        // Tenant B's own token cannot reach A this way either.
        [{ token: tokenB, context: adminContext('root'), supportTenant: tenantA }, 403],
        [support({ supportTenant: 'tenant-b' }), 400],
        [support({ supportTenant: randomUUID() }), 404],
      ];
      for (const [as, status] of refused) {
        const res = await call('GET', '/api/v1/connections', as);
        assert.equal(res.statusCode, status, `${JSON.stringify({ ...as, token: undefined })}: ${res.body}`);
        assert.ok(!res.body.includes(connectionB));
      }
    });

    it('writes one entry in both tenants per actor, tenant and endpoint within ten minutes', async () => {
      const before = (await supportEntries()).length;
      for (let i = 0; i < 3; i++) assert.equal((await call('GET', '/api/v1/resources', support())).statusCode, 200);
      assert.equal(
        (await call('GET', '/api/v1/resources', support({ context: adminContext('second-admin') }))).statusCode,
        200
      );
      const added = (await supportEntries()).slice(before);
      assert.deepEqual(
        added.map((e) => [e.tenantId, e.actor, e.targetId, e.endpoint, e.home]),
        [
          [tenantB, 'root', tenantB, 'GET /api/v1/resources', tenantA],
          [tenantA, 'root', tenantB, 'GET /api/v1/resources', tenantA],
          [tenantB, 'second-admin', tenantB, 'GET /api/v1/resources', tenantA],
          [tenantA, 'second-admin', tenantB, 'GET /api/v1/resources', tenantA],
        ]
      );
      // Both tenants see it in their own audit API.
      const inB = await call('GET', '/api/v1/audit?action=support.access&actor=second-admin', { token: tokenB });
      assert.equal(inB.json().items.length, 1);
      assert.match(
        inB.json().items[0].summary,
        /Support access \(read-only\) by second-admin: GET \/api\/v1\/resources/
      );
      const inA = await call('GET', '/api/v1/audit?action=support.access&actor=second-admin', asA());
      assert.equal(inA.json().items.length, 1);
    });
  });
});
