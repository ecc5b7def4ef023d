/** `resources`: the inventory table (as the resources API) with costs and waste flags. */
import type { DataFrameJSON, ResourcesQuery } from '../contract/query.js';
import { listResources } from '../storage/repositories/resource-queries.js';
import type { QueryContext } from './context.js';
import { QueryInputError } from './dimensions.js';
import { currencyUnit, epoch, frame, moneyValue } from './frames.js';

/** Filters the inventory understands (the rest are cost dimensions with no meaning here). */
const FILTERABLE = new Set(['provider', 'connection']);

export async function runResources(ctx: QueryContext, q: ResourcesQuery): Promise<DataFrameJSON[]> {
  const single = (dimension: string) => {
    const f = q.filters?.find((x) => x.dimension === dimension && x.op === 'include' && x.values.length === 1);
    return f?.values[0];
  };
  for (const f of q.filters ?? []) {
    if (!FILTERABLE.has(f.dimension))
      throw new QueryInputError(`resources can be filtered by provider and connection, not ${f.dimension}`);
  }
  const { items, total } = await listResources(ctx.tx, {
    provider: single('provider'),
    connection: single('connection'),
    type: q.type,
    status: q.status,
    flag: q.flag,
    q: q.search,
    limit: q.limit ?? 500,
    offset: 0,
  });
  const keep = items.filter((r) =>
    (q.filters ?? []).every((f) => {
      if (f.values.length === 0) return true;
      const value = f.dimension === 'provider' ? r.provider : r.connectionId;
      return f.op === 'include' ? f.values.includes(value) : !f.values.includes(value);
    })
  );
  const currency = keep.find((r) => r.currency)?.currency ?? ctx.currency;
  return [
    frame(
      q.refId,
      [
        { name: 'id', type: 'string', values: keep.map((r) => r.id), config: { custom: { hidden: true } } },
        { name: 'name', type: 'string', values: keep.map((r) => r.name), config: { displayName: 'Name' } },
        { name: 'provider', type: 'string', values: keep.map((r) => r.provider), config: { displayName: 'Provider' } },
        { name: 'type', type: 'string', values: keep.map((r) => r.type), config: { displayName: 'Type' } },
        { name: 'region', type: 'string', values: keep.map((r) => r.region), config: { displayName: 'Region' } },
        { name: 'status', type: 'string', values: keep.map((r) => r.status), config: { displayName: 'Status' } },
        { name: 'zombie', type: 'boolean', values: keep.map((r) => r.flags.zombie), config: { displayName: 'Zombie' } },
        { name: 'orphan', type: 'boolean', values: keep.map((r) => r.flags.orphan), config: { displayName: 'Orphan' } },
        {
          name: 'daily_cost',
          type: 'number',
          values: keep.map((r) => moneyValue(r.dailyCost)),
          config: { unit: currencyUnit(currency), decimals: 2, displayName: 'Daily cost' },
        },
        {
          name: 'monthly_cost',
          type: 'number',
          values: keep.map((r) => moneyValue(r.monthlyCost)),
          config: { unit: currencyUnit(currency), decimals: 2, displayName: 'Monthly cost' },
        },
        {
          name: 'parent_id',
          type: 'string',
          values: keep.map((r) => r.parentId),
          config: { custom: { hidden: true } },
        },
        {
          name: 'provider_resource_id',
          type: 'string',
          values: keep.map((r) => r.providerResourceId),
          config: { displayName: 'Provider id' },
        },
        {
          name: 'connection_id',
          type: 'string',
          values: keep.map((r) => r.connectionId),
          config: { custom: { hidden: true } },
        },
        {
          name: 'last_seen',
          type: 'time',
          values: keep.map((r) => epoch(r.lastSeen)),
          config: { displayName: 'Last seen' },
        },
      ],
      { name: 'resources', visualisation: 'table', custom: { total } }
    ),
  ];
}
