/** zod schemas of the budget routes (api-contract.md "Budgets, allocation, unit metrics"). */
import { z } from 'zod';
import { BUDGET_SCOPES } from '../../../../analytics/budgets.js';
import { BUDGET_PERIODS } from '../../../../analytics/periods.js';
import { authErrors, errorSchema, storableText } from '../../../schemas.js';

const money = z.string().describe('decimal string');

const amountSchema = z
  .union([z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a decimal number like "150000" or "99.90"'), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d{1,15}(\.\d{1,6})?$/.test(v) && Number(v) > 0, { error: 'must be a positive amount' })
  .describe('decimal string (a number is accepted too)');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const budgetScopeSchema = z
  .strictObject({
    kind: z.enum(BUDGET_SCOPES),
    value: storableText(300)
      .pipe(z.string().min(1))
      .optional()
      .describe('provider, connection id, service name, tag value, business unit or project; none for tenant'),
    tagKey: storableText(200).pipe(z.string().min(1)).optional().describe('the tag key, for kind tag'),
  })
  .superRefine((scope, ctx) => {
    if (scope.kind === 'tenant' && scope.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a tenant budget covers all costs and takes no value' });
    }
    if (scope.kind !== 'tenant' && scope.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a ${scope.kind} budget needs a value` });
    }
    if ((scope.kind === 'tag') !== (scope.tagKey !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['tagKey'], message: 'tagKey is required for kind tag, and only for it' });
    }
    if (scope.kind === 'connection' && scope.value !== undefined && !UUID.test(scope.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a connection id (UUID)' });
    }
  })
  .describe('what the budget covers');

const percentList = z
  .array(z.number().positive().max(1000))
  .max(10)
  .describe('percentages of the amount, e.g. [50, 80, 100]');

export const thresholdsSchema = z.strictObject({
  actual: percentList.optional().describe('checked against the spend to date; default [50, 80, 100]'),
  forecast: percentList.optional().describe('checked against the forecast at the period end; default [100]'),
});

const budgetFields = {
  name: storableText(200).pipe(z.string().min(1, 'must not be empty')),
  amount: amountSchema,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code')
    .optional()
    .describe("default: the tenant's reporting currency"),
  period: z
    .enum(BUDGET_PERIODS)
    .optional()
    .describe('calendar month, quarter or year in Europe/Moscow; default monthly'),
  scope: budgetScopeSchema.optional().describe('default: the whole tenant'),
  thresholds: thresholdsSchema.optional(),
};

export const budgetBodySchema = z.strictObject(budgetFields);

export const budgetPatchSchema = z
  .strictObject({
    name: budgetFields.name.optional(),
    amount: amountSchema.optional(),
    currency: budgetFields.currency,
    period: budgetFields.period,
    scope: budgetFields.scope,
    thresholds: budgetFields.thresholds,
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), { error: 'nothing to update' });

export const budgetStatusSchema = z
  .object({
    periodStart: z.string().describe('first day of the current period, YYYY-MM-DD'),
    periodEnd: z.string().describe('last day of the current period (inclusive), YYYY-MM-DD'),
    asOf: z.string().describe('today in Europe/Moscow'),
    actual: money.describe('spend in the period up to and including today'),
    forecast: money.describe('expected spend over the whole period'),
    usedPercent: z.number(),
    forecastPercent: z.number(),
    burnRatePerDay: money,
    state: z.enum(['ok', 'warning', 'critical', 'exceeded']),
    crossed: z.array(z.object({ kind: z.enum(['actual', 'forecast']), threshold: z.number() })),
    forecastMethod: z.string().describe('holt_winters, linear_trend, mean, or none (no history)'),
    unconverted: z
      .object({ amount: money, currencies: z.array(z.string()) })
      .nullable()
      .describe('cost in currencies without an exchange rate to the budget currency, not included'),
  })
  .describe('BudgetStatus');

export const budgetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    amount: money,
    currency: z.string(),
    period: z.enum(BUDGET_PERIODS),
    scope: z.object({ kind: z.enum(BUDGET_SCOPES), value: z.string().optional(), tagKey: z.string().optional() }),
    thresholds: z.object({ actual: z.array(z.number()), forecast: z.array(z.number()) }),
    status: budgetStatusSchema,
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('Budget');

export const budgetParamsSchema = z.object({ id: z.uuid({ error: 'must be a UUID' }).describe('budget id') });

export const budgetErrors = { 400: errorSchema, 404: errorSchema, ...authErrors } as const;
