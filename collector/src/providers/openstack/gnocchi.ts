/**
 * Gnocchi, the OpenStack metric service (reference §14.2): `POST {metric}/v1/aggregates` with one
 * series per request — `cpu_util` (%) and `memory.usage` (MB, turned into % of the flavor's RAM as
 * well) — at 300 s granularity (the one the clouds keep; others answer 400). Request bodies, answer
 * parsing, bounded concurrency and failure bookkeeping, shared by the OpenStack clouds. Pure apart
 * from `boundedMap`'s scheduling.
 */
import type { ProviderError } from '../http/errors.js';
import type { EndpointError, InventoryResource, MetricSample, TimeWindow } from '../types.js';
import { asArray, asObject, num } from '../values.js';

export const GNOCCHI_GRANULARITY = 300;

export type SeriesKind = 'cpu' | 'memory';
const GNOCCHI_METRIC: Record<SeriesKind, string> = { cpu: 'cpu_util', memory: 'memory.usage' };

/** The aggregates body: one instance (search by id), one metric, mean at the requested granularity. */
export function aggregatesBody(serverId: string, kind: SeriesKind): Record<string, unknown> {
  return {
    operations: `(aggregate mean (metric ${GNOCCHI_METRIC[kind]} mean))`,
    search: { '=': { id: serverId } },
    resource_type: 'generic',
  };
}

/** The aggregates query for a window. */
export function aggregatesQuery(window: TimeWindow): Record<string, string> {
  return {
    details: 'false',
    granularity: String(GNOCCHI_GRANULARITY),
    start: window.start.toISOString(),
    stop: window.end.toISOString(),
  };
}

/** `{measures: {aggregated: [[ts, granularity, value], …]}}` → points inside the window. */
export function parseAggregates(body: unknown, window: TimeWindow): { ts: Date; value: number }[] {
  const points: { ts: Date; value: number }[] = [];
  for (const p of asArray(asObject(asObject(body).measures).aggregated)) {
    const [rawTs, , rawValue] = asArray(p);
    const ts = typeof rawTs === 'string' ? new Date(rawTs) : undefined;
    const value = num(rawValue);
    if (!ts || Number.isNaN(ts.getTime()) || value === undefined) continue;
    if (ts < window.start || ts >= window.end) continue;
    points.push({ ts, value });
  }
  return points;
}

export function toSamples(
  server: InventoryResource,
  kind: SeriesKind,
  points: { ts: Date; value: number }[]
): MetricSample[] {
  const id = server.providerResourceId;
  if (kind === 'cpu')
    return points.map((p) => ({
      resourceId: id,
      metric: 'cpu_utilization',
      ts: p.ts,
      value: p.value,
      unit: 'percent',
    }));
  const ramMb = num(server.specs.ramMb);
  return points.flatMap((p) => {
    const usage: MetricSample = { resourceId: id, metric: 'memory_usage_mb', ts: p.ts, value: p.value, unit: 'MB' };
    if (!ramMb || ramMb <= 0) return [usage];
    return [
      usage,
      { resourceId: id, metric: 'memory_utilization', ts: p.ts, value: (p.value / ramMb) * 100, unit: 'percent' },
    ];
  });
}

/**
 * Runs `fn` over `items` with at most `limit` in flight, yielding results as they complete. A rejection
 * ends the iteration with that error; the calls still in flight settle quietly (no unhandled rejection).
 */
export async function* boundedMap<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): AsyncGenerator<R> {
  type Settled = { index: number; ok: true; value: R } | { index: number; ok: false; error: unknown };
  const running = new Map<number, Promise<Settled>>();
  let next = 0;
  const launch = () => {
    const index = next++;
    running.set(
      index,
      fn(items[index]!).then(
        (value): Settled => ({ index, ok: true, value }),
        (error: unknown): Settled => ({ index, ok: false, error })
      )
    );
  };
  while (next < items.length && running.size < limit) launch();
  while (running.size > 0) {
    const settled = await Promise.race(running.values());
    running.delete(settled.index);
    if (!settled.ok) throw settled.error;
    if (next < items.length) launch();
    yield settled.value;
  }
}

/**
 * Failures per (region, kind): the first one's message, and how many calls failed like it, so a
 * region whose metric API is down costs one endpoint error, not one per server.
 */
export class MetricFailureLog {
  private readonly first = new Map<string, EndpointError & { count: number }>();

  constructor(private readonly endpoint: string) {}

  add(region: string, err: ProviderError): void {
    const key = `${region}\u0000${err.kind}`;
    const seen = this.first.get(key);
    if (seen) seen.count++;
    else this.first.set(key, { endpoint: this.endpoint, region, kind: err.kind, message: err.message, count: 1 });
  }

  flush(errors: EndpointError[]): void {
    for (const { count, ...error } of this.first.values()) {
      errors.push(
        count > 1 ? { ...error, message: `${error.message} (${count} metric requests failed alike)` } : error
      );
    }
  }
}
