/**
 * The alerting contract: the provisioned rules (provisioning/alerting) run, as Grafana would run them,
 * against the `grafana` views (migration 013) of a migrated database, as each org's read-only role, over
 * seeded scenarios; each rule fires exactly for the cases that should fire it. The views keep tenants
 * apart for readers who can type any SQL, mirror the budgets API, and work on the TimescaleDB lane.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { budgetStatus } from '../src/analytics/budgets.js';
import { migrate } from '../src/storage/migrate.js';
import { insertTenant } from '../src/storage/repositories/tenants.js';
import { refreshCostDaily } from '../src/storage/rollups.js';
import {
  databaseClock,
  line,
  seedAlertScenarios,
  Seeder,
  type Clock,
  type Scenarios,
} from './helpers/alert-scenarios.js';
import {
  alertingFiles,
  evaluateRule,
  renderAnnotation,
  REPO_ROOT,
  ruleGroups,
  valuesFor,
  type Evaluation,
} from './helpers/grafana-alerting.js';
import { createPgliteDatabase } from './helpers/pglite-database.js';
import { createTestDatabase, stopTestCluster, testCluster, type TestDatabase } from './helpers/postgres.js';

const VIEWS = ['v_budget_status', 'v_daily_cost', 'v_anomalies', 'v_sync_health', 'v_balance_runway', 'v_new_waste'];
const rules = ruleGroups().flatMap((g) => g.rules);
const rule = (uid: string) => rules.find((r) => r.uid === uid)!;

function dashboard(uid: string): { panels: { id: number; type: string; targets?: { queryType: string }[] }[] } {
  const dir = path.join(REPO_ROOT, 'dashboards');
  for (const file of ['executive', 'cost-explorer', 'resources', 'budgets', 'recommendations', 'sync-health', 'msp']) {
    const json = JSON.parse(readFileSync(path.join(dir, `${file}.json`), 'utf8'));
    if (json.uid === uid) return json;
  }
  throw new Error(`no dashboard ${uid}`);
}

describe('alerting provisioning files', () => {
  const files = alertingFiles();

  it('are Grafana provisioning files with every kind of alerting resource', () => {
    for (const [name, file] of files) assert.equal(file.apiVersion, 1, name);
    const kinds = new Set([...files.values()].flatMap((f) => Object.keys(f).filter((k) => k !== 'apiVersion')));
    assert.deepEqual([...kinds].sort(), ['contactPoints', 'groups', 'policies', 'templates']);
  });

  it('define the rule groups the product promises, with well-formed rules', () => {
    assert.deepEqual(rules.map((r) => r.uid).sort(), [
      'infrazen-balance-runway',
      'infrazen-beget-days-to-block',
      'infrazen-budget-actual',
      'infrazen-budget-forecast',
      'infrazen-cost-anomaly',
      'infrazen-data-stale',
      'infrazen-new-waste',
      'infrazen-sync-failed',
    ]);
    for (const group of ruleGroups()) {
      assert.equal(group.orgId, 1);
      assert.equal(group.folder, 'InfraZen');
      assert.match(group.interval, /^\d+[mh]$/);
    }
    for (const r of rules) {
      assert.match(r.uid, /^[A-Za-z0-9_-]{1,40}$/);
      assert.match(r.title, /[А-Яа-яЁё]/, `${r.uid}: Russian title`);
      assert.ok(
        r.data.some((d) => d.refId === r.condition),
        `${r.uid}: condition is one of its queries`
      );
      assert.equal(r.noDataState, 'OK', `${r.uid}: no rows means nothing to report`);
      assert.equal(r.execErrState, 'Error');
      assert.equal(r.labels.product, 'infrazen');
      assert.ok(['info', 'warning', 'critical'].includes(r.labels.severity!));
      for (const key of ['summary', 'description', 'where', 'app_page', '__dashboardUid__', '__panelId__']) {
        assert.ok(r.annotations[key], `${r.uid}: annotation ${key}`);
      }
      assert.match(r.annotations.app_page!, /^\/a\/infrazen-finops-app\/[a-z]+$/);
      for (const q of r.data) {
        if (q.datasourceUid === '__expr__') continue;
        assert.equal(q.datasourceUid, 'infrazen-tsdb', `${r.uid}: alerting reads the core PostgreSQL datasource`);
        assert.equal(q.model.format, 'table');
        const sql = String(q.model.rawSql);
        // The views are the contract: no table, no other schema.
        const relations = [...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][\w.]*)/gi)].map((m) => m[1]!);
        assert.ok(relations.length > 0);
        for (const rel of relations) {
          if (rel === 'LATERAL') continue;
          assert.ok(
            VIEWS.some((v) => rel === `grafana.${v}`),
            `${r.uid} reads ${rel}`
          );
        }
      }
    }
  });

  it('link every rule to an existing dashboard panel of the matching kind', () => {
    const expected: Record<string, string[]> = {
      budget: ['budgets'],
      anomaly: ['anomalies'],
      waste: ['resources'],
      sync: ['snapshots'],
      balance: ['balances'],
    };
    for (const r of rules) {
      assert.equal(r.dashboardUid, r.annotations.__dashboardUid__, `${r.uid}: dashboardUid`);
      assert.equal(r.panelId, Number(r.annotations.__panelId__), `${r.uid}: panelId`);
      const panel = dashboard(r.annotations.__dashboardUid__!).panels.find(
        (p) => p.id === Number(r.annotations.__panelId__)
      );
      assert.ok(panel, `${r.uid}: panel ${r.annotations.__panelId__} exists`);
      const types = (panel.targets ?? []).map((t) => t.queryType);
      assert.ok(
        expected[r.labels.category!]!.some((t) => types.includes(t)),
        `${r.uid}: panel shows ${types.join(', ')}`
      );
    }
  });

  it('route alerts to Telegram and e-mail with Russian templates that exist', () => {
    const contactPoints = [...files.values()].flatMap(
      (f) =>
        (f.contactPoints as { name: string; receivers: { type: string; settings: Record<string, unknown> }[] }[]) ?? []
    );
    const receivers = contactPoints.flatMap((c) => c.receivers);
    const telegram = receivers.find((r) => r.type === 'telegram')!;
    assert.equal(telegram.settings.bottoken, '${INFRAZEN_TELEGRAM_BOT_TOKEN}');
    assert.equal(telegram.settings.chatid, '${INFRAZEN_TELEGRAM_CHAT_ID}');
    const email = receivers.find((r) => r.type === 'email')!;
    assert.equal(email.settings.addresses, '${INFRAZEN_ALERT_EMAILS}');

    const templates = [...files.values()].flatMap((f) => (f.templates as { name: string; template: string }[]) ?? []);
    const text = templates.map((t) => t.template).join('\n');
    const defined = new Set([...text.matchAll(/\{\{-?\s*define "([^"]+)"/g)].map((m) => m[1]));
    const used = [
      ...JSON.stringify(receivers).matchAll(/template \\"([^"\\]+)\\"/g),
      ...text.matchAll(/template "([^"]+)"/g),
    ];
    assert.ok(used.length >= 3);
    for (const m of used) assert.ok(defined.has(m[1]), `template ${m[1]} is defined`);
    // Every block is closed: define / if / range / with against end.
    const opens = (text.match(/\{\{-?\s*(define|if|range|with)\b/g) ?? []).length;
    const ends = (text.match(/\{\{-?\s*end\s*-?\}\}/g) ?? []).length;
    assert.equal(opens, ends);
    assert.match(text, /Внимание/);
    assert.match(text, /Где смотреть/);

    const names = new Set(contactPoints.map((c) => c.name));
    const policies = [...files.values()].flatMap((f) => (f.policies as Record<string, unknown>[]) ?? []);
    assert.equal(policies.length, 1);
    const walk = (p: Record<string, unknown>): string[] => [
      String(p.receiver),
      ...((p.routes as Record<string, unknown>[] | undefined) ?? []).flatMap(walk),
    ];
    const routed = walk(policies[0]!);
    for (const receiver of routed) assert.ok(names.has(receiver), `policy receiver ${receiver} exists`);
    assert.ok(routed.includes('InfraZen Telegram') && routed.includes('InfraZen email'));
  });
});

describe('alert rules on seeded scenarios', { timeout: 120_000 }, () => {
  let t: TestDatabase;
  let admin: pg.Client;
  let clock: Clock;
  let seeded: Scenarios;
  const readers: { role: string; password: string; client?: pg.Client }[] = [];
  const evaluations = new Map<string, Map<string, Evaluation>>();

  async function reader(org: number) {
    const role = `izn_reader_${randomBytes(5).toString('hex')}`;
    const password = randomBytes(12).toString('base64url');
    await admin.query('SELECT grafana.ensure_reader($1, $2, $3)', [role, org, password]);
    const url = new URL(t.url);
    url.username = role;
    url.password = password;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    readers.push({ role, password, client });
    return client;
  }

  async function evaluateAll(client: pg.Client) {
    const out = new Map<string, Evaluation>();
    const now = new Date();
    for (const r of rules) out.set(r.uid, await evaluateRule(r, now, (sql) => client.query(sql)));
    return out;
  }

  before(async () => {
    t = await createTestDatabase('alerting');
    await migrate(t.db);
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    clock = await databaseClock(t.db);
    seeded = await seedAlertScenarios(t.db, clock);
    evaluations.set('A', await evaluateAll(await reader(1)));
    evaluations.set('B', await evaluateAll(await reader(2)));
  });

  after(async () => {
    for (const r of readers) await r.client?.end();
    await admin.end();
    await t.drop();
    const handle = await testCluster();
    const root = new pg.Client({ connectionString: handle.url });
    await root.connect();
    for (const r of readers) await root.query(`DROP ROLE IF EXISTS ${r.role}`);
    await root.end();
    await stopTestCluster();
  });

  /** Firing instances of a rule for org A or B, projected on some labels, sorted. */
  function firing(org: 'A' | 'B', uid: string, keys: string[]) {
    return evaluations
      .get(org)!
      .get(uid)!
      .firing.map((i) => Object.fromEntries(keys.map((k) => [k, i.labels[k]])))
      .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  }
  function value(org: 'A' | 'B', uid: string, match: Record<string, string>, refId = 'A') {
    const ev = evaluations.get(org)!.get(uid)!;
    const instance = ev.results.get(refId)!.find((i) => Object.entries(match).every(([k, v]) => i.labels[k] === v));
    assert.ok(instance, `${uid}: an instance with ${JSON.stringify(match)}`);
    return instance.value;
  }

  it('budget thresholds of the actual spend fire per crossed threshold, this period only', () => {
    assert.deepEqual(firing('A', 'infrazen-budget-actual', ['budget', 'threshold']), [
      { budget: 'Prod env', threshold: '50' },
      { budget: 'Selectel main', threshold: '50' },
      { budget: 'Selectel main', threshold: '80' },
      { budget: 'Yandex prod', threshold: '100' },
      { budget: 'Yandex prod', threshold: '50' },
      { budget: 'Yandex prod', threshold: '80' },
    ]);
    // Last month's 5000 does not count; 10 USD at 90 plus 300 RUB does.
    assert.equal(value('A', 'infrazen-budget-actual', { budget: 'Selectel main', threshold: '80' }), 850);
    assert.equal(value('A', 'infrazen-budget-actual', { budget: 'Yandex prod', threshold: '100' }), 1200);
    assert.equal(value('A', 'infrazen-budget-actual', { budget: 'Prod env', threshold: '50' }), 600);
  });

  it('forecast thresholds fire when the run rate reaches them', () => {
    assert.deepEqual(firing('A', 'infrazen-budget-forecast', ['budget', 'threshold']), [
      { budget: 'Selectel main', threshold: '80' },
      { budget: 'Yandex prod', threshold: '100' },
    ]);
    // A run rate from the month's first day: at least what is spent, at most 31 times the first day.
    const forecast = value('A', 'infrazen-budget-forecast', { budget: 'Selectel main' });
    assert.ok(forecast >= 850 && forecast <= 850 * 31, String(forecast));
  });

  it('cost anomalies fire for recent increases that nobody marked as false positives', () => {
    assert.deepEqual(firing('A', 'infrazen-cost-anomaly', ['scope', 'day']), [
      { scope: 'Cloud.ru legacy', day: moscowDayAgo(1) },
      { scope: 'Selectel main · Compute', day: moscowDayAgo(2) },
      { scope: 'Yandex prod', day: moscowDayAgo(1) },
    ]);
    assert.equal(value('A', 'infrazen-cost-anomaly', { scope: 'Yandex prod' }), 500);
  });

  it('new zombies and orphans fire once flagged in the last day, on live connections', () => {
    assert.deepEqual(firing('A', 'infrazen-new-waste', ['resource', 'kind', 'connection']), [
      { resource: 'disk-orphan', kind: 'orphan', connection: 'Yandex prod' },
      { resource: 'ip-orphan', kind: 'orphan', connection: 'Yandex prod' },
      { resource: 'old-vm', kind: 'zombie', connection: 'Yandex prod' },
    ]);
    assert.equal(value('A', 'infrazen-new-waste', { resource: 'old-vm' }), 3000);
    assert.equal(value('A', 'infrazen-new-waste', { resource: 'ip-orphan' }), 0, 'unknown cost still alerts');
  });

  it('failed syncs fire for enabled, live connections whose last run failed', () => {
    assert.deepEqual(firing('A', 'infrazen-sync-failed', ['connection', 'status', 'error']), [
      { connection: 'Selectel main', status: 'error', error: 'HTTP 503 from api.selectel.ru' },
      { connection: 'Yandex interrupted', status: 'interrupted', error: 'collector restarted during the sync' },
    ]);
    const hours = value('A', 'infrazen-sync-failed', { connection: 'Selectel main' });
    assert.ok(Math.abs(hours - 5) < 0.1, `hours since the last good sync: ${hours}`);
  });

  it('stale data fires after 26 hours without a good sync, counting from creation when never synced', () => {
    assert.deepEqual(firing('A', 'infrazen-data-stale', ['connection']), [
      { connection: 'Cloud.ru legacy' },
      { connection: 'Never synced' },
    ]);
    assert.ok(Math.abs(value('A', 'infrazen-data-stale', { connection: 'VK edge' }) - 25) < 0.1, 'near miss evaluated');
  });

  it('balance runway under 7 days fires, from the reported or the observed daily spend', () => {
    assert.deepEqual(firing('A', 'infrazen-balance-runway', ['connection']), [
      { connection: 'Beget low' },
      { connection: 'VK zero' },
      { connection: 'Yandex billing' },
    ]);
    // 690 over the last seven complete days' 100 RUB a day (today's cost and USD left out).
    assert.equal(value('A', 'infrazen-balance-runway', { connection: 'Yandex billing' }), 6.9);
    assert.equal(value('A', 'infrazen-balance-runway', { connection: 'Yandex billing' }, 'D'), 100);
    assert.equal(value('A', 'infrazen-balance-runway', { connection: 'Beget ok' }), 8, 'latest balance only');
  });

  it('Beget days to block under 7 fires for Beget only', () => {
    assert.deepEqual(firing('A', 'infrazen-beget-days-to-block', ['connection']), [{ connection: 'Beget low' }]);
  });

  it('show each org only its own alerts', () => {
    assert.deepEqual(firing('B', 'infrazen-budget-actual', ['budget', 'threshold']), [
      { budget: 'B Selectel', threshold: '100' },
      { budget: 'B Selectel', threshold: '50' },
      { budget: 'B Selectel', threshold: '80' },
    ]);
    assert.deepEqual(firing('B', 'infrazen-sync-failed', ['connection']), [{ connection: 'B Selectel' }]);
    assert.deepEqual(firing('B', 'infrazen-new-waste', ['resource']), [{ resource: 'b-zombie' }]);
    assert.deepEqual(firing('B', 'infrazen-balance-runway', ['connection']), [{ connection: 'B Beget' }]);
    assert.deepEqual(firing('B', 'infrazen-beget-days-to-block', ['connection']), [{ connection: 'B Beget' }]);
    assert.deepEqual(firing('B', 'infrazen-data-stale', ['connection']), []);
    const aLabels = JSON.stringify([...evaluations.get('A')!.values()].map((e) => e.firing));
    for (const name of ['B Selectel', 'B Beget', 'b-zombie']) assert.ok(!aLabels.includes(name));
  });

  it('render Russian messages that say what, how much and where to look', () => {
    const render = (org: 'A' | 'B', uid: string, match: Record<string, string>) => {
      const ev = evaluations.get(org)!.get(uid)!;
      const instance = ev.firing.find((i) => Object.entries(match).every(([k, v]) => i.labels[k] === v))!;
      const values = valuesFor(ev, instance.labels);
      const a = rule(uid).annotations;
      return ['summary', 'description', 'where']
        .map((k) => renderAnnotation(a[k]!, instance.labels, values))
        .join(' | ');
    };
    assert.equal(
      render('A', 'infrazen-budget-actual', { budget: 'Selectel main', threshold: '80' }),
      `Бюджет «Selectel main»: израсходовано 80% и больше | С ${moscowDayAgoFromMonth()} израсходовано 850.00 RUB из 1000 RUB — пройден порог 80% бюджета. | Дашборд «Бюджеты и прогноз»; в приложении InfraZen — страница «Бюджеты».`
    );
    assert.match(
      render('A', 'infrazen-balance-runway', { connection: 'Yandex billing' }),
      /хватит на 6\.9 дн\..*Баланс 690\.00 RUB, расход около 100\.00 RUB в день/
    );
    assert.match(
      render('A', 'infrazen-new-waste', { resource: 'old-vm' }),
      /^Зомби-ресурс «old-vm» \(Yandex prod\).*3000\.00 RUB/
    );
    assert.match(render('A', 'infrazen-new-waste', { resource: 'disk-orphan' }), /^Осиротевший ресурс/);
    assert.match(render('A', 'infrazen-cost-anomaly', { scope: 'Yandex prod' }), /выше ожидаемых на 500\.00 RUB/);
    assert.match(
      render('A', 'infrazen-beget-days-to-block', { connection: 'Beget low' }),
      /до блокировки 6 дн\..*600\.00 RUB/
    );
    assert.match(render('A', 'infrazen-sync-failed', { connection: 'Selectel main' }), /ошибка: HTTP 503/);
    // Every firing instance of every rule renders (labels and values the templates use exist).
    for (const [org, byRule] of evaluations) {
      for (const [uid, ev] of byRule) {
        for (const i of ev.firing) {
          for (const text of Object.values(rule(uid).annotations))
            renderAnnotation(text, i.labels, valuesFor(ev, i.labels));
          assert.ok(i.labels, `${org} ${uid}`);
        }
      }
    }
  });

  it('keep readers inside their tenant, read-only, whatever SQL they type', async () => {
    const a = readers[0]!.client!;
    for (const view of VIEWS) {
      const rows = (await a.query(`SELECT tenant_id::text FROM grafana.${view}`)).rows as { tenant_id: string }[];
      assert.ok(rows.length > 0, `${view} has rows for org 1`);
      assert.ok(
        rows.every((r) => r.tenant_id === seeded.tenantA),
        view
      );
    }
    // The collector's tenant setting means nothing to a reader.
    await a.query(`SELECT set_config('infrazen.tenant_id', $1, false)`, [seeded.tenantB]);
    const spoofed = (await a.query(`SELECT DISTINCT tenant_id::text AS t FROM grafana.v_sync_health`)).rows;
    assert.deepEqual(spoofed, [{ t: seeded.tenantA }]);
    for (const sql of [
      'SELECT * FROM public.connections',
      'SELECT * FROM public.cost_daily',
      'SELECT * FROM grafana.readers',
      'SET ROLE infrazen_tenant',
      `SELECT grafana.ensure_reader('someone', 2)`,
    ]) {
      await assert.rejects(a.query(sql), /permission denied|must be able to SET ROLE/, sql);
    }
    await assert.rejects(a.query('CREATE TEMP TABLE x (y int)'), /read-only transaction/);

    // A member of the reader role that no org is mapped to sees nothing, even with the setting.
    const role = `izn_unmapped_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'x-unmapped-x' IN ROLE infrazen_grafana_reader`);
    readers.push({ role, password: 'x-unmapped-x' });
    const url = new URL(t.url);
    url.username = role;
    url.password = 'x-unmapped-x';
    const unmapped = new pg.Client({ connectionString: url.toString() });
    await unmapped.connect();
    try {
      await unmapped.query(`SELECT set_config('infrazen.tenant_id', $1, false)`, [seeded.tenantA]);
      for (const view of VIEWS) assert.equal((await unmapped.query(`SELECT * FROM grafana.${view}`)).rowCount, 0, view);
    } finally {
      await unmapped.end();
    }
  });

  it('serve the collector tenant sessions too, and nobody else', async () => {
    const rows = await t.db.withTenant(seeded.tenantB, (tx) =>
      tx.query<{ connection_name: string }>('SELECT connection_name FROM grafana.v_sync_health ORDER BY 1')
    );
    assert.deepEqual(
      rows.map((r) => r.connection_name),
      ['B Beget', 'B Selectel']
    );
    assert.equal((await t.db.query('SELECT * FROM grafana.v_sync_health')).length, 0, 'the owner is no tenant');
  });

  it('refuse privileged roles and odd names as readers', async () => {
    await assert.rejects(admin.query(`SELECT grafana.ensure_reader('Bad Name', 1)`), /lower-case identifiers/);
    const handle = await testCluster();
    const superuser = new URL(handle.url).username;
    await assert.rejects(admin.query(`SELECT grafana.ensure_reader($1, 1)`, [superuser]), /privileged/);
  });

  function moscowDayAgo(days: number) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(
      new Date(clock.todayStart.getTime() + 12 * 3_600_000 - days * 86_400_000)
    );
  }
  function moscowDayAgoFromMonth() {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(
      new Date(clock.monthStart.getTime() + 12 * 3_600_000)
    );
  }
});

