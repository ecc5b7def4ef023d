/**
 * The dashboards (dashboards/*.json, generated from dashboards/src): up to date with their code,
 * structurally valid Grafana dashboards, every panel query valid against the query contract, and every
 * panel and variable query answered by the real /api/v1/query and dimensions API over the demo data (the
 * sandboxed providers synced in-process, plus what a user adds: a budget, a finished recommendation, an
 * allocation rule, a unit metric). Field names the panels pick must exist in the frames they get.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  DIMENSIONS,
  QUERY_TYPES,
  VARIABLE_DIMENSIONS,
  type DataFrameJSON,
  type QueryResponse,
} from '../src/contract/query.js';
import { startDemo, type DemoHandle } from '../src/demo/bootstrap.js';
import { parseQuery } from '../src/query/schemas.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FILES = ['executive', 'cost-explorer', 'resources', 'budgets', 'recommendations', 'sync-health', 'msp'];
const UIDS = FILES.map((f) => (f === 'sync-health' ? 'infrazen-sync-health' : `infrazen-${f}`));
const CYRILLIC = /[А-Яа-яЁё]/;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const dashboards: Json[] = FILES.map((f) =>
  JSON.parse(readFileSync(path.join(ROOT, 'dashboards', `${f}.json`), 'utf8'))
);
const datasourcePlugin = JSON.parse(readFileSync(path.join(ROOT, 'datasource-plugin/src/plugin.json'), 'utf8'));
const appPlugin = JSON.parse(readFileSync(path.join(ROOT, 'app-plugin/src/plugin.json'), 'utf8'));
const appPages = new Set(
  (appPlugin.includes as Json[])
    .filter((i) => i.type === 'page' && String(i.path).startsWith('/a/'))
    .map((i) => String(i.path).split('/').pop())
);
const panelsOf = (d: Json): Json[] => d.panels.filter((p: Json) => p.type !== 'row');
const variableNames = (d: Json) => new Set<string>(d.templating.list.map((v: Json) => v.name));

/** Grafana's relative times: now, now-90d, now+30d, now/M. */
function resolveTime(expr: string, now: number): number {
  const m = /^now(?:([+-])(\d+)([mhdwMy]))?$/.exec(expr);
  if (!m) throw new Error(`unsupported time ${expr}`);
  if (!m[1]) return now;
  const unit = { m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, M: 30 * 86400e3, y: 365 * 86400e3 }[m[3]!]!;
  return now + (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit;
}

const durationMs = (s: string) => Number(s.slice(0, -1)) * { m: 60e3, h: 3600e3, d: 86400e3 }[s.slice(-1)]!;

/**
 * What the datasource plugin sends for a target with every variable on "All": a filter whose values are
 * all variables is dropped (datasource-plugin/src/interpolation.ts); `pick` instead fills in one value.
 */
function interpolate(target: Json, pick?: (name: string) => string | undefined): Json {
  const { datasource: _ds, ...query } = target;
  const filters = ((query.filters as Json[] | undefined) ?? []).flatMap((f) => {
    const values = (f.values as string[]).flatMap((v) => {
      const name = /^\$(\w+)$/.exec(v)?.[1];
      if (!name) return [v];
      const picked = pick?.(name);
      return picked === undefined ? [] : [picked];
    });
    return values.length ? [{ ...f, values }] : [];
  });
  return { ...query, filters };
}

/** Every `$name` / `${name}` a dashboard's queries and links use, except Grafana's built-ins. */
function usedVariables(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/\$\{?(\w+)/g)].map((m) => m[1]!).filter((n) => !n.startsWith('__'));
}

describe('dashboards are generated from their code', () => {
  it('and the committed JSON is what the code generates', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'dashboards/src/generate.ts', '--check'], {
      cwd: ROOT,
    });
  });
});

