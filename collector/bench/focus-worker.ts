/**
 * Child process of the FOCUS import benchmark (bench/focus-import.ts): one import of a FOCUS file through
 * the production service, in a process of its own so that `maxRSS` is the import's peak and nothing
 * else's (generating the file and timing the baseline happen in the parent). Input: the JSON of
 * `FocusWorkerInput` in BENCH_FOCUS_INPUT. Output: one JSON line (`FocusWorkerResult`) on stdout;
 * progress and logs go to stderr.
 */
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { importFocus } from '../src/focus/import.js';
import { loggerOptions } from '../src/observability/logger.js';
import { createPgDatabase } from '../src/storage/db.js';
import type { StorageMode } from '../src/storage/migrate.js';

export interface FocusWorkerInput {
  databaseUrl: string;
  storageMode: StorageMode;
  tenantId: string;
  connectionId: string;
  file: string;
  fileBytes: number;
}

export interface FocusWorkerResult {
  wallMs: number;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  /** The first few rejections, to say why if any. */
  errors: { line: number; reason: string }[];
  resources: number;
  maxRssMb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

const raw = process.env.BENCH_FOCUS_INPUT;
if (!raw) throw new Error('BENCH_FOCUS_INPUT is not set: this file is started by bench/focus-import.ts');
const input = JSON.parse(raw) as FocusWorkerInput;

const logger = pino(loggerOptions(process.env.LOG_LEVEL ?? 'warn'), pino.destination(2));
const db = createPgDatabase({ connectionString: input.databaseUrl, max: 3, applicationName: 'infrazen-bench-focus' });
try {
  let nextReport = 0.1;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await importFocus(
    { db, storageMode: input.storageMode, logger },
    {
      tenantId: input.tenantId,
      connectionId: input.connectionId,
      actor: { actor: 'bench', actorKind: 'cli' },
      sources: [{ name: 'bench.csv', stream: createReadStream(input.file, { highWaterMark: 1024 * 1024 }) }],
      onProgress: (p) => {
        const share = p.bytes / input.fileBytes;
        if (share < nextReport) return;
        nextReport += 0.1;
        process.stderr.write(
          `[bench focus] import ${Math.round(share * 100)}% | ${p.rows} rows | ${((performance.now() - started) / 1000).toFixed(1)} s\n`
        );
      },
    }
  );
  const wallMs = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  const out: FocusWorkerResult = {
    wallMs,
    rowsRead: result.rowsRead,
    rowsImported: result.rowsImported,
    rowsRejected: result.rowsRejected,
    errors: result.errors.slice(0, 3),
    resources: result.resources,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuUserMs: cpuUsed.user / 1000,
    cpuSystemMs: cpuUsed.system / 1000,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  await db.close();
}
