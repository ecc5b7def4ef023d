/**
 * The sync figure of `npm run bench`: one first sync of a sandbox Selectel account (default 5,000 VMs,
 * 10,000 volumes, 30 days of hourly billing: ~14.4M cost rows) against the COPY rate of the very rows it
 * wrote, in the same run and on the same database.
 *
 * Three processes, so each number belongs to what it names: the sandbox (src/sandbox/main.ts) generates
 * the provider's answers, the worker (bench/sync-worker.ts) runs the production SyncService and reports
 * its own peak RSS, and this process only orchestrates and then times the baseline:
 *   1. the rows of the sync's connection are exported with `COPY … TO STDOUT` to a temp file;
 *   2. cost_records is truncated (the database is this bench's own);
 *   3. the file is loaded back with one `COPY cost_records (…) FROM STDIN`, timed.
 *
 * Scale: BENCH_SYNC_VMS (5,000), BENCH_SYNC_VOLUMES (10,000), BENCH_SYNC_DAYS (2, so the whole bench fits in 10
 * minutes on 2 cores; BENCH_SYNC_DAYS=30 is the full 14.5M-row backfill, ~12–18 min); BENCH_SYNC=0 skips it.
 * BENCH_SYNC_NODE_ARGS / BENCH_SANDBOX_NODE_ARGS pass flags to the children (e.g. `--cpu-prof`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { COLLECTOR_HEAP_FLAG } from './collector-heap.js';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrate } from '../src/storage/migrate.js';
import { moscowMidnight } from '../src/sync/engine.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import type { SyncWorkerInput, SyncWorkerResult } from './sync-worker.js';
import { envInt } from './env.js';

const COLLECTOR_DIR = fileURLToPath(new URL('..', import.meta.url));
const DAY_MS = 86_400_000;
/** The issue's memory budget for the sync process. */
export const RSS_BUDGET_MB = 400;

/**
 * The columns the sync's own COPY writes (insertCostRecords in storage/repositories/cost-records.ts):
 * the baseline loads exactly these, and the table fills the rest from its defaults, as for the sync.
 */
const COPY_COLUMNS = [
  'tenant_id',
  'connection_id',
  'resource_id',
  'line_key',
  'charge_period_start',
  'charge_period_end',
  'provider',
  'billed_cost',
  'effective_cost',
  'list_cost',
  'billing_currency',
  'service_name',
  'service_category',
  'region_id',
  'resource_name',
  'resource_type',
  'charge_category',
  'charge_class',
  'charge_description',
  'billing_account_id',
  'sub_account_id',
  'consumed_quantity',
  'consumed_unit',
  'pricing_unit',
  'tags',
  'source',
].join(', ');

export interface SyncBenchScale {
  vms: number;
  volumes: number;
  days: number;
}

export interface SyncBenchResult {
  scale: SyncBenchScale;
  rows: number;
  sync: SyncWorkerResult;
  copyMs: number;
  exportMs: number;
}

export function syncBenchScale(): SyncBenchScale | undefined {
  if (process.env.BENCH_SYNC === '0') return undefined;
  return {
    vms: envInt('BENCH_SYNC_VMS', 5_000),
    volumes: envInt('BENCH_SYNC_VOLUMES', 10_000),
    days: envInt('BENCH_SYNC_DAYS', 2),
  };
}

const note = (text: string) => process.stderr.write(`[bench sync] ${text}\n`);
const nodeArgs = (name: string) => (process.env[name] ?? '').split(/\s+/).filter(Boolean);

function startChild(file: string, args: string[], extraNodeArgs: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawn(process.execPath, [...extraNodeArgs, '--import', 'tsx', file, ...args], {
    cwd: COLLECTOR_DIR,
    env,
    // stdout carries the child's JSON; its stderr (logs, errors) goes straight to ours.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/**
 * The child's first stdout line that is a JSON object, parsed; rejects if the child exits first. Other
 * lines (V8 flags such as --trace-gc print to stdout) are passed on to stderr.
 */
function firstJsonLine<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${what} exited (${signal ?? `code ${code}`}) before printing its result`));
    child.once('exit', onExit);
    child.once('error', reject);
    let found = false;
    lines.on('line', (line) => {
      if (found || !line.startsWith('{')) {
        process.stderr.write(line + '\n');
        return;
      }
      found = true;
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${what} printed something that is not JSON: ${line.slice(0, 200)}`));
      }
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface SandboxLine {
  origin: string;
  selectel: { credentials: Record<string, unknown>; settings: Record<string, unknown>; expectedLines: number };
}

/** Shows cost_records filling up (from pg_stat, which costs the database nothing) on stderr. */
function watchInserts(client: pg.Client, expected: number): () => void {
  const bar = new cliProgress.SingleBar(
    {
      format: '[bench sync] sync  {bar} {percentage}% | {value}/{total} rows | {duration_formatted}',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
      etaBuffer: 30,
    },
    cliProgress.Presets.shades_classic
  );
  bar.start(expected, 0);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    client
      .query<{ n: string }>(
        `SELECT coalesce(sum(n_tup_ins), 0)::text AS n FROM pg_stat_user_tables WHERE relname = 'cost_records'`
      )
      .then((r) => bar.update(Math.min(expected, Number(r.rows[0]?.n ?? 0))))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 1_000);
  return () => {
    clearInterval(timer);
    bar.stop();
  };
}

