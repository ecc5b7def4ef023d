/**
 * `budgets`: one table row per budget with its status as of now (analytics/budgets.ts has the rules):
 * amount, spent to date, forecast to the period end, burn rate, state and the thresholds crossed. The
 * dashboard range does not apply — a budget's period is its own calendar month, quarter or year.
 */
import { budgetStatus, type AllocationCache, type Budget, type BudgetStatus } from '../analytics/budgets.js';
import type { BudgetsQuery, DataFrameJSON } from '../contract/query.js';
import { listBudgets } from '../storage/repositories/budgets.js';
import type { QueryContext } from './context.js';
import { currencyUnit, frame, moneyValue } from './frames.js';

export async function runBudgets(ctx: QueryContext, q: BudgetsQuery): Promise<DataFrameJSON[]> {
  const ids = q.budgetIds?.length ? new Set(q.budgetIds) : undefined;
  const budgets = (await listBudgets(ctx.tx)).filter((b) => !ids || ids.has(b.id));
  const rows: { budget: Budget; status: BudgetStatus }[] = [];
  const cache: AllocationCache = new Map();
  for (const budget of budgets) {
    const status = await budgetStatus(ctx.tx, ctx.tenantId, budget, ctx.now, cache);
    if (q.states?.length && !q.states.includes(status.state)) continue;
    rows.push({ budget, status });
  }
  const currencies = new Set(rows.map((r) => r.budget.currency));
  // One unit for the money columns only when every budget shares a currency (the currency column says).
  const money = currencies.size === 1 ? { unit: currencyUnit([...currencies][0]!), decimals: 2 } : { decimals: 2 };
  const percent = { unit: 'percent', decimals: 1 };
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  return [
    frame(
      q.refId,
      [
        { name: 'name', type: 'string', values: col((r) => r.budget.name) },
        { name: 'period', type: 'string', values: col((r) => r.budget.period) },
        { name: 'amount', type: 'number', values: col((r) => moneyValue(r.budget.amount)), config: money },
        { name: 'spent', type: 'number', values: col((r) => moneyValue(r.status.actual)), config: money },
        { name: 'used_percent', type: 'number', values: col((r) => r.status.usedPercent), config: percent },
        { name: 'forecast', type: 'number', values: col((r) => moneyValue(r.status.forecast)), config: money },
        { name: 'forecast_percent', type: 'number', values: col((r) => r.status.forecastPercent), config: percent },
        { name: 'burn_rate', type: 'number', values: col((r) => moneyValue(r.status.burnRatePerDay)), config: money },
        { name: 'state', type: 'string', values: col((r) => r.status.state) },
        { name: 'currency', type: 'string', values: col((r) => r.budget.currency) },
        { name: 'period_start', type: 'string', values: col((r) => r.status.periodStart) },
        { name: 'period_end', type: 'string', values: col((r) => r.status.periodEnd) },
        {
          name: 'crossed',
          type: 'string',
          values: col((r) => r.status.crossed.map((c) => `${c.kind} ${c.threshold}%`).join(', ')),
        },
        {
          name: 'scope',
          type: 'string',
          values: col((r) =>
            r.budget.scope.kind === 'tenant'
              ? 'tenant'
              : `${r.budget.scope.kind}${r.budget.scope.tagKey ? `:${r.budget.scope.tagKey}` : ''}=${r.budget.scope.value}`
          ),
        },
        { name: 'id', type: 'string', values: col((r) => r.budget.id) },
      ],
      { name: 'budgets', visualisation: 'table' }
    ),
  ];
}
