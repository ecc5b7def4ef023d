/**
 * forecastDaily as a pure function: backtests on seeded synthetic series with known trend and weekly
 * seasonality (MAPE < 10 %), exact answers for noise-free series, intervals that contain the truth and
 * widen with the horizon, and the short-history fallbacks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { addDays, fitForecast, forecastDaily, forecastSum, type DailyAmount } from '../src/analytics/forecast.js';
import { seededRandom } from '../src/sandbox/random.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { dayRange, insertConnection, writeDailyCosts } from './helpers/daily-costs.js';
import { column, customOf, queryOne } from './helpers/frame-columns.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

const WEEKLY = [120, 140, 135, 130, 110, -260, -375]; // sums to 0: Mon…Sun offsets of a business workload
const START = '2026-01-05'; // a Monday

function normal(random: () => number): number {
  // Box-Muller; 1 - u keeps log away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function series(days: number, f: (t: number) => number): DailyAmount[] {
  return Array.from({ length: days }, (_, t) => ({ day: addDays(START, t), amount: new Decimal(f(t).toFixed(2)) }));
}

const truth = (t: number) => 2_000 + 6 * t + WEEKLY[t % 7]!;

function mape(actual: number[], predicted: number[]): number {
  return (actual.reduce((a, v, i) => a + Math.abs((v - predicted[i]!) / v), 0) / actual.length) * 100;
}

describe('forecastDaily', () => {
  for (const seed of [1, 7, 42]) {
    it(`backtest seed ${seed}: 120 days of trend + weekly season + 5 % noise, next 30 days within MAPE 10 %`, () => {
      const random = seededRandom(seed);
      const all = series(150, (t) => truth(t) * (1 + 0.05 * normal(random)));
      const history = all.slice(0, 120);
      const actual = all.slice(120).map((p) => p.amount.toNumber());
      const fit = fitForecast(history, 30);
      assert.equal(fit.method, 'holt_winters');
      assert.equal(fit.points[0]!.day, all[120]!.day);
      const error = mape(
        actual,
        fit.points.map((p) => p.value.toNumber())
      );
      assert.ok(error < 10, `MAPE ${error.toFixed(2)} %`);
      // Against the noise-free truth the model is much closer than the noise level.
      const truthError = mape(
        Array.from({ length: 30 }, (_, i) => truth(120 + i)),
        fit.points.map((p) => p.value.toNumber())
      );
      assert.ok(truthError < 5, `MAPE against the truth ${truthError.toFixed(2)} %`);
      // Nearly all actual days fall inside the 95 % interval.
      const inside = fit.points.filter((p, i) => p.lower.lte(actual[i]!) && p.upper.gte(actual[i]!)).length;
      assert.ok(inside >= 26, `${inside} of 30 inside the interval`);
    });
  }

  it('continues a noise-free trend + season exactly (to the kopeck)', () => {
    const points = forecastDaily(series(56, truth), 14);
    assert.equal(points.length, 14);
    points.forEach((p, i) => {
      assert.ok(
        p.value
          .minus(truth(56 + i))
          .abs()
          .lte('0.05'),
        `${p.day}: ${p.value.toString()} vs ${truth(56 + i)}`
      );
    });
  });

  it('widens the interval with the horizon and keeps lower ≤ value ≤ upper', () => {
    const random = seededRandom(3);
    const points = forecastDaily(
      series(90, (t) => truth(t) + 40 * normal(random)),
      90
    );
    const width = (i: number) => points[i]!.upper.minus(points[i]!.lower).toNumber();
    assert.ok(width(89) > width(0));
    for (const p of points) assert.ok(p.lower.lte(p.value) && p.value.lte(p.upper));
  });

  it('never forecasts negative cost for a non-negative history', () => {
    const points = forecastDaily(
      series(28, (t) => Math.max(0, 100 - 4 * t)),
      60
    );
    for (const p of points) assert.ok(p.value.gte(0) && p.lower.gte(0));
  });

  it('fills missing days with zero and sums duplicate days', () => {
    const fit = fitForecast(
      [
        { day: '2026-03-01', amount: new Decimal(10) },
        { day: '2026-03-01', amount: new Decimal(5) },
        { day: '2026-03-04', amount: new Decimal(15) },
      ],
      2
    );
    assert.equal(fit.historyDays, 4);
    assert.equal(fit.method, 'mean');
    assert.equal(fit.points[0]!.value.toString(), '7.5'); // (15 + 0 + 0 + 15) / 4
    assert.deepEqual(
      fit.points.map((p) => p.day),
      ['2026-03-05', '2026-03-06']
    );
  });

  it('uses a linear trend for 7–13 days of history', () => {
    const fit = fitForecast(
      series(10, (t) => 100 + 10 * t),
      3
    );
    assert.equal(fit.method, 'linear_trend');
    assert.deepEqual(
      fit.points.map((p) => p.value.toString()),
      ['200', '210', '220']
    );
  });

  it('answers nothing for no history or no horizon', () => {
    assert.deepEqual(forecastDaily([], 10), []);
    assert.deepEqual(forecastDaily(series(20, truth), 0), []);
  });

  it('sums a period exactly for a noise-free series and gives the sum an interval narrower than the summed daily ones', () => {
    const fit = fitForecast(series(56, truth), 90);
    const first = addDays(START, 60);
    const last = addDays(START, 89);
    const total = forecastSum(fit, first, last);
    const expected = Array.from({ length: 30 }, (_, i) => truth(60 + i)).reduce((a, b) => a + b, 0);
    assert.equal(total.days, 30);
    assert.ok(total.value.minus(expected).abs().lte('1'), `${total.value.toString()} vs ${expected}`);

    const random = seededRandom(11);
    const noisy = fitForecast(
      series(120, (t) => truth(t) * (1 + 0.05 * normal(random))),
      60
    );
    const sum = forecastSum(noisy, addDays(START, 130), addDays(START, 159));
    const summedDaily = noisy.points.slice(10, 40).reduce((a, p) => a.plus(p.upper.minus(p.value)), new Decimal(0));
    assert.ok(sum.upper.minus(sum.value).gt(0));
    assert.ok(sum.upper.minus(sum.value).lt(summedDaily));
    assert.equal(
      sum.value.toString(),
      noisy.points
        .slice(10, 40)
        .reduce((a, p) => a.plus(p.value), new Decimal(0))
        .toString()
    );
  });

  it('contains the actual 30-day total in its 95 % interval for most seeds', () => {
    let inside = 0;
    for (let seed = 100; seed < 120; seed++) {
      const random = seededRandom(seed);
      const all = series(150, (t) => truth(t) * (1 + 0.05 * normal(random)));
      const fit = fitForecast(all.slice(0, 120), 30);
      const total = forecastSum(fit, all[120]!.day, all[149]!.day);
      const actual = all.slice(120).reduce((a, p) => a.plus(p.amount), new Decimal(0));
      if (total.lower.lte(actual) && total.upper.gte(actual)) inside++;
    }
    assert.ok(inside >= 17, `${inside} of 20`);
  });

  it('gives the mean fallback the variance of a sum of L days: σ²(L + L²/n)', () => {
    const fit = fitForecast(
      series(4, (t) => [10, 20, 10, 20][t]!),
      3
    );
    const total = forecastSum(fit, addDays(START, 4), addDays(START, 6));
    assert.equal(total.value.toString(), '45');
    const sigma = Math.sqrt(100 / 3);
    const half = 1.959964 * sigma * Math.sqrt(3 + 9 / 4);
    assert.equal(total.upper.toString(), new Decimal(45).plus(half.toFixed(2)).toString());
  });

  it('rejects malformed days', () => {
    assert.throws(() => forecastDaily([{ day: '01.03.2026', amount: new Decimal(1) }], 1), /YYYY-MM-DD/);
  });
});

describe('query type forecast on stored costs', () => {
  const NOW = new Date('2026-03-20T09:00:00Z'); // 12:00 in Moscow; the history ends yesterday
  const FIRST = '2025-11-21';
  const DAYS = 119; // up to 2026-03-19
  const dayIndex = (day: string) =>
    Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${FIRST}T00:00:00Z`)) / 86_400_000);
  /** Compute grows 6 ₽ a day with a weekly pattern; storage is a flat 500 ₽. */
  const computeAt = (day: string) => 2_000 + 6 * dayIndex(day) + WEEKLY[(dayIndex(day) + 4) % 7]!;
  const total = (day: string) => computeAt(day) + 500;
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let token: string;
  let compute: string;
  let storage: string;

  const query = (q: Record<string, unknown>) =>
    queryOne(app, token, { from: '2026-03-01T00:00:00+03:00', to: NOW.toISOString() }, { queryType: 'forecast', ...q });

  before(async () => {
    t = await createTestDatabase('analytics_forecast');
    ({ app } = await buildTestApp(t.db, { now: () => NOW }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    const tenantId = boot.tenant.id;
    compute = await insertConnection(t.db, tenantId, 'Compute');
    storage = await insertConnection(t.db, tenantId, 'Storage', 'beget');
    const days = dayRange(FIRST, DAYS);
    await writeDailyCosts(
      t.db,
      { tenantId, connectionId: compute },
      days.map((day) => ({ day, service: 'Compute', amount: String(computeAt(day)) }))
    );
    await writeDailyCosts(
      t.db,
      { tenantId, connectionId: storage, provider: 'beget' },
      days.map((day) => ({ day, service: 'Storage', amount: '500' }))
    );
  });

  after(async () => {
    await app?.close();
    await t?.drop();
  });

  it('gives the actual days to date and the forecast to the end of the third next month', async () => {
    const [frame] = (await query({})).frames;
    const time = column(frame, 'time');
    const actual = column(frame, 'actual');
    const forecast = column(frame, 'forecast');
    assert.equal(time[0], Date.parse('2026-03-01T00:00:00+03:00'));
    assert.equal(time[time.length - 1], Date.parse('2026-06-30T00:00:00+03:00'));
    assert.equal(actual[18], total('2026-03-19'));
    assert.equal(forecast[18], total('2026-03-19'), 'the forecast line starts at the last actual day');
    assert.equal(actual[19], null);
    for (let i = 19; i < time.length; i++) {
      const day = new Date(time[i]! + 3 * 3_600_000).toISOString().slice(0, 10);
      assert.ok(Math.abs(forecast[i]! - total(day)) < 0.5, `${day}: ${forecast[i]} vs ${total(day)}`);
    }
    assert.equal(customOf<{ model: { method: string } }>(frame).model.method, 'holt_winters');
  });

  it('sums this month (actual to date + forecast) and the next three months', async () => {
    const [frame] = (await query({ view: 'periods' })).frames;
    assert.deepEqual(column(frame, 'period'), ['2026-03', '2026-04', '2026-05', '2026-06']);
    const sum = (first: string, last: string) =>
      dayRange(first, dayIndex(last) - dayIndex(first) + 1).reduce((a, d) => a + total(d), 0);
    const expected = [
      sum('2026-03-01', '2026-03-31'),
      sum('2026-04-01', '2026-04-30'),
      sum('2026-05-01', '2026-05-31'),
      sum('2026-06-01', '2026-06-30'),
    ];
    column(frame, 'forecast').forEach((v: number, i: number) =>
      assert.ok(Math.abs(v - expected[i]!) < 5, `${v} vs ${expected[i]}`)
    );
    assert.deepEqual(column(frame, 'actual'), [sum('2026-03-01', '2026-03-19'), 0, 0, 0]);
    column(frame, 'lower').forEach((v, i) => assert.ok(v <= column(frame, 'forecast')[i]!));
    column(frame, 'upper').forEach((v, i) => assert.ok(v >= column(frame, 'forecast')[i]!));
  });

  it('forecasts per connection, largest first, or one chosen scope', async () => {
    const frames = (await query({ scope: 'connection' })).frames;
    assert.deepEqual(
      frames.map((f) => f.schema.name),
      ['Compute', 'Storage']
    );
    const [flat] = (await query({ scope: 'connection', scopeValue: storage })).frames;
    assert.ok(
      column(flat, 'forecast')
        .slice(19)
        .every((v: number) => v === 500)
    );
    const [byProvider] = (await query({ scope: 'provider', scopeValue: 'selectel', view: 'periods' })).frames;
    assert.deepEqual([...new Set(column<string>(byProvider, 'scope'))], ['selectel']);
    assert.equal(column((await query({ scope: 'service', scopeValue: 'Nothing' })).frames[0], 'time').length, 0);
  });

  it('answers a bad forecast query with 400 for that query only', async () => {
    for (const q of [{ scope: 'galaxy' }, { view: 'weekly' }, { limit: 0 }, { scopeValue: '' }]) {
      const result = await query(q);
      assert.equal(result.status, 400, JSON.stringify(q));
      assert.ok(result.error);
    }
  });
});