export async function benchSyncSelectel(scale: SyncBenchScale): Promise<SyncBenchResult> {
  const t = await createTestDatabase('bench_sync');
  const client = new pg.Client({ connectionString: t.url });
  // An idle client whose server goes away emits 'error'; unheard, that would kill the bench mid-run
  // and leave the children behind. The next query reports the failure instead.
  client.on('error', (err) => note(`database connection lost: ${err.message}`));
  let sandbox: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  // Children must not outlive the bench, however it ends.
  const killChildren = () => {
    sandbox?.kill('SIGTERM');
    worker?.kill('SIGTERM');
  };
  process.once('exit', killChildren);
  const file = path.join(os.tmpdir(), `infrazen-bench-cost-records-${randomBytes(6).toString('hex')}.copy`);
  try {
    const { mode } = await migrate(t.db);
    await client.connect();

    // One pinned clock for the sandbox and the sync; the engine's first-sync window starts at the Moscow
    // midnight `days` before it, so the sandbox can say how many lines that window holds.
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const windowStart = moscowMidnight(now.getTime() - scale.days * DAY_MS);
    note(`scale: ${scale.vms} VMs, ${scale.volumes} volumes, ${scale.days} days; starting the sandbox`);
    sandbox = startChild(
      'src/sandbox/main.ts',
      [
        `--selectel-vms=${scale.vms}`,
        `--selectel-volumes=${scale.volumes}`,
        `--now=${now.toISOString()}`,
        `--lines-from=${windowStart.toISOString()}`,
      ],
      nodeArgs('BENCH_SANDBOX_NODE_ARGS')
    );
    const sandboxLine = await firstJsonLine<SandboxLine>(sandbox, 'the sandbox');
    const expected = sandboxLine.selectel.expectedLines;
    note(`sandbox at ${sandboxLine.origin}; the window holds ${expected} billing lines`);

    // Start both measurements from clean shared buffers.
    await client.query('CHECKPOINT');
    const input: SyncWorkerInput = {
      databaseUrl: t.url,
      storageMode: mode,
      now: now.toISOString(),
      backfillDays: scale.days,
      selectel: sandboxLine.selectel,
    };
    worker = startChild('bench/sync-worker.ts', [], [COLLECTOR_HEAP_FLAG, ...nodeArgs('BENCH_SYNC_NODE_ARGS')], {
      ...process.env,
      BENCH_SYNC_INPUT: JSON.stringify(input),
    });
    const stopWatching = watchInserts(client, expected);
    let sync: SyncWorkerResult;
    try {
      sync = await firstJsonLine<SyncWorkerResult>(worker, 'the sync worker');
    } finally {
      stopWatching();
    }
    await exited(worker);
    sandbox.kill('SIGTERM');
    await exited(sandbox);
    note(
      `sync: ${sync.status}, ${sync.linesWritten} lines in ${(sync.wallMs / 1000).toFixed(1)} s, ` +
        `cpu user ${(sync.cpuUserMs / 1000).toFixed(1)} s + system ${(sync.cpuSystemMs / 1000).toFixed(1)} s, ` +
        `peak RSS ${sync.maxRssMb.toFixed(1)} MB (sampled peaks MB: ${Object.entries(sync.sampledPeakMb)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}); phases ${sync.phases.map((p) => `${p.name} ${p.durationMs} ms`).join(', ')}`
    );
    if (sync.db) note(`database time: ${JSON.stringify(sync.db)}`);
    if (sync.status !== 'success' || sync.linesWritten !== expected) {
      throw new Error(
        `the sync did not read the whole account: status ${sync.status}, ${sync.linesWritten} of ${expected} lines` +
          (sync.errorMessage ? `; ${sync.errorMessage}` : '') +
          (sync.endpointErrors.length ? `; ${JSON.stringify(sync.endpointErrors.slice(0, 3))}` : '')
      );
    }

    // Baseline: the exact rows the sync wrote, out to a file and back in with one COPY.
    if (!/^[0-9a-f-]{36}$/.test(sync.connectionId)) throw new Error('unexpected connection id');
    let started = performance.now();
    await pipeline(
      client.query(
        copyTo(`COPY (SELECT ${COPY_COLUMNS} FROM cost_records WHERE connection_id = '${sync.connectionId}') TO STDOUT`)
      ),
      createWriteStream(file)
    );
    const exportMs = performance.now() - started;
    await client.query('TRUNCATE cost_records');
    await client.query('CHECKPOINT');
    note(`exported the rows in ${(exportMs / 1000).toFixed(1)} s; timing COPY FROM STDIN`);
    const load = client.query(copyFrom(`COPY cost_records (${COPY_COLUMNS}) FROM STDIN`));
    started = performance.now();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), load);
    const copyMs = performance.now() - started;
    if (load.rowCount !== sync.linesWritten) {
      throw new Error(`COPY loaded ${load.rowCount} rows, the sync wrote ${sync.linesWritten}`);
    }
    note(`COPY FROM STDIN: ${load.rowCount} rows in ${(copyMs / 1000).toFixed(1)} s`);
    return { scale, rows: sync.linesWritten, sync, copyMs, exportMs };
  } finally {
    killChildren();
    process.off('exit', killChildren);
    await Promise.all([sandbox, worker].map((child) => (child ? exited(child) : undefined)));
    await rm(file, { force: true });
    await client.end().catch(() => undefined);
    await t.drop();
  }
}
