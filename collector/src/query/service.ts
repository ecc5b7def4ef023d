/**
 * Runs a query request: each query on its own (one failing query answers with its own error and never
 * fails the others), all inside one tenant-scoped read transaction so RLS applies to every table.
 */
import type { DataFrameJSON, InfraZenQuery, QueryRequest, QueryResponse, QueryResult } from '../contract/query.js';
import type { Database } from '../storage/db.js';
import { runAllocation } from './allocation.js';
import { runAnomalies } from './anomalies.js';
import { runBalances } from './balances.js';
import { runBudgets } from './budgets.js';
import type { QueryContext } from './context.js';
import { runCosts } from './costs.js';
import { QueryInputError } from './dimensions.js';
import { runForecast } from './forecast.js';
import { runChanges, runSnapshots } from './history.js';
import { runResources } from './inventory.js';
import { runRecommendations } from './recommendations.js';
import { parseQuery } from './schemas.js';
import { runCostSummary } from './summary.js';
import { parseTime } from './time.js';
import { runUnitCost } from './unit-cost.js';
import { runUtilization } from './utilization.js';

export class QueryRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRequestError';
  }
}

function execute(ctx: QueryContext, q: InfraZenQuery): Promise<DataFrameJSON[]> {
  switch (q.queryType) {
    case 'costs':
      return runCosts(ctx, q);
    case 'cost_summary':
      return runCostSummary(ctx, q);
    case 'resources':
      return runResources(ctx, q);
    case 'utilization':
      return runUtilization(ctx, q);
    case 'snapshots':
      return runSnapshots(ctx, q);
    case 'changes':
      return runChanges(ctx, q);
    case 'balances':
      return runBalances(ctx, q);
    case 'forecast':
      return runForecast(ctx, q);
    case 'recommendations':
      return runRecommendations(ctx, q);
    case 'anomalies':
      return runAnomalies(ctx, q);
    case 'budgets':
      return runBudgets(ctx, q);
    case 'allocation':
      return runAllocation(ctx, q);
    case 'unit_cost':
      return runUnitCost(ctx, q);
  }
}

export interface QueryDeps {
  db: Database;
  tenantId: string;
  now?: Date;
  onError?: (err: unknown, refId: string) => void;
}

export async function runQueries(
  deps: QueryDeps,
  request: Omit<QueryRequest, 'queries'> & { queries: Record<string, unknown>[] }
): Promise<QueryResponse> {
  const from = parseTime(request.from);
  const to = parseTime(request.to);
  if (!from || !to) throw new QueryRequestError('from and to must be ISO 8601 times or epoch milliseconds');
  if (from >= to) throw new QueryRequestError('from must be before to');
  const results: Record<string, QueryResult> = {};
  await deps.db.withTenant(deps.tenantId, async (tx) => {
    const [tenant] = await tx.query<{ currency: string }>(
      `SELECT reporting_currency AS currency FROM tenants WHERE id = $1`,
      [deps.tenantId]
    );
    const ctx: QueryContext = {
      tx,
      tenantId: deps.tenantId,
      from,
      to,
      currency: request.currency ?? tenant?.currency ?? 'RUB',
      now: deps.now ?? new Date(),
      intervalMs: request.intervalMs,
      maxDataPoints: request.maxDataPoints,
    };
    for (const raw of request.queries) {
      const refId = String(raw.refId);
      if (raw.hide === true) continue;
      const parsed = parseQuery(raw);
      if (!parsed.ok) {
        results[refId] = { frames: [], error: parsed.error, status: 400 };
        continue;
      }
      // A savepoint per query: a failing statement must not abort the transaction for the others.
      await tx.query('SAVEPOINT q');
      try {
        results[refId] = { frames: await execute(ctx, parsed.query) };
        await tx.query('RELEASE SAVEPOINT q');
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT q');
        if (err instanceof QueryInputError) {
          results[refId] = { frames: [], error: err.message, status: 400 };
        } else {
          deps.onError?.(err, refId);
          results[refId] = { frames: [], error: 'the query failed; see the collector log', status: 500 };
        }
      }
    }
  });
  return { results };
}
