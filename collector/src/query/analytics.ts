/**
 * Analytics query types answer with frames of the right shape; the analytics issue fills them. Until then
 * they are empty, never errors, so dashboards can be built against them.
 */
import type { AnalyticsQuery, DataFrameJSON, FieldType } from '../contract/query.js';
import type { QueryContext } from './context.js';
import { currencyUnit, frame } from './frames.js';

type Spec = [name: string, type: FieldType, money?: boolean][];

const FIELDS: Record<AnalyticsQuery['queryType'], Spec> = {
  recommendations: [
    ['id', 'string'],
    ['kind', 'string'],
    ['title', 'string'],
    ['resource', 'string'],
    ['status', 'string'],
    ['current_monthly_cost', 'number', true],
    ['estimated_monthly_savings', 'number', true],
    ['confidence', 'number'],
  ],
  budgets: [
    ['name', 'string'],
    ['period', 'string'],
    ['amount', 'number', true],
    ['spent', 'number', true],
    ['used_percent', 'number'],
    ['forecast', 'number', true],
  ],
  forecast: [
    ['time', 'time'],
    ['forecast', 'number', true],
    ['lower', 'number', true],
    ['upper', 'number', true],
  ],
  anomalies: [
    ['time', 'time'],
    ['scope', 'string'],
    ['actual', 'number', true],
    ['expected', 'number', true],
    ['impact', 'number', true],
    ['score', 'number'],
  ],
  balances: [
    ['time', 'time'],
    ['connection', 'string'],
    ['balance', 'number', true],
    ['days_to_block', 'number'],
  ],
  allocation: [
    ['time', 'time'],
    ['allocation', 'string'],
    ['cost', 'number', true],
  ],
  unit_cost: [
    ['time', 'time'],
    ['metric', 'string'],
    ['unit_cost', 'number', true],
  ],
};

export async function runAnalyticsPlaceholder(ctx: QueryContext, q: AnalyticsQuery): Promise<DataFrameJSON[]> {
  return [
    frame(
      q.refId,
      FIELDS[q.queryType].map(([name, type, money]) => ({
        name,
        type,
        values: [],
        ...(money ? { config: { unit: currencyUnit(ctx.currency), decimals: 2 } } : {}),
      })),
      { name: q.queryType }
    ),
  ];
}
