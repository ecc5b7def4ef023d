/** Budgets for one tenant: CRUD (validated, audited) and their status as of the app's clock. */
import { Decimal } from 'decimal.js';
import type { Database, Queryable } from '../storage/db.js';
import {
  deleteBudget as deleteBudgetRow,
  findBudget,
  insertBudget,
  listBudgets,
  updateBudget as updateBudgetRow,
  type BudgetValues,
} from '../storage/repositories/budgets.js';
import { auditChange, type Who } from './audit.js';
import {
  budgetStatus,
  DEFAULT_THRESHOLDS,
  type AllocationCache,
  type Budget,
  type BudgetScope,
  type BudgetStatus,
  type BudgetThresholds,
} from './budgets.js';
import { inputError, notFound } from './errors.js';
import type { BudgetPeriod } from './periods.js';

export type BudgetWithStatus = Budget & { status: BudgetStatus };

export interface BudgetInput {
  name: string;
  amount: string;
  currency?: string;
  period?: BudgetPeriod;
  scope?: BudgetScope;
  thresholds?: Partial<BudgetThresholds>;
}

/** Ascending, without repeats: the order thresholds are checked and shown in. */
const normalize = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);

/** What the audit log keeps of a budget: everything but ids and times. */
function valuesOf(b: Budget): BudgetValues {
  const { name, amount, currency, period, scope, thresholds } = b;
  return { name, amount, currency, period, scope, thresholds };
}

function describe(v: BudgetValues): string {
  const scope =
    v.scope.kind === 'tenant'
      ? 'all costs'
      : `${v.scope.kind}${v.scope.tagKey ? ` ${v.scope.tagKey}` : ''} = ${v.scope.value}`;
  return `"${v.name}" (${v.amount} ${v.currency} ${v.period}, ${scope})`;
}

async function checkScope(tx: Queryable, scope: BudgetScope): Promise<void> {
  if (scope.kind !== 'connection') return;
  const found = await tx.query(`SELECT 1 FROM connections WHERE id = $1 AND deleted_at IS NULL`, [scope.value]);
  if (found.length === 0) throw inputError([{ path: '/scope/value', message: 'no such connection' }]);
}

async function reportingCurrency(tx: Queryable, tenantId: string): Promise<string> {
  const [row] = await tx.query<{ currency: string }>(
    `SELECT reporting_currency AS currency FROM tenants WHERE id = $1`,
    [tenantId]
  );
  return row?.currency ?? 'RUB';
}

async function withStatus(
  tx: Queryable,
  tenantId: string,
  budget: Budget,
  now: Date,
  cache?: AllocationCache
): Promise<BudgetWithStatus> {
  return { ...budget, status: await budgetStatus(tx, tenantId, budget, now, cache) };
}

export async function listBudgetsWithStatus(db: Database, tenantId: string, now: Date): Promise<BudgetWithStatus[]> {
  return db.withTenant(tenantId, async (tx) => {
    const out: BudgetWithStatus[] = [];
    const cache: AllocationCache = new Map();
    for (const budget of await listBudgets(tx)) out.push(await withStatus(tx, tenantId, budget, now, cache));
    return out;
  });
}

export async function getBudget(db: Database, tenantId: string, id: string, now: Date): Promise<BudgetWithStatus> {
  return db.withTenant(tenantId, async (tx) => {
    const budget = await findBudget(tx, id);
    if (!budget) throw notFound('Budget');
    return withStatus(tx, tenantId, budget, now);
  });
}

export async function createBudget(
  db: Database,
  tenantId: string,
  input: BudgetInput,
  who: Who,
  now: Date
): Promise<BudgetWithStatus> {
  return db.withTenant(tenantId, async (tx) => {
    const values: BudgetValues = {
      name: input.name,
      amount: new Decimal(input.amount).toString(),
      currency: input.currency ?? (await reportingCurrency(tx, tenantId)),
      period: input.period ?? 'monthly',
      scope: input.scope ?? { kind: 'tenant' },
      thresholds: {
        actual: normalize(input.thresholds?.actual ?? DEFAULT_THRESHOLDS.actual),
        forecast: normalize(input.thresholds?.forecast ?? DEFAULT_THRESHOLDS.forecast),
      },
    };
    await checkScope(tx, values.scope);
    const budget = await insertBudget(tx, tenantId, values);
    await auditChange(tx, tenantId, who, {
      action: 'budget.create',
      targetKind: 'budget',
      targetId: budget.id,
      summary: `Budget ${describe(values)} created`,
      after: { ...values },
      details: { name: values.name },
    });
    return withStatus(tx, tenantId, budget, now);
  });
}

export async function updateBudget(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<BudgetInput>,
  who: Who,
  now: Date
): Promise<BudgetWithStatus> {
  return db.withTenant(tenantId, async (tx) => {
    const current = await findBudget(tx, id);
    if (!current) throw notFound('Budget');
    const before = valuesOf(current);
    const values: BudgetValues = {
      name: patch.name ?? before.name,
      amount: patch.amount !== undefined ? new Decimal(patch.amount).toString() : before.amount,
      currency: patch.currency ?? before.currency,
      period: patch.period ?? before.period,
      scope: patch.scope ?? before.scope,
      thresholds: {
        actual: normalize(patch.thresholds?.actual ?? before.thresholds.actual),
        forecast: normalize(patch.thresholds?.forecast ?? before.thresholds.forecast),
      },
    };
    if (patch.scope) await checkScope(tx, values.scope);
    const budget = (await updateBudgetRow(tx, id, values))!;
    await auditChange(tx, tenantId, who, {
      action: 'budget.update',
      targetKind: 'budget',
      targetId: id,
      summary: `Budget ${describe(values)} changed`,
      before: { ...before },
      after: { ...values },
      details: { name: values.name },
    });
    return withStatus(tx, tenantId, budget, now);
  });
}

export async function deleteBudget(db: Database, tenantId: string, id: string, who: Who): Promise<void> {
  await db.withTenant(tenantId, async (tx) => {
    const current = await findBudget(tx, id);
    if (!current || !(await deleteBudgetRow(tx, id))) throw notFound('Budget');
    await auditChange(tx, tenantId, who, {
      action: 'budget.delete',
      targetKind: 'budget',
      targetId: id,
      summary: `Budget "${current.name}" deleted`,
      before: { ...valuesOf(current) },
      details: { name: current.name },
    });
  });
}
