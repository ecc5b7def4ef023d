/**
 * The recommendations engine end to end on the Selectel sandbox: a real sync (billing, inventory,
 * Gnocchi metrics) runs the engine afterwards, and the known cases of the generated account get their
 * recommendation with the right target and savings — the idle VM (about 4 % CPU) is rightsized to the
 * next smaller flavor, the zombie, the orphan volume and the stopped VM's disks are found, and the
 * injected spike day is an anomaly. Then statuses survive syncs, causes that disappear resolve, and the
 * API validates input and keeps tenants apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { runRecommendations } from '../src/analytics/recommendations/engine.js';
import type { QueryResponse } from '../src/contract/query.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { CORE_HOUR, RAM_GB_HOUR, VOLUME_KINDS } from '../src/sandbox/selectel/meters.js';
import { createTenant, ensureBootstrapTenant } from '../src/services/tenancy.js';
import { upsertMetricSamples } from '../src/storage/repositories/resource-metrics.js';
import { refreshMetricsHourly } from '../src/storage/rollups.js';
import { buildTestApp } from './helpers/app.js';
import { column } from './helpers/frame-columns.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

const NOW = new Date('2025-10-10T12:34:56Z');

/** Hundredths of a kopeck per hour → roubles per 30-day month. */
const monthly = (hundredthsPerHour: number) => new Decimal(hundredthsPerHour).mul(720).div(10_000);
/** The sandbox's Standard line, one step down (what rightsizing must pick for a VM at 4 % CPU, 20 % RAM). */
const NEXT_SMALLER: Record<string, { name: string; vcpus: number; ramMb: number }> = {
  'SL1.2-4096': { name: 'SL1.1-2048', vcpus: 1, ramMb: 2048 },
  'SL1.2-8192': { name: 'SL1.2-4096', vcpus: 2, ramMb: 4096 },
  'SL1.4-16384': { name: 'SL1.2-8192', vcpus: 2, ramMb: 8192 },
  'SL1.8-32768': { name: 'SL1.4-16384', vcpus: 4, ramMb: 16384 },
};

interface Rec {
  id: string;
  kind: string;
  title: string;
  status: string;
  statusReason: string | null;
  snoozedUntil: string | null;
  resourceName: string | null;
  connectionId: string | null;
  provider: string | null;
  currentMonthlyCost: string | null;
  estimatedMonthlySavings: string | null;
  currency: string | null;
  confidence: number;
  evidence: Evidence;
  resolvedAt: string | null;
}
interface ErrorBody {
  error?: string;
  message?: string;
}
/** The parts of the evidence these tests read. */
interface Evidence {
  current: { flavor: string };
  target: { flavor: string };
  prices: { basis: string; vcpuHour: string };
  cpu: { p95: number };
  memory: { p95: number };
  sizeGb: number;
  ageDays: number;
  stoppedForDays: number;
  server?: { name: string };
}
interface ListBody {
  items: Rec[];
  totals: {
    currency: string;
    potentialMonthlySavings: string;
    realizedMonthlySavings: string;
    byStatus: Record<string, { count: number; monthlySavings: string }>;
    byKind: Record<string, { count: number; monthlySavings: string }>;
  };
}

function within(actual: Decimal.Value, expected: Decimal.Value, relative: number, what: string) {
  const a = new Decimal(actual);
  const e = new Decimal(expected);
  assert.ok(a.minus(e).abs().lte(e.abs().mul(relative)), `${what}: ${a.toFixed(2)} vs expected ${e.toFixed(2)}`);
}

