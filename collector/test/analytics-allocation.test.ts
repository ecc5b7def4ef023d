/**
 * Allocation without tags on a real PostgreSQL: rules in priority order, explicit tags winning, shared
 * costs split evenly and in proportion exact to the kopeck, coverage exact on seeded data, the rules
 * feeding `costs` grouped by business_unit (through the resources' columns), the preview of unsaved
 * rules, validation, audit and tenant isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { compileNamePattern, splitAmount } from '../src/analytics/allocation.js';
import type { DataFrameJSON, QueryResponse } from '../src/contract/query.js';
import { createAnalyticsWorld, moscowNoon, type AnalyticsWorld } from './helpers/analytics-world.js';

const RANGE = { from: '2025-03-01', to: '2025-03-11' }; // ten Moscow days

describe('splitAmount', () => {
  const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), new Decimal(0)).toString();
  const str = (xs: Decimal[]) => xs.map((x) => x.toString());

  it('splits evenly to the kopeck, remainders to the earliest targets', () => {
    assert.deepEqual(
      str(
        splitAmount(
          new Decimal('100'),
          [1, 1, 1].map((x) => new Decimal(x))
        )
      ),
      ['33.34', '33.33', '33.33']
    );
    assert.deepEqual(
      str(
        splitAmount(
          new Decimal('5'),
          [1, 1, 1].map((x) => new Decimal(x))
        )
      ),
      ['1.67', '1.67', '1.66']
    );
  });

  it('splits in proportion by largest remainder and always adds up exactly', () => {
    const w = [50, 30, 20].map((x) => new Decimal(x));
    assert.deepEqual(str(splitAmount(new Decimal('0.07'), w)), ['0.04', '0.02', '0.01']);
    assert.deepEqual(str(splitAmount(new Decimal('5'), w)), ['2.5', '1.5', '1']);
    for (const total of ['10.005', '-0.05', '0.01', '123456.789', '0']) {
      for (const weights of [
        [1, 1],
        [3, 0, 1],
        [0, 0, 0],
        [7, 11, 13, 17],
        [-5, 5],
      ]) {
        const shares = splitAmount(
          new Decimal(total),
          weights.map((x) => new Decimal(x))
        );
        assert.equal(sum(shares), new Decimal(total).toString(), `${total} over ${weights.join(':')}`);
      }
    }
    // Without a positive weight the split is even.
    assert.deepEqual(
      str(
        splitAmount(
          new Decimal('1'),
          [0, 0].map((x) => new Decimal(x))
        )
      ),
      ['0.5', '0.5']
    );
  });
});

describe('compileNamePattern', () => {
  it('anchors globs case-insensitively and escapes everything else', () => {
    assert.deepEqual(compileNamePattern('web-*'), { regex: '(?i)^web-.*$' });
    assert.deepEqual(compileNamePattern('db?.(prod)'), { regex: '(?i)^db.\\.\\(prod\\)$' });
    assert.deepEqual(compileNamePattern('/^web-\\d+$/i'), { regex: '(?i)^web-\\d+$' });
    assert.ok('error' in compileNamePattern('/web/g'));
  });
});

describe('allocation rules API', () => {
  let w: AnalyticsWorld;
  let selectel: string;
  let yandex: string;
  let foreign: string;
  const rules: Record<string, string> = {};

  before(async () => {
    w = await createAnalyticsWorld('allocation', moscowNoon('2025-03-15'));
    selectel = await w.connection(w.tenantA, 'Selectel', 'selectel');
    yandex = await w.connection(w.tenantA, 'Yandex', 'yandex');
    foreign = await w.connection(w.tenantB, 'Theirs', 'yandex');
    const s = { connectionId: selectel, provider: 'selectel' };
    const y = { connectionId: yandex, provider: 'yandex' };
    // Per day: 40 + 20 + 30 + 15 on Selectel, 10 + 5 (account-level support, no resource) on Yandex = 120.
    for (const [line, amount] of [
      [{ ...s, resourceId: 'vm-web-1', service: 'Compute' }, '40.00'],
      [{ ...s, resourceId: 'vm-web-2', service: 'Compute' }, '20.00'],
      [{ ...s, resourceId: 'vm-db-1', service: 'DBaaS' }, '30.00'],
      [{ ...s, resourceId: 'vm-misc', service: 'Compute' }, '15.00'],
      [{ ...y, resourceId: 'disk-1', service: 'Storage' }, '10.00'],
      [{ ...y, resourceId: '', service: 'Support' }, '5.00'],
    ] as const) {
      await w.dailyCosts(w.tenantA, { ...line, amount }, '2025-03-01', 10);
    }
    await w.dailyCosts(
      w.tenantB,
      { connectionId: foreign, provider: 'yandex', resourceId: 'x', service: 'Support', amount: '999' },
      '2025-03-01',
      10
    );
    await w.resource(w.tenantA, { ...s, id: 'vm-web-1', name: 'web-1', service: 'Compute' });
    await w.resource(w.tenantA, {
      ...s,
      id: 'vm-web-2',
      name: 'web-2',
      service: 'Compute',
      tags: { Business_Unit: 'Retail' },
    });
    await w.resource(w.tenantA, {
      ...s,
      id: 'vm-db-1',
      name: 'db-main',
      service: 'DBaaS',
      specs: { projectName: 'Billing' },
    });
    await w.resource(w.tenantA, { ...s, id: 'vm-misc', name: 'misc', service: 'Compute' });
    await w.resource(w.tenantA, { ...y, id: 'disk-1', name: 'backup-disk', service: 'Storage' });

    const create = async (key: string, body: Record<string, unknown>) => {
      const res = await w.call('POST', '/api/v1/allocation-rules', { body, headers: { 'x-infrazen-role': 'Editor' } });
      assert.equal(res.statusCode, 201, res.body);
      rules[key] = res.json().id;
    };
    await create('web', {
      name: 'Web servers',
      priority: 10,
      match: { namePattern: 'web-*' },
      assign: { businessUnit: 'Platform', environment: 'prod' },
    });
    await create('billing', {
      name: 'Billing project',
      priority: 20,
      match: { project: 'billing' },
      assign: { businessUnit: 'Finance' },
    });
    await create('storage', {
      name: 'Yandex storage',
      priority: 30,
      match: { provider: 'yandex', service: 'Storage' },
      assign: { businessUnit: 'Platform', costCenter: 'CC-1' },
    });
    await create('support', {
      name: 'Support shared',
      priority: 40,
      match: { service: 'support' },
      split: { mode: 'even', targets: ['Platform', 'Finance', 'Retail'] },
    });
    await create('web2', {
      name: 'Web 2 staging',
      priority: 5,
      match: { namePattern: '/^web-2$/' },
      assign: { businessUnit: 'Ignored', environment: 'staging' },
    });
  });
  after(() => w.close());

  async function query(queries: Record<string, unknown>[], token = w.tokenA) {
    const res = await w.call('POST', '/api/v1/query', {
      token,
      body: { from: '2025-03-01T00:00:00+03:00', to: '2025-03-11T00:00:00+03:00', queries },
    });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as QueryResponse).results;
  }

  const column = (frame: DataFrameJSON, name: string) =>
    frame.data.values[frame.schema.fields.findIndex((f) => f.name === name)]!;

  it('lists rules in evaluation order', async () => {
    const res = await w.call('GET', '/api/v1/allocation-rules');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().items.map((r: { name: string }) => r.name),
      ['Web 2 staging', 'Web servers', 'Billing project', 'Yandex storage', 'Support shared']
    );
    const support = res.json().items[4];
    assert.deepEqual(support.split, {
      mode: 'even',
      targets: ['Platform', 'Finance', 'Retail'],
      dimension: 'businessUnit',
    });
    assert.deepEqual(support.assign, {});
  });

  it('reports coverage exactly and what each rule allocated', async () => {
    const res = await w.call('POST', '/api/v1/allocation-rules/preview', { body: RANGE });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.currency, 'RUB');
    assert.equal(p.totalCost, '1200.00');
    // Everything but "misc" (15 a day): 105 / 120.
    assert.equal(p.coveredCost, '1050.00');
    assert.equal(p.coveragePercent, 87.5);
    assert.deepEqual(p.byAttribute, {
      businessUnit: { coveredCost: '1050.00', coveragePercent: 87.5 },
      project: { coveredCost: '0.00', coveragePercent: 0 },
      environment: { coveredCost: '600.00', coveragePercent: 50 },
      costCenter: { coveredCost: '100.00', coveragePercent: 8.33 },
    });
    const byName = Object.fromEntries(p.rules.map((r: { name: string }) => [r.name, r]));
    // Priority 5 wins the environment of web-2; its business unit comes from the tag, not from a rule.
    assert.deepEqual(byName['Web 2 staging'], {
      id: rules.web2,
      name: 'Web 2 staging',
      matchedCost: '200.00',
      matchedResources: 1,
    });
    // Web servers matches web-2 too but decides nothing there: only web-1 counts.
    assert.deepEqual(byName['Web servers'], {
      id: rules.web,
      name: 'Web servers',
      matchedCost: '400.00',
      matchedResources: 1,
    });
    assert.equal(byName['Billing project'].matchedCost, '300.00');
    assert.equal(byName['Yandex storage'].matchedCost, '100.00');
    assert.deepEqual(byName['Support shared'], {
      id: rules.support,
      name: 'Support shared',
      matchedCost: '50.00',
      matchedResources: 1,
    });
    assert.equal(p.unconverted, null);
  });

  it('splits the shared cost evenly, summing to it exactly, in the allocation query', async () => {
    const results = await query([{ refId: 'T', queryType: 'allocation', granularity: 'total' }]);
    const frame = results.T!.frames[0]!;
    const values = column(frame, 'business_unit') as string[];
    const costs = column(frame, 'cost') as number[];
    const byValue = Object.fromEntries(values.map((v, i) => [v, costs[i]]));
    // Per day: Platform 40 + 10 + 1.67, Finance 30 + 1.67, Retail 20 (tag) + 1.66; 5 × 10 days shared.
    assert.deepEqual(byValue, { Platform: 516.7, Finance: 316.7, Retail: 216.6, Unallocated: 150 });
    assert.equal(new Decimal('16.7').plus('16.7').plus('16.6').toString(), '50');
    assert.deepEqual(column(frame, 'share_percent'), [43.06, 26.39, 18.05, 12.5]);

    const daily = await query([{ refId: 'D', queryType: 'allocation', granularity: 'day' }]);
    const platform = daily.D!.frames.find((f) => f.schema.name === 'Platform')!;
    assert.equal((column(platform, 'time') as number[]).length, 10);
    assert.ok((column(platform, 'cost') as number[]).every((v) => v === 51.67));
    assert.deepEqual(platform.schema.fields[1]!.labels, { business_unit: 'Platform' });

    const coverage = await query([{ refId: 'C', queryType: 'allocation', view: 'coverage', granularity: 'day' }]);
    assert.ok((column(coverage.C!.frames[0]!, 'coverage_percent') as number[]).every((v) => v === 87.5));
    const env = await query([{ refId: 'E', queryType: 'allocation', dimension: 'environment', granularity: 'total' }]);
    assert.deepEqual(column(env.E!.frames[0]!, 'environment'), ['Unallocated', 'prod', 'staging']);
    assert.deepEqual(column(env.E!.frames[0]!, 'cost'), [600, 400, 200]);
  });

  it('splits in proportion to what each target got directly', async () => {
    const res = await w.call('PATCH', `/api/v1/allocation-rules/${rules.support}`, {
      body: { split: { mode: 'proportional', targets: ['Platform', 'Finance', 'Retail'] } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const results = await query([{ refId: 'T', queryType: 'allocation', granularity: 'total' }]);
    const frame = results.T!.frames[0]!;
    const values = column(frame, 'business_unit') as string[];
    const byValue = Object.fromEntries(values.map((v, i) => [v, (column(frame, 'cost') as number[])[i]]));
    // Direct per day 50 : 30 : 20 → 5 splits 2.5 / 1.5 / 1.0.
    assert.deepEqual(byValue, { Platform: 525, Finance: 315, Retail: 210, Unallocated: 150 });
  });

  it('feeds the costs query: resources carry the allocated values, kept current by writes', async () => {
    const costsBy = async () => {
      const results = await query([
        { refId: 'A', queryType: 'costs', granularity: 'total', groupBy: ['business_unit'] },
      ]);
      const frame = results.A!.frames[0]!;
      const values = column(frame, 'business_unit') as string[];
      return Object.fromEntries(values.map((v, i) => [v, (column(frame, 'cost') as number[])[i]]));
    };
    assert.deepEqual(await costsBy(), { Platform: 500, Finance: 300, Retail: 200, '(none)': 200 });
    const [web2] = await w.t.db.query<{ allocation: Record<string, unknown>; environment: string }>(
      `SELECT allocation, environment FROM resources WHERE name = 'web-2'`
    );
    assert.equal(web2!.environment, 'staging');
    assert.deepEqual(web2!.allocation.businessUnit, { value: 'Retail', source: 'tag', tagKey: 'Business_Unit' });
    assert.deepEqual(web2!.allocation.environment, { value: 'staging', source: 'rule', ruleId: rules.web2 });

    // A resource written later (as a sync would) is allocated by the trigger at once.
    await w.t.db.query(
      `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status)
       VALUES ($1, $2, 'selectel', 'vm-web-3', 'WEB-3', 'server', 'RUNNING')`,
      [w.tenantA, selectel]
    );
    const [web3] = await w.t.db.query<{ business_unit: string }>(
      `SELECT business_unit FROM resources WHERE name = 'WEB-3'`
    );
    assert.equal(web3!.business_unit, 'Platform');

    // A value set explicitly wins over rules, and survives rule changes.
    await w.t.db.query(`UPDATE resources SET business_unit = 'Manual' WHERE name = 'db-main'`);
    const del = await w.call('DELETE', `/api/v1/allocation-rules/${rules.billing}`);
    assert.equal(del.statusCode, 204);
    const disable = await w.call('PATCH', `/api/v1/allocation-rules/${rules.web}`, { body: { enabled: false } });
    assert.equal(disable.statusCode, 200, disable.body);
    assert.deepEqual(await costsBy(), { Manual: 300, Retail: 200, Platform: 100, '(none)': 600 });
    const re = await w.call('PATCH', `/api/v1/allocation-rules/${rules.web}`, { body: { enabled: true } });
    assert.equal(re.statusCode, 200);
    assert.deepEqual(await costsBy(), { Platform: 500, Manual: 300, Retail: 200, '(none)': 200 });
  });

  it('previews unsaved rules without changing anything', async () => {
    const before = await w.t.db.query(`SELECT id, business_unit, allocation FROM resources ORDER BY id`);
    const res = await w.call('POST', '/api/v1/allocation-rules/preview', {
      body: {
        ...RANGE,
        rules: [
          { name: 'Later', priority: 2, match: {}, assign: { costCenter: 'CC-ALL' } },
          { id: rules.web, name: 'Everything', priority: 1, match: { namePattern: '*' }, assign: { project: 'all' } },
          { name: 'Off', enabled: false, match: {}, assign: { environment: 'x' } },
        ],
      },
      headers: { 'x-infrazen-role': 'Viewer' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.coveragePercent, 100);
    assert.equal(p.byAttribute.project.coveredCost, '1200.00');
    assert.deepEqual(
      p.rules.map((r: { id: string | null; name: string; matchedCost: string }) => [r.id, r.name, r.matchedCost]),
      [
        [null, 'Later', '1200.00'],
        [rules.web, 'Everything', '1200.00'],
        [null, 'Off', '0.00'],
      ]
    );
    assert.deepEqual(await w.t.db.query(`SELECT id, business_unit, allocation FROM resources ORDER BY id`), before);
  });

  it('refuses bad rules with a clear 400 and stores nothing', async () => {
    const count = async () => (await w.t.db.query(`SELECT count(*) AS n FROM allocation_rules`))[0]!.n;
    const before = await count();
    const bad: [string, Record<string, unknown>, RegExp][] = [
      [
        '/api/v1/allocation-rules',
        { name: 'x', match: { namePattern: '/(unclosed/' }, assign: { project: 'p' } },
        /namePattern/,
      ],
      ['/api/v1/allocation-rules', { name: 'x', match: { namePattern: '/web/g' }, assign: { project: 'p' } }, /flag/],
      ['/api/v1/allocation-rules', { name: 'x', match: {} }, /assign/],
      [
        '/api/v1/allocation-rules',
        { name: 'x', match: {}, assign: { businessUnit: 'a' }, split: { mode: 'even', targets: ['a', 'b'] } },
        /both/,
      ],
      ['/api/v1/allocation-rules', { name: 'x', match: {}, split: { mode: 'even', targets: ['a'] } }, /two/],
      ['/api/v1/allocation-rules', { name: 'x', match: {}, split: { mode: 'even', targets: ['a', 'A'] } }, /distinct/],
      [
        '/api/v1/allocation-rules',
        { name: 'x', match: { connectionId: foreign }, assign: { project: 'p' } },
        /connection/,
      ],
      ['/api/v1/allocation-rules', { name: 'x', priority: -1, match: {}, assign: { project: 'p' } }, /priority/],
      [
        '/api/v1/allocation-rules',
        { name: 'x', match: { colour: 'red' }, assign: { project: 'p' } },
        /colour|unrecognized/i,
      ],
      ['/api/v1/allocation-rules/preview', { from: '2025-03-10', to: '2025-03-01' }, /before/],
      ['/api/v1/allocation-rules/preview', { from: 'yesterday', to: '2025-03-01' }, /from/],
      [
        '/api/v1/allocation-rules/preview',
        { ...RANGE, rules: [{ name: 'x', match: { namePattern: '/[z-a]/' }, assign: { project: 'p' } }] },
        /rules\/0\/match\/namePattern/,
      ],
    ];
    for (const [url, body, message] of bad) {
      const res = await w.call('POST', url, { body });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json().message, message, res.body);
    }
    assert.equal((await w.call('PATCH', `/api/v1/allocation-rules/${rules.web}`, { body: {} })).statusCode, 400);
    assert.equal(await count(), before);
    assert.equal(
      (
        await w.call('POST', '/api/v1/allocation-rules', {
          body: { name: 'v', match: {}, assign: { project: 'p' } },
          headers: { 'x-infrazen-role': 'Viewer' },
        })
      ).statusCode,
      403
    );
  });

  it('audits every write with before and after', async () => {
    const audit = await w.t.db.query<{
      action: string;
      before_state: { name?: string } | null;
      after_state: { enabled?: boolean } | null;
    }>(`SELECT action, before_state, after_state FROM audit_log WHERE target_id = $1 ORDER BY id`, [rules.web]);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['allocation_rule.create', 'allocation_rule.update', 'allocation_rule.update']
    );
    assert.equal(audit[0]!.before_state, null);
    assert.equal(audit[1]!.after_state!.enabled, false);
    assert.equal(audit[2]!.before_state!.name, 'Web servers');
  });

  it('keeps tenants apart: foreign ids are 404, lists and previews show nothing foreign', async () => {
    const list = await w.call('GET', '/api/v1/allocation-rules', { token: w.tokenB });
    assert.deepEqual(list.json().items, []);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await w.call(method, `/api/v1/allocation-rules/${rules.web}`, {
        token: w.tokenB,
        body: method === 'PATCH' ? { enabled: false } : undefined,
      });
      assert.equal(res.statusCode, 404, `${method}: ${res.body}`);
    }
    const preview = await w.call('POST', '/api/v1/allocation-rules/preview', { token: w.tokenB, body: RANGE });
    assert.equal(preview.json().totalCost, '9990.00');
    assert.deepEqual(preview.json().rules, []);
    // B's catch-all rule touches none of A's resources.
    const theirs = await w.call('POST', '/api/v1/allocation-rules', {
      token: w.tokenB,
      body: { name: 'All mine', match: {}, assign: { businessUnit: 'B-unit' } },
    });
    assert.equal(theirs.statusCode, 201);
    const leaked = await w.t.db.query(`SELECT 1 FROM resources WHERE tenant_id = $1 AND business_unit = 'B-unit'`, [
      w.tenantA,
    ]);
    assert.equal(leaked.length, 0);
    const results = await query([{ refId: 'T', queryType: 'allocation', granularity: 'total' }], w.tokenB);
    assert.deepEqual(column(results.T!.frames[0]!, 'cost'), [9990]);
  });
});
