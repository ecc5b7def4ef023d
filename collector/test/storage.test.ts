import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../src/storage/migrate.js';
import { upsertCostRecords } from '../src/storage/repositories/cost-records.js';
import { refreshCostDaily } from '../src/storage/rollups.js';
import { CONNECTION_A, costRows, createTwoTenants, readCostDaily } from './helpers/fixtures.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

describe('storage on plain PostgreSQL', () => {
  let t: TestDatabase;
  let tenants: { a: string; b: string };
  before(async () => {
    t = await createTestDatabase('storage');
    await migrate(t.db);
    tenants = await createTwoTenants(t.db);
  });
  after(async () => {
    await t.drop();
    await stopTestCluster();
  });

  it('parses int8 as numbers, numeric as exact strings and dates as plain dates', async () => {
    const [row] = await t.db.query<{ n: number; money: string; d: string }>(
      `SELECT 9007199254740991::int8 AS n, 0.1::numeric + 0.2::numeric AS money, '2026-03-01'::date AS d`
    );
    assert.equal(row!.n, 9007199254740991);
    assert.equal(row!.money, '0.3');
    assert.equal(row!.d, '2026-03-01');
    await assert.rejects(t.db.query(`SELECT 9007199254740993::int8 AS n`), /safe integer/);
  });

  it('keeps amounts exact and replaces re-ingested lines instead of doubling them', async () => {
    const rows = costRows(tenants, 5);
    const first = await upsertCostRecords(t.db, rows);
    assert.equal(first.written, rows.length);
    const restated = rows.map((r) => ({ ...r, billedCost: '0.1000000001' }));
    await upsertCostRecords(t.db, restated);
    const [sum] = await t.db.query<{ n: number; total: string }>(
      `SELECT count(*)::int AS n, sum(billed_cost)::text AS total FROM cost_records`
    );
    assert.equal(sum!.n, rows.length);
    assert.equal(sum!.total, (BigInt(rows.length) * 1000000001n).toString().replace(/(\d{10})$/, '.$1'));
  });

  it('rebuilds cost_daily for the written window in Moscow days', async () => {
    const rows = costRows(tenants, 5);
    const { window } = await upsertCostRecords(t.db, rows);
    await refreshCostDaily(t.db, 'plain', window!);
    const [check] = await t.db.query<{ raw: string; rolled: string; lines: number }>(
      `SELECT (SELECT sum(billed_cost) FROM cost_records)::text AS raw,
              (SELECT sum(billed_cost) FROM cost_daily)::text AS rolled,
              (SELECT sum(line_count)::int FROM cost_daily) AS lines`
    );
    assert.equal(check!.rolled, check!.raw);
    assert.equal(check!.lines, rows.length);
    // 21:00 UTC is midnight in Moscow: that line belongs to the next day.
    const [late] = await t.db.query<{ day: Date }>(
      `SELECT day FROM cost_daily WHERE resource_id = 'vm-0' AND connection_id = $1
       ORDER BY day LIMIT 1 OFFSET 1`,
      [CONNECTION_A]
    );
    assert.equal(late!.day.toISOString(), '2026-10-01T21:00:00.000Z');
    // A second refresh of the same window is idempotent.
    const before = await readCostDaily(t.db);
    await refreshCostDaily(t.db, 'plain', window!);
    await Promise.all([refreshCostDaily(t.db, 'plain', window!), refreshCostDaily(t.db, 'plain', window!)]);
    assert.deepEqual(await readCostDaily(t.db), before);
  });

  it('isolates tenants with row-level security', async () => {
    const seenByA = await t.db.withTenant(tenants.a, (tx) =>
      tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM cost_records`)
    );
    assert.deepEqual(
      seenByA.map((r) => r.tenant_id),
      [tenants.a]
    );
    const dailyByB = await t.db.withTenant(tenants.b, (tx) =>
      tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM tenant_cost_daily`)
    );
    assert.deepEqual(
      dailyByB.map((r) => r.tenant_id),
      [tenants.b]
    );
    // Rollups are reachable for tenants only through the tenant_* views (as in Timescale mode).
    await assert.rejects(
      t.db.withTenant(tenants.b, (tx) => tx.query(`SELECT 1 FROM cost_daily`)),
      /permission denied/
    );
    const ownTenant = await t.db.withTenant(tenants.a, (tx) => tx.query<{ id: string }>(`SELECT id FROM tenants`));
    assert.deepEqual(
      ownTenant.map((r) => r.id),
      [tenants.a]
    );
    // Writing another tenant's row is refused, not silently accepted.
    await assert.rejects(
      t.db.withTenant(tenants.a, (tx) =>
        tx.query(`INSERT INTO budgets (tenant_id, name, amount, currency) VALUES ($1, 'x', 10, 'RUB')`, [tenants.b])
      ),
      /row-level security/
    );
    // Without a tenant set, the restricted role sees nothing at all.
    const none = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE infrazen_tenant');
      return tx.query(`SELECT 1 FROM cost_records`);
    });
    assert.equal(none.length, 0);
  });
});
