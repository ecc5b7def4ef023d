/**
 * Anomaly detection with known answers: a weekday median/MAD baseline, pure and on stored daily costs.
 * An injected spike is found on its day (and only there); a clean weekly series gives nothing; a young
 * series is not judged; false-positive feedback takes the day out of later baselines; a restated day
 * stops being an anomaly unless someone gave feedback on it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomalies, judgeDay, runAnomalyDetection } from '../src/analytics/anomalies.js';
import { addDays, type DailyAmount } from '../src/analytics/forecast.js';
import type { QueryResponse } from '../src/contract/query.js';
import { seededRandom } from '../src/sandbox/random.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import type { Anomaly } from '../src/storage/repositories/anomalies.js';
import { buildTestApp } from './helpers/app.js';
import { dayRange, insertConnection, writeDailyCosts, type DailyLine } from './helpers/daily-costs.js';
import { column } from './helpers/frame-columns.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

/** Mon…Sun: a business workload with quiet weekends. */
const WEEKLY = [1000, 1020, 1010, 990, 980, 400, 380];
const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

function weeklySeries(first: string, days: number, seed: number, spikes: Record<string, number> = {}): DailyAmount[] {
  const random = seededRandom(seed);
  return dayRange(first, days).map((day) => {
    const noise = 1 + 0.02 * (2 * random() - 1);
    return { day, amount: new Decimal((WEEKLY[weekday(day)]! * noise * (spikes[day] ?? 1)).toFixed(2)) };
  });
}

interface ErrorBody {
  error?: string;
  message?: string;
}
/** The API's anomaly (dates as JSON strings), with the evidence these tests read. */
type AnomalyItem = Omit<Anomaly, 'evidence' | 'detectedAt'> & {
  evidence: { method: string; baseline: { day: string; amount: string }[]; excludedDays: string[] };
};

const median = (values: Decimal[]) => {
  const s = [...values].sort((a, b) => a.cmp(b));
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : s[m - 1]!.plus(s[m]!).div(2);
};

describe('anomaly detection (pure)', () => {
  const first = '2026-01-05';

  it('finds a spike on its day and nowhere else; the clean series gives nothing', () => {
    const spikeDay = addDays(first, 50);
    const clean = weeklySeries(first, 56, 1);
    const spiky = weeklySeries(first, 56, 1, { [spikeDay]: 3 });
    assert.deepEqual(
      detectAnomalies(clean, new Set()).filter((v) => v.anomalous),
      []
    );
    const found = detectAnomalies(spiky, new Set()).filter((v) => v.anomalous);
    assert.deepEqual(
      found.map((v) => v.day),
      [spikeDay]
    );
    const v = found[0]!;
    const baseline = [1, 2, 3, 4, 5, 6, 7].map((w) => spiky.find((p) => p.day === addDays(spikeDay, -7 * w))!.amount);
    assert.equal(v.expected.toFixed(2), median(baseline).toDecimalPlaces(2).toFixed(2));
    assert.equal(v.impact.toFixed(2), v.actual.minus(median(baseline)).toDecimalPlaces(2).toFixed(2));
    assert.ok(v.score > DEFAULT_ANOMALY_OPTIONS.threshold);
    assert.equal(v.evidence.baseline.length, 7);
  });

  it('does not flag drops (a saving is not an alert)', () => {
    const series = weeklySeries(first, 56, 2, { [addDays(first, 52)]: 0.2 });
    assert.deepEqual(
      detectAnomalies(series, new Set()).filter((v) => v.anomalous),
      []
    );
  });

  it('keeps a perfectly regular series quiet: the spread has a floor of 3 % of the expected cost', () => {
    const flat = dayRange(first, 35).map((day) => ({ day, amount: new Decimal(100) }));
    flat[34] = { day: flat[34]!.day, amount: new Decimal('110') };
    const v = judgeDay(flat, flat[34]!.day, new Set())!;
    assert.equal(v.evidence.mad, '0');
    assert.equal(v.evidence.sigma, '3.00');
    assert.equal(v.score, 3.33);
    assert.equal(v.anomalous, false);
    flat[34] = { day: flat[34]!.day, amount: new Decimal('111') };
    assert.equal(judgeDay(flat, flat[34]!.day, new Set())!.anomalous, true);
  });

  it('judges nothing before 21 days of history or with fewer than three same-weekday days', () => {
    const young = weeklySeries(first, 21, 3, { [addDays(first, 20)]: 10 });
    assert.equal(judgeDay(young, addDays(first, 20), new Set()), undefined);
    assert.deepEqual(detectAnomalies(young, new Set()), []);
    const old = weeklySeries(first, 22, 3, { [addDays(first, 21)]: 10 });
    assert.equal(judgeDay(old, addDays(first, 21), new Set())!.anomalous, true);
    // Two of the three earlier same-weekday days excluded: too few left to judge.
    const excluded = new Set([addDays(first, 7), addDays(first, 14)]);
    assert.equal(judgeDay(old, addDays(first, 21), excluded), undefined);
  });

  it('leaves excluded days out of the baseline and says so', () => {
    const day = addDays(first, 49);
    const series = weeklySeries(first, 50, 4, { [addDays(day, -7)]: 3, [day]: 3 });
    const withIt = judgeDay(series, day, new Set())!;
    const without = judgeDay(series, day, new Set([addDays(day, -7)]))!;
    assert.ok(withIt.evidence.baseline.some((b) => b.day === addDays(day, -7)));
    assert.ok(!without.evidence.baseline.some((b) => b.day === addDays(day, -7)));
    assert.deepEqual(without.evidence.excludedDays, [addDays(day, -7)]);
  });
});

