/** Budgets of one tenant (inside withTenant: row-level security scopes every statement). */
import type { Budget, BudgetScope } from '../../analytics/budgets.js';
import type { BudgetPeriod } from '../../analytics/periods.js';
import type { Queryable } from '../db.js';

interface BudgetRow {
  id: string;
  name: string;
  amount: string;
  currency: string;
  period: BudgetPeriod;
  scope: BudgetScope;
  actual: number[];
  forecast: number[];
  createdAt: Date;
  updatedAt: Date;
}

// Thresholds are percentages (not money): float8 is exact enough and arrives as numbers.
const COLUMNS = `id, name, amount, currency, period, scope, thresholds::float8[] AS actual,
  forecast_thresholds::float8[] AS forecast, created_at AS "createdAt", updated_at AS "updatedAt"`;

function toBudget(row: BudgetRow): Budget {
  const { actual, forecast, ...rest } = row;
  return { ...rest, thresholds: { actual, forecast } };
}

/** What a write stores: a budget without its id and times. */
export type BudgetValues = Omit<Budget, 'id' | 'createdAt' | 'updatedAt'>;

export async function listBudgets(q: Queryable): Promise<Budget[]> {
  return (await q.query<BudgetRow>(`SELECT ${COLUMNS} FROM budgets ORDER BY created_at, id`)).map(toBudget);
}

export async function findBudget(q: Queryable, id: string): Promise<Budget | undefined> {
  const [row] = await q.query<BudgetRow>(`SELECT ${COLUMNS} FROM budgets WHERE id = $1`, [id]);
  return row && toBudget(row);
}

export async function insertBudget(q: Queryable, tenantId: string, v: BudgetValues): Promise<Budget> {
  const [row] = await q.query<BudgetRow>(
    `INSERT INTO budgets (tenant_id, name, amount, currency, period, scope, thresholds, forecast_thresholds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [tenantId, v.name, v.amount, v.currency, v.period, v.scope, v.thresholds.actual, v.thresholds.forecast]
  );
  return toBudget(row!);
}

export async function updateBudget(q: Queryable, id: string, v: BudgetValues): Promise<Budget | undefined> {
  const [row] = await q.query<BudgetRow>(
    `UPDATE budgets SET name = $2, amount = $3, currency = $4, period = $5, scope = $6, thresholds = $7,
       forecast_thresholds = $8, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, v.name, v.amount, v.currency, v.period, v.scope, v.thresholds.actual, v.thresholds.forecast]
  );
  return row && toBudget(row);
}

export async function deleteBudget(q: Queryable, id: string): Promise<boolean> {
  return (await q.query(`DELETE FROM budgets WHERE id = $1 RETURNING id`, [id])).length > 0;
}
