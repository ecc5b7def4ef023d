/**
 * Gnocchi's aggregates API for one VK Cloud region: `POST /v1/aggregates?granularity=300&start=&stop=`
 * with a body naming one metric (`cpu_util` or `memory.usage`) of one instance found by id. Only 300 s
 * is kept (anything else is a 400); a VM whose guest reports no memory has no `memory.usage`, which
 * Gnocchi answers with a 400 "Metrics not found". Values: a daily wave around the VM's baseline plus
 * deterministic noise, only while the VM runs.
 */
import { hashSeed } from '../random.js';
import type { VkAccount, VkServer } from './model.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

const STEP_MS = 300_000;
const MAX_POINTS = 50_000;
const bad = (cause: string, detail?: unknown) => ({
  status: 400 as const,
  body: { code: 400, description: { cause, detail } },
});

export function valueAt(server: VkServer, metric: 'cpu_util' | 'memory.usage', t: number): number {
  const wave = Math.sin(2 * Math.PI * (((t / 3_600_000 + 3) % 24) / 24 - 0.3));
  const noise = hashSeed(server.id, metric, t) / 4294967296 - 0.5;
  if (metric === 'cpu_util')
    return Math.round(Math.min(100, Math.max(0, server.cpuBase * (1 + 0.35 * wave) + 8 * noise)) * 100) / 100;
  const fraction = Math.min(0.98, Math.max(0.05, server.memFraction + 0.05 * wave + 0.04 * noise));
  return Math.round(server.flavor.ram * fraction * 10) / 10;
}

export function aggregates(
  account: VkAccount,
  region: string,
  query: Record<string, string | undefined>,
  body: unknown,
  now: Date
): { status: 200 | 400; body: Json } {
  if (Number(query.granularity) !== 300) return bad('Granularity not available', query.granularity ?? null);
  const stop = query.stop ? Date.parse(query.stop) : now.getTime();
  const start = query.start ? Date.parse(query.start) : stop - 3_600_000;
  if (Number.isNaN(start) || Number.isNaN(stop)) return bad('Invalid value for start or stop');
  const operations = obj(body).operations;
  const metric = typeof operations === 'string' ? /\(metric\s+([\w.]+)\s+\w+\)/.exec(operations)?.[1] : undefined;
  const id = obj(obj(obj(body).search)['=']).id;
  const server = account.servers.find((s) => s.id === id && s.region === region);
  if (
    (metric !== 'cpu_util' && metric !== 'memory.usage') ||
    (metric === 'memory.usage' && server && !server.memoryMetric)
  ) {
    return bad('Metrics not found', { metric, resource: id });
  }
  const points: [string, number, number][] = [];
  if (server && server.status === 'ACTIVE') {
    const end = Math.min(stop, now.getTime() - STEP_MS + 1);
    for (let t = Math.ceil(start / STEP_MS) * STEP_MS; t < end; t += STEP_MS) {
      if (t < server.createdAt.getTime()) continue;
      if (points.length >= MAX_POINTS) return bad('Too many points requested');
      points.push([new Date(t).toISOString().replace('.000Z', '+00:00'), 300, valueAt(server, metric, t)]);
    }
  }
  return { status: 200, body: { measures: { aggregated: points } } };
}
