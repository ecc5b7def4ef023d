/**
 * The query API figures of `npm run bench`: "monthly cost by service over 13 months" through
 * `POST /api/v1/query` on a generated dataset (default 2,000 resources × 13 months of hourly lines, ~19M
 * cost rows, one tenant and connection), against two baselines measured in the same run:
 *   - the same aggregation run directly on the raw `cost_records` table (target: the API ≥ 20× faster);
 *   - the exact SQL the API runs (buildCostsSql), straight on the rollup through `db.withTenant`
 *     (target: the API's own overhead ≤ 1.5×).
 * The three answers are checked to agree to the kopeck before anything is printed.
 *
 * The dataset is generated inside PostgreSQL (`INSERT … SELECT` over generate_series, one statement per
 * day of lines; in plain mode with cost_records' indexes dropped and rebuilt after) on this bench's own
 * database, rolled up with refreshCostDaily like a sync would, then `VACUUM ANALYZE`d: ~5 min and ~10 GB at
 * the default scale. Progress and setup timings go to stderr; stdout gets one line per figure.
 *
 * Scale: BENCH_QUERY_RESOURCES, BENCH_QUERY_MONTHS (quick runs), BENCH_QUERY_RUNS (timed runs per figure,
 * after 2 warm-ups); BENCH_QUERY=0 skips the figures; BENCH_QUERY_EXPLAIN=1 prints
 * `EXPLAIN (ANALYZE, BUFFERS, SETTINGS)` of both baselines to stderr.
 */
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { Decimal } from 'decimal.js';
import type { CostsQuery, DataFrameJSON, QueryResponse } from '../src/contract/query.js';
import { buildCostsSql } from '../src/query/costs.js';
import { REPORT_TIME_ZONE } from '../src/query/time.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import type { Database, Queryable } from '../src/storage/db.js';
import { migrate, type StorageMode } from '../src/storage/migrate.js';
import type { TenantRow } from '../src/storage/repositories/tenants.js';
import { refreshCostDaily } from '../src/storage/rollups.js';
import { buildTestApp } from '../test/helpers/app.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { envInt } from './env.js';

/** The issue's targets. */
export const SPEEDUP_TARGET = 20;
export const OVERHEAD_TARGET = 1.5;
const WARMUPS = 2;
/** The first month of the generated range (Moscow calendar months). */
const FIRST_MONTH = '2025-01-01';

export interface QueryBenchScale {
  resources: number;
  months: number;
  runs: number;
}

export interface QueryBenchResult {
  scale: QueryBenchScale;
  rows: number;
  rollupRows: number;
  /** Median latencies, ms. */
  apiMs: number;
  rawMs: number;
  rollupMs: number;
}

export function queryBenchScale(): QueryBenchScale | undefined {
  if (process.env.BENCH_QUERY === '0') return undefined;
  return {
    resources: envInt('BENCH_QUERY_RESOURCES', 2_000),
    months: envInt('BENCH_QUERY_MONTHS', 13),
    runs: envInt('BENCH_QUERY_RUNS', 9),
  };
}

