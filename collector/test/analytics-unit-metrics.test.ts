/**
 * Unit metrics and cost per unit on a real PostgreSQL: JSON and CSV pushes validated row by row, all or
 * nothing; upserts that never double count; the `unit_cost` query with exact answers; roles, audit and
 * tenant isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataFrameJSON, QueryResponse } from '../src/contract/query.js';
import { createAnalyticsWorld, moscowNoon, type AnalyticsWorld } from './helpers/analytics-world.js';

const ORDERS = [
  { name: 'orders', ts: '2025-03-01', value: 8, unit: 'orders' },
  { name: 'orders', ts: '2025-03-02', value: '10', unit: 'orders' },
  { name: 'orders', ts: '2025-03-03', value: 0, unit: 'orders' },
  // no point on the 4th
  ...[5, 6, 7, 8, 9, 10].map((d) => ({
    name: 'orders',
    ts: `2025-03-${String(d).padStart(2, '0')}T10:00:00+03:00`,
    value: 20,
  })),
];

const CUSTOMERS_CSV = [
  'name,ts,value,unit',
  ...Array.from(
    { length: 10 },
    (_, i) => `active_customers,2025-03-${String(i + 1).padStart(2, '0')},${40 + 2 * i},customers`
  ),
].join('\n');

describe('unit metrics and unit cost', () => {
  let w: AnalyticsWorld;
  let selectel: string;

  before(async () => {
    w = await createAnalyticsWorld('unit_metrics', moscowNoon('2025-03-15'));
    selectel = await w.connection(w.tenantA, 'Selectel', 'selectel');
    const yandex = await w.connection(w.tenantA, 'Yandex', 'yandex');
    await w.dailyCosts(
      w.tenantA,
      { connectionId: selectel, provider: 'selectel', resourceId: 'vm', service: 'Compute', amount: '100' },
      '2025-03-01',
      10
    );
    await w.dailyCosts(
      w.tenantA,
      { connectionId: yandex, provider: 'yandex', resourceId: 'b', service: 'Storage', amount: '50' },
      '2025-03-01',
      10
    );
  });
  after(() => w.close());

  const pointCount = async () =>
    Number((await w.t.db.query<{ n: number }>(`SELECT count(*) AS n FROM unit_metrics`))[0]!.n);

  function push(body: unknown, options: { csv?: boolean; token?: string; headers?: Record<string, string> } = {}) {
    return options.csv
      ? w.call('POST', '/api/v1/unit-metrics', {
          payload: body as string,
          token: options.token,
          headers: { 'content-type': 'text/csv', ...options.headers },
        })
      : w.call('POST', '/api/v1/unit-metrics', { body, token: options.token, headers: options.headers });
  }

  async function unitCost(query: Record<string, unknown>, token = w.tokenA): Promise<DataFrameJSON[]> {
    const res = await w.call('POST', '/api/v1/query', {
      token,
      body: {
        from: '2025-03-01T00:00:00+03:00',
        to: '2025-03-11T00:00:00+03:00',
        queries: [{ refId: 'U', queryType: 'unit_cost', ...query }],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const result = (res.json() as QueryResponse).results.U!;
    assert.equal(result.error, undefined, result.error);
    return result.frames;
  }

  const column = (frame: DataFrameJSON, name: string) =>
    frame.data.values[frame.schema.fields.findIndex((f) => f.name === name)]!;

  it('takes JSON and CSV pushes', async () => {
    const json = await push({ items: ORDERS });
    assert.equal(json.statusCode, 200, json.body);
    assert.deepEqual(json.json(), { points: 9, inserted: 9, updated: 0, names: ['orders'] });
    const csv = await push(CUSTOMERS_CSV, { csv: true });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.deepEqual(csv.json(), { points: 10, inserted: 10, updated: 0, names: ['active_customers'] });

    const list = await w.call('GET', '/api/v1/unit-metrics');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().items, [
      {
        name: 'active_customers',
        unit: 'customers',
        points: 10,
        firstTs: '2025-02-28T21:00:00.000Z',
        lastTs: '2025-03-09T21:00:00.000Z',
      },
      {
        name: 'orders',
        unit: 'orders',
        points: 9,
        firstTs: '2025-02-28T21:00:00.000Z',
        lastTs: '2025-03-10T07:00:00.000Z',
      },
    ]);
  });

  it('computes cost per unit exactly, null where the metric has no value', async () => {
    const [orders] = await unitCost({
      metric: 'orders',
      granularity: 'day',
      filters: [{ dimension: 'connection', op: 'include', values: [selectel] }],
    });
    // 100 a day on Selectel ÷ orders: 8, 10, 0 (no unit cost), none, then 20.
    assert.deepEqual(column(orders!, 'unit_cost'), [12.5, 10, null, null, 5, 5, 5, 5, 5, 5]);
    assert.deepEqual(column(orders!, 'cost'), Array(10).fill(100));
    assert.deepEqual(column(orders!, 'units'), [8, 10, 0, null, 20, 20, 20, 20, 20, 20]);
    assert.deepEqual(orders!.schema.fields[1]!.labels, { metric: 'orders' });

    // Unfiltered: 150 a day.
    const [all] = await unitCost({ metric: 'orders', granularity: 'day' });
    assert.equal(column(all!, 'unit_cost')[0], 18.75);

    // Over the range: 1000 ÷ 490 customer-days and 1000 ÷ 138 orders; customers averaged: 1000 ÷ 49.
    const [total] = await unitCost({
      granularity: 'total',
      filters: [{ dimension: 'connection', op: 'include', values: [selectel] }],
    });
    assert.deepEqual(column(total!, 'metric'), ['active_customers', 'orders']);
    assert.deepEqual(column(total!, 'unit_cost'), [2.040816, 7.246377]);
    const [avg] = await unitCost({
      granularity: 'total',
      metric: 'active_customers',
      aggregation: 'avg',
      filters: [{ dimension: 'connection', op: 'include', values: [selectel] }],
    });
    assert.deepEqual(column(avg!, 'unit_cost'), [20.408163]);
  });

  it('never double counts: pushing again replaces values', async () => {
    const again = await push({ items: ORDERS });
    assert.deepEqual(again.json(), { points: 9, inserted: 0, updated: 9, names: ['orders'] });
    const changed = await push({ items: [{ name: 'orders', ts: '2025-03-01', value: '4' }] });
    assert.deepEqual(changed.json(), { points: 1, inserted: 0, updated: 1, names: ['orders'] });
    assert.equal(await pointCount(), 19);
    const [orders] = await unitCost({
      metric: 'orders',
      granularity: 'day',
      filters: [{ dimension: 'connection', op: 'include', values: [selectel] }],
    });
    assert.deepEqual(column(orders!, 'unit_cost').slice(0, 2), [25, 10]);
  });

  it('refuses a push with any bad row, naming every bad row, and stores nothing of it', async () => {
    const before = await pointCount();
    const csv = [
      'name,ts,value',
      'signups,2025-03-01,5',
      'signups,2025-03-02,6',
      'signups,2025-03-03,abc',
      'signups,2025-03-04,7',
      'signups,yesterday,8',
    ].join('\n');
    const res = await push(csv, { csv: true });
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json();
    assert.equal(body.error, 'bad_request');
    assert.deepEqual(
      body.details.map((d: { path: string }) => d.path),
      ['line 4', 'line 6']
    );
    assert.match(body.message, /line 4: value: must be a non-negative decimal number/);
    assert.equal(await pointCount(), before);
    assert.equal((await w.call('GET', '/api/v1/unit-metrics')).json().items.length, 2);

    const cases: [unknown, boolean, RegExp][] = [
      [{ items: [ORDERS[0], { name: 'orders', ts: '2025-03-20', value: -3 }] }, false, /\/items\/1: value/],
      [{ items: [ORDERS[0], ORDERS[0]] }, false, /same name and ts as \/items\/0/],
      [{ items: [] }, false, /no data points/],
      [{ items: [{ name: '', ts: '2025-03-01', value: 1 }] }, false, /name/],
      [{ items: [{ name: 'x', ts: '2025-03-01T10:00:00', value: 1 }] }, false, /offset/],
      [{ items: [{ name: 'x', ts: '1999-03-01', value: 1 }] }, false, /between 2000 and 2100/],
      [{ items: [{ name: 'x', ts: '2025-03-01', value: 1, colour: 'red' }] }, false, /colour|Unrecognized/i],
      [{ rows: [] }, false, /items/],
      ['name,ts\nx,2025-03-01', true, /line 1.*missing: value/],
      ['name,ts,value,extra\nx,2025-03-01,1,2', true, /unknown: extra/],
      ['name,ts,value\nx,2025-03-01,1,9', true, /csv/i],
    ];
    for (const [body, csvBody, message] of cases) {
      const r = await push(body, { csv: csvBody });
      assert.equal(r.statusCode, 400, `${JSON.stringify(body)}: ${r.body}`);
      assert.match(r.json().message, message, r.body);
    }
    assert.equal(await pointCount(), before);
    const wrongType = await w.call('POST', '/api/v1/unit-metrics', {
      payload: '<orders>5</orders>',
      headers: { 'content-type': 'application/xml' },
    });
    assert.equal(wrongType.statusCode, 415);
    const viewer = await push({ items: [ORDERS[0]] }, { headers: { 'x-infrazen-role': 'Viewer' } });
    assert.equal(viewer.statusCode, 403);
  });

  it('audits pushes', async () => {
    const audit = await w.t.db.query<{ action: string; details: { format: string; points: number; inserted: number } }>(
      `SELECT action, details FROM audit_log WHERE action = 'unit_metrics.push' ORDER BY id`
    );
    assert.deepEqual(
      audit.map((a) => [a.details.format, a.details.points, a.details.inserted]),
      [
        ['json', 9, 9],
        ['csv', 10, 10],
        ['json', 9, 0],
        ['json', 1, 0],
      ]
    );
  });

  it("keeps tenants apart: another tenant's lists and unit costs show nothing of this one's", async () => {
    const list = await w.call('GET', '/api/v1/unit-metrics', { token: w.tokenB });
    assert.deepEqual(list.json().items, []);
    const frames = await unitCost({ metric: 'orders', granularity: 'day' }, w.tokenB);
    assert.deepEqual(column(frames[0]!, 'unit_cost'), []);
    const theirs = await push({ items: [{ name: 'orders', ts: '2025-03-01', value: 1000 }] }, { token: w.tokenB });
    assert.deepEqual(theirs.json().inserted, 1);
    const [orders] = await unitCost({
      metric: 'orders',
      granularity: 'day',
      filters: [{ dimension: 'connection', op: 'include', values: [selectel] }],
    });
    assert.equal(column(orders!, 'unit_cost')[0], 25);
  });
});
