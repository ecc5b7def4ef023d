/**
 * The query API over fixture data with known answers: totals equal the sum of the rows; groupBy,
 * filters, topN and currency conversion are exact to the kopeck; bad queries fail alone, never with 5xx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataFrameJSON, QueryResponse } from '../src/contract/query.js';
import { runQueries } from '../src/query/service.js';
import { createTenant, ensureBootstrapTenant } from '../src/services/tenancy.js';
import { upsertCostRecords, type CostRecordInput } from '../src/storage/repositories/cost-records.js';
import { upsertMetricSamples } from '../src/storage/repositories/resource-metrics.js';
import { refreshCostDaily, refreshMetricsHourly } from '../src/storage/rollups.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const DAYS = 30;
const OCT = Date.UTC(2026, 9, 1); // 2026-10-01T00:00Z = 03:00 in Moscow
const RANGE = { from: '2026-09-30T21:00:00Z', to: '2026-10-30T21:00:00Z' }; // Moscow October 1–30

interface Line {
  conn: 'S' | 'F';
  resource: string;
  service: string;
  provider: string;
  amount: string;
  currency: string;
}
const LINES: Line[] = [
  { conn: 'S', resource: 'vm-1', service: 'Compute', provider: 'selectel', amount: '10.11', currency: 'RUB' },
  { conn: 'S', resource: 'vol-1', service: 'Storage', provider: 'selectel', amount: '2.005', currency: 'RUB' },
  { conn: 'S', resource: 'db-1', service: 'DBaaS', provider: 'selectel', amount: '0.333', currency: 'RUB' },
  { conn: 'F', resource: 'i-abc', service: 'Amazon EC2', provider: 'AWS', amount: '1.50', currency: 'USD' },
];
// Two lines per resource per day (06:00 and 18:00 Moscow): per day selectel 24.896 RUB, AWS 3.00 USD.

describe('query API', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let token: string;
  let tenantId: string;
  let otherToken: string;
  const conn: Record<'S' | 'F', string> = { S: '', F: '' };

  before(async () => {
    t = await createTestDatabase('query');
    ({ app } = await buildTestApp(t.db));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
    otherToken = (await createTenant(t.db, { orgId: 2, name: 'Other', actor: 'test' })).token.token;
    for (const [key, provider, name] of [
      ['S', 'selectel', 'Selectel prod'],
      ['F', 'focus', 'AWS FOCUS'],
    ] as const) {
      const [row] = await t.db.query<{ id: string }>(
        `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, $2, $3) RETURNING id`,
        [tenantId, name, provider]
      );
      conn[key] = row!.id;
    }
    const rows: CostRecordInput[] = [];
    for (let d = 0; d < DAYS; d++) {
      for (const hour of [3, 15]) {
        const start = new Date(OCT + d * 86_400_000 + hour * 3_600_000);
        for (const l of LINES) {
          rows.push({
            tenantId,
            connectionId: conn[l.conn],
            resourceId: l.resource,
            lineKey: 'usage',
            chargePeriodStart: start,
            chargePeriodEnd: new Date(start.getTime() + 3_600_000),
            provider: l.provider,
            billedCost: l.amount,
            effectiveCost: l.amount,
            billingCurrency: l.currency,
            serviceName: l.service,
            regionId: l.conn === 'S' ? 'ru-3' : 'us-east-1',
            resourceType: l.resource.startsWith('vol') ? 'volume' : 'server',
          });
        }
      }
    }
    await upsertCostRecords(t.db, rows);
    await refreshCostDaily(t.db, 'plain', { from: new Date(OCT - 86_400_000), to: new Date(OCT + 32 * 86_400_000) });
    await t.db.query(
      `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status, tags, business_unit,
         daily_cost, monthly_cost, currency)
       VALUES ($1, $2, 'selectel', 'vm-1', 'web-1', 'server', 'RUNNING', '{"team":"core"}', 'Platform', 20.22, 606.6, 'RUB'),
              ($1, $3, 'AWS', 'i-abc', 'shop', 'server', 'RUNNING', '{"team":"web"}', NULL, 3, 90, 'USD')`,
      [tenantId, conn.S, conn.F]
    );
    await t.db.query(
      `INSERT INTO fx_rates (tenant_id, from_currency, to_currency, rate_date, rate) VALUES ($1, 'USD', 'RUB', '2026-09-01', 90)`,
      [tenantId]
    );
    const samples = [10, 20, 30, 40].map((value, i) => ({
      tenantId,
      connectionId: conn.S,
      resourceId: 'vm-1',
      metric: 'cpu_utilization',
      ts: new Date(OCT + 5 * 3_600_000 + i * 300_000),
      value,
    }));
    await upsertMetricSamples(t.db, samples);
    await refreshMetricsHourly(t.db, 'plain', { from: new Date(OCT), to: new Date(OCT + 86_400_000) });
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  async function query(queries: Record<string, unknown>[], extra: Record<string, unknown> = {}, as = token) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: { authorization: `Bearer ${as}` },
      payload: { ...RANGE, queries, ...extra },
    });
    assert.ok(res.statusCode < 500, res.body);
    return { status: res.statusCode, body: res.json() as QueryResponse };
  }

  const column = (f: DataFrameJSON, name: string) => f.data.values[f.schema.fields.findIndex((x) => x.name === name)]!;
  const table = (f: DataFrameJSON, key: string) =>
    Object.fromEntries((column(f, key) as string[]).map((k, i) => [k, (column(f, 'cost') as number[])[i]]));
  const sum = (values: unknown[]) => Math.round((values as number[]).reduce((a, b) => a + (b ?? 0), 0) * 100) / 100;

  it('totals by provider equal the sum of the rows, converted through fx_rates', async () => {
    const { body } = await query([{ refId: 'A', queryType: 'costs', granularity: 'total', groupBy: ['provider'] }]);
    const f = body.results.A!.frames[0]!;
    assert.deepEqual(table(f, 'provider'), { AWS: 8100, selectel: 746.88 });
    assert.equal(f.schema.fields.at(-1)!.config!.unit, 'currencyRUB');
  });

  it('daily series per service, exact per day', async () => {
    const { body } = await query([{ refId: 'A', queryType: 'costs', granularity: 'day', groupBy: ['service'] }]);
    const frames = body.results.A!.frames;
    const compute = frames.find((f) => f.schema.fields[1]!.labels?.service === 'Compute')!;
    assert.equal(column(compute, 'time').length, DAYS);
    assert.ok((column(compute, 'cost') as number[]).every((v) => v === 20.22));
    assert.equal(sum(frames.flatMap((f) => column(f, 'cost'))), 8846.88);
  });

  it('hourly buckets read the raw lines and add up to the same total', async () => {
    const { body } = await query([{ refId: 'A', queryType: 'costs', granularity: 'hour' }]);
    const f = body.results.A!.frames[0]!;
    assert.equal(column(f, 'time').length, DAYS * 2);
    assert.equal(sum(column(f, 'cost')), 8846.88);
  });

  it('include/exclude filters, tags and topN with the rest folded into Other', async () => {
    const excluded = await query([
      {
        refId: 'A',
        queryType: 'costs',
        granularity: 'total',
        filters: [{ dimension: 'provider', op: 'exclude', values: ['AWS'] }],
      },
    ]);
    assert.equal(sum(column(excluded.body.results.A!.frames[0]!, 'cost')), 746.88);
    const byTag = await query([{ refId: 'A', queryType: 'costs', granularity: 'total', groupBy: ['tag:team'] }]);
    assert.deepEqual(table(byTag.body.results.A!.frames[0]!, 'tag:team'), { web: 8100, core: 606.6, '(none)': 140.28 });
    const top = await query([{ refId: 'A', queryType: 'costs', granularity: 'total', groupBy: ['service'], topN: 1 }]);
    assert.deepEqual(table(top.body.results.A!.frames[0]!, 'service'), { 'Amazon EC2': 8100, Other: 746.88 });
    const onlyCore = await query([
      {
        refId: 'A',
        queryType: 'costs',
        granularity: 'total',
        filters: [{ dimension: 'business_unit', op: 'include', values: ['Platform'] }],
      },
    ]);
    assert.equal(sum(column(onlyCore.body.results.A!.frames[0]!, 'cost')), 606.6);
  });

  it('grouping by currency keeps original amounts; a missing rate is reported, never silently dropped', async () => {
    const original = await query([{ refId: 'A', queryType: 'costs', granularity: 'total', groupBy: ['currency'] }]);
    assert.deepEqual(table(original.body.results.A!.frames[0]!, 'currency'), { USD: 90, RUB: 746.88 });
    const inEur = await query([{ refId: 'A', queryType: 'costs', granularity: 'total' }], { currency: 'EUR' });
    assert.equal(inEur.body.results.A!.error, undefined, JSON.stringify(inEur.body));
    const f = inEur.body.results.A!.frames[0]!;
    assert.equal(column(f, 'cost').length, 1);
    assert.equal(column(f, 'cost')[0], null, 'nothing converts to EUR');
    assert.match(f.schema.meta!.notices![0]!.text, /RUB, USD have no exchange rate to EUR/);
  });

  it('one bad query fails alone with its reason; bad requests are 400, never 5xx', async () => {
    const { status, body } = await query([
      { refId: 'A', queryType: 'costs', granularity: 'total' },
      { refId: 'B', queryType: 'nope' },
      { refId: 'C', queryType: 'costs', groupBy: ["provider'; DROP TABLE cost_records; --"] },
      { refId: 'D', queryType: 'costs', granularity: 'fortnight' },
      { refId: 'E', queryType: 'costs', hide: true },
    ]);
    assert.equal(status, 200);
    assert.equal(sum(column(body.results.A!.frames[0]!, 'cost')), 8846.88);
    assert.match(body.results.B!.error!, /unknown queryType/);
    assert.ok(body.results.C!.error);
    assert.ok(body.results.D!.error);
    assert.equal(body.results.E, undefined);
    assert.equal((await query([{ refId: 'A', queryType: 'costs' }], { from: RANGE.to, to: RANGE.from })).status, 400);
    assert.equal((await query([{ refId: 'A', queryType: 'costs' }], { from: 'yesterday-ish' })).status, 400);
    const garbage = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"from": ',
    });
    assert.equal(garbage.statusCode, 400);
  });

  it('another tenant sees none of it', async () => {
    const { body } = await query([{ refId: 'A', queryType: 'costs', granularity: 'total' }], {}, otherToken);
    assert.equal(sum(column(body.results.A!.frames[0]!, 'cost')), 0);
  });

  it('cost_summary: month to date, forecast and inventory KPIs', async () => {
    const res = await runQueries(
      { db: t.db, tenantId, now: new Date('2026-10-16T12:00:00Z') },
      { ...RANGE, queries: [{ refId: 'K', queryType: 'cost_summary' }] }
    );
    const f = res.results.K!.frames[0]!;
    const value = (name: string) => column(f, name)[0];
    // Moscow October 1–16 (16 days have begun) × (24.896 RUB + 3 USD × 90).
    assert.equal(value('month_to_date'), 4718.34);
    assert.equal(value('last_month_same_period'), null);
    assert.equal(value('active_resources'), 2);
    assert.equal(value('connected_providers'), 2);
    assert.ok(Number(value('forecast_month_end')) > 4718.34);
  });

  it('utilization, resources, balances and the analytics placeholders answer with frames', async () => {
    const { body } = await query([
      {
        refId: 'U',
        queryType: 'utilization',
        metric: 'cpu',
        aggregation: 'avg',
        granularity: 'hour',
        groupBy: ['resource'],
      },
      { refId: 'M', queryType: 'utilization', metric: 'cpu', aggregation: 'max', granularity: 'hour' },
      { refId: 'R', queryType: 'resources' },
      { refId: 'B', queryType: 'balances' },
      { refId: 'X', queryType: 'recommendations' },
    ]);
    assert.deepEqual(column(body.results.U!.frames[0]!, 'cpu_avg'), [25]);
    assert.equal(body.results.U!.frames[0]!.schema.fields[1]!.labels!.resource, 'web-1');
    assert.deepEqual(column(body.results.M!.frames[0]!, 'cpu_max'), [40]);
    assert.deepEqual(column(body.results.R!.frames[0]!, 'name'), ['web-1', 'shop']);
    assert.equal(body.results.B!.error, undefined);
    assert.equal(body.results.X!.error, undefined);
    assert.equal(body.results.X!.frames[0]!.data.values.length, body.results.X!.frames[0]!.schema.fields.length);
  });

  it('dimension values for template variables', async () => {
    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      assert.ok(res.statusCode < 500, res.body);
      return { status: res.statusCode, body: res.json() as { values: { value: string; text: string }[] } };
    };
    const range = `from=${RANGE.from}&to=${RANGE.to}`;
    assert.deepEqual(
      (await get(`/api/v1/dimensions/provider/values?${range}`)).body.values.map((v) => v.value).sort(),
      ['AWS', 'selectel']
    );
    const connections = (await get(`/api/v1/dimensions/connection/values`)).body.values;
    assert.deepEqual(connections.map((v) => v.text).sort(), ['AWS FOCUS', 'Selectel prod']);
    assert.deepEqual(
      (await get(`/api/v1/dimensions/tag_key/values`)).body.values.map((v) => v.value),
      ['team']
    );
    assert.deepEqual(
      (await get(`/api/v1/dimensions/tag_value/values?key=team`)).body.values.map((v) => v.value),
      ['core', 'web']
    );
    const filtered = await get(
      `/api/v1/dimensions/service/values?${range}&filters=${encodeURIComponent(JSON.stringify([{ dimension: 'provider', values: ['AWS'] }]))}`
    );
    assert.deepEqual(
      filtered.body.values.map((v) => v.value),
      ['Amazon EC2']
    );
    assert.equal((await get(`/api/v1/dimensions/evil/values`)).status, 400);
    assert.equal((await get(`/api/v1/dimensions/tag_value/values`)).status, 400);
    assert.equal((await get(`/api/v1/dimensions/service/values?filters=notjson`)).status, 400);
  });
});
