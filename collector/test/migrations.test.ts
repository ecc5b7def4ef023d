import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../src/storage/migrate.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const EXPECTED_TABLES = [
  'tenants',
  'api_tokens',
  'secrets',
  'connections',
  'audit_log',
  'sync_snapshots',
  'resources',
  'resource_states',
  'cost_records',
  'resource_metrics',
  'account_balances',
  'cost_daily',
  'metrics_hourly',
  'fx_rates',
  'budgets',
  'recommendations',
  'anomalies',
  'allocation_rules',
  'unit_metrics',
  'report_schedules',
];

describe('migrations (plain PostgreSQL)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase('migr');
  });
  after(async () => {
    await t.drop();
    await stopTestCluster();
  });

  it('create the whole schema on an empty database in plain mode', async () => {
    const status = await migrate(t.db);
    assert.equal(status.mode, 'plain');
    assert.equal(status.version, status.latest);
    assert.ok(status.applied.includes('plain/004.do.rollups.sql'));
    assert.ok(!status.applied.some((f) => f.startsWith('timescale/')));
    const rows = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
    );
    const tables = rows.map((r) => r.table_name);
    for (const name of EXPECTED_TABLES) assert.ok(tables.includes(name), `missing table ${name}`);
  });

  it('do nothing on an already-migrated database', async () => {
    const again = await migrate(t.db);
    assert.deepEqual(again.applied, []);
    assert.equal(again.version, again.latest);
  });

  it('are safe when two processes migrate at once', async () => {
    const results = await Promise.all([migrate(t.db), migrate(t.db)]);
    assert.deepEqual(
      results.map((r) => r.applied),
      [[], []]
    );
  });

  it('put a tenant row-level security policy on every table with tenant_id', async () => {
    const rows = await t.db.query<{ table: string; rls: boolean; policies: number }>(
      `SELECT c.relname AS table, c.relrowsecurity AS rls,
              (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
       WHERE n.nspname = 'public' AND c.relkind = 'r'`
    );
    assert.ok(rows.length >= 15);
    for (const row of rows) {
      assert.ok(row.rls && row.policies > 0, `${row.table} has no row-level security`);
    }
  });

  it('store money as numeric, never floating point', async () => {
    const rows = await t.db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND (column_name LIKE '%\\_cost' OR column_name IN
         ('amount', 'balance', 'actual', 'expected', 'impact', 'rate', 'estimated_monthly_savings'))
         AND column_name NOT LIKE 'has\\_%'`
    );
    assert.ok(rows.length > 10);
    for (const r of rows) assert.equal(r.data_type, 'numeric', `${r.table_name}.${r.column_name}`);
  });

  it('keep the audit log append-only', async () => {
    await t.db.query(`INSERT INTO audit_log (actor, actor_kind, action) VALUES ('t', 'system', 'test')`);
    await assert.rejects(t.db.query(`UPDATE audit_log SET action = 'x'`), /append-only/);
    await assert.rejects(t.db.query(`DELETE FROM audit_log`), /append-only/);
  });

  it('refuse a migration file edited after it was applied', async () => {
    await t.db.query(`UPDATE infrazen_schema_version SET md5 = 'edited' WHERE version = 1`);
    await assert.rejects(migrate(t.db), /checksum|md5/i);
  });
});
