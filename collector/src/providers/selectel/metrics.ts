/**
 * CPU and memory of running VMs from Gnocchi (reference §14.2): `POST {region}/metric/v1/aggregates`
 * at 300 s granularity (the only one Selectel serves; others answer 400), one series per request:
 * `cpu_util` (%) and `memory.usage` (MB, turned into % of the flavor's RAM as well). At most 8 requests
 * run at once; a failure is recorded once per region and endpoint and the rest carry on. The Gnocchi
 * request and answer shapes are the shared OpenStack ones (`../openstack/gnocchi.ts`).
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
import type { SelectelContext } from './context.js';
import { regionsFor } from './inventory.js';
import { urlFromTemplate } from './regions.js';

export { aggregatesBody, boundedMap, GNOCCHI_GRANULARITY, parseAggregates, toSamples } from '../openstack/gnocchi.js';

export const METRICS_ENDPOINT = 'metrics';
export const METRICS_CONCURRENCY = 8;

export async function* fetchMetrics(
  c: SelectelContext,
  resources: InventoryResource[],
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<MetricSample[]> {
  const servers = resources.filter((r) => r.type === 'server' && r.status === 'RUNNING' && r.region);
  if (servers.length === 0 || window.end <= window.start) return;
  let bases: Map<string, string>;
  try {
    bases = new Map(regionsFor(c, await c.keystone.token()).map((r) => [r.region, r.baseUrl]));
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    errors.push({ endpoint: METRICS_ENDPOINT, kind: err.kind, message: err.message });
    return;
  }
  const failures = new MetricFailureLog(METRICS_ENDPOINT);
  const tasks = servers.flatMap((server) => (['cpu', 'memory'] as const).map((kind) => ({ server, kind })));
  const query = aggregatesQuery(window);

  const run = async ({ server, kind }: { server: InventoryResource; kind: SeriesKind }): Promise<MetricSample[]> => {
    const region = server.region!;
    const base = bases.get(region) ?? urlFromTemplate(c.settings.regionUrlTemplate, region);
    try {
      const res = await c.openstack.request({
        endpoint: `${METRICS_ENDPOINT}:${region}`,
        method: 'POST',
        url: `${base}/metric/v1/aggregates`,
        query,
        json: aggregatesBody(server.providerResourceId, kind),
      });
      return toSamples(server, kind, parseAggregates(res.body, window));
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      failures.add(region, err);
      return [];
    }
  };

  try {
    for await (const samples of boundedMap(tasks, METRICS_CONCURRENCY, run)) {
      if (samples.length > 0) yield samples;
    }
  } finally {
    failures.flush(errors);
  }
}
