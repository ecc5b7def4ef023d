/** `balances`: account balance and days to block over time, one series per connection. */
import type { AnalyticsQuery, DataFrameJSON } from '../contract/query.js';
import type { QueryContext } from './context.js';
import { Params, scopeFilterSql } from './dimensions.js';
import { currencyUnit, epoch, frame, moneyValue } from './frames.js';

interface Row {
  ts: Date;
  connection_id: string;
  connection: string;
  provider: string;
  balance: string;
  currency: string;
  days_to_block: number | null;
  daily_spend: string | null;
}

export async function runBalances(ctx: QueryContext, q: AnalyticsQuery): Promise<DataFrameJSON[]> {
  const params = new Params();
  const where = [
    `b.ts >= ${params.add(ctx.from)}`,
    `b.ts < ${params.add(ctx.to)}`,
    ...scopeFilterSql(q.filters, params, { connection: 'b.connection_id', provider: 'c.provider' }),
  ];
  const rows = await ctx.tx.query<Row>(
    `SELECT b.ts, b.connection_id, c.name AS connection, c.provider, b.balance, b.currency, b.days_to_block, b.daily_spend
     FROM account_balances b JOIN connections c ON c.id = b.connection_id AND c.deleted_at IS NULL
     WHERE ${where.join(' AND ')} ORDER BY b.connection_id, b.ts`,
    params.values
  );
  const byConnection = new Map<string, Row[]>();
  for (const row of rows) byConnection.set(row.connection_id, [...(byConnection.get(row.connection_id) ?? []), row]);
  if (byConnection.size === 0) {
    return [
      frame(
        q.refId,
        [
          { name: 'time', type: 'time', values: [] },
          { name: 'balance', type: 'number', values: [], config: { unit: currencyUnit(ctx.currency) } },
          { name: 'days_to_block', type: 'number', values: [], config: { unit: 'd' } },
        ],
        { name: 'balances' }
      ),
    ];
  }
  return [...byConnection.values()].map((list) => {
    const first = list[0]!;
    const labels = { connection: first.connection, provider: first.provider };
    return frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: list.map((r) => epoch(r.ts)) },
        {
          name: 'balance',
          type: 'number',
          values: list.map((r) => moneyValue(r.balance)),
          labels,
          config: { unit: currencyUnit(first.currency), decimals: 2, displayNameFromDS: `${first.connection} balance` },
        },
        {
          name: 'days_to_block',
          type: 'number',
          values: list.map((r) => r.days_to_block),
          labels,
          config: { unit: 'none', decimals: 0, displayNameFromDS: `${first.connection} days to block` },
        },
        {
          name: 'daily_spend',
          type: 'number',
          values: list.map((r) => moneyValue(r.daily_spend)),
          labels,
          config: {
            unit: currencyUnit(first.currency),
            decimals: 2,
            displayNameFromDS: `${first.connection} daily spend`,
          },
        },
      ],
      { name: first.connection }
    );
  });
}
