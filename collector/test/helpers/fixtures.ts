/** Deterministic billing and utilization data for storage tests (same seed, same rows, any backend). */
import type { Queryable } from '../../src/storage/db.js';
import type { CostRecordInput } from '../../src/storage/repositories/cost-records.js';
import type { MetricSampleInput } from '../../src/storage/repositories/resource-metrics.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { insertTenant } from '../../src/storage/repositories/tenants.js';

// The sandbox's generator: tests and fake providers draw from one deterministic source.
export { seededRandom };

export const CONNECTION_A = '00000000-0000-4000-8000-00000000000a';
export const CONNECTION_B = '00000000-0000-4000-8000-00000000000b';

export async function createTwoTenants(q: Queryable) {
  const a = await insertTenant(q, 101, 'Tenant A');
  const b = await insertTenant(q, 102, 'Tenant B');
  return { a: a.id, b: b.id };
}

/** Hourly and daily lines over `days` days, with credits, two currencies and long decimals. */
export function costRows(tenants: { a: string; b: string }, days = 20, seed = 42): CostRecordInput[] {
  const rand = seededRandom(seed);
  const rows: CostRecordInput[] = [];
  const start = Date.UTC(2026, 9, 1, 0, 0, 0);
  for (const [tenantId, connectionId] of [
    [tenants.a, CONNECTION_A],
    [tenants.b, CONNECTION_B],
  ] as const) {
    for (let d = 0; d < days; d++) {
      for (let r = 0; r < 6; r++) {
        // Hours chosen to land on both sides of Moscow midnight (21:00 UTC).
        for (const hour of [0, 9, 20, 21, 23]) {
          const t = new Date(start + d * 86_400_000 + hour * 3_600_000);
          const amount = (rand() * 1000).toFixed(10);
          rows.push({
            tenantId,
            connectionId,
            resourceId: `vm-${r}`,
            lineKey: `compute:${hour}`,
            chargePeriodStart: t,
            chargePeriodEnd: new Date(t.getTime() + 3_600_000),
            provider: r % 2 ? 'selectel' : 'yandex',
            billedCost: amount,
            effectiveCost: (Number(amount) * 0.9).toFixed(10),
            listCost: r === 3 ? null : amount,
            billingCurrency: r === 5 ? 'USD' : 'RUB',
            serviceName: r < 3 ? 'Compute' : 'Storage',
            serviceCategory: r < 3 ? 'Compute' : 'Storage',
            regionId: r % 3 === 0 ? 'ru-central1' : null,
            resourceType: 'server',
            chargeCategory: hour === 23 && r === 1 ? 'Credit' : 'Usage',
          });
        }
      }
    }
  }
  return rows;
}

export function metricRows(tenants: { a: string; b: string }, hours = 30, seed = 7): MetricSampleInput[] {
  const rand = seededRandom(seed);
  const rows: MetricSampleInput[] = [];
  const start = Date.UTC(2026, 9, 1, 0, 0, 0);
  for (const [tenantId, connectionId] of [
    [tenants.a, CONNECTION_A],
    [tenants.b, CONNECTION_B],
  ] as const) {
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < hours * 12; i++) {
        rows.push({
          tenantId,
          connectionId,
          resourceId: `vm-${r}`,
          metric: 'cpu_utilization',
          ts: new Date(start + i * 300_000),
          value: Math.round(rand() * 10000) / 100,
          unit: 'percent',
        });
      }
    }
  }
  return rows;
}

/** Rollup contents in a stable order and representation, for comparing backends. */
export async function readCostDaily(q: Queryable) {
  return q.query(
    `SELECT day, tenant_id, connection_id, provider, service_name, service_category, region_id, resource_id,
       resource_type, charge_category, billing_currency, billed_cost::text AS billed_cost,
       effective_cost::text AS effective_cost, list_cost::text AS list_cost, line_count::int AS line_count
     FROM cost_daily
     ORDER BY day, tenant_id, connection_id, resource_id, provider, charge_category, billing_currency, service_name`
  );
}

export async function readMetricsHourly(q: Queryable) {
  return q.query(
    `SELECT hour, tenant_id, connection_id, resource_id, metric, round(avg_value::numeric, 6)::text AS avg_value,
       min_value, max_value, round(p95_value::numeric, 6)::text AS p95_value, samples::int AS samples
     FROM metrics_hourly ORDER BY hour, tenant_id, connection_id, resource_id, metric`
  );
}
