/**
 * A small world for the analytics API tests (budgets, allocation, unit metrics): two tenants with API
 * tokens, the real app with a clock the test moves, connections, daily cost lines and resources.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTenant, ensureBootstrapTenant } from '../../src/services/tenancy.js';
import { upsertCostRecords, type CostRecordInput } from '../../src/storage/repositories/cost-records.js';
import { refreshCostDaily } from '../../src/storage/rollups.js';
import { buildTestApp } from './app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './postgres.js';

const DAY = 86_400_000;

/** Noon in Moscow on a day (YYYY-MM-DD). */
export const moscowNoon = (day: string) => new Date(`${day}T12:00:00+03:00`);

export interface AnalyticsWorld {
  t: TestDatabase;
  app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  tenantA: string;
  tokenA: string;
  tenantB: string;
  tokenB: string;
  /** The app's clock. */
  clock: { now: Date };
  call(
    method: InjectOptions['method'],
    url: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string>; payload?: string }
  ): Promise<LightMyRequestResponse>;
  connection(tenantId: string, name: string, provider: string): Promise<string>;
  /** One cost line per day from `from` for `days` days, at noon Moscow, then the rollup refreshed. */
  dailyCosts(
    tenantId: string,
    line: {
      connectionId: string;
      provider: string;
      resourceId: string;
      service: string;
      amount: string;
      currency?: string;
    },
    from: string,
    days: number
  ): Promise<void>;
  resource(
    tenantId: string,
    r: {
      connectionId: string;
      provider: string;
      id: string;
      name: string;
      service?: string;
      tags?: Record<string, string>;
      specs?: Record<string, unknown>;
    }
  ): Promise<void>;
  close(): Promise<void>;
}

export async function createAnalyticsWorld(name: string, now: Date): Promise<AnalyticsWorld> {
  const t = await createTestDatabase(name);
  const clock = { now };
  const { app } = await buildTestApp(t.db, { now: () => clock.now });
  const boot = await ensureBootstrapTenant(t.db, undefined);
  const other = await createTenant(t.db, { orgId: 2, name: 'Other Org', actor: 'test' });
  const tokenA = boot.generatedToken!;
  return {
    t,
    app,
    tenantA: boot.tenant.id,
    tokenA,
    tenantB: other.tenant.id,
    tokenB: other.token.token,
    clock,
    call: (method, url, options = {}) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${options.token ?? tokenA}`, ...options.headers },
        ...(options.payload !== undefined
          ? { payload: options.payload }
          : options.body !== undefined
            ? { payload: options.body as object }
            : {}),
      }),
    async connection(tenantId, connName, provider) {
      const [row] = await t.db.query<{ id: string }>(
        `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, $2, $3) RETURNING id`,
        [tenantId, connName, provider]
      );
      return row!.id;
    },
    async dailyCosts(tenantId, line, from, days) {
      const start = moscowNoon(from).getTime();
      const rows: CostRecordInput[] = Array.from({ length: days }, (_, d) => ({
        tenantId,
        connectionId: line.connectionId,
        resourceId: line.resourceId,
        lineKey: 'usage',
        chargePeriodStart: new Date(start + d * DAY),
        chargePeriodEnd: new Date(start + d * DAY + 3_600_000),
        provider: line.provider,
        billedCost: line.amount,
        effectiveCost: line.amount,
        billingCurrency: line.currency ?? 'RUB',
        serviceName: line.service,
      }));
      await upsertCostRecords(t.db, rows);
      await refreshCostDaily(t.db, 'plain', { from: new Date(start - DAY), to: new Date(start + (days + 1) * DAY) });
    },
    async resource(tenantId, r) {
      await t.db.query(
        `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status, service_name,
           tags, specs)
         VALUES ($1, $2, $3, $4, $5, 'server', 'RUNNING', $6, $7, $8)`,
        [tenantId, r.connectionId, r.provider, r.id, r.name, r.service ?? null, r.tags ?? {}, r.specs ?? {}]
      );
    },
    async close() {
      await app.close();
      await t.drop();
      await stopTestCluster();
    },
  };
}