describe('v_budget_status mirrors the budgets API', { timeout: 120_000 }, () => {
  let t: TestDatabase;

  before(async () => {
    t = await createTestDatabase('budgetview');
    await migrate(t.db);
  });
  after(async () => {
    await t.drop();
    await stopTestCluster();
  });

  it('gives the same actual, percentages, burn rate, crossed actual thresholds and period', async () => {
    const clock = await databaseClock(t.db);
    const s = new Seeder(t.db, clock);
    const tenant = (await insertTenant(t.db, 3, 'Org C')).id;
    const conn = await s.connection(tenant, { name: 'C main', provider: 'selectel' });
    await s.resource(tenant, conn, {
      pid: 'web-1',
      name: 'web-1',
      type: 'server',
      businessUnit: 'Platform',
      provider: 'selectel',
    });
    await s.resource(tenant, conn, {
      pid: 'db-1',
      name: 'db-1',
      type: 'database',
      tags: { bu: 'Data' },
      provider: 'selectel',
    });
    await t.db.query(
      `INSERT INTO allocation_rules (tenant_id, name, priority, match, assign, split)
       VALUES ($1, 'shared', 10, '{"service": "Shared"}', '{}',
         '{"mode": "proportional", "targets": ["Platform", "Data"], "dimension": "businessUnit"}')`,
      [tenant]
    );
    await t.db.query(
      `INSERT INTO fx_rates (tenant_id, from_currency, to_currency, rate_date, rate) VALUES ($1, 'USD', 'RUB', '2000-01-01', 90)`,
      [tenant]
    );
    const rows = [];
    // 120 days up to today: a quarter and more of history, both sides of period starts.
    for (let d = 0; d < 120; d++) {
      const at = new Date(clock.todayStart.getTime() - d * 86_400_000 + 6 * 3_600_000);
      rows.push(line(tenant, conn, 'selectel', at, '10.00', { resourceId: 'web-1', lineKey: `w${d}` }));
      rows.push(
        line(tenant, conn, 'selectel', at, '6.00', { resourceId: 'db-1', lineKey: `d${d}`, serviceName: 'DBaaS' })
      );
      rows.push(
        line(tenant, conn, 'selectel', at, '4.00', { resourceId: '', lineKey: `s${d}`, serviceName: 'Shared' })
      );
      rows.push(
        line(tenant, conn, 'selectel', at, '1.00', { resourceId: '', lineKey: `p${d}`, serviceName: 'Support' })
      );
      if (d % 10 === 0)
        rows.push(
          line(tenant, conn, 'selectel', at, '0.50', { resourceId: 'cdn', lineKey: `u${d}`, billingCurrency: 'USD' })
        );
      if (d % 7 === 0)
        rows.push(
          line(tenant, conn, 'selectel', at, '1.00', { resourceId: 'cdn', lineKey: `e${d}`, billingCurrency: 'EUR' })
        );
    }
    await s.costs(rows);
    const budgets: {
      name: string;
      amount: string;
      currency?: string;
      period?: string;
      scope: Record<string, string>;
    }[] = [
      { name: 'Total month', amount: '1000', scope: { kind: 'tenant' } },
      { name: 'Quarter', amount: '1500', period: 'quarterly', scope: { kind: 'tenant' } },
      { name: 'Year', amount: '900', period: 'yearly', scope: { kind: 'tenant' } },
      { name: 'Platform', amount: '300', scope: { kind: 'business_unit', value: 'Platform' } },
      { name: 'Data', amount: '200', scope: { kind: 'business_unit', value: 'Data' } },
      { name: 'Shared', amount: '100', scope: { kind: 'service', value: 'Shared' } },
      { name: 'Tagged', amount: '100', scope: { kind: 'tag', tagKey: 'bu', value: 'Data' } },
      { name: 'Provider', amount: '2000', period: 'quarterly', scope: { kind: 'provider', value: 'selectel' } },
      { name: 'Dollars', amount: '20', currency: 'USD', scope: { kind: 'tenant' } },
    ];
    for (const b of budgets) await s.budget(tenant, { ...b, thresholds: [10, 50, 80, 100], forecast: [100] });

    const now = new Date();
    await t.db.withTenant(tenant, async (tx) => {
      const view = await tx.query<Record<string, string | string[] | Date>>(
        `SELECT budget_name, period_start, actual::text, used_percent::text, burn_rate_per_day::text,
           crossed_actual::text[] AS crossed_actual, state FROM grafana.v_budget_status`
      );
      assert.equal(view.length, budgets.length);
      for (const b of budgets) {
        const api = await budgetStatus(
          tx,
          tenant,
          {
            amount: b.amount,
            currency: b.currency ?? 'RUB',
            period: (b.period ?? 'monthly') as 'monthly',
            scope: b.scope as never,
            thresholds: { actual: [10, 50, 80, 100], forecast: [100] },
          },
          now
        );
        const row = view.find((r) => r.budget_name === b.name)!;
        assert.ok(
          new Decimal(row.actual as string).equals(api.actual),
          `${b.name}: actual ${row.actual} vs ${api.actual}`
        );
        assert.ok(!new Decimal(api.actual).isZero(), `${b.name}: has spend`);
        assert.equal(Number(row.used_percent), api.usedPercent, `${b.name}: used %`);
        assert.ok(new Decimal(row.burn_rate_per_day as string).equals(api.burnRatePerDay), `${b.name}: burn rate`);
        assert.deepEqual(
          (row.crossed_actual as string[]).map(Number),
          api.crossed.filter((c) => c.kind === 'actual').map((c) => c.threshold),
          `${b.name}: crossed`
        );
        assert.equal(
          new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(row.period_start as Date),
          api.periodStart
        );
        if (api.state === 'exceeded') assert.equal(row.state, 'exceeded', b.name);
      }
    });
  });
});

