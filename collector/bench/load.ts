/**
 * The load figure of `npm run bench`: 50 concurrent clients (autocannon) sending a mix of dashboard
 * queries — costs by provider, by service and by day, cost_summary KPIs, the resources table,
 * utilization — to a real `infrazen serve` process on demo data (the sandboxed Yandex Cloud, Selectel
 * and Beget accounts backfilled 90 days by the real sync engine), for the last 30 days. Baseline, in the
 * same run against the same server with the same clients: GET /api/v1/health (one database round trip).
 * Figures: p50 and p99 latency, errors (transport errors, timeouts, non-2xx answers and queries that
 * answered with their own error), throughput.
 *
 * The server is a child process so that the clients' CPU is not counted as the server's; on a 2-core
 * machine both still share the cores, so the figures are a floor, not a capacity plan.
 *
 * Scale: BENCH_LOAD_CONNECTIONS (default 50), BENCH_LOAD_SECONDS (the mix, default 20),
 * BENCH_LOAD_BASELINE_SECONDS (default 10); BENCH_LOAD=0 skips the figure. The data is the demo's
 * fixed size; for latency on a large dataset see the query figure (BENCH_QUERY_*).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { generateToken } from '../src/security/tokens.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { freePort, health, startServer, waitFor } from '../test/helpers/process.js';
import { envInt } from './env.js';

export interface LoadBenchScale {
  connections: number;
  seconds: number;
  baselineSeconds: number;
}

export interface LoadRun {
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  perSecond: number;
}

export interface LoadBenchResult {
  scale: LoadBenchScale;
  kinds: number;
  costRows: number;
  mix: LoadRun;
  baseline: LoadRun;
}

export function loadBenchScale(): LoadBenchScale | undefined {
  if (process.env.BENCH_LOAD === '0') return undefined;
  return {
    connections: envInt('BENCH_LOAD_CONNECTIONS', 50),
    seconds: envInt('BENCH_LOAD_SECONDS', 20),
    baselineSeconds: envInt('BENCH_LOAD_BASELINE_SECONDS', 10),
  };
}

const note = (text: string) => process.stderr.write(`[bench load] ${text}\n`);

/** What a cost dashboard asks for, as the datasource plugin sends it (POST /api/v1/query). */
function dashboardQueries(from: string, to: string): { name: string; body: unknown }[] {
  const query = (refId: string, q: Record<string, unknown>) => ({
    from,
    to,
    maxDataPoints: 1000,
    queries: [{ refId, ...q }],
  });
  return [
    {
      name: 'costs by provider per day',
      body: query('A', { queryType: 'costs', groupBy: ['provider'], granularity: 'day' }),
    },
    {
      name: 'costs by service per day',
      body: query('B', { queryType: 'costs', groupBy: ['service'], granularity: 'day' }),
    },
    { name: 'costs per day', body: query('C', { queryType: 'costs', granularity: 'day' }) },
    {
      name: 'top 10 services',
      body: query('D', { queryType: 'costs', groupBy: ['service'], granularity: 'total', topN: 10 }),
    },
    { name: 'cost_summary', body: query('E', { queryType: 'cost_summary' }) },
    { name: 'resources', body: query('F', { queryType: 'resources', limit: 500 }) },
    {
      name: 'utilization by resource',
      body: query('G', { queryType: 'utilization', groupBy: ['resource'], topN: 10 }),
    },
  ];
}

async function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function summarize(result: autocannon.Result, queryErrors = 0): LoadRun {
  const requests = result.requests.total;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    errors: result.errors + result.timeouts + result.non2xx + queryErrors,
    perSecond: requests / result.duration,
  };
}

