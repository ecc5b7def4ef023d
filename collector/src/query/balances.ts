/**
 * `balances`: account balance and days to block over time, one series per connection, with the runway
 * of the latest balance on the last point (analytics/runway.ts); `view: runway` gives one row per
 * connection — balance, the provider's own days to block and our runway side by side, with how it was
 * computed.
 */
import { connectionRunways, type ConnectionRunway } from '../analytics/runway.js';
import type { BalancesQuery, DataFrameJSON } from '../contract/query.js';
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

const included = (q: BalancesQuery, dimension: 'connection' | 'provider') =>
  (q.filters ?? []).find((f) => f.dimension === dimension && f.op === 'include' && f.values.length)?.values;

export async function runBalances(ctx: QueryContext, q: BalancesQuery): Promise<DataFrameJSON[]> {
  const runways = await connectionRunways(ctx.tx, ctx.now, {
    connectionIds: included(q, 'connection'),
    providers: included(q, 'provider'),
  });
  if (q.view === 'runway') return [runwayFrame(q, runways)];
  const runwayOf = new Map(runways.map((r) => [r.connectionId, r]));
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
    const runway = runwayOf.get(first.connection_id);
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
        {
          // The runway belongs to the latest balance: set on the connection's latest point when it is in range.
          name: 'runway_days',
          type: 'number',
          values: list.map((r) => (runway && r.ts.getTime() === runway.asOf.getTime() ? runway.runwayDays : null)),
          labels,
          config: { unit: 'none', decimals: 1, displayNameFromDS: `${first.connection} runway` },
        },
      ],
      { name: first.connection, custom: runway ? { runway: runwayJson(runway) } : undefined }
    );
  });
}

function runwayJson(r: ConnectionRunway) {
  return { ...r, asOf: r.asOf.toISOString(), exhaustedAt: r.exhaustedAt?.toISOString() ?? null };
}

function runwayFrame(q: BalancesQuery, runways: ConnectionRunway[]): DataFrameJSON {
  const currencies = new Set(runways.map((r) => r.currency));
  const money = currencies.size === 1 ? { unit: currencyUnit([...currencies][0]!), decimals: 2 } : { decimals: 2 };
  return frame(
    q.refId,
    [
      { name: 'connection', type: 'string', values: runways.map((r) => r.connectionName) },
      { name: 'provider', type: 'string', values: runways.map((r) => r.provider) },
      { name: 'balance', type: 'number', values: runways.map((r) => moneyValue(r.balance)), config: money },
      { name: 'currency', type: 'string', values: runways.map((r) => r.currency) },
      { name: 'as_of', type: 'time', values: runways.map((r) => epoch(r.asOf)) },
      {
        name: 'provider_days_to_block',
        type: 'number',
        values: runways.map((r) => r.providerDaysToBlock),
        config: { decimals: 0 },
      },
      { name: 'runway_days', type: 'number', values: runways.map((r) => r.runwayDays), config: { decimals: 1 } },
      { name: 'exhausted_at', type: 'time', values: runways.map((r) => epoch(r.exhaustedAt)) },
      { name: 'daily_burn', type: 'number', values: runways.map((r) => moneyValue(r.dailyBurn)), config: money },
      { name: 'method', type: 'string', values: runways.map((r) => r.method) },
      {
        name: 'explanation',
        type: 'other',
        values: runways.map((r) => r.explanation),
        config: { custom: { hidden: true } },
      },
    ],
    { name: 'runway', visualisation: 'table' }
  );
}
