/**
 * Balance runway with known answers: on a linear burn the runway is balance ÷ daily spend, counted from
 * the balance's own time; a changing burn is spent day by day; the `balances` query shows it next to the
 * provider's days to block, with how it was computed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { addDays } from '../src/analytics/forecast.js';
import { spendDown } from '../src/analytics/runway.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { dayRange, insertConnection, writeDailyCosts } from './helpers/daily-costs.js';
import { column, customOf, queryOne } from './helpers/frame-columns.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

const DAY = 86_400_000;

describe('spendDown (pure)', () => {
  it('lasts balance ÷ daily spend on a linear burn, whatever the time of day', () => {
    for (const asOf of ['2026-03-20T09:00:00Z', '2026-03-20T20:59:59Z', '2026-03-20T21:00:00Z']) {
      const r = spendDown(new Decimal('1000'), new Date(asOf), () => new Decimal(37));
      assert.equal(r.days, 27.03, asOf); // 1000 / 37 = 27.027…
      assert.equal(r.dailyBurn.toFixed(2), '37.00');
      assert.equal(r.exhaustedAt!.getTime(), Date.parse(asOf) + Math.round((1000 / 37) * DAY));
    }
  });

  it('spends a changing burn day by day, the first day only from the balance time on', () => {
    // 12:00 Moscow: half of the first day (100/day) remains, then 200/day: 50 + 200 + 200 = 450 by 2.5 days.
    const spend = (day: string) => new Decimal(day === '2026-03-20' ? 100 : 200);
    const r = spendDown(new Decimal(450), new Date('2026-03-20T09:00:00Z'), spend);
    assert.equal(r.days, 2.5);
    assert.equal(r.dailyBurn.toFixed(2), '180.00');
  });

  it('is zero for an empty balance and unknown (null) when nothing is spent or it outlasts the horizon', () => {
    assert.equal(spendDown(new Decimal(-5), new Date(), () => new Decimal(10)).days, 0);
    assert.equal(spendDown(new Decimal(100), new Date(), () => new Decimal(0)).days, null);
    assert.equal(spendDown(new Decimal(1e6), new Date(), () => new Decimal(1)).days, null);
  });
});

describe('runway in the balances query', () => {
  const NOW = new Date('2026-03-20T09:00:00Z');
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let token: string;
  let selectel: string;

  const query = (q: Record<string, unknown>) =>
    queryOne(
      app,
      token,
      { from: NOW.getTime() - 7 * DAY, to: NOW.getTime() + 60_000 },
      { queryType: 'balances', ...q }
    );

  before(async () => {
    t = await createTestDatabase('analytics_runway');
    ({ app } = await buildTestApp(t.db, { now: () => NOW }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    const tenantId = boot.tenant.id;
    selectel = await insertConnection(t.db, tenantId, 'Selectel');
    const beget = await insertConnection(t.db, tenantId, 'Beget', 'beget');
    const vk = await insertConnection(t.db, tenantId, 'VK', 'vkcloud');
    // A linear burn: 500 ₽ every day for the last 30 days.
    await writeDailyCosts(
      t.db,
      { tenantId, connectionId: selectel },
      dayRange(addDays('2026-03-19', -29), 30).map((day) => ({ day, service: 'Cloud Servers', amount: '500' }))
    );
    const balance = `INSERT INTO account_balances (tenant_id, connection_id, ts, balance, currency, daily_spend, days_to_block, details)
                     VALUES ($1, $2, $3, $4, 'RUB', $5, $6, $7)`;
    await t.db.query(balance, [
      tenantId,
      selectel,
      new Date(NOW.getTime() - 2 * DAY),
      '13000',
      '480',
      27,
      { providerDaysToBlock: 27 },
    ]);
    await t.db.query(balance, [tenantId, selectel, NOW, '12345.67', '480', 25, { providerDaysToBlock: 25 }]);
    // No billing history yet: the inventory's daily cost is all there is.
    await t.db.query(balance, [tenantId, beget, NOW, '900', '30', 30, { providerDaysToBlock: 30 }]);
    await t.db.query(balance, [tenantId, vk, NOW, '-100', null, null, {}]);
  });

  after(async () => {
    await app?.close();
    await t?.drop();
  });

  it('shows the runway (balance ÷ daily spend on a linear burn) next to the provider days to block', async () => {
    const [frame] = (await query({ view: 'runway' })).frames;
    const rows = column<string>(frame, 'connection').map((name, i) => ({
      name,
      runway: column<number | null>(frame, 'runway_days')[i],
      provider: column(frame, 'provider_days_to_block')[i],
      burn: column(frame, 'daily_burn')[i],
      method: column<string>(frame, 'method')[i],
      exhausted: column(frame, 'exhausted_at')[i],
      explanation: column<Record<string, unknown>>(frame, 'explanation')[i]!,
    }));
    const sel = rows.find((r) => r.name === 'Selectel')!;
    assert.equal(sel.runway, 24.69); // 12345.67 / 500
    assert.equal(sel.provider, 25);
    assert.equal(sel.burn, 500);
    assert.equal(sel.method, 'forecast');
    assert.equal(sel.exhausted, NOW.getTime() + Math.round((12345.67 / 500) * DAY));
    assert.equal(sel.explanation.balance, '12345.67');
    assert.equal(sel.explanation.asOf, NOW.toISOString());
    assert.equal(sel.explanation.lastBilledDay, '2026-03-19');

    const beget = rows.find((r) => r.name === 'Beget')!;
    assert.deepEqual([beget.runway, beget.method, beget.burn], [30, 'current_daily_spend', 30]);
    const vk = rows.find((r) => r.name === 'VK')!;
    assert.deepEqual([vk.runway, vk.method], [null, 'postpaid']);
  });

  it('keeps the balance history and puts the runway on the latest point', async () => {
    const frames = (
      await query({ connection: undefined, filters: [{ dimension: 'connection', op: 'include', values: [selectel] }] })
    ).frames;
    assert.equal(frames.length, 1);
    const [frame] = frames;
    assert.deepEqual(column(frame, 'balance'), [13000, 12345.67]);
    assert.deepEqual(column(frame, 'days_to_block'), [27, 25]);
    assert.deepEqual(column(frame, 'runway_days'), [null, 24.69]);
    assert.equal(customOf<{ runway: { method: string } }>(frame).runway.method, 'forecast');
  });

  it('rejects an unknown view', async () => {
    assert.equal((await query({ view: 'pie' })).status, 400);
  });
});
