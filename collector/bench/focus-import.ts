/**
 * The FOCUS figure of `npm run bench`: one import of a generated FOCUS 1.2 file (default 1,000,000 rows,
 * two billing periods, usage lines of 2,000 resources plus tax, credit and purchase lines) against the
 * COPY rate of the very rows it stored, in the same run and on the same database.
 *
 * The import runs in a child process (bench/focus-worker.ts) through the production service, so its
 * peak RSS is the import's own; the issue's budget is 300 MB. Then, as for the sync figure:
 *   1. the imported rows are exported with `COPY … TO STDOUT` to a temp file;
 *   2. cost_records is truncated (the database is this bench's own);
 *   3. the file is loaded back with one `COPY cost_records (…) FROM STDIN`, timed.
 *
 * Scale: BENCH_FOCUS_ROWS (quick runs); BENCH_FOCUS=0 skips the figure. BENCH_FOCUS_NODE_ARGS passes
 * flags to the worker (e.g. `--cpu-prof`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { COLLECTOR_HEAP_FLAG } from './collector-heap.js';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { COPY_COLUMNS } from '../src/focus/rows.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { migrate } from '../src/storage/migrate.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import type { FocusWorkerInput, FocusWorkerResult } from './focus-worker.js';

const COLLECTOR_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The issue's memory budget for the import process. */
export const FOCUS_RSS_BUDGET_MB = 300;
const RESOURCES = 2_000;

export interface FocusBenchResult {
  rows: number;
  fileMb: number;
  worker: FocusWorkerResult;
  copyMs: number;
}

