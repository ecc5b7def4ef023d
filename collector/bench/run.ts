/**
 * `npm run bench`: one line per figure, each with a baseline measured in the same run and the ratio.
 * Figures: billing-line ingest (our upsert path vs a plain multi-row INSERT of the same rows) and
 * authenticated request cost (token lookup + tenant scope vs the unauthenticated health route), and a
 * first sync of a large sandbox Selectel account: wall time and cost rows per second against one COPY of
 * the same rows, peak RSS against its 400 MB budget (bench/sync-selectel.ts); a FOCUS import of a generated
 * 1,000,000-row file likewise, against its 300 MB budget (bench/focus-import.ts); and a load test of the
 * query API: 50 clients on a dashboard query mix, p50/p99/errors against GET /api/v1/health (bench/load.ts).
 */
import { performance } from 'node:perf_hooks';
import { migrate } from '../src/storage/migrate.js';
import { upsertCostRecords } from '../src/storage/repositories/cost-records.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from '../test/helpers/app.js';
import { costRows } from '../test/helpers/fixtures.js';
import { createTestDatabase, stopTestCluster } from '../test/helpers/postgres.js';
import { benchSyncSelectel, RSS_BUDGET_MB, syncBenchScale } from './sync-selectel.js';
import { benchQueryApi, queryBenchLines, queryBenchScale } from './query.js';
import { benchFocusImport, focusBenchRows, FOCUS_RSS_BUDGET_MB } from './focus-import.js';
import { benchLoad, loadBenchLines, loadBenchScale } from './load.js';

function line(name: string, value: number, unit: string, baseline: number, baselineName: string) {
  const ratio = value / baseline;
  process.stdout.write(
    `${name}: ${value.toFixed(1)} ${unit} | baseline (${baselineName}): ${baseline.toFixed(1)} ${unit} | ratio ${ratio.toFixed(2)}\n`
  );
}

async function main() {
  const t = await createTestDatabase('bench');
  try {
    await migrate(t.db);
    const { tenant, generatedToken: token } = await ensureBootstrapTenant(t.db, undefined);
    const tenants = { a: tenant.id, b: tenant.id };
    const rows = costRows(tenants, 200); // 12 000 rows
    // Baseline: the same rows through a plain multi-row INSERT (1 000 rows per statement).
    await t.db.query(`CREATE TABLE bench_plain (LIKE cost_records INCLUDING DEFAULTS)`);
    let start = performance.now();
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const values: unknown[] = [];
      const tuples = chunk.map((r, j) => {
        values.push(
          r.tenantId,
          r.connectionId,
          r.resourceId,
          r.lineKey,
          r.chargePeriodStart,
          r.chargePeriodEnd,
          r.provider,
          r.billedCost,
          r.effectiveCost,
          r.billingCurrency
        );
        const o = j * 10;
        return `(${Array.from({ length: 10 }, (_, k) => `$${o + k + 1}`).join(', ')})`;
      });
      await t.db.query(
        `INSERT INTO bench_plain (tenant_id, connection_id, resource_id, line_key, charge_period_start, charge_period_end,
           provider, billed_cost, effective_cost, billing_currency) VALUES ${tuples.join(', ')}`,
        values
      );
    }
    const baselineRate = rows.length / ((performance.now() - start) / 1000);
    start = performance.now();
    await upsertCostRecords(t.db, rows);
    const upsertRate = rows.length / ((performance.now() - start) / 1000);
    line('cost_records upsert (jsonb batch, idempotent)', upsertRate, 'rows/s', baselineRate, 'multi-row INSERT');

    const { app } = await buildTestApp(t.db);
    const auth = { authorization: `Bearer ${token!}` };
    const n = 300;
    const time = async (url: string, headers: Record<string, string>) => {
      for (let i = 0; i < 20; i++) await app.inject({ url, headers });
      const s = performance.now();
      for (let i = 0; i < n; i++) await app.inject({ url, headers });
      return ((performance.now() - s) / n) * 1000;
    };
    const healthUs = await time('/api/v1/health', {});
    const meUs = await time('/api/v1/me', auth);
    line('authenticated GET /api/v1/me', meUs, 'µs/request', healthUs, 'GET /api/v1/health');
    await app.close();

    const scale = syncBenchScale();
    if (scale) {
      const r = await benchSyncSelectel(scale);
      const name = `Selectel sync (${scale.vms} VMs, ${scale.volumes} volumes, ${scale.days} d hourly, ${r.rows} rows)`;
      const copySeconds = r.copyMs / 1000;
      line(`${name} wall time`, r.sync.wallMs / 1000, 's', copySeconds, 'COPY FROM STDIN of the same rows');
      line(
        `${name} cost rows written`,
        r.rows / (r.sync.wallMs / 1000),
        'rows/s',
        r.rows / copySeconds,
        'COPY FROM STDIN of the same rows'
      );
      line(`${name} peak RSS`, r.sync.maxRssMb, 'MB', RSS_BUDGET_MB, 'budget');
    }

    // Query API latency on 2,000 resources × 13 months (bench/query.ts); prints its own two lines.
    const queryScale = queryBenchScale();
    if (queryScale) {
      for (const text of queryBenchLines(await benchQueryApi(queryScale))) process.stdout.write(`${text}\n`);
    }

    // FOCUS import of a generated file in a child process vs one COPY of the same rows (bench/focus-import.ts).
    const focusRows = focusBenchRows();
    if (focusRows) {
      const f = await benchFocusImport(focusRows);
      const name = `FOCUS import (${f.rows} rows, ${f.fileMb.toFixed(0)} MB CSV)`;
      const copy = 'COPY FROM STDIN of the same rows';
      line(`${name} wall time`, f.worker.wallMs / 1000, 's', f.copyMs / 1000, copy);
      line(`${name} rows imported`, f.rows / (f.worker.wallMs / 1000), 'rows/s', f.rows / (f.copyMs / 1000), copy);
      line(`${name} peak RSS`, f.worker.maxRssMb, 'MB', FOCUS_RSS_BUDGET_MB, 'budget');
    }

    // 50 clients on a dashboard query mix against `infrazen serve` on demo data (bench/load.ts).
    const loadScale = loadBenchScale();
    if (loadScale) for (const text of loadBenchLines(await benchLoad(loadScale))) process.stdout.write(`${text}\n`);
  } finally {
    await t.drop();
    await stopTestCluster();
  }
}

await main();
