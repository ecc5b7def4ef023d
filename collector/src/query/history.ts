/** `snapshots` and `changes`: sync history and resource state changes (the latter also as annotations). */
import type { ChangesQuery, DataFrameJSON, SnapshotsQuery } from '../contract/query.js';
import type { QueryContext } from './context.js';
import { Params, scopeFilterSql } from './dimensions.js';
import { currencyUnit, epoch, frame, moneyValue } from './frames.js';

interface SnapshotRow {
  started_at: Date;
  connection: string;
  provider: string;
  status: string;
  duration_ms: number | null;
  found: number;
  created: number;
  updated: number;
  deleted: number;
  total_daily_cost: string | null;
  currency: string | null;
  errors: number;
  id: string;
}

export async function runSnapshots(ctx: QueryContext, q: SnapshotsQuery): Promise<DataFrameJSON[]> {
  const params = new Params();
  const where = [
    `s.started_at >= ${params.add(ctx.from)}`,
    `s.started_at < ${params.add(ctx.to)}`,
    ...scopeFilterSql(q.filters, params, { connection: 's.connection_id', provider: 'c.provider' }),
  ];
  const rows = await ctx.tx.query<SnapshotRow>(
    `SELECT s.started_at, c.name AS connection, c.provider, s.status, s.duration_ms, s.resources_found AS found,
       s.resources_created AS created, s.resources_updated AS updated, s.resources_deleted AS deleted,
       s.total_daily_cost, s.currency, jsonb_array_length(s.endpoint_errors)::int AS errors, s.id
     FROM sync_snapshots s JOIN connections c ON c.id = s.connection_id
     WHERE ${where.join(' AND ')} ORDER BY s.started_at DESC LIMIT 5000`,
    params.values
  );
  const currency = rows.find((r) => r.currency)?.currency ?? ctx.currency;
  return [
    frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: rows.map((r) => epoch(r.started_at)) },
        { name: 'connection', type: 'string', values: rows.map((r) => r.connection) },
        { name: 'provider', type: 'string', values: rows.map((r) => r.provider) },
        { name: 'status', type: 'string', values: rows.map((r) => r.status) },
        { name: 'duration', type: 'number', values: rows.map((r) => r.duration_ms), config: { unit: 'ms' } },
        { name: 'found', type: 'number', values: rows.map((r) => r.found) },
        { name: 'created', type: 'number', values: rows.map((r) => r.created) },
        { name: 'updated', type: 'number', values: rows.map((r) => r.updated) },
        { name: 'deleted', type: 'number', values: rows.map((r) => r.deleted) },
        {
          name: 'daily_cost',
          type: 'number',
          values: rows.map((r) => moneyValue(r.total_daily_cost)),
          config: { unit: currencyUnit(currency), decimals: 2 },
        },
        { name: 'endpoint_errors', type: 'number', values: rows.map((r) => r.errors) },
        { name: 'snapshot_id', type: 'string', values: rows.map((r) => r.id), config: { custom: { hidden: true } } },
      ],
      { name: 'snapshots', visualisation: 'table' }
    ),
  ];
}

interface ChangeRow {
  time: Date;
  resource_name: string;
  resource_type: string;
  provider_resource_id: string;
  resource_id: string | null;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  has_cost_change: boolean;
  has_status_change: boolean;
  has_config_change: boolean;
  daily_cost: string | null;
  connection: string;
  provider: string;
}

/** One line a person can read, e.g. "status RUNNING → STOPPED; dailyCost 22 → 30". */
export function describeChange(action: string, changes: ChangeRow['changes']): string {
  if (action !== 'updated') return action;
  return Object.entries(changes)
    .map(([field, c]) => `${field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`)
    .join('; ');
}

export async function runChanges(ctx: QueryContext, q: ChangesQuery): Promise<DataFrameJSON[]> {
  const params = new Params();
  const kinds = q.kinds ?? [];
  const kindSql = kinds.length ? `AND (${kinds.map((k) => `rs.has_${k}_change`).join(' OR ')})` : '';
  const actions = q.actions?.length ? q.actions : ['created', 'updated', 'deleted'];
  const where = [
    `s.started_at >= ${params.add(ctx.from)}`,
    `s.started_at < ${params.add(ctx.to)}`,
    `rs.action = ANY(${params.add(actions)}::text[])`,
    ...scopeFilterSql(q.filters, params, { connection: 's.connection_id', provider: 'c.provider' }),
  ];
  const rows = await ctx.tx.query<ChangeRow>(
    `SELECT s.started_at AS time, rs.resource_name, rs.resource_type, rs.provider_resource_id, rs.resource_id, rs.action,
       rs.changes, rs.has_cost_change, rs.has_status_change, rs.has_config_change, rs.daily_cost, c.name AS connection,
       c.provider
     FROM resource_states rs JOIN sync_snapshots s ON s.id = rs.snapshot_id JOIN connections c ON c.id = s.connection_id
     WHERE ${where.join(' AND ')} ${kindSql}
     ORDER BY s.started_at DESC, rs.resource_name LIMIT 5000`,
    params.values
  );
  return [
    frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: rows.map((r) => epoch(r.time)) },
        { name: 'title', type: 'string', values: rows.map((r) => `${r.resource_name} ${r.action}`) },
        { name: 'text', type: 'string', values: rows.map((r) => describeChange(r.action, r.changes)) },
        {
          name: 'tags',
          type: 'other',
          values: rows.map((r) =>
            [
              r.provider,
              r.resource_type,
              r.action,
              r.has_cost_change ? 'cost' : '',
              r.has_status_change ? 'status' : '',
              r.has_config_change ? 'config' : '',
            ].filter(Boolean)
          ),
        },
        { name: 'resource', type: 'string', values: rows.map((r) => r.resource_name) },
        {
          name: 'resource_id',
          type: 'string',
          values: rows.map((r) => r.resource_id),
          config: { custom: { hidden: true } },
        },
        { name: 'action', type: 'string', values: rows.map((r) => r.action) },
        { name: 'connection', type: 'string', values: rows.map((r) => r.connection) },
        {
          name: 'daily_cost',
          type: 'number',
          values: rows.map((r) => moneyValue(r.daily_cost)),
          config: { unit: currencyUnit(ctx.currency), decimals: 2 },
        },
      ],
      { name: 'changes', visualisation: 'table' }
    ),
  ];
}