describe('recommendations on the Selectel sandbox', () => {
  let t: TestDatabase;
  let sandbox: Sandbox;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let runtime: Awaited<ReturnType<typeof buildTestApp>>['runtime'];
  let token: string;
  let otherToken: string;
  let tenantId: string;
  let connectionId: string;

  const api = async <T = ErrorBody>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, as = token) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${as}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 500, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return { status: res.statusCode, body: res.json() as T };
  };
  const sync = async () => {
    const { whenDone } = await runtime.syncs.start(tenantId, connectionId, 'manual');
    await whenDone;
  };
  const list = async (query = '') => (await api<ListBody>('GET', `/api/v1/recommendations${query}`)).body;
  const byResource = (items: Rec[], kind: string, name: string) =>
    items.find((r) => r.kind === kind && r.resourceName === name);

  before(async () => {
    t = await createTestDatabase('analytics_recs');
    sandbox = await startSandbox({ now: () => NOW });
    ({ app, runtime } = await buildTestApp(t.db, { now: () => NOW }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
    otherToken = (await createTenant(t.db, { orgId: 2, name: 'Other', actor: 'test' })).token.token;
    const created = await api<{ id: string }>('POST', '/api/v1/connections', {
      name: 'Selectel',
      provider: 'selectel',
      credentials: sandbox.selectel.credentials,
      // Six weeks of billing: enough history for the weekday baselines of the anomaly detector.
      settings: { ...sandbox.selectel.settings, backfillDays: 42 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    connectionId = created.body.id;
    await sync();
  });

  after(async () => {
    await app?.close();
    await sandbox?.close();
    await t?.drop();
  });

  it('rightsizes the idle VM to the next smaller flavor, with savings from its own billed vCPU and RAM rates', async () => {
    const idle = sandbox.selectel.truth.idleServer;
    const target = NEXT_SMALLER[idle.flavor];
    assert.ok(target, `the idle server's flavor ${idle.flavor} has a smaller one`);
    const { items } = await list('?kind=rightsize');
    const rec = byResource(items, 'rightsize', idle.name);
    assert.ok(rec, `no rightsize for ${idle.name}: ${JSON.stringify(items.map((i) => i.resourceName))}`);
    assert.equal(rec.evidence.current.flavor, idle.flavor);
    assert.equal(rec.evidence.target.flavor, target.name);
    assert.equal(rec.evidence.prices.basis, 'billing_rates');
    assert.ok(rec.evidence.cpu.p95 < 20 && rec.evidence.memory.p95 < 40, JSON.stringify(rec.evidence));
    // The sandbox bills 90.97 ₽ per vCPU-hour-hundredth and 33.33 per GB-hour (±4 % noise per hour).
    const factor = idle.preemptible ? 0.4 : 1;
    const perHour =
      ((idle.vcpus - target.vcpus) * CORE_HOUR + ((idle.ramMb - target.ramMb) / 1024) * RAM_GB_HOUR) * factor;
    within(rec.estimatedMonthlySavings!, monthly(perHour), 0.01, 'rightsize savings');
    within(rec.evidence.prices.vcpuHour, new Decimal(CORE_HOUR * factor).div(10_000), 0.01, 'vCPU-hour rate');
    assert.equal(rec.currency, 'RUB');
    assert.equal(rec.status, 'open');
    // A week of metrics out of the 14-day window: confidence 0.5 + 0.4 × 168/336.
    assert.equal(rec.confidence, 0.7);
    assert.match(rec.title, new RegExp(`${idle.flavor} → ${target.name}`));
  });

  it('finds the zombie VM (its zombie disk folded in) and the orphan volume, each saving its whole cost', async () => {
    const truth = sandbox.selectel.truth;
    const { items } = await list();
    const resources = (
      await api<{ items: { name: string; monthlyCost: string | null; type: string }[] }>(
        'GET',
        `/api/v1/resources?connection=${connectionId}&limit=1000`
      )
    ).body.items;
    const cost = (name: string) => new Decimal(resources.find((r) => r.name === name)!.monthlyCost!);

    const zombie = byResource(items, 'delete_zombie', truth.zombieServer.name);
    assert.ok(zombie, 'zombie recommendation');
    assert.equal(zombie.estimatedMonthlySavings, cost(truth.zombieServer.name).toDecimalPlaces(2).toFixed(2));
    // 4 vCPU + 8 GB + its 50 GB universal boot disk.
    within(zombie.estimatedMonthlySavings!, monthly(4 * CORE_HOUR + 8 * RAM_GB_HOUR + 50 * 258), 0.01, 'zombie');
    assert.equal(
      items.filter((r) => r.kind === 'delete_zombie' && r.resourceName === truth.zombieVolume.name).length,
      0
    );

    const orphan = byResource(items, 'delete_orphan_volume', truth.orphanVolume.name);
    assert.ok(orphan, 'orphan recommendation');
    assert.equal(orphan.estimatedMonthlySavings, cost(truth.orphanVolume.name).toDecimalPlaces(2).toFixed(2));
    // 300 GB of HDD basic at 1.01 kopecks per GB-hour.
    within(orphan.estimatedMonthlySavings!, monthly(300 * 101), 0.01, 'orphan');
    assert.equal(orphan.evidence.sizeGb, 300);
    assert.ok(orphan.evidence.ageDays >= 42, `age ${orphan.evidence.ageDays}`);
  });

  it("finds the stopped VM whose disks are billed, saving the disks' cost", async () => {
    const truth = sandbox.selectel.truth;
    const stopped = truth.servers.find((s) => s.id === truth.stoppedServer.id)!;
    const perGbHour = (type: string) => VOLUME_KINDS.find((k) => type.startsWith(`${k.type}.`))!.perGbHour;
    const disks = truth.volumes.filter((v) => stopped.volumeIds.includes(v.id));
    const expected = monthly(disks.reduce((a, v) => a + v.sizeGb * perGbHour(v.volumeType), 0));
    const rec = byResource((await list('?kind=stopped_vm_disks')).items, 'stopped_vm_disks', stopped.name);
    assert.ok(rec, 'stopped VM recommendation');
    within(rec.estimatedMonthlySavings!, expected, 0.01, 'stopped VM disks');
    assert.ok(rec.evidence.stoppedForDays >= 20, `stopped for ${rec.evidence.stoppedForDays}`);
  });

  it('finds the injected spike on its day, expected = the weekday median of the billed days before it', async () => {
    const truth = sandbox.selectel.truth;
    // "Cloud Servers" is every VM's compute (the zombie's included); days are Moscow days.
    const servers = new Set([...truth.servers.map((s) => s.id), truth.zombieServer.id]);
    const dayCost = (day: string) =>
      Object.entries(
        truth.expectedCostByResource({
          start: new Date(`${day}T00:00:00+03:00`),
          end: new Date(`${addDay(day, 1)}T00:00:00+03:00`),
        })
      )
        .filter(([id]) => servers.has(id))
        .reduce((a, [, v]) => a.plus(v), new Decimal(0));
    const firstDay = new Date(NOW.getTime() + 3 * 3_600_000 - 42 * 86_400_000).toISOString().slice(0, 10);
    const baselineDays = [1, 2, 3, 4, 5, 6, 7, 8]
      .map((w) => addDay(truth.spike.day, -7 * w))
      .filter((d) => d >= firstDay);
    const values = baselineDays.map(dayCost).sort((a, b) => a.cmp(b));
    const mid = Math.floor(values.length / 2);
    const median = values.length % 2 ? values[mid]! : values[mid - 1]!.plus(values[mid]!).div(2);

    const { items } = (
      await api<{
        items: {
          day: string;
          scopeKind: string;
          scopeLabel: string;
          actual: string;
          expected: string;
          impact: string;
          evidence: { baseline: { day: string }[] };
        }[];
      }>('GET', `/api/v1/anomalies?connection=${connectionId}`)
    ).body;
    const service = items.filter((a) => a.scopeKind === 'service' && a.scopeLabel === 'Selectel · Cloud Servers');
    const spike = service.find((a) => a.day === truth.spike.day);
    assert.ok(spike, `no anomaly on ${truth.spike.day}: ${JSON.stringify(service.map((a) => a.day))}`);
    assert.deepEqual(spike.evidence.baseline.map((b: { day: string }) => b.day).sort(), [...baselineDays].sort());
    assert.equal(new Decimal(spike.actual).toFixed(2), dayCost(truth.spike.day).toFixed(2));
    assert.equal(spike.expected, median.toDecimalPlaces(2).toFixed(2));
    assert.equal(spike.impact, dayCost(truth.spike.day).minus(median).toDecimalPlaces(2).toFixed(2));
    assert.ok(!service.some((a) => a.day === addDay(truth.spike.day, -1) || a.day === addDay(truth.spike.day, 1)));
  });

  it('keeps statuses across syncs, resolves what disappeared, never reopens dismissed ones and wakes snoozed ones', async () => {
    const truth = sandbox.selectel.truth;
    let { items } = await list();
    const rightsize = byResource(items, 'rightsize', truth.idleServer.name)!;
    const zombie = byResource(items, 'delete_zombie', truth.zombieServer.name)!;
    const orphan = byResource(items, 'delete_orphan_volume', truth.orphanVolume.name)!;
    const stopped = byResource(items, 'stopped_vm_disks', truth.stoppedServer.name)!;
    const snoozeUntil = new Date(NOW.getTime() + 3 * 86_400_000).toISOString();
    assert.equal((await api('PATCH', `/api/v1/recommendations/${rightsize.id}`, { status: 'accepted' })).status, 200);
    const dismissed = await api<Rec>('PATCH', `/api/v1/recommendations/${zombie.id}`, {
      status: 'dismissed',
      reason: 'kept for the audit',
    });
    assert.equal(dismissed.body.status, 'dismissed');
    assert.equal(dismissed.body.statusReason, 'kept for the audit');
    const snoozed = await api<Rec>('PATCH', `/api/v1/recommendations/${orphan.id}`, {
      status: 'snoozed',
      snoozedUntil: snoozeUntil,
    });
    assert.equal(snoozed.body.snoozedUntil, snoozeUntil);
    assert.equal((await api('PATCH', `/api/v1/recommendations/${stopped.id}`, { status: 'done' })).status, 200);

    await sync();
    ({ items } = await list('?status=open,accepted,dismissed,snoozed,done,resolved'));
    const status = (id: string) => items.find((r) => r.id === id)?.status;
    assert.deepEqual(
      [rightsize, zombie, orphan, stopped].map((r) => status(r.id)),
      ['accepted', 'dismissed', 'snoozed', 'done']
    );
    assert.equal(items.filter((r) => r.kind === 'rightsize' && r.resourceName === truth.idleServer.name).length, 1);

    // The idle VM gets busy: 90 % CPU samples over the whole window, between the sandbox's own 5-minute points.
    const [row] = await t.db.query<{ provider_resource_id: string }>(
      `SELECT provider_resource_id FROM resources WHERE name = $1 AND connection_id = $2`,
      [truth.idleServer.name, connectionId]
    );
    const samples = [];
    for (let ts = NOW.getTime() - 14 * 86_400_000; ts < NOW.getTime(); ts += 300_000) {
      const at = new Date(ts + 60_000);
      samples.push({
        tenantId,
        connectionId,
        resourceId: row!.provider_resource_id,
        metric: 'cpu_utilization',
        ts: at,
        value: 90,
      });
    }
    await upsertMetricSamples(t.db, samples);
    await refreshMetricsHourly(t.db, 'plain', { from: new Date(NOW.getTime() - 15 * 86_400_000), to: NOW });
    // What the busy VM takes away: its rightsizing and the tier downgrades of its disks.
    const causedByIdle = items.filter(
      (r) =>
        ['open', 'accepted', 'snoozed'].includes(r.status) &&
        (r.id === rightsize.id || (r.kind === 'storage_tier' && r.evidence.server?.name === truth.idleServer.name))
    );
    const refreshed = await api<{ created: number; updated: number; resolved: number; open: number }>(
      'POST',
      '/api/v1/recommendations/refresh'
    );
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.resolved, causedByIdle.length);
    assert.equal(refreshed.body.created, 0);
    ({ items } = await list('?status=resolved'));
    assert.deepEqual(items.map((r) => r.id).sort(), causedByIdle.map((r) => r.id).sort());
    const resolved = items.find((r) => r.id === rightsize.id)!;
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.resolvedAt, NOW.toISOString());
    ({ items } = await list('?status=dismissed,done'));
    assert.equal(status(zombie.id), 'dismissed');
    assert.equal(status(stopped.id), 'done');

    // Past the snooze: the orphan is open again; the dismissed zombie stays dismissed.
    await runRecommendations(t.db, tenantId, new Date(NOW.getTime() + 4 * 86_400_000));
    ({ items } = await list('?status=open,dismissed'));
    assert.equal(items.find((r) => r.id === orphan.id)?.status, 'open');
    assert.equal(items.find((r) => r.id === zombie.id)?.status, 'dismissed');

    const audit = await t.db.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_log WHERE tenant_id = $1 AND action LIKE 'recommendation%' ORDER BY id`,
      [tenantId]
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'recommendation.status',
        'recommendation.status',
        'recommendation.status',
        'recommendation.status',
        'recommendations.refresh',
      ]
    );
    assert.equal(audit[1]!.details.reason, 'kept for the audit');
  });

  it('totals potential (open + accepted) and realized (done) savings', async () => {
    const all = await list('?status=open,accepted,dismissed,snoozed,done,resolved&limit=1000');
    const sum = (statuses: string[]) =>
      all.items
        .filter((r) => statuses.includes(r.status))
        .reduce((a, r) => a.plus(r.estimatedMonthlySavings ?? 0), new Decimal(0))
        .toFixed(2);
    assert.equal(all.totals.currency, 'RUB');
    assert.equal(all.totals.potentialMonthlySavings, sum(['open', 'accepted']));
    assert.equal(all.totals.realizedMonthlySavings, sum(['done']));
    assert.equal(all.totals.byStatus.done!.count, 1);
    assert.equal(
      Object.values(all.totals.byKind).reduce((a, k) => a + k.count, 0),
      all.items.length
    );
    // The status filter narrows the list, not the totals.
    const open = await list('?status=open');
    assert.ok(open.items.every((r) => r.status === 'open'));
    assert.deepEqual(open.totals, all.totals);
  });

  it('serves the query type recommendations (list and totals) to dashboards', async () => {
    const res = await api<QueryResponse>('POST', '/api/v1/query', {
      from: NOW.getTime() - 86_400_000,
      to: NOW.getTime(),
      queries: [
        { refId: 'L', queryType: 'recommendations', kinds: ['delete_orphan_volume'], statuses: ['open', 'snoozed'] },
        { refId: 'T', queryType: 'recommendations', view: 'totals' },
        { refId: 'B', queryType: 'recommendations', statuses: ['nonsense'] },
      ],
    });
    assert.equal(res.status, 200);
    const listFrame = res.body.results.L!.frames[0];
    for (const name of ['id', 'title', 'resource', 'status', 'current_monthly_cost', 'estimated_monthly_savings'])
      assert.ok(column<unknown>(listFrame, name));
    assert.deepEqual([...new Set(column<string>(listFrame, 'kind'))], ['delete_orphan_volume']);
    const orphan = (await list('?kind=delete_orphan_volume&status=open,snoozed')).items[0]!;
    assert.deepEqual(column(listFrame, 'estimated_monthly_savings'), [Number(orphan.estimatedMonthlySavings)]);
    assert.deepEqual(column(listFrame, 'confidence'), [orphan.confidence]);
    const totals = res.body.results.T!.frames[0];
    assert.deepEqual(column(totals, 'potential_monthly_savings'), [
      Number((await list()).totals.potentialMonthlySavings),
    ]);
    assert.equal(res.body.results.B!.status, 400);
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const { items } = await list('?kind=delete_orphan_volume');
    const rec = items[0]!;
    const cases: [string, unknown][] = [
      [`/api/v1/recommendations/${rec.id}`, { status: 'dismissed' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'dismissed', reason: '   ' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'snoozed' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'snoozed', snoozedUntil: '2020-01-01T00:00:00Z' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'snoozed', snoozedUntil: 'tomorrow' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'accepted', snoozedUntil: '2030-01-01T00:00:00Z' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'resolved' }],
      [`/api/v1/recommendations/${rec.id}`, { status: 'open', extra: 1 }],
      ['/api/v1/recommendations/not-a-uuid', { status: 'open' }],
    ];
    for (const [url, body] of cases) {
      const res = await api('PATCH', url, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
      assert.equal(res.body.error, 'bad_request');
      assert.ok(res.body.message);
    }
    for (const query of ['?status=bogus', '?kind=rightsize,nope', '?connection=x', '?limit=0', '?limit=5000']) {
      const res = await api('GET', `/api/v1/recommendations${query}`);
      assert.equal(res.status, 400, query);
    }
    for (const query of ['?from=yesterday', '?from=2025-10-09&to=2025-10-01', '?connection=1']) {
      assert.equal((await api('GET', `/api/v1/anomalies${query}`)).status, 400, query);
    }
    assert.equal((await api('PATCH', `/api/v1/anomalies/${rec.id}`, { feedback: 'great' })).status, 400);
    const after = (await list('?kind=delete_orphan_volume')).items.find((r) => r.id === rec.id)!;
    assert.equal(after.status, rec.status);
    assert.equal(
      (await api('PATCH', '/api/v1/recommendations/00000000-0000-4000-8000-000000000000', { status: 'open' })).status,
      404
    );
  });

  it("keeps tenants apart: another tenant's token lists nothing and gets 404 for these ids", async () => {
    const { items } = await list('?status=open,accepted,dismissed,snoozed,done,resolved');
    const anomalies = (await api<{ items: { id: string }[] }>('GET', '/api/v1/anomalies')).body.items;
    assert.ok(items.length > 0 && anomalies.length > 0);
    const foreignList = await api<ListBody>(
      'GET',
      '/api/v1/recommendations?status=open,accepted,dismissed,snoozed,done,resolved',
      undefined,
      otherToken
    );
    assert.deepEqual(foreignList.body.items, []);
    assert.equal(foreignList.body.totals.potentialMonthlySavings, '0.00');
    assert.deepEqual(
      (await api<{ items: unknown[] }>('GET', '/api/v1/anomalies', undefined, otherToken)).body.items,
      []
    );
    const patched = await api('PATCH', `/api/v1/recommendations/${items[0]!.id}`, { status: 'done' }, otherToken);
    assert.equal(patched.status, 404);
    const feedback = await api('PATCH', `/api/v1/anomalies/${anomalies[0]!.id}`, { feedback: 'confirmed' }, otherToken);
    assert.equal(feedback.status, 404);
    const refresh = await api<{ created: number; open: number }>(
      'POST',
      '/api/v1/recommendations/refresh',
      undefined,
      otherToken
    );
    assert.deepEqual(refresh.body, { created: 0, updated: 0, resolved: 0, open: 0 });
    const query = await api<QueryResponse>(
      'POST',
      '/api/v1/query',
      {
        from: 0,
        to: NOW.getTime(),
        queries: [
          { refId: 'A', queryType: 'recommendations' },
          { refId: 'B', queryType: 'anomalies' },
        ],
      },
      otherToken
    );
    assert.deepEqual(column<string>(query.body.results.A!.frames[0], 'id'), []);
    assert.deepEqual(column<string>(query.body.results.B!.frames[0], 'id'), []);
    // Nothing of tenant A changed.
    const again = (await list('?status=open,accepted,dismissed,snoozed,done,resolved')).items;
    assert.deepEqual(again.map((r) => [r.id, r.status]).sort(), items.map((r) => [r.id, r.status]).sort());
  });
});

function addDay(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
