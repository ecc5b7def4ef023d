/**
 * Child process of the sync benchmark (bench/sync-selectel.ts): one real sync of a sandbox Selectel
 * account, through the production SyncService and HTTP options, in a process of its own so that
 * `maxRSS` is the sync's peak and nothing else's (the sandbox and the bench's own bookkeeping run
 * elsewhere). Input: the JSON of `SyncWorkerInput` in BENCH_SYNC_INPUT. Output: one JSON line
 * (`SyncWorkerResult`) on stdout; logs go to stderr.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createMetrics } from '../src/observability/metrics.js';
import { loggerOptions } from '../src/observability/logger.js';
import { DEFAULT_HTTP_OPTIONS } from '../src/providers/http/client.js';
import type { EndpointError } from '../src/providers/types.js';
import { generateKey, Keyring } from '../src/security/crypto.js';
import { createConnection } from '../src/services/connections.js';
import { SecretStore } from '../src/services/secret-store.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { createPgDatabase, type Database, type Queryable } from '../src/storage/db.js';
import type { StorageMode } from '../src/storage/migrate.js';
import { getSnapshot } from '../src/storage/repositories/snapshots.js';
import { SyncService } from '../src/sync/service.js';

export interface SyncWorkerInput {
  databaseUrl: string;
  storageMode: StorageMode;
  /** The pinned clock shared with the sandbox, ISO. */
  now: string;
  backfillDays: number;
  selectel: { credentials: Record<string, unknown>; settings: Record<string, unknown> };
}

export interface SyncWorkerResult {
  connectionId: string;
  wallMs: number;
  linesWritten: number;
  maxRssMb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  status: string;
  errorMessage: string | null;
  endpointErrors: EndpointError[];
  phases: { name: string; durationMs: number | null }[];
  /** With BENCH_SYNC_TRACE_DB=1: time spent awaiting the database, by statement kind (ms, calls). */
  db?: Record<string, { ms: number; calls: number }>;
  /** Highest values seen by a 200 ms sampler: where the RSS goes (JS heap vs buffers outside it). */
  sampledPeakMb: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

function memorySampler() {
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const key of Object.keys(peak) as (keyof typeof peak)[]) peak[key] = Math.max(peak[key], m[key] / 2 ** 20);
  };
  const timer = setInterval(sample, 200);
  return {
    peak,
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

/**
 * Times every statement the sync awaits, by its first words (`DELETE`, `COPY`, `COMMIT` …), for finding
 * where a slow sync waits. A COPY's time includes producing its rows: they are generated as they stream.
 */
function traced(db: Database, stats: Record<string, { ms: number; calls: number }>): Database {
  const time = async <T>(kind: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const entry = (stats[kind] ??= { ms: 0, calls: 0 });
      entry.ms += performance.now() - started;
      entry.calls++;
    }
  };
  const kindOf = (sql: string) => {
    const words = sql.replace(/\s+/g, ' ').trim().split(' ');
    return words
      .slice(0, words[0] === 'WITH' ? 6 : 3)
      .join(' ')
      .slice(0, 48);
  };
  const wrap = <Q extends Queryable>(q: Q): Queryable => ({
    query: (sql, params) => time(kindOf(sql), () => q.query(sql, params)),
    ...(q.copyFrom
      ? { copyFrom: (sql: string, rows: Iterable<string>) => time('COPY', () => q.copyFrom!(sql, rows)) }
      : {}),
  });
  return {
    ...wrap(db),
    // "whole" − "body" is what a transaction costs around its statements: a pooled connection,
    // BEGIN and COMMIT (which waits for the WAL flush).
    transaction: (fn) =>
      time('transaction (whole)', () => db.transaction((tx) => time('transaction (body)', () => fn(wrap(tx))))),
    withTenant: (tenantId, fn) => db.withTenant(tenantId, (tx) => fn(wrap(tx))),
    session: (fn) => db.session((session) => fn({ ...wrap(session), exec: (sql) => session.exec(sql) })),
    close: () => db.close(),
  };
}

const raw = process.env.BENCH_SYNC_INPUT;
if (!raw) throw new Error('BENCH_SYNC_INPUT is not set: this file is started by bench/sync-selectel.ts');
const input = JSON.parse(raw) as SyncWorkerInput;
const now = new Date(input.now);

// stdout carries the result line only.
const logger = pino(loggerOptions(process.env.LOG_LEVEL ?? 'warn'), pino.destination(2));
const pool = createPgDatabase({ connectionString: input.databaseUrl, max: 5, applicationName: 'infrazen-bench-sync' });
const dbStats: Record<string, { ms: number; calls: number }> = {};
const db = process.env.BENCH_SYNC_TRACE_DB === '1' ? traced(pool, dbStats) : pool;
try {
  const secrets = new SecretStore(new Keyring(generateKey()));
  const { tenant } = await ensureBootstrapTenant(db, undefined);
  const connection = await createConnection(
    { db, secrets, storageMode: input.storageMode, logger },
    tenant.id,
    {
      name: 'Selectel (bench)',
      provider: 'selectel',
      credentials: input.selectel.credentials,
      settings: {
        ...input.selectel.settings,
        backfillDays: input.backfillDays,
        // Utilization is off: 5,000 VMs × 7 days of 5-minute Gnocchi points (~10M samples) would
        // dominate the run, and this figure is about billing lines (cost_records).
        collectMetrics: false,
      },
      schedule: null,
    },
    { actor: 'bench', actorKind: 'user', tokenId: 'bench' }
  );
  const syncs = new SyncService({
    db,
    logger,
    metrics: createMetrics(),
    http: DEFAULT_HTTP_OPTIONS,
    storageMode: () => input.storageMode,
    secrets,
    now: () => now,
  });

  const sampler = memorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { snapshotId, whenDone } = await syncs.start(tenant.id, connection.id, 'manual');
  await whenDone;
  const wallMs = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  const usage = process.resourceUsage();
  sampler.stop();

  const snapshot = await getSnapshot(db, snapshotId);
  if (!snapshot) throw new Error(`snapshot ${snapshotId} is missing`);
  const result: SyncWorkerResult = {
    connectionId: connection.id,
    wallMs,
    linesWritten: snapshot.linesWritten,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssMb: usage.maxRSS / 1024,
    cpuUserMs: cpuUsed.user / 1000,
    cpuSystemMs: cpuUsed.system / 1000,
    status: snapshot.status,
    errorMessage: snapshot.errorMessage,
    endpointErrors: snapshot.endpointErrors,
    phases: snapshot.phases.map((p) => ({ name: p.name, durationMs: p.durationMs ?? null })),
    sampledPeakMb: sampler.peak,
    ...(db === pool ? {} : { db: dbStats }),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  await syncs.close();
} finally {
  await db.close();
}
