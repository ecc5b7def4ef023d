/**
 * Budgets through the API on a real PostgreSQL with a clock the test moves: known answers for actual,
 * forecast, burn rate and the day a threshold is crossed; every scope; validation, roles, audit and
 * tenant isolation; the `budgets` query type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataFrameJSON, QueryResponse } from '../src/contract/query.js';
import { createAnalyticsWorld, moscowNoon, type AnalyticsWorld } from './helpers/analytics-world.js';

interface BudgetJson {
  id: string;
  name: string;
  amount: string;
  currency: string;
  period: string;
  scope: { kind: string; value?: string; tagKey?: string };
  thresholds: { actual: number[]; forecast: number[] };
  status: {
    periodStart: string;
    periodEnd: string;
    actual: string;
    forecast: string;
    usedPercent: number;
    forecastPercent: number;
    burnRatePerDay: string;
    state: string;
    crossed: { kind: string; threshold: number }[];
    forecastMethod: string;
  };
}

describe('budgets API', () => {
  let w: AnalyticsWorld;
  let selectel: string;
  let yandex: string;
  let foreignConnection: string;

  before(async () => {
    w = await createAnalyticsWorld('budgets', moscowNoon('2025-03-01'));
    selectel = await w.connection(w.tenantA, 'Selectel prod', 'selectel');
    yandex = await w.connection(w.tenantA, 'Yandex', 'yandex');
    foreignConnection = await w.connection(w.tenantB, 'Theirs', 'selectel');
    // 100 RUB a day on Selectel, 10 RUB a day on Yandex, every day from December to the end of March.
    const line = { provider: 'selectel', resourceId: 'vm-1', service: 'Compute', amount: '100.00' };
    await w.dailyCosts(w.tenantA, { ...line, connectionId: selectel }, '2024-12-01', 121);
    await w.dailyCosts(
      w.tenantA,
      { connectionId: yandex, provider: 'yandex', resourceId: 'b-1', service: 'Storage', amount: '10.00' },
      '2024-12-01',
      121
    );
    await w.dailyCosts(w.tenantB, { ...line, connectionId: foreignConnection, amount: '5000' }, '2024-12-01', 121);
    await w.resource(w.tenantA, {
      connectionId: selectel,
      provider: 'selectel',
      id: 'vm-1',
      name: 'web-1',
      tags: { team: 'core' },
    });
    await w.resource(w.tenantA, { connectionId: yandex, provider: 'yandex', id: 'b-1', name: 'media' });
  });
  after(() => w.close());

  async function create(body: Record<string, unknown>): Promise<BudgetJson> {
    const res = await w.call('POST', '/api/v1/budgets', { body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }

  async function statusOn(id: string, day: string): Promise<BudgetJson['status']> {
    w.clock.now = moscowNoon(day);
    const res = await w.call('GET', `/api/v1/budgets/${id}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as BudgetJson).status;
  }

  it('crosses 80 % on the expected day, with exact actual, forecast and burn rate', async () => {
    w.clock.now = moscowNoon('2025-03-01');
    const budget = await create({ name: 'Selectel', amount: '3100', scope: { kind: 'connection', value: selectel } });
    assert.deepEqual(budget.thresholds, { actual: [50, 80, 100], forecast: [100] });
    assert.equal(budget.currency, 'RUB');
    assert.equal(budget.period, 'monthly');

    // 3100 × 80 % = 2480: the 24th brings the month to 2400, the 25th to 2500.
    let crossedOn: string | undefined;
    for (let d = 20; d <= 28; d++) {
      const day = `2025-03-${d}`;
      const status = await statusOn(budget.id, day);
      assert.equal(status.actual, `${d * 100}.00`, day);
      if (!crossedOn && status.crossed.some((c) => c.kind === 'actual' && c.threshold === 80)) crossedOn = day;
    }
    assert.equal(crossedOn, '2025-03-25');

    const on24 = await statusOn(budget.id, '2025-03-24');
    assert.equal(on24.usedPercent, 77.42);
    assert.equal(on24.periodStart, '2025-03-01');
    assert.equal(on24.periodEnd, '2025-03-31');
    assert.equal(on24.burnRatePerDay, '100.00');
    // A flat 100 a day forecasts exactly the month: 31 × 100.
    assert.equal(on24.forecast, '3100.00');
    assert.equal(on24.forecastPercent, 100);
    assert.equal(on24.forecastMethod, 'holt_winters');
    assert.deepEqual(on24.crossed, [
      { kind: 'actual', threshold: 50 },
      { kind: 'forecast', threshold: 100 },
    ]);
    assert.equal(on24.state, 'critical');

    const on25 = await statusOn(budget.id, '2025-03-25');
    assert.equal(on25.usedPercent, 80.65);
    assert.deepEqual(
      on25.crossed.map((c) => `${c.kind}${c.threshold}`),
      ['actual50', 'actual80', 'forecast100']
    );
  });

  it('fires the forecast threshold before any actual one, and only when the forecast reaches it', async () => {
    w.clock.now = moscowNoon('2025-03-10');
    // Yandex: 10 a day → 100 by the 10th, 310 forecast for March.
    const tight = await create({ name: 'Yandex tight', amount: '300', scope: { kind: 'provider', value: 'yandex' } });
    assert.equal(tight.status.actual, '100.00');
    assert.equal(tight.status.forecast, '310.00');
    assert.equal(tight.status.forecastPercent, 103.33);
    assert.deepEqual(tight.status.crossed, [{ kind: 'forecast', threshold: 100 }]);
    assert.equal(tight.status.state, 'critical');

    const roomy = await create({ name: 'Yandex roomy', amount: '400', scope: { kind: 'provider', value: 'yandex' } });
    assert.equal(roomy.status.forecastPercent, 77.5);
    assert.deepEqual(roomy.status.crossed, []);
    assert.equal(roomy.status.state, 'ok');

    const warned = await create({
      name: 'Yandex warned',
      amount: '180',
      scope: { kind: 'provider', value: 'yandex' },
      thresholds: { actual: [50], forecast: [200] },
    });
    assert.deepEqual(warned.status.crossed, [{ kind: 'actual', threshold: 50 }]);
    assert.equal(warned.status.state, 'warning');
  });

  it('covers every scope: tenant, service, tag, business unit and project through allocation, quarters and years', async () => {
    w.clock.now = moscowNoon('2025-03-10');
    const tenant = await create({ name: 'All', amount: '1000' });
    assert.equal(tenant.status.actual, '1100.00');
    assert.equal(tenant.status.state, 'exceeded');

    const service = await create({ name: 'Storage', amount: '1000', scope: { kind: 'service', value: 'Storage' } });
    assert.equal(service.status.actual, '100.00');

    const tag = await create({
      name: 'Core team',
      amount: '5000',
      scope: { kind: 'tag', tagKey: 'team', value: 'core' },
    });
    assert.equal(tag.status.actual, '1000.00');

    const rule = await w.call('POST', '/api/v1/allocation-rules', {
      body: {
        name: 'Web servers',
        match: { namePattern: 'web-*' },
        assign: { businessUnit: 'Platform', project: 'shop' },
      },
    });
    assert.equal(rule.statusCode, 201, rule.body);
    const bu = await create({ name: 'Platform', amount: '2000', scope: { kind: 'business_unit', value: 'Platform' } });
    assert.equal(bu.status.actual, '1000.00');
    assert.equal(bu.status.forecast, '3100.00');
    const project = await create({ name: 'Shop', amount: '2000', scope: { kind: 'project', value: 'shop' } });
    assert.equal(project.status.actual, '1000.00');

    const quarter = await create({
      name: 'Q1',
      amount: '10000',
      period: 'quarterly',
      scope: { kind: 'connection', value: selectel },
    });
    assert.equal(quarter.status.periodStart, '2025-01-01');
    assert.equal(quarter.status.periodEnd, '2025-03-31');
    // January 31 + February 28 + 10 days of March.
    assert.equal(quarter.status.actual, '6900.00');
    assert.equal(quarter.status.forecast, '9000.00');

    const year = await create({
      name: 'Year',
      amount: '50000',
      period: 'yearly',
      scope: { kind: 'connection', value: selectel },
    });
    assert.equal(year.status.periodStart, '2025-01-01');
    assert.equal(year.status.periodEnd, '2025-12-31');
    assert.equal(year.status.actual, '6900.00');
  });

  it('serves the budgets query type as a table', async () => {
    w.clock.now = moscowNoon('2025-03-10');
    const res = await w.call('POST', '/api/v1/query', {
      body: {
        from: '2025-03-01T00:00:00+03:00',
        to: '2025-04-01T00:00:00+03:00',
        queries: [{ refId: 'A', queryType: 'budgets', states: ['exceeded'] }],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const [frame] = (res.json() as QueryResponse).results.A!.frames as DataFrameJSON[];
    const names = frame!.schema.fields.map((f) => f.name);
    assert.deepEqual(names.slice(0, 9), [
      'name',
      'period',
      'amount',
      'spent',
      'used_percent',
      'forecast',
      'forecast_percent',
      'burn_rate',
      'state',
    ]);
    const col = (name: string) => frame!.data.values[names.indexOf(name)]!;
    assert.deepEqual(col('name'), ['All']);
    assert.deepEqual(col('spent'), [1100]);
    assert.deepEqual(col('forecast'), [3410]);
    assert.deepEqual(col('burn_rate'), [110]);
    assert.equal(frame!.schema.fields[names.indexOf('amount')]!.config?.unit, 'currencyRUB');
  });

  it('changes and deletes budgets with audited before/after, and refuses bad input without changing anything', async () => {
    w.clock.now = moscowNoon('2025-03-10');
    const budget = await create({ name: 'Editable', amount: '500.50', scope: { kind: 'provider', value: 'yandex' } });
    const patched = await w.call('PATCH', `/api/v1/budgets/${budget.id}`, {
      body: { amount: 200, thresholds: { actual: [90, 10, 90] } },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().amount, '200');
    assert.deepEqual(patched.json().thresholds, { actual: [10, 90], forecast: [100] });
    assert.equal(patched.json().name, 'Editable');

    const bad: [string, string, unknown][] = [
      ['POST', '/api/v1/budgets', { name: 'x', amount: '-5' }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: 'lots' }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '0' }],
      ['POST', '/api/v1/budgets', { name: '', amount: '5' }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', scope: { kind: 'tenant', value: 'x' } }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', scope: { kind: 'tag', value: 'x' } }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', scope: { kind: 'connection', value: 'nope' } }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', scope: { kind: 'connection', value: foreignConnection } }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', period: 'weekly' }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', thresholds: { actual: [0] } }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', currency: 'rub' }],
      ['POST', '/api/v1/budgets', { name: 'x', amount: '5', color: 'red' }],
      ['PATCH', `/api/v1/budgets/${budget.id}`, {}],
      ['PATCH', '/api/v1/budgets/not-a-uuid', { name: 'y' }],
    ];
    const count = async () => (await w.t.db.query(`SELECT count(*) AS n FROM budgets`))[0]!.n;
    const before = await count();
    for (const [method, url, body] of bad) {
      const res = await w.call(method as 'POST', url, { body });
      assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error, 'bad_request');
      assert.ok(res.json().message.length > 0);
    }
    assert.equal(await count(), before);
    const unchanged = await w.call('GET', `/api/v1/budgets/${budget.id}`);
    assert.equal(unchanged.json().amount, '200');

    const viewer = await w.call('POST', '/api/v1/budgets', {
      body: { name: 'v', amount: '5' },
      headers: { 'x-infrazen-role': 'Viewer' },
    });
    assert.equal(viewer.statusCode, 403);
    const editor = await w.call('DELETE', `/api/v1/budgets/${budget.id}`, {
      headers: { 'x-infrazen-role': 'Editor', 'x-grafana-user': 'alice' },
    });
    assert.equal(editor.statusCode, 204);
    assert.equal((await w.call('GET', `/api/v1/budgets/${budget.id}`)).statusCode, 404);

    const audit = await w.t.db.query<{ action: string; actor: string; before_state: unknown; after_state: unknown }>(
      `SELECT action, actor, before_state, after_state FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [budget.id]
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['budget.create', 'budget.update', 'budget.delete']
    );
    assert.equal((audit[1]!.before_state as { amount: string }).amount, '500.5');
    assert.equal((audit[1]!.after_state as { amount: string }).amount, '200');
    assert.equal(audit[2]!.actor, 'alice');
    assert.equal(audit[2]!.after_state, null);
  });

  it('keeps tenants apart: foreign ids are 404 and lists show nothing foreign', async () => {
    const mine = await create({ name: 'Mine', amount: '100' });
    const theirs = await w.call('GET', '/api/v1/budgets', { token: w.tokenB });
    assert.equal(theirs.statusCode, 200);
    assert.deepEqual(theirs.json().items, []);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await w.call(method, `/api/v1/budgets/${mine.id}`, {
        token: w.tokenB,
        body: method === 'PATCH' ? { name: 'stolen' } : undefined,
      });
      assert.equal(res.statusCode, 404, `${method}: ${res.body}`);
    }
    // B's own tenant budget sees only B's cost (5000 a day), never A's.
    w.clock.now = moscowNoon('2025-03-10');
    const own = await w.call('POST', '/api/v1/budgets', { token: w.tokenB, body: { name: 'B', amount: '100000' } });
    assert.equal(own.json().status.actual, '50000.00');
    assert.equal((await w.call('GET', `/api/v1/budgets/${mine.id}`)).json().name, 'Mine');
  });
});