export async function benchLoad(scale: LoadBenchScale): Promise<LoadBenchResult> {
  const t = await createTestDatabase('bench_load');
  const port = await freePort();
  const token = generateToken();
  const server = startServer({
    DATABASE_URL: t.url,
    INFRAZEN_SECRET_KEY: randomBytes(32).toString('hex'),
    INFRAZEN_BOOTSTRAP_TOKEN: token,
    INFRAZEN_PORT: String(port),
    INFRAZEN_DEMO: 'true',
    // No scheduled sync may start in the middle of the measurement.
    INFRAZEN_SCHEDULER: 'false',
    LOG_LEVEL: 'warn',
  });
  const origin = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  try {
    let started = performance.now();
    const up = await waitFor(
      () => health(port),
      (h) => h.status === 200,
      120_000
    );
    if (up.status !== 200) throw new Error(`the collector did not start: ${server.stdout()}`);
    const backfilled = await waitFor(
      async () => {
        const res = await fetch(`${origin}/api/v1/connections`, { headers });
        return ((await res.json()) as { items: { lastSyncStatus: string | null }[] }).items;
      },
      (items) => items.length >= 3 && items.every((c) => c.lastSyncStatus !== null),
      600_000
    );
    if (!Array.isArray(backfilled) || backfilled.some((c) => c.lastSyncStatus === null))
      throw new Error(`the demo backfill did not finish: ${server.stdout()}`);
    const [{ rows: costRows } = { rows: 0 }] = await t.db.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM cost_records`
    );
    note(`demo backfilled (${costRows} cost rows) in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const mix = dashboardQueries(from.toISOString(), to.toISOString());
    // Every query answers with data and no error before anything is timed.
    for (const q of mix) {
      const res = await fetch(`${origin}/api/v1/query`, { method: 'POST', headers, body: JSON.stringify(q.body) });
      const body = (await res.json()) as { results?: Record<string, { error?: string; frames: unknown[] }> };
      const result = Object.values(body.results ?? {})[0];
      if (res.status !== 200 || !result || result.error || result.frames.length === 0)
        throw new Error(`${q.name} answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    }

    const common = { url: origin, connections: scale.connections, headers };
    note(`baseline: GET /api/v1/health, ${scale.connections} clients, ${scale.baselineSeconds} s`);
    const baseline = summarize(
      await run({ ...common, url: `${origin}/api/v1/health`, duration: scale.baselineSeconds })
    );
    let queryErrors = 0;
    const requests = mix.map((q) => ({
      method: 'POST' as const,
      path: '/api/v1/query',
      body: JSON.stringify(q.body),
      // A query's own failure comes inside a 200: count it as an error too.
      onResponse: (status: number, body: string) => {
        if (status === 200 && body.includes('"error"')) queryErrors++;
      },
    }));
    note(`warm-up, then the mix: ${mix.length} dashboard queries, ${scale.connections} clients, ${scale.seconds} s`);
    await run({ ...common, duration: 2, requests });
    queryErrors = 0;
    started = performance.now();
    const result = summarize(await run({ ...common, duration: scale.seconds, requests }), queryErrors);
    note(`measured in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { scale, kinds: mix.length, costRows, mix: result, baseline };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await t.drop();
  }
}

/** The stdout lines, in the format of run.ts's line(). */
export function loadBenchLines(r: LoadBenchResult): string[] {
  const name =
    `load: dashboard query mix (${r.kinds} kinds, last 30 days of demo data, ${r.costRows} cost rows), ` +
    `${r.scale.connections} clients, ${r.scale.seconds} s`;
  const base = `GET /api/v1/health, same server and clients`;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rate = (run: LoadRun) =>
    `${run.errors} of ${run.requests} (${((run.errors / Math.max(run.requests, 1)) * 100).toFixed(2)}%)`;
  return [
    `${name} p50: ${ms(r.mix.p50)} | baseline (${base}): ${ms(r.baseline.p50)} | ratio ${(r.mix.p50 / r.baseline.p50).toFixed(2)}`,
    `${name} p99: ${ms(r.mix.p99)} | baseline (${base}): ${ms(r.baseline.p99)} | ratio ${(r.mix.p99 / r.baseline.p99).toFixed(2)}`,
    `${name} errors: ${rate(r.mix)} | baseline (${base}): ${rate(r.baseline)} | ratio ${
      r.baseline.errors === 0
        ? r.mix.errors === 0
          ? '1.00 (both none)'
          : 'n/a (baseline none)'
        : (r.mix.errors / r.baseline.errors).toFixed(2)
    }`,
    `${name} throughput: ${r.mix.perSecond.toFixed(1)} requests/s | baseline (${base}): ${r.baseline.perSecond.toFixed(1)} requests/s | ratio ${(r.mix.perSecond / r.baseline.perSecond).toFixed(2)}`,
  ];
}

/** `tsx bench/load.ts`: the load figure alone. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const scale = loadBenchScale();
  if (scale) for (const text of loadBenchLines(await benchLoad(scale))) process.stdout.write(`${text}\n`);
  const { stopTestCluster } = await import('../test/helpers/postgres.js');
  await stopTestCluster();
}