describe('dashboard structure', () => {
  it('has the seven dashboards with fixed uids, tags, and Russian titles with English descriptions', () => {
    assert.deepEqual(
      dashboards.map((d) => d.uid),
      UIDS
    );
    for (const d of dashboards) {
      assert.match(d.title, /^InfraZen · /);
      assert.match(d.title, CYRILLIC, d.uid);
      assert.ok(d.description.length > 40 && !CYRILLIC.test(d.description), `${d.uid}: English description`);
      assert.ok(d.tags.includes('infrazen') && d.tags.includes('finops'));
      assert.equal(d.schemaVersion, 41);
      assert.ok(Number.isInteger(d.revision) && d.revision >= 1);
      assert.equal(d.editable, true);
    }
  });

  it('opens on a sensible range and never refreshes faster than every five minutes', () => {
    for (const d of dashboards) {
      const now = Date.now();
      assert.ok(resolveTime(d.time.from, now) < resolveTime(d.time.to, now), d.uid);
      assert.ok(d.refresh === '' || durationMs(d.refresh) >= 5 * 60e3, `${d.uid}: refresh ${d.refresh}`);
      for (const r of d.timepicker.refresh_intervals) assert.ok(durationMs(r) >= 5 * 60e3, `${d.uid}: ${r}`);
    }
  });

  it('reads the datasource through a variable of the plugin type, with a variable per dimension', () => {
    const everyDimension = new Set<string>();
    for (const d of dashboards) {
      const [first, ...rest] = d.templating.list as Json[];
      assert.equal(first!.type, 'datasource');
      assert.equal(first!.query, datasourcePlugin.id);
      for (const v of rest) {
        assert.match(v.label, CYRILLIC, `${d.uid}.${v.name}: Russian label`);
        assert.ok(v.description && !CYRILLIC.test(v.description), `${d.uid}.${v.name}: English description`);
        assert.deepEqual(v.datasource, { type: datasourcePlugin.id, uid: '${datasource}' });
        if (v.type === 'adhoc') continue;
        assert.equal(v.type, 'query');
        assert.ok([...DIMENSIONS, ...VARIABLE_DIMENSIONS].includes(v.query.dimension), v.query.dimension);
        assert.equal(v.name, v.query.dimension);
        assert.ok(
          v.refresh === 2 && v.includeAll && v.multi,
          `${d.uid}.${v.name}: All, multi, refreshed with the range`
        );
        everyDimension.add(v.query.dimension);
      }
    }
    assert.deepEqual([...everyDimension].sort(), [...DIMENSIONS].sort(), 'every dimension has a variable somewhere');
    const explorer = dashboards.find((d) => d.uid === 'infrazen-cost-explorer')!;
    assert.equal(
      explorer.templating.list.length,
      DIMENSIONS.length + 2,
      'cost explorer: every dimension and ad hoc filters'
    );
  });

  it('gives every panel a query, a place on the grid, a Russian title and an English description', () => {
    const types = new Set<string>();
    for (const d of dashboards) {
      const ids = d.panels.map((p: Json) => p.id);
      assert.equal(new Set(ids).size, ids.length, `${d.uid}: unique panel ids`);
      const cells = new Set<string>();
      for (const p of d.panels as Json[]) {
        const { x, y, w, h } = p.gridPos;
        assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${d.uid}#${p.id}: inside the grid`);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            assert.ok(!cells.has(`${i},${j}`), `${d.uid}#${p.id} overlaps another panel`);
            cells.add(`${i},${j}`);
          }
        }
        assert.match(p.title, CYRILLIC, `${d.uid}#${p.id}`);
      }
      for (const p of panelsOf(d)) {
        assert.ok(p.description && !CYRILLIC.test(p.description), `${d.uid}#${p.id}: English description`);
        assert.deepEqual(p.datasource, { type: datasourcePlugin.id, uid: '${datasource}' });
        assert.ok(p.targets.length > 0, `${d.uid}#${p.id} "${p.title}" has no query`);
        assert.equal(new Set(p.targets.map((t: Json) => t.refId)).size, p.targets.length);
        for (const t of p.targets) {
          assert.deepEqual(t.datasource, p.datasource);
          types.add(t.queryType);
        }
      }
    }
    assert.deepEqual([...types].sort(), [...QUERY_TYPES].sort(), 'the dashboards use every query type');
  });

  it('writes only queries the collector accepts, with All selected and with a value picked', () => {
    for (const d of dashboards) {
      const targets = [
        ...panelsOf(d).flatMap((p) => p.targets.map((t: Json) => [`#${p.id}`, t] as const)),
        ...d.annotations.list
          .filter((a: Json) => a.target)
          .map((a: Json) => [`annotation ${a.name}`, a.target] as const),
      ];
      for (const [where, t] of targets) {
        for (const q of [interpolate(t), interpolate(t, () => 'some-value')]) {
          const parsed = parseQuery(q);
          assert.ok(parsed.ok, `${d.uid} ${where}: ${parsed.ok ? '' : parsed.error}`);
        }
      }
      for (const v of d.templating.list.filter((x: Json) => x.type === 'query')) {
        for (const f of v.query.filters ?? []) assert.ok(DIMENSIONS.includes(f.dimension));
      }
    }
  });

  it('uses only variables the dashboard defines', () => {
    for (const d of dashboards) {
      const names = variableNames(d);
      for (const name of usedVariables([d.panels, d.templating.list, d.annotations, d.links])) {
        assert.ok(names.has(name), `${d.uid} uses $${name}`);
      }
    }
  });

  it('links to each other and to the app pages that exist', () => {
    const linked = new Set<string>();
    for (const d of dashboards) {
      assert.ok(
        d.links.some((l: Json) => l.type === 'dashboards' && l.tags.includes('infrazen')),
        `${d.uid}: dashboards menu`
      );
      const urls = [
        ...d.links.filter((l: Json) => l.type === 'link').map((l: Json) => l.url),
        ...panelsOf(d).flatMap((p) => (p.links ?? []).map((l: Json) => l.url)),
        ...(JSON.stringify(panelsOf(d).map((p) => p.fieldConfig)).match(/\/a\/infrazen-finops-app\/[^"?]+/g) ?? []),
      ];
      assert.ok(
        urls.some((u) => u.startsWith('/a/infrazen-finops-app/')),
        `${d.uid}: links to the app`
      );
      for (const url of urls) {
        const dash = /^\/d\/([\w-]+)/.exec(url);
        const page = /^\/a\/infrazen-finops-app\/([\w-]+)/.exec(url);
        assert.ok(dash || page, `${d.uid}: link ${url}`);
        if (dash) {
          assert.ok(UIDS.includes(dash[1]!), `${d.uid}: link to ${dash[1]}`);
          linked.add(dash[1]!);
        }
        if (page)
          assert.ok(appPages.has(page[1]), `${d.uid}: app page ${page[1]} exists in app-plugin/src/plugin.json`);
      }
    }
    assert.ok(linked.size >= 5, `panels link to ${[...linked].join(', ')}`);
  });

  it('are bundled into the app plugin', () => {
    const included = (appPlugin.includes as Json[]).filter((i) => i.type === 'dashboard');
    assert.deepEqual(included.map((i) => i.path).sort(), FILES.map((f) => `dashboards/${f}.json`).sort());
    for (const i of included) {
      const d = dashboards[FILES.indexOf(String(i.path).slice('dashboards/'.length, -'.json'.length))]!;
      assert.equal(i.name, d.title);
    }
    const webpack = readFileSync(path.join(ROOT, 'app-plugin/webpack.config.ts'), 'utf8');
    assert.match(webpack, /dashboards/, 'the app build copies the dashboards into dist');
  });
});

/** Field names a panel picks by name: reduce fields, bar chart x, sorting, overrides, transformations. */
function referencedFields(p: Json): string[] {
  const out: string[] = [];
  const regex = /^\/\^(.+)\$\/$/.exec(p.options?.reduceOptions?.fields ?? '');
  if (regex && !/[|()]/.test(regex[1]!)) out.push(regex[1]!);
  if (p.options?.xField && !(p.transformations ?? []).some((t: Json) => t.id === 'groupBy')) out.push(p.options.xField);
  for (const s of p.options?.sortBy ?? []) out.push(s.displayName);
  for (const o of p.fieldConfig?.overrides ?? []) if (o.matcher.id === 'byName') out.push(o.matcher.options);
  for (const t of p.transformations ?? []) {
    if (t.id === 'filterByValue') out.push(...t.options.filters.map((f: Json) => f.fieldName));
    if (t.id === 'groupBy') out.push(...Object.keys(t.options.fields));
    if (t.id === 'filterFieldsByName' && t.options.include.names) out.push(...t.options.include.names);
  }
  return out;
}

describe('dashboards on the demo data', { timeout: 300_000 }, () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let demo: DemoHandle;
  let token: string;
  const setup: string[] = [];

  async function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: payload as never,
    });
    return { status: res.statusCode, body: res.json() as Json };
  }

  before(async () => {
    t = await createTestDatabase('dashboards');
    const built = await buildTestApp(t.db);
    app = built.app;
    token = (await ensureBootstrapTenant(t.db, undefined)).generatedToken!;
    demo = await startDemo(built.runtime);
    await demo.initialSyncs;
    // What a user of the demo does next: a budget, a decision on a recommendation, an allocation rule
    // for a shared service, and a business metric. Each step is recorded, so a missing API shows up.
    const step = async (name: string, p: Promise<{ status: number; body: Json }>) => {
      const r = await p;
      setup.push(`${name}: ${r.status}`);
      return r;
    };
    await step(
      'budget',
      call('POST', '/api/v1/budgets', {
        name: 'Облако, месяц',
        amount: '100000',
        currency: 'RUB',
        period: 'monthly',
        scope: { kind: 'tenant' },
      })
    );
    const recs = await step('recommendations', call('GET', '/api/v1/recommendations?limit=10'));
    const first = (recs.body.items as Json[] | undefined)?.[0];
    if (first)
      await step('recommendation done', call('PATCH', `/api/v1/recommendations/${first.id}`, { status: 'done' }));
    await step(
      'allocation rule',
      call('POST', '/api/v1/allocation-rules', {
        name: 'Selectel → Platform',
        priority: 10,
        enabled: true,
        match: { provider: 'selectel' },
        assign: { businessUnit: 'Platform', project: 'Shop', environment: 'prod', costCenter: 'IT' },
      })
    );
    const days = Array.from({ length: 60 }, (_, i) => new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10));
    await step(
      'unit metrics',
      call('POST', '/api/v1/unit-metrics', {
        items: days.map((d, i) => ({ name: 'orders', ts: `${d}T12:00:00Z`, value: 100 + i })),
      })
    );
  });

  after(async () => {
    await app.close();
    await demo?.sandbox.close();
    await t.drop();
    await stopTestCluster();
  });

  it('answers every panel query with frames that have data and the fields the panel uses', async () => {
    process.stdout.write(`# demo setup: ${setup.join(', ')}\n`);
    const empty: string[] = [];
    const byType = new Map<string, { panels: number; withData: number }>();
    for (const d of dashboards) {
      const now = Date.now();
      const from = resolveTime(d.time.from, now);
      const to = resolveTime(d.time.to, now);
      for (const p of panelsOf(d)) {
        const res = await call('POST', '/api/v1/query', {
          from,
          to,
          intervalMs: Math.max(60_000, Math.round((to - from) / 1000)),
          maxDataPoints: 1000,
          queries: p.targets.map((target: Json) => interpolate(target)),
        });
        assert.equal(res.status, 200, `${d.uid}#${p.id}: ${JSON.stringify(res.body)}`);
        const results = (res.body as QueryResponse).results;
        const frames: DataFrameJSON[] = [];
        for (const target of p.targets) {
          const result = results[target.refId];
          assert.ok(result && !result.error, `${d.uid}#${p.id} ${target.queryType}: ${result?.error}`);
          frames.push(...result.frames);
          const rows = result.frames.reduce((n, f) => n + (f.data.values[0]?.length ?? 0), 0);
          const stats = byType.get(target.queryType) ?? { panels: 0, withData: 0 };
          stats.panels++;
          if (rows > 0) stats.withData++;
          else empty.push(`${d.uid}#${p.id} "${p.title}" (${target.queryType})`);
          byType.set(target.queryType, stats);
        }
        const names = new Set(
          frames.flatMap((f) => f.schema.fields.flatMap((x) => [x.name, x.config?.displayName ?? x.name]))
        );
        for (const field of referencedFields(p)) {
          assert.ok(
            names.has(field),
            `${d.uid}#${p.id} "${p.title}" uses field ${field}; frames have ${[...names].join(', ')}`
          );
        }
      }
    }
    for (const [type, s] of [...byType].sort())
      process.stdout.write(`# ${type}: ${s.withData}/${s.panels} panel queries with data\n`);
    assert.deepEqual(empty, [], 'every panel shows data on the demo');
  });

  it('answers every variable query, narrowed by the variables before it', async () => {
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const to = new Date().toISOString();
    const counts: string[] = [];
    for (const d of dashboards) {
      const picked = new Map<string, string>();
      for (const v of d.templating.list.filter((x: Json) => x.type === 'query')) {
        for (const mode of ['all', 'picked'] as const) {
          const q = interpolate(v.query, mode === 'picked' ? (name) => picked.get(name) : undefined);
          const params = new URLSearchParams({ from, to });
          if (q.filters.length) params.set('filters', JSON.stringify(q.filters));
          if (q.tagKey) params.set('key', q.tagKey);
          const res = await call('GET', `/api/v1/dimensions/${encodeURIComponent(q.dimension)}/values?${params}`);
          assert.equal(res.status, 200, `${d.uid} $${v.name} (${mode}): ${JSON.stringify(res.body)}`);
          const values = res.body.values as { value: string; text: string }[];
          if (mode === 'all') {
            if (values[0]) picked.set(v.name, values[0].value);
            if (d.uid === 'infrazen-cost-explorer') counts.push(`${v.name}=${values.length}`);
          }
        }
      }
    }
    process.stdout.write(`# variable values on the demo: ${counts.join(', ')}\n`);
    const explorer = Object.fromEntries(counts.map((c) => c.split('=')).map(([k, n]) => [k, Number(n)]));
    for (const billed of [
      'provider',
      'connection',
      'service',
      'region',
      'resource',
      'resource_type',
      'charge_category',
      'currency',
    ]) {
      assert.ok(explorer[billed]! > 0, `$${billed} lists values`);
    }
    assert.ok(explorer.provider! >= 3, 'the three demo providers');
  });

  it('answers the resource-change annotations', async () => {
    for (const d of dashboards) {
      for (const a of d.annotations.list.filter((x: Json) => x.target)) {
        const res = await call('POST', '/api/v1/query', {
          from: resolveTime(d.time.from, Date.now()),
          to: resolveTime(d.time.to, Date.now()),
          queries: [interpolate(a.target)],
        });
        assert.equal(res.status, 200);
        const result = (res.body as QueryResponse).results.Anno!;
        assert.ok(!result.error && result.frames[0]!.data.values[0]!.length > 0, `${d.uid}: ${result.error}`);
      }
    }
  });
});