describe('anomaly detection on stored costs', () => {
  const NOW = new Date('2026-03-20T09:00:00Z'); // Friday 12:00 in Moscow
  const YESTERDAY = '2026-03-19';
  const FIRST = addDays(YESTERDAY, -55);
  const SPIKE = addDays(YESTERDAY, -8);
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let token: string;
  let tenantId: string;
  let spiky: string;
  let clean: string;
  let young: string;
  let compute: DailyAmount[];

  const api = async <T = ErrorBody>(method: 'GET' | 'PATCH' | 'POST', url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 500, res.body);
    return { status: res.statusCode, body: res.json() as T };
  };
  const lines = (series: DailyAmount[], service: string): DailyLine[] =>
    series.map((p) => ({ day: p.day, service, amount: p.amount.toFixed() }));
  const list = async () =>
    (await api<{ items: AnomalyItem[] }>('GET', `/api/v1/anomalies?from=${FIRST}&to=${YESTERDAY}`)).body.items;

  before(async () => {
    t = await createTestDatabase('analytics_anomalies');
    ({ app } = await buildTestApp(t.db, { now: () => NOW }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
    spiky = await insertConnection(t.db, tenantId, 'Spiky');
    clean = await insertConnection(t.db, tenantId, 'Clean');
    young = await insertConnection(t.db, tenantId, 'Young');
    compute = weeklySeries(FIRST, 56, 7, { [SPIKE]: 3 });
    const storage = dayRange(FIRST, 56).map((day) => ({ day, amount: new Decimal(200) }));
    await writeDailyCosts(t.db, { tenantId, connectionId: spiky }, [
      ...lines(compute, 'Compute'),
      ...lines(storage, 'Storage'),
    ]);
    await writeDailyCosts(t.db, { tenantId, connectionId: clean }, lines(weeklySeries(FIRST, 56, 8), 'Compute'));
    const youngFirst = addDays(YESTERDAY, -14);
    await writeDailyCosts(
      t.db,
      { tenantId, connectionId: young },
      lines(weeklySeries(youngFirst, 15, 9, { [YESTERDAY]: 10 }), 'Compute')
    );
  });

  after(async () => {
    await app?.close();
    await t?.drop();
  });

  it('finds the spike on its day per connection and per service, and nothing in the clean or young series', async () => {
    const result = await runAnomalyDetection(t.db, tenantId, NOW);
    assert.equal(result.anomalies, 2);
    const items = await list();
    assert.deepEqual(items.map((a) => [a.scopeKind, a.scopeLabel, a.day]).sort(), [
      ['connection', 'Spiky', SPIKE],
      ['service', 'Spiky · Compute', SPIKE],
    ]);
    const service = items.find((a) => a.scopeKind === 'service')!;
    const baseline = [1, 2, 3, 4, 5, 6].map((w) => compute.find((p) => p.day === addDays(SPIKE, -7 * w))!.amount);
    const actual = compute.find((p) => p.day === SPIKE)!.amount;
    assert.equal(new Decimal(service.actual).toFixed(2), actual.toFixed(2));
    assert.equal(service.expected, median(baseline).toDecimalPlaces(2).toFixed(2));
    assert.equal(service.impact, actual.minus(median(baseline)).toDecimalPlaces(2).toFixed(2));
    assert.equal(service.currency, 'RUB');
    assert.equal(service.connectionId, spiky);
    assert.equal(service.scopeKey, `${spiky}/Compute`);
    assert.equal(service.evidence.method, 'weekday_median_mad');
    // The connection's anomaly has the same impact: storage is flat.
    assert.equal(items.find((a) => a.scopeKind === 'connection')!.impact, service.impact);
    assert.ok(!items.some((a) => a.connectionId === clean || a.connectionId === young));
  });

  it('takes a false-positive day out of later baselines of that scope only', async () => {
    const service = (await list()).find((a) => a.scopeKind === 'service')!;
    const patched = await api<AnomalyItem>('PATCH', `/api/v1/anomalies/${service.id}`, { feedback: 'false_positive' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.feedback, 'false_positive');
    const [audit] = await t.db.query<{ actor_kind: string; details: Record<string, unknown> }>(
      `SELECT actor_kind, details FROM audit_log WHERE action = 'anomaly.feedback' AND target_id = $1`,
      [service.id]
    );
    assert.equal(audit!.details.to, 'false_positive');

    // A second spike a week later: its service baseline leaves the first out, the connection's does not.
    const second = addDays(SPIKE, 7);
    const amount = new Decimal(WEEKLY[weekday(second)]!).mul(3).toFixed(2);
    await writeDailyCosts(t.db, { tenantId, connectionId: spiky }, [{ day: second, service: 'Compute', amount }]);
    await runAnomalyDetection(t.db, tenantId, NOW);
    const items = await list();
    const serviceLater = items.find((a) => a.scopeKind === 'service' && a.day === second)!;
    const connectionLater = items.find((a) => a.scopeKind === 'connection' && a.day === second)!;
    assert.deepEqual(serviceLater.evidence.excludedDays, [SPIKE]);
    assert.ok(!serviceLater.evidence.baseline.some((b: { day: string }) => b.day === SPIKE));
    assert.deepEqual(connectionLater.evidence.excludedDays, []);
    assert.ok(connectionLater.evidence.baseline.some((b: { day: string }) => b.day === SPIKE));
  });

  it('drops an anomaly whose day was restated to normal, but keeps one with feedback', async () => {
    const normal = compute
      .find((p) => p.day === SPIKE)!
      .amount.div(3)
      .toFixed(2);
    await writeDailyCosts(t.db, { tenantId, connectionId: spiky }, [
      { day: SPIKE, service: 'Compute', amount: normal },
    ]);
    await runAnomalyDetection(t.db, tenantId, NOW);
    const onSpikeDay = (await list()).filter((a) => a.day === SPIKE);
    assert.deepEqual(
      onSpikeDay.map((a) => [a.scopeKind, a.feedback]),
      [['service', 'false_positive']]
    );
  });

  it('serves the query type anomalies, hiding false positives unless asked', async () => {
    const query = async (extra: Record<string, unknown>) =>
      (
        await api<QueryResponse>('POST', '/api/v1/query', {
          from: `${FIRST}T00:00:00+03:00`,
          to: NOW.toISOString(),
          queries: [{ refId: 'A', queryType: 'anomalies', ...extra }],
        })
      ).body.results.A!;
    const shown = (await query({})).frames[0];
    assert.deepEqual(column<string>(shown, 'feedback'), ['', '']);
    assert.deepEqual(column(shown, 'time'), [
      Date.parse(`${addDays(SPIKE, 7)}T00:00:00+03:00`),
      Date.parse(`${addDays(SPIKE, 7)}T00:00:00+03:00`),
    ]);
    const all = (await query({ hideFalsePositives: false, scopeKind: 'service' })).frames[0];
    assert.deepEqual(column<string>(all, 'feedback').sort(), ['', 'false_positive']);
    assert.equal((await query({ scopeKind: 'resource' })).status, 400);
  });

  it('lists by day range and connection, and validates feedback', async () => {
    const everything = await list();
    const second = addDays(SPIKE, 7);
    const only = (
      await api<{ items: AnomalyItem[] }>('GET', `/api/v1/anomalies?from=${second}&to=${second}&connection=${spiky}`)
    ).body.items;
    assert.equal(only.length, 2);
    assert.ok(only.every((a) => a.day === second));
    assert.deepEqual(
      (
        await api<{ items: AnomalyItem[] }>(
          'GET',
          `/api/v1/anomalies?from=${FIRST}&to=${YESTERDAY}&connection=${clean}`
        )
      ).body.items,
      []
    );
    const id = everything[0]!.id;
    for (const body of [{}, { feedback: 'yes' }, { feedback: 'confirmed', extra: true }]) {
      assert.equal((await api('PATCH', `/api/v1/anomalies/${id}`, body)).status, 400, JSON.stringify(body));
    }
    assert.equal(
      (await api('PATCH', '/api/v1/anomalies/00000000-0000-4000-8000-000000000000', { feedback: null })).status,
      404
    );
    const cleared = await api<AnomalyItem>('PATCH', `/api/v1/anomalies/${id}`, { feedback: null });
    assert.equal(cleared.body.feedback, null);
  });
});