describe('grafana views in Timescale mode (PGlite + TimescaleDB)', { timeout: 120_000 }, () => {
  it('read the continuous aggregate like the plain rollup', async () => {
    const ts = await createPgliteDatabase();
    try {
      await migrate(ts);
      const clock = await databaseClock(ts);
      const tenant = (await insertTenant(ts, 1, 'Org TS')).id;
      const [c] = await ts.query<{ id: string }>(
        `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, 'TS', 'beget') RETURNING id`,
        [tenant]
      );
      const s = new Seeder(ts, clock);
      await ts.query(
        `INSERT INTO cost_records (tenant_id, connection_id, resource_id, line_key, charge_period_start, charge_period_end,
           provider, billed_cost, effective_cost, billing_currency)
         VALUES ($1, $2, 'vm', 'a', $3, $3::timestamptz + interval '1 hour', 'beget', 42.5, 42.5, 'RUB')`,
        [tenant, c!.id, clock.monthStart]
      );
      await refreshCostDaily(ts, 'timescale', {
        from: new Date(clock.monthStart.getTime() - 86_400_000),
        to: new Date(clock.monthStart.getTime() + 86_400_000),
      });
      await s.budget(tenant, {
        name: 'TS',
        amount: '85',
        scope: { kind: 'tenant' },
        thresholds: [50],
        forecast: [100],
      });
      const [daily, budget] = await ts.withTenant(tenant, async (tx) => [
        await tx.query<{ effective_cost: string }>('SELECT effective_cost::text FROM grafana.v_daily_cost'),
        await tx.query<{ actual: string; crossed_actual: string[] }>(
          'SELECT actual::text, crossed_actual::text[] AS crossed_actual FROM grafana.v_budget_status'
        ),
      ]);
      assert.deepEqual(daily, [{ effective_cost: '42.5' }]);
      assert.deepEqual(budget, [{ actual: '42.5', crossed_actual: ['50'] }]);
    } finally {
      await ts.close();
    }
  });
});
