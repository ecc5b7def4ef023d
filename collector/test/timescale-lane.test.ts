/**
 * The TimescaleDB lane: the same migrations on PGlite + TimescaleDB (in-process), real hypertables and
 * continuous aggregates, and a differential test holding both storage modes to the same rollups.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { upsertCostRecords } from '../src/storage/repositories/cost-records.js';
import { upsertMetricSamples } from '../src/storage/repositories/resource-metrics.js';
import { refreshCostDaily, refreshMetricsHourly } from '../src/storage/rollups.js';
import { costRows, createTwoTenants, metricRows, readCostDaily, readMetricsHourly } from './helpers/fixtures.js';
import { createPgliteDatabase } from './helpers/pglite-database.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

describe('TimescaleDB lane (PGlite + TimescaleDB)', () => {
  let ts: Database;
  let plain: TestDatabase;

  before(async () => {
    ts = await createPgliteDatabase();
    plain = await createTestDatabase('difft');
  });
  after(async () => {
    await ts.close();
    await plain.drop();
    await stopTestCluster();
  });

  it('migrates in Timescale mode', async () => {
    const status = await migrate(ts);
    assert.equal(status.mode, 'timescale');
    assert.ok(status.applied.includes('timescale/004.do.rollups.sql'));
    assert.ok(!status.applied.some((f) => f.startsWith('plain/')));
    assert.deepEqual((await migrate(ts)).applied, [], 'a second run changes nothing');
  });

  it('creates real hypertables, continuous aggregates and policies', async () => {
    const hypertables = await ts.query<{ hypertable_name: string }>(
      `SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1`
    );
    const names = hypertables.map((h) => h.hypertable_name);
    for (const name of ['account_balances', 'cost_records', 'resource_metrics']) assert.ok(names.includes(name), name);
    const caggs = await ts.query<{ view_name: string }>(
      `SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1`
    );
    assert.deepEqual(
      caggs.map((c) => c.view_name),
      ['cost_daily', 'metrics_hourly']
    );
    const jobs = await ts.query<{ proc_name: string; hypertable_name: string }>(
      `SELECT proc_name, hypertable_name FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY 1, 2`
    );
    const kinds = new Set(jobs.map((j) => j.proc_name));
    for (const kind of ['policy_refresh_continuous_aggregate', 'policy_compression', 'policy_retention']) {
      assert.ok(kinds.has(kind), `missing ${kind}`);
    }
  });

  it('gives the same rollups as plain mode for the same inputs (differential)', async () => {
    await migrate(plain.db);
    const tenantsTs = await createTwoTenants(ts);
    const tenantsPlain = await createTwoTenants(plain.db);
    // Tenant ids are random per database; compare with ids mapped to stable labels.
    const label = (tenants: { a: string; b: string }) => (rows: Record<string, unknown>[]) =>
      rows
        .map((r) => ({ ...r, tenant_id: r.tenant_id === tenants.a ? 'A' : 'B' }))
        .map((r) => JSON.stringify(r))
        .sort();

    for (const [db, mode, tenants] of [
      [ts, 'timescale', tenantsTs],
      [plain.db, 'plain', tenantsPlain],
    ] as const) {
      const costs = await upsertCostRecords(db, costRows(tenants, 20));
      // A restatement of part of the window, as providers do.
      await upsertCostRecords(db, costRows(tenants, 3, 99));
      await refreshCostDaily(db, mode, costs.window!);
      const metrics = await upsertMetricSamples(db, metricRows(tenants, 30));
      await refreshMetricsHourly(db, mode, metrics.window!);
    }

    const costTs = label(tenantsTs)(await readCostDaily(ts));
    const costPlain = label(tenantsPlain)(await readCostDaily(plain.db));
    assert.ok(costPlain.length > 100, `expected many daily rows, got ${costPlain.length}`);
    assert.deepEqual(costTs, costPlain);

    const metricsTs = label(tenantsTs)(await readMetricsHourly(ts));
    const metricsPlain = label(tenantsPlain)(await readMetricsHourly(plain.db));
    assert.ok(metricsPlain.length > 100);
    assert.deepEqual(metricsTs, metricsPlain);
  });

  it('compresses utilization samples and reads the same afterwards', async () => {
    const before = await readMetricsHourly(ts);
    const chunks = await ts.query<{ c: string }>(`SELECT show_chunks('resource_metrics')::text AS c`);
    assert.ok(chunks.length > 1);
    for (const { c } of chunks) await ts.query(`SELECT compress_chunk($1::regclass, if_not_compressed => true)`, [c]);
    const [compressed] = await ts.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timescaledb_information.chunks
       WHERE hypertable_name = 'resource_metrics' AND is_compressed`
    );
    assert.equal(compressed!.n, chunks.length);
    const [{ from, to }] = (await ts.query<{ from: Date; to: Date }>(
      `SELECT min(ts) AS "from", max(ts) AS "to" FROM resource_metrics`
    )) as [{ from: Date; to: Date }];
    await refreshMetricsHourly(ts, 'timescale', { from, to });
    assert.deepEqual(await readMetricsHourly(ts), before);
  });

  it('enforces tenant row-level security on hypertables too', async () => {
    const [tenant] = await ts.query<{ id: string }>(`SELECT id FROM tenants ORDER BY grafana_org_id LIMIT 1`);
    const seen = await ts.withTenant(tenant!.id, (tx) =>
      tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM cost_records`)
    );
    assert.deepEqual(
      seen.map((r) => r.tenant_id),
      [tenant!.id]
    );
    // Compressed samples and continuous aggregates: only through the tenant views.
    for (const view of ['tenant_resource_metrics', 'tenant_cost_daily', 'tenant_metrics_hourly']) {
      const rows = await ts.withTenant(tenant!.id, (tx) =>
        tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${view}`)
      );
      assert.deepEqual(
        rows.map((r) => r.tenant_id),
        [tenant!.id],
        view
      );
    }
    for (const table of ['resource_metrics', 'cost_daily', 'metrics_hourly']) {
      await assert.rejects(
        ts.withTenant(tenant!.id, (tx) => tx.query(`SELECT 1 FROM ${table} LIMIT 1`)),
        /permission denied/,
        table
      );
    }
  });
});