const note = (text: string) => process.stderr.write(`[bench query] ${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const months = (n: number) => `${n} month${n === 1 ? '' : 's'}`;

/** Ten services the way the provider mappers name them, a few regions; every line in RUB. */
const SERVICES = [
  ['Cloud Servers', 'Compute', 'server', 'compute_cores'],
  ['Block Storage', 'Storage', 'volume', 'volume_gigabytes_fast'],
  ['Managed Databases', 'Databases', 'dbaas_cluster', 'dbaas_postgresql_cores'],
  ['Managed Kubernetes', 'Compute', 'mks_cluster', 'mks_cluster_ha'],
  ['Object Storage', 'Storage', 's3_bucket', 's3_storage_standard'],
  ['CDN', 'Networking', 'cdn_resource', 'cdn_traffic'],
  ['Public IPs', 'Networking', 'floating_ip', 'network_floating_ip'],
  ['File Storage', 'Storage', 'file_share', 'file_storage_hdd'],
  ['Container Registry', 'Developer Tools', 'registry', 'craas_storage'],
  ['Backups and Snapshots', 'Storage', 'snapshot', 'volume_snapshot_gigabytes'],
] as const;
const REGIONS = ['ru-1', 'ru-3', 'ru-7', 'ru-9'] as const;

/**
 * One row per resource, kept in a scratch table the hourly lines are generated from. Resource ids are
 * UUIDs like the providers'; the hourly price is 0.05–50 RUB with 6 decimals, varying per hour.
 */
async function createResources(db: Database, count: number) {
  const services = SERVICES.map((s, i) => `(${i}, '${s[0]}', '${s[1]}', '${s[2]}', '${s[3]}')`).join(', ');
  const regions = REGIONS.map((r, i) => `(${i}, '${r}')`).join(', ');
  await db.query(`
    CREATE TABLE bench_resources AS
    SELECT n, md5('bench-resource-' || n)::uuid::text AS resource_id,
      s.service_name, s.service_category, s.resource_type, s.line_key,
      g.region_id, g.region_id || chr(97 + n % 3) AS zone,
      s.resource_type || '-' || lpad(n::text, 5, '0') AS resource_name,
      round((0.05 + (hashint4(n) & 65535) / 65535.0 * 49.95)::numeric, 6) AS hourly
    FROM generate_series(1, ${count}) n
    JOIN (VALUES ${services}) s (i, service_name, service_category, resource_type, line_key) ON s.i = n % ${SERVICES.length}
    JOIN (VALUES ${regions}) g (i, region_id) ON g.i = (n / ${SERVICES.length}) % ${REGIONS.length}`);
}

/** The lines of one window of hours: every resource, every hour, in charge_period_start order. */
const INSERT_LINES = `
  INSERT INTO cost_records (tenant_id, connection_id, resource_id, line_key, charge_period_start, charge_period_end,
    provider, billing_account_id, resource_name, resource_type, service_name, service_category, region_id,
    availability_zone, charge_category, charge_description, charge_frequency, pricing_category, pricing_quantity,
    pricing_unit, consumed_quantity, consumed_unit, list_unit_price, contracted_unit_price, billed_cost,
    effective_cost, list_cost, contracted_cost, billing_currency, tags, source)
  SELECT $1, $2, r.resource_id, r.line_key, h, h + interval '1 hour',
    'selectel', '123456', r.resource_name, r.resource_type, r.service_name, r.service_category, r.region_id,
    r.zone, 'Usage', r.service_name || ' usage', 'Usage-Based', 'Standard', 1,
    'hour', 1, 'hour', p.price, p.price, p.price,
    p.price, p.price, p.price, 'RUB', jsonb_build_object('provider_key', r.line_key, 'availability_zone', r.zone), 'api'
  FROM generate_series($3::timestamptz, $4::timestamptz - interval '1 hour', interval '1 hour') h
  CROSS JOIN bench_resources r
  CROSS JOIN LATERAL (
    SELECT round(r.hourly * (0.8 + ((hashint4(r.n # (extract(epoch FROM h)::bigint / 3600)::int) & 1023) / 2557.5)), 6) AS price
  ) p
  ORDER BY h, r.n`;

async function loadDataset(db: Database, tenantId: string, connectionId: string, from: Date, to: Date) {
  const DAY = 86_400_000;
  const days = Math.round((to.getTime() - from.getTime()) / DAY);
  const bar = new cliProgress.SingleBar(
    {
      format:
        '[bench query] load  {bar} {percentage}% | day {value}/{total} | {duration_formatted} (eta {eta_formatted})',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
      etaBuffer: 30,
    },
    cliProgress.Presets.shades_classic
  );
  bar.start(days, 0);
  try {
    for (let d = 0; d < days; d++) {
      const start = new Date(from.getTime() + d * DAY);
      const end = new Date(Math.min(to.getTime(), start.getTime() + DAY));
      await db.query(INSERT_LINES, [tenantId, connectionId, start, end]);
      bar.update(d + 1);
    }
  } finally {
    bar.stop();
  }
}

/**
 * Plain mode: runs `load` with the table's indexes (primary key included) dropped, then builds them again
 * from their own definitions — a bulk load's usual shape, about twice as fast here as keeping them. The
 * measured queries read neither index. Timescale mode keeps them (hypertable chunks own their indexes).
 */
async function withoutIndexes(db: Database, mode: StorageMode, table: string, load: () => Promise<void>) {
  if (mode !== 'plain') return load();
  const indexes = await db.query<{ name: string; def: string; constraint_def: string | null }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, pg_get_constraintdef(c.oid) AS constraint_def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
     WHERE x.indrelid = $1::regclass`,
    [table]
  );
  for (const ix of indexes) {
    await db.query(ix.constraint_def ? `ALTER TABLE ${table} DROP CONSTRAINT "${ix.name}"` : `DROP INDEX "${ix.name}"`);
  }
  await load();
  const started = performance.now();
  await db.session(async (session) => {
    await session.query(`SET maintenance_work_mem = '512MB'`);
    for (const ix of indexes) {
      await session.query(
        ix.constraint_def ? `ALTER TABLE ${table} ADD CONSTRAINT "${ix.name}" ${ix.constraint_def}` : ix.def
      );
    }
  });
  note(`rebuilt ${indexes.map((ix) => ix.name).join(', ')} in ${seconds(performance.now() - started)}`);
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** (month start epoch ms, service) → amount as an exact decimal. */
type Cells = Map<string, Decimal>;
const cellKey = (t: Date | number | string, service: string) => `${new Date(t).toISOString()} ${service}`;

function cellsFromRows(rows: { t: Date; service: string; value: string | null }[]): Cells {
  return new Map(rows.map((r) => [cellKey(r.t, r.service), new Decimal(r.value ?? 0)]));
}

function cellsFromFrames(frames: DataFrameJSON[]): Cells {
  const cells: Cells = new Map();
  for (const f of frames) {
    const cost = f.schema.fields.findIndex((x) => x.name === 'cost');
    const time = f.schema.fields.findIndex((x) => x.name === 'time');
    const service = f.schema.fields[cost]?.labels?.service;
    if (service === undefined || time < 0) throw new Error(`unexpected frame ${JSON.stringify(f.schema)}`);
    const times = f.data.values[time] as number[];
    const values = f.data.values[cost] as (number | null)[];
    // Frames label an empty service '(none)'; the generated data has none.
    times.forEach((t, i) => cells.set(cellKey(t, service), new Decimal(values[i] ?? 0)));
  }
  return cells;
}

/** Every cell in both, equal to the kopeck. */
function assertSameCells(what: string, expected: Cells, actual: Cells) {
  const problems: string[] = [];
  for (const [key, value] of expected) {
    const other = actual.get(key);
    if (!other) problems.push(`${key}: missing`);
    else if (!value.toDecimalPlaces(2).eq(other.toDecimalPlaces(2))) problems.push(`${key}: ${value} vs ${other}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) problems.push(`${key}: unexpected`);
  if (problems.length) throw new Error(`${what} disagrees with raw cost_records: ${problems.slice(0, 5).join('; ')}`);
}

const total = (cells: Cells) => [...cells.values()].reduce((a, b) => a.plus(b), new Decimal(0));

export interface QueryDataset {
  mode: StorageMode;
  tenantId: string;
  currency: string;
  from: Date;
  to: Date;
  rows: number;
  rollupRows: number;
}

/** The generated range: `months` Moscow calendar months from FIRST_MONTH. */
export async function queryBenchRange(db: Queryable, months: number): Promise<{ from: Date; to: Date }> {
  const [range] = await db.query<{ from: Date; to: Date }>(
    `SELECT ($1::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') AS "from",
            (($1::timestamp + make_interval(months => $2)) AT TIME ZONE '${REPORT_TIME_ZONE}') AS "to"`,
    [FIRST_MONTH, months]
  );
  return range!;
}

/** Fills a migrated, empty database (one tenant, one connection), rolls it up and analyzes it. */
export async function generateQueryDataset(
  db: Database,
  mode: StorageMode,
  tenant: TenantRow,
  scale: QueryBenchScale
): Promise<QueryDataset> {
  const [connection] = await db.query<{ id: string }>(
    `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, 'Selectel bench', 'selectel') RETURNING id`,
    [tenant.id]
  );
  const { from, to } = await queryBenchRange(db, scale.months);
  note(
    `scale: ${scale.resources} resources × ${months(scale.months)} of hourly lines ` +
      `(${from.toISOString()} – ${to.toISOString()}), ${mode} storage; generating`
  );

  let started = performance.now();
  await createResources(db, scale.resources);
  await withoutIndexes(db, mode, 'cost_records', () => loadDataset(db, tenant.id, connection!.id, from, to));
  await db.query('DROP TABLE bench_resources');
  const [{ rows } = { rows: 0 }] = await db.query<{ rows: number }>(`SELECT count(*) AS rows FROM cost_records`);
  note(`loaded ${rows} cost rows in ${seconds(performance.now() - started)}`);

  started = performance.now();
  await refreshCostDaily(db, mode, { from, to: new Date(to.getTime() - 1) });
  note(`refreshCostDaily over the whole range: ${seconds(performance.now() - started)}`);
  started = performance.now();
  await db.query('VACUUM ANALYZE cost_records');
  await db.query(mode === 'plain' ? 'VACUUM ANALYZE cost_daily' : 'ANALYZE');
  const [sizes] = await db.query<{ rollup_rows: number; raw: string; rollup: string }>(
    `SELECT (SELECT count(*) FROM cost_daily) AS rollup_rows,
       pg_size_pretty(pg_total_relation_size('cost_records')) AS raw,
       ${mode === 'plain' ? `pg_size_pretty(pg_total_relation_size('cost_daily'))` : `'(continuous aggregate)'`} AS rollup`
  );
  note(
    `VACUUM ANALYZE: ${seconds(performance.now() - started)}; cost_records ${sizes!.raw}, ` +
      `cost_daily ${sizes!.rollup_rows} rows ${sizes!.rollup}`
  );
  return {
    mode,
    tenantId: tenant.id,
    currency: tenant.reportingCurrency,
    from,
    to,
    rows,
    rollupRows: sizes!.rollup_rows,
  };
}

type App = Awaited<ReturnType<typeof buildTestApp>>['app'];

/** Checks that the three answers agree, then times them: medians over `runs` interleaved rounds, ms. */
export async function measureQueryApi(db: Database, app: App, token: string, data: QueryDataset, runs: number) {
  const { tenantId, from, to } = data;
  // 1. The API, end to end: auth, tenant transaction, the query, frames, response serialization.
  const costsQuery: CostsQuery = { refId: 'A', queryType: 'costs', granularity: 'month', groupBy: ['service'] };
  const request = {
    method: 'POST' as const,
    url: '/api/v1/query',
    headers: { authorization: `Bearer ${token}` },
    payload: { from: from.toISOString(), to: to.toISOString(), queries: [costsQuery] },
  };
  const api = async () => {
    const res = await app.inject(request);
    if (res.statusCode !== 200) throw new Error(`POST /api/v1/query: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.body;
  };

  // 2. The same aggregation on the raw lines, as the database owner with the tenant in the WHERE clause.
  const rawSql = `
    SELECT date_trunc('month', charge_period_start AT TIME ZONE '${REPORT_TIME_ZONE}') AT TIME ZONE '${REPORT_TIME_ZONE}' AS t,
      coalesce(service_name, '') AS service, sum(effective_cost) AS value
    FROM cost_records
    WHERE tenant_id = $1 AND charge_period_start >= $2 AND charge_period_start < $3
    GROUP BY 1, 2`;
  const rawParams = [tenantId, from, to];
  const raw = () => db.query<{ t: Date; service: string; value: string }>(rawSql, rawParams);

  // 3. The API's own SQL on the rollup, in a tenant transaction like the API's.
  const built = buildCostsSql(
    { tx: db, tenantId, from, to, currency: data.currency, now: new Date() },
    costsQuery,
    'month'
  );
  const rollup = () =>
    db.withTenant(tenantId, (tx) => tx.query<{ t: Date; v0: string; value: string | null }>(built.sql, built.params));

  // The three must give the same answer before their times mean anything.
  const rawCells = cellsFromRows(await raw());
  const rollupCells = cellsFromRows((await rollup()).map((r) => ({ t: r.t, service: r.v0, value: r.value })));
  const apiBody = JSON.parse(await api()) as QueryResponse;
  const apiResult = apiBody.results.A;
  if (!apiResult || apiResult.error) throw new Error(`the API query failed: ${apiResult?.error ?? 'no result'}`);
  assertSameCells('the rollup SQL', rawCells, rollupCells);
  assertSameCells('POST /api/v1/query', rawCells, cellsFromFrames(apiResult.frames));
  note(
    `answers agree to the kopeck: ${rawCells.size} (month, service) cells, total ${total(rawCells).toFixed(2)} ${data.currency}`
  );

  if (process.env.BENCH_QUERY_EXPLAIN === '1') {
    const explain = async (label: string, run: (prefix: string) => Promise<{ 'QUERY PLAN': string }[]>) =>
      note(`${label}:\n${(await run('EXPLAIN (ANALYZE, BUFFERS, SETTINGS) ')).map((r) => r['QUERY PLAN']).join('\n')}`);
    await explain('raw cost_records plan', (prefix) => db.query(prefix + rawSql, rawParams));
    await explain('rollup (API SQL) plan', (prefix) =>
      db.withTenant(tenantId, (tx) => tx.query(prefix + built.sql, built.params))
    );
  }

  // Interleaved rounds, so the three see the same cache and background conditions.
  const figures = { api, raw, rollup };
  const times: Record<keyof typeof figures, number[]> = { api: [], raw: [], rollup: [] };
  const bar = new cliProgress.SingleBar(
    {
      format: '[bench query] time  {bar} {value}/{total} rounds | {duration_formatted}',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
    },
    cliProgress.Presets.shades_classic
  );
  bar.start(WARMUPS + runs, 0);
  try {
    for (let round = 0; round < WARMUPS + runs; round++) {
      for (const name of Object.keys(figures) as (keyof typeof figures)[]) {
        const s = performance.now();
        await figures[name]();
        if (round >= WARMUPS) times[name].push(performance.now() - s);
      }
      bar.update(round + 1);
    }
  } finally {
    bar.stop();
  }
  for (const [name, values] of Object.entries(times)) note(`${name} ms: ${values.map((v) => v.toFixed(1)).join(', ')}`);
  return { apiMs: median(times.api), rawMs: median(times.raw), rollupMs: median(times.rollup) };
}

export async function benchQueryApi(scale: QueryBenchScale): Promise<QueryBenchResult> {
  const t = await createTestDatabase('bench_query');
  let app: App | undefined;
  try {
    const { mode } = await migrate(t.db);
    const { tenant, generatedToken } = await ensureBootstrapTenant(t.db, undefined);
    // Built before the long load, so a broken app fails the figure at once.
    ({ app } = await buildTestApp(t.db));
    const data = await generateQueryDataset(t.db, mode, tenant, scale);
    const medians = await measureQueryApi(t.db, app, generatedToken!, data, scale.runs);
    return { scale, rows: data.rows, rollupRows: data.rollupRows, ...medians };
  } finally {
    await app?.close();
    await t.drop();
  }
}

/** The two stdout lines, in the format of run.ts's line(), with each ratio's direction spelled out. */
export function queryBenchLines(r: QueryBenchResult): string[] {
  const name =
    `query API monthly-by-service (${r.scale.resources} resources × ${months(r.scale.months)} hourly, ` +
    `${r.rows} rows; median of ${r.scale.runs})`;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const speedup = r.rawMs / r.apiMs;
  const overhead = r.apiMs / r.rollupMs;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  return [
    `${name}: ${ms(r.apiMs)} | baseline (raw cost_records): ${ms(r.rawMs)} | ratio ${(r.apiMs / r.rawMs).toFixed(3)} ` +
      `= API ${speedup.toFixed(1)}× faster (target ≥ ${SPEEDUP_TARGET}×: ${verdict(speedup >= SPEEDUP_TARGET)})`,
    `${name}: ${ms(r.apiMs)} | baseline (same SQL on the rollup): ${ms(r.rollupMs)} | ratio ${overhead.toFixed(2)} ` +
      `= API overhead ${overhead.toFixed(2)}× (target ≤ ${OVERHEAD_TARGET}×: ${verdict(overhead <= OVERHEAD_TARGET)})`,
  ];
}
