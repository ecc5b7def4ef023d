/**
 * CPU and, where VK Cloud keeps it, memory of running VMs from Gnocchi (the region's `metric` catalog
 * endpoint, shared request and answer shapes in `../openstack/gnocchi.ts`). `memory.usage` exists only
 * for VMs whose guest reports it: Gnocchi then answers "not found", which means "no memory figure for
 * this VM" — recorded as absent, never as a failure and never invented. At most 8 requests in flight; a
 * real failure is recorded once per region and kind, and the rest carry on.
 */
import { ProviderError } from '../http/errors.js';
import {
  aggregatesBody,
  aggregatesQuery,
  boundedMap,
  MetricFailureLog,
  parseAggregates,
  toSamples,
  type SeriesKind,
} from '../openstack/gnocchi.js';
import type { EndpointError, InventoryResource, MetricSample, TimeWindow } from '../types.js';
import { versioned } from './catalog.js';
import type { VkcloudContext } from './context.js';

export const METRICS_ENDPOINT = 'metrics';
export const METRICS_CONCURRENCY = 8;

/** Gnocchi's "this metric does not exist for that resource" (404, or 400 "Metrics not found"). */
function isAbsent(err: ProviderError): boolean {
  return err.kind === 'not_found' || (err.status === 400 && /not found|does not exist/i.test(err.message));
}

export async function* fetchMetrics(
  c: VkcloudContext,
  resources: InventoryResource[],
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<MetricSample[]> {
  const servers = resources.filter((r) => r.type === 'server' && r.status === 'RUNNING' && r.region);
  if (servers.length === 0 || window.end <= window.start) return;
  let metricUrls: Map<string, string>;
  try {
    const token = await c.keystone.token();
    metricUrls = new Map(
      token.regions.flatMap((r) => (r.urls.metric ? [[r.region, versioned(r.urls.metric, 'v1', '/aggregates')]] : []))
    );
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    errors.push({ endpoint: METRICS_ENDPOINT, kind: err.kind, message: err.message });
    return;
  }
  const failures = new MetricFailureLog(METRICS_ENDPOINT);
  const query = aggregatesQuery(window);
  const withoutMemory: string[] = [];
  const tasks = servers
    .filter((server) => metricUrls.has(server.region!))
    .flatMap((server) => (['cpu', 'memory'] as const).map((kind) => ({ server, kind })));

  const run = async ({ server, kind }: { server: InventoryResource; kind: SeriesKind }): Promise<MetricSample[]> => {
    const region = server.region!;
    try {
      const res = await c.openstack.request({
        endpoint: `${METRICS_ENDPOINT}:${region}`,
        method: 'POST',
        url: metricUrls.get(region)!,
        query,
        json: aggregatesBody(server.providerResourceId, kind),
      });
      return toSamples(server, kind, parseAggregates(res.body, window));
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (kind === 'memory' && isAbsent(err)) withoutMemory.push(server.providerResourceId);
      else failures.add(region, err);
      return [];
    }
  };

  try {
    for await (const samples of boundedMap(tasks, METRICS_CONCURRENCY, run)) {
      if (samples.length > 0) yield samples;
    }
  } finally {
    failures.flush(errors);
    if (withoutMemory.length > 0) {
      c.logger.debug({ provider: 'vkcloud', servers: withoutMemory.length }, 'no memory metric for some VMs');
    }
  }
}
