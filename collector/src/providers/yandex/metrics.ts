/**
 * CPU utilization of running VMs from Yandex Monitoring: `POST monitoring/v2/data/read?folderId=` with
 * `cpu_utilization{service="compute", resource_id="…"}`, averaged on a 5-minute grid. Timestamps are
 * int64 milliseconds (JSON strings). Monitoring has no memory metric for VMs (memory lives inside the
 * guest), so none is produced: the server specs say `memoryMetrics: 'unavailable'` instead. At most 8
 * requests run at once; failures are recorded once per kind and the rest carry on.
 */
import { ProviderError } from '../http/errors.js';
import type { EndpointError, InventoryResource, MetricSample, TimeWindow } from '../types.js';
import { mapLimit } from './concurrency.js';
import type { YandexContext } from './context.js';
import { asArray, asObject, double, int64, str } from './values.js';

export const METRICS_ENDPOINT = 'monitoring.read';
export const METRICS_CONCURRENCY = 8;
export const GRID_MS = 300_000;
/** How many servers' series are fetched before the samples are handed on. */
const CHUNK = 32;

/** The query language wants quotes in label values escaped. */
export function cpuQuery(instanceId: string): string {
  return `cpu_utilization{service="compute", resource_id="${instanceId.replace(/["\\]/g, '\\$&')}"}`;
}

export function readBody(instanceId: string, window: TimeWindow): Record<string, unknown> {
  return {
    query: cpuQuery(instanceId),
    fromTime: window.start.toISOString(),
    toTime: window.end.toISOString(),
    downsampling: { gridAggregation: 'AVG', gridInterval: String(GRID_MS), gapFilling: 'NONE' },
  };
}

/** `{metrics: [{timeseries: {timestamps, doubleValues}}]}` → points inside the window (NaN gaps dropped). */
export function parseSeries(body: unknown, window: TimeWindow): { ts: Date; value: number }[] {
  const points: { ts: Date; value: number }[] = [];
  for (const metric of asArray(asObject(body).metrics)) {
    const series = asObject(asObject(metric).timeseries);
    const timestamps = asArray(series.timestamps);
    const values = asArray(series.doubleValues);
    for (let i = 0; i < timestamps.length; i++) {
      const ms = int64(timestamps[i]);
      const value = double(values[i]);
      if (ms === undefined || value === undefined) continue;
      const ts = new Date(ms);
      if (ts < window.start || ts >= window.end) continue;
      points.push({ ts, value });
    }
  }
  return points;
}

export async function* fetchMetrics(
  c: YandexContext,
  resources: InventoryResource[],
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<MetricSample[]> {
  const servers = resources.filter((r) => r.type === 'server' && r.status === 'RUNNING');
  if (servers.length === 0 || window.end <= window.start) return;
  const failures = new Map<string, EndpointError & { count: number }>();
  const fetchOne = async (server: InventoryResource): Promise<MetricSample[]> => {
    const folderId = str(server.specs.folderId);
    try {
      const res = await c.api.request({
        endpoint: METRICS_ENDPOINT,
        method: 'POST',
        url: c.url('monitoring', '/monitoring/v2/data/read'),
        query: { folderId },
        json: readBody(server.providerResourceId, window),
      });
      return parseSeries(res.body, window).map((p) => ({
        resourceId: server.providerResourceId,
        metric: 'cpu_utilization' as const,
        ts: p.ts,
        value: p.value,
        unit: 'percent',
      }));
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      const seen = failures.get(err.kind);
      if (seen) seen.count++;
      else failures.set(err.kind, { endpoint: METRICS_ENDPOINT, kind: err.kind, message: err.message, count: 1 });
      return [];
    }
  };
  try {
    for (let i = 0; i < servers.length; i += CHUNK) {
      const results = await mapLimit(servers.slice(i, i + CHUNK), METRICS_CONCURRENCY, fetchOne);
      const samples = results.flat();
      if (samples.length > 0) yield samples;
    }
  } finally {
    for (const { count, ...error } of failures.values()) {
      errors.push(count > 1 ? { ...error, message: `${error.message} (${count} servers failed alike)` } : error);
    }
  }
}
