/**
 * `recommendations`: the list (largest saving first; open and accepted by default) with the savings
 * totals in the frame's meta, or (`view: totals`) one row of potential and realized savings and counts
 * per status, for stat panels. Connection and provider filters apply.
 */
import type { DataFrameJSON, RecommendationsQuery } from '../contract/query.js';
import { RECOMMENDATION_STATUSES } from '../contract/query.js';
import { listWithTotals } from '../analytics/recommendations/service.js';
import type { QueryContext } from './context.js';
import { currencyUnit, frame, moneyValue } from './frames.js';

const included = (q: RecommendationsQuery, dimension: 'connection' | 'provider') =>
  (q.filters ?? []).find((f) => f.dimension === dimension && f.op === 'include' && f.values.length)?.values;

export async function runRecommendations(ctx: QueryContext, q: RecommendationsQuery): Promise<DataFrameJSON[]> {
  const { items, totals } = await listWithTotals(ctx.tx, {
    statuses: q.statuses?.length ? q.statuses : ['open', 'accepted'],
    kinds: q.kinds,
    connectionIds: included(q, 'connection'),
    providers: included(q, 'provider'),
    limit: 1000,
  });
  const totalsUnit = { unit: currencyUnit(totals.currency), decimals: 2 };
  if (q.view === 'totals') {
    return [
      frame(
        q.refId,
        [
          {
            name: 'potential_monthly_savings',
            type: 'number',
            values: [Number(totals.potentialMonthlySavings)],
            config: totalsUnit,
          },
          {
            name: 'realized_monthly_savings',
            type: 'number',
            values: [Number(totals.realizedMonthlySavings)],
            config: totalsUnit,
          },
          ...RECOMMENDATION_STATUSES.map((status) => ({
            name: status,
            type: 'number' as const,
            values: [totals.byStatus[status]?.count ?? 0],
          })),
        ],
        { name: 'recommendation totals', custom: { totals } }
      ),
    ];
  }
  // Each row carries its own currency; the unit is set when they all share one.
  const currencies = new Set(items.map((i) => i.currency).filter(Boolean));
  const money = currencies.size === 1 ? { unit: currencyUnit([...currencies][0]!), decimals: 2 } : { decimals: 2 };
  return [
    frame(
      q.refId,
      [
        { name: 'id', type: 'string', values: items.map((i) => i.id), config: { custom: { hidden: true } } },
        { name: 'kind', type: 'string', values: items.map((i) => i.kind) },
        { name: 'title', type: 'string', values: items.map((i) => i.title) },
        { name: 'action', type: 'string', values: items.map((i) => i.action) },
        { name: 'resource', type: 'string', values: items.map((i) => i.resourceName ?? '') },
        { name: 'connection', type: 'string', values: items.map((i) => i.connectionName ?? '') },
        { name: 'provider', type: 'string', values: items.map((i) => i.provider ?? '') },
        { name: 'status', type: 'string', values: items.map((i) => i.status) },
        {
          name: 'current_monthly_cost',
          type: 'number',
          values: items.map((i) => moneyValue(i.currentMonthlyCost)),
          config: money,
        },
        {
          name: 'estimated_monthly_savings',
          type: 'number',
          values: items.map((i) => moneyValue(i.estimatedMonthlySavings)),
          config: money,
        },
        { name: 'currency', type: 'string', values: items.map((i) => i.currency ?? '') },
        { name: 'confidence', type: 'number', values: items.map((i) => i.confidence), config: { unit: 'percentunit' } },
      ],
      { name: 'recommendations', visualisation: 'table', custom: { totals } }
    ),
  ];
}
