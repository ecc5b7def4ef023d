/**
 * Gnocchi's aggregates API as Selectel serves it (reference §14.2): `POST /metric/v1/aggregates` with
 * `granularity=300` only (anything else is a 400), `start`/`stop` as ISO instants, and a body naming one
 * metric (`cpu_util` or `memory.usage`) of one instance found by id. The answer is
 * `{measures: {aggregated: [[timestamp, 300.0, value], …]}}` for the complete 5-minute points in range
 * while the server ran. Values are deterministic: a daily wave around the server's baseline plus noise.
 */
import { hashSeed } from '../random.js';
import type { SandboxServer, SelectelAccount } from './model.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export const GRANULARITY_S = 300;
const STEP_MS = GRANULARITY_S * 1000;
const MAX_POINTS = 50_000;

export type GnocchiAnswer = { status: 200; body: Json } | { status: 400; body: Json };

const bad = (description: string): GnocchiAnswer => ({ status: 400, body: { code: 400, description } });

/** The instance id from `search`: `{"=": {"id": …}}`, `{"eq": {"id": …}}` or the string form `id=…`. */
function searchedId(search: unknown): string | undefined {
  if (typeof search === 'string') return /^\s*id\s*=\s*['"]?([^'"\s]+)/.exec(search)?.[1];
  const s = obj(search);
  const eq = obj(s['='] ?? s.eq);
  return typeof eq.id === 'string' ? eq.id : undefined;
}

function noise(server: SandboxServer, metric: string, t: number): number {
  return hashSeed(server.id, metric, t) / 4294967296 - 0.5;
}

export function valueAt(server: SandboxServer, metric: 'cpu_util' | 'memory.usage', t: number): number {
  const hourOfDay = ((t / 3_600_000 + 3) % 24) / 24; // Moscow working hours are the busy ones
  const wave = Math.sin(2 * Math.PI * (hourOfDay - 0.3));
  if (metric === 'cpu_util') {
    const cpu = server.cpuBase * (1 + 0.35 * wave) + 8 * noise(server, metric, t);
    return Math.round(Math.min(100, Math.max(0, cpu)) * 100) / 100;
  }
  const fraction = server.memFraction + 0.05 * wave + 0.04 * noise(server, metric, t);
  return Math.round(server.flavor.ram * Math.min(0.98, Math.max(0.05, fraction)) * 10) / 10;
}

export function aggregates(
  account: SelectelAccount,
  region: string,
  query: Record<string, string | undefined>,
  body: unknown,
  now: Date
): GnocchiAnswer {
  const granularity = Number(query.granularity);
  if (granularity !== GRANULARITY_S) {
    return bad(
      `Granularity '${query.granularity ?? ''}' for metric does not exist; only 300.0 is kept by the archive policy`
    );
  }
  const stop = query.stop ? Date.parse(query.stop) : now.getTime();
  const start = query.start ? Date.parse(query.start) : stop - 3_600_000;
  if (Number.isNaN(start) || Number.isNaN(stop)) return bad('Invalid value for start or stop');
  const operations = obj(body).operations;
  const metric = typeof operations === 'string' ? /\(metric\s+([\w.]+)\s+\w+\)/.exec(operations)?.[1] : undefined;
  if (metric !== 'cpu_util' && metric !== 'memory.usage') return bad(`Metrics not found: ${metric ?? 'none'}`);
  const id = searchedId(obj(body).search);
  const server = account.servers.find((s) => s.id === id && s.region === region);
  const points: [string, number, number][] = [];
  if (server) {
    const end = Math.min(stop, now.getTime() - STEP_MS + 1);
    for (let t = Math.ceil(start / STEP_MS) * STEP_MS; t < end; t += STEP_MS) {
      if (t < server.createdAt.getTime() || (server.stoppedAt && t >= server.stoppedAt.getTime())) continue;
      if (points.length >= MAX_POINTS) return bad('Too many points requested; narrow the period');
      points.push([new Date(t).toISOString().replace('.000Z', '+00:00'), GRANULARITY_S, valueAt(server, metric, t)]);
    }
  }
  return { status: 200, body: { measures: { aggregated: points } } };
}
