/**
 * VPS utilization from `/v1/vps/statistic/{cpu|memory}/{id}`. Beget only offers fixed look-back periods
 * that end now (HOUR, DAY, WEEK, MONTH, with coarser points the longer the period), so the connector
 * asks for the shortest one reaching back to the window start and keeps the points inside the window.
 */
import type { EndpointError, InventoryResource, MetricSample, TimeWindow } from '../types.js';
import { parseBegetDate } from './time.js';
import { num } from './values.js';
import type { StatisticPeriod, StatisticSeries, V1Api } from './v1-api.js';
import { rethrowIfAborted, toEndpointError } from './endpoint-errors.js';

const HOUR_MS = 60 * 60 * 1000;
const PERIODS: readonly [StatisticPeriod, number][] = [
  ['HOUR', HOUR_MS],
  ['DAY', 24 * HOUR_MS],
  ['WEEK', 7 * 24 * HOUR_MS],
  ['MONTH', 30 * 24 * HOUR_MS],
];

/** Parallel statistics calls per sync: enough to be quick, few enough not to trip Beget's rate limit. */
export const METRICS_CONCURRENCY = 4;

/** The smallest period whose look-back from `now` covers the window start (MONTH beyond that). */
export function periodFor(window: TimeWindow, now: Date): StatisticPeriod {
  const span = now.getTime() - window.start.getTime();
  return PERIODS.find(([, length]) => span <= length)?.[0] ?? 'MONTH';
}

/** Zips Beget's parallel `date`/`value` arrays, dropping unparsable points and those outside the window. */
export function seriesPoints(series: StatisticSeries, window: TimeWindow): { ts: Date; value: number }[] {
  const points: { ts: Date; value: number }[] = [];
  const count = Math.min(series.date.length, series.value.length);
  for (let i = 0; i < count; i++) {
    const ts = parseBegetDate(series.date[i]);
    const value = num(series.value[i]);
    if (!ts || value === undefined) continue;
    if (ts < window.start || ts > window.end) continue;
    points.push({ ts, value });
  }
  return points;
}

export function cpuSamples(resourceId: string, series: StatisticSeries, window: TimeWindow): MetricSample[] {
  return seriesPoints(series, window).map(({ ts, value }) => ({
    resourceId,
    metric: 'cpu_utilization',
    ts,
    value,
    unit: 'percent',
  }));
}

/** Memory arrives in MB; utilization needs the server's RAM, which only the inventory knows. */
export function memorySamples(
  resourceId: string,
  series: StatisticSeries,
  window: TimeWindow,
  ramMb: number | undefined
): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const { ts, value } of seriesPoints(series, window)) {
    samples.push({ resourceId, metric: 'memory_usage_mb', ts, value, unit: 'MB' });
    if (ramMb !== undefined && ramMb > 0) {
      samples.push({ resourceId, metric: 'memory_utilization', ts, value: (value / ramMb) * 100, unit: 'percent' });
    }
  }
  return samples;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight and yields results as they complete. `fn` must not
 * reject: a consumer that stops early leaves the remaining promises unobserved.
 */
export async function* mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): AsyncGenerator<R> {
  const running = new Map<number, Promise<{ index: number; result: R }>>();
  let next = 0;
  const launch = () => {
    const index = next++;
    running.set(
      index,
      fn(items[index]!).then((result) => ({ index, result }))
    );
  };
  while (next < items.length && running.size < limit) launch();
  while (running.size > 0) {
    const { index, result } = await Promise.race(running.values());
    running.delete(index);
    if (next < items.length) launch();
    yield result;
  }
}

export interface MetricsInit {
  v1: V1Api;
  resources: readonly InventoryResource[];
  window: TimeWindow;
  now: Date;
  errors: EndpointError[];
  concurrency?: number;
  signal?: AbortSignal;
}

/** Samples for every RUNNING server, one batch per server; a failed call is recorded and skipped. */
export async function* collectMetrics(init: MetricsInit): AsyncGenerator<MetricSample[]> {
  const servers = init.resources.filter((r) => r.type === 'server' && r.status === 'RUNNING');
  const period = periodFor(init.window, init.now);
  const fetchServer = async (server: InventoryResource): Promise<MetricSample[]> => {
    const id = server.providerResourceId;
    const ramMb = num(server.specs.ramMb);
    const [cpu, memory] = await Promise.allSettled([
      init.v1.statistic('cpu', id, period),
      init.v1.statistic('memory', id, period),
    ]);
    const samples: MetricSample[] = [];
    if (cpu.status === 'fulfilled') samples.push(...cpuSamples(id, cpu.value, init.window));
    else init.errors.push(toEndpointError(cpu.reason, 'vps.statistic:cpu', `server ${id}`));
    if (memory.status === 'fulfilled') samples.push(...memorySamples(id, memory.value, init.window, ramMb));
    else init.errors.push(toEndpointError(memory.reason, 'vps.statistic:memory', `server ${id}`));
    return samples;
  };
  for await (const samples of mapBounded(servers, init.concurrency ?? METRICS_CONCURRENCY, fetchServer)) {
    rethrowIfAborted(init.signal);
    if (samples.length > 0) yield samples;
  }
}