export function focusBenchRows(): number | undefined {
  if (process.env.BENCH_FOCUS === '0') return undefined;
  const raw = process.env.BENCH_FOCUS_ROWS;
  if (raw === undefined || raw === '') return 1_000_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_FOCUS_ROWS must be a positive whole number, got "${raw}"`);
  return n;
}

const note = (text: string) => process.stderr.write(`[bench focus] ${text}\n`);

const HEADER = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SubAccountId',
  'Tags',
  'x_Discounts',
];

const KINDS = [
  ['Instance', 'Amazon Elastic Compute Cloud', 'Compute', 'Hrs'],
  ['Volume', 'Amazon Elastic Block Store', 'Storage', 'GB-Mo'],
  ['Bucket', 'Amazon Simple Storage Service', 'Storage', 'GB-Mo'],
  ['DB Instance', 'Amazon Relational Database Service', 'Databases', 'Hrs'],
] as const;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

/** Row i: resource i mod 2,000 in hour i div 2,000 from October 20 (so two billing periods). */
export function* focusLines(rows: number): Generator<string> {
  yield HEADER.join(',') + '\n';
  const start = Date.UTC(2026, 9, 20);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const r = i % RESOURCES;
    const t = start + Math.floor(i / RESOURCES) * 3_600_000;
    const month = new Date(t);
    const periodStart = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
    const periodEnd = Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1);
    const [type, service, category, unit] = KINDS[r % KINDS.length]!;
    const cost = `0.${String((i * 7919) % 1_000_000).padStart(6, '0')}1234`;
    // Every 500th line is an account-level charge: tax, credit or a purchase.
    const special = i % 500 === 499 ? (['Tax', 'Credit', 'Purchase'] as const)[((i / 500) % 3) | 0]! : undefined;
    const fields = [
      special === 'Credit' ? `-${cost}` : cost,
      '123456789012',
      'Acme production',
      'USD',
      iso(periodEnd),
      iso(periodStart),
      special ?? 'Usage',
      'NULL',
      special ? `${special} line` : `${type} usage`,
      special === 'Purchase' ? 'One-Time' : 'Usage-Based',
      iso(t + 3_600_000),
      iso(t),
      special ? 'NULL' : '1',
      special ? 'NULL' : unit,
      cost,
      special === 'Purchase' ? '0' : special === 'Credit' ? `-${cost}` : cost,
      '"Amazon Web Services, Inc."',
      cost,
      special === 'Tax' ? 'NULL' : '1',
      unit,
      'AWS',
      'AWS',
      'eu-central-1',
      special ? 'NULL' : `arn:aws:ec2:eu-central-1:123456789012:resource/r-${r}`,
      special ? 'NULL' : `resource-${r}`,
      special ? 'NULL' : type,
      category,
      service,
      `SKU${r % 37}`,
      `acct-${r % 5}`,
      `"{""team"":""t${r % 7}"",""env"":""prod"",""cost-center"":""cc-${r % 11}""}"`,
      '[]',
    ];
    chunk += fields.join(',') + '\n';
    if (chunk.length >= 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The worker's result line; rejects if it exits first. */
function workerResult(child: ChildProcess): Promise<FocusWorkerResult> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`the FOCUS worker exited (${signal ?? `code ${code}`}) before printing its result`));
    child.once('exit', onExit);
    child.once('error', reject);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      lines.close();
      try {
        resolve(JSON.parse(line) as FocusWorkerResult);
      } catch {
        reject(new Error(`the FOCUS worker printed something that is not JSON: ${line.slice(0, 200)}`));
      }
    });
  });
}

export async function benchFocusImport(rows: number): Promise<FocusBenchResult> {
  const t = await createTestDatabase('bench_focus');
  const client = new pg.Client({ connectionString: t.url });
  const suffix = randomBytes(6).toString('hex');
  const csvFile = path.join(os.tmpdir(), `infrazen-bench-focus-${suffix}.csv`);
  const copyFile = path.join(os.tmpdir(), `infrazen-bench-focus-${suffix}.copy`);
  try {
    const { mode } = await migrate(t.db);
    await client.connect();
    const { tenant } = await ensureBootstrapTenant(t.db, undefined);
    const [connection] = await t.db.query<{ id: string }>(
      `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, 'AWS (FOCUS bench)', 'focus') RETURNING id`,
      [tenant.id]
    );

    note(`writing a ${rows}-row FOCUS 1.2 file`);
    await pipeline(Readable.from(focusLines(rows)), createWriteStream(csvFile));
    const fileBytes = (await stat(csvFile)).size;
    note(`${(fileBytes / 1024 ** 2).toFixed(0)} MB; importing in a child process`);

    await client.query('CHECKPOINT');
    const input: FocusWorkerInput = {
      databaseUrl: t.url,
      storageMode: mode,
      tenantId: tenant.id,
      connectionId: connection!.id,
      file: csvFile,
      fileBytes,
    };
    const extraArgs = (process.env.BENCH_FOCUS_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const worker = spawn(
      process.execPath,
      [COLLECTOR_HEAP_FLAG, ...extraArgs, '--import', 'tsx', 'bench/focus-worker.ts'],
      {
        cwd: COLLECTOR_DIR,
        env: { ...process.env, BENCH_FOCUS_INPUT: JSON.stringify(input) },
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    );
    const result = await workerResult(worker);
    await exited(worker);
    note(
      `import: ${result.rowsImported} rows (${result.rowsRejected} rejected), ${result.resources} resources in ` +
        `${(result.wallMs / 1000).toFixed(1)} s, cpu user ${(result.cpuUserMs / 1000).toFixed(1)} s + system ` +
        `${(result.cpuSystemMs / 1000).toFixed(1)} s, peak RSS ${result.maxRssMb.toFixed(1)} MB`
    );
    if (result.rowsImported !== rows || result.rowsRejected !== 0) {
      throw new Error(
        `the import stored ${result.rowsImported} of ${rows} rows (${result.rowsRejected} rejected: ` +
          `${JSON.stringify(result.errors)})`
      );
    }

    // Baseline: the exact rows the import stored, out to a file and back in with one COPY.
    const columns = COPY_COLUMNS.join(', ');
    await pipeline(
      client.query(copyTo(`COPY (SELECT ${columns} FROM cost_records) TO STDOUT`)),
      createWriteStream(copyFile)
    );
    await client.query('TRUNCATE cost_records');
    await client.query('CHECKPOINT');
    const load = client.query(copyFrom(`COPY cost_records (${columns}) FROM STDIN`));
    const started = performance.now();
    await pipeline(createReadStream(copyFile, { highWaterMark: 1 << 20 }), load);
    const copyMs = performance.now() - started;
    if (load.rowCount !== rows) throw new Error(`COPY loaded ${load.rowCount} rows, the import stored ${rows}`);
    note(`COPY FROM STDIN of the same rows: ${(copyMs / 1000).toFixed(1)} s`);
    return { rows, fileMb: fileBytes / 1024 ** 2, worker: result, copyMs };
  } finally {
    await rm(csvFile, { force: true });
    await rm(copyFile, { force: true });
    await client.end().catch(() => undefined);
    await t.drop();
  }
}
