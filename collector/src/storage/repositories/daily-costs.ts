/**
 * Daily cost series from the daily rollup (tenant_cost_daily), in the reporting currency, for the
 * analytics engines (forecast, anomalies, runway, budgets). Days are reporting-time-zone calendar days,
 * like the rollup's buckets. Amounts in another currency are converted with the rate valid on their day
 * (as the `costs` query does); amounts without a rate are reported apart, never silently dropped or
 * added unconverted.
 */
import { Decimal } from 'decimal.js';
import { ROLLUP_TIME_ZONE } from '../rollups.js';
import type { Queryable } from '../db.js';

/** What a series is summed over. `connection_service` is a service within one connection. */
export type DailyCostGrouping = 'tenant' | 'provider' | 'connection' | 'service' | 'connection_service';

/** Each list keeps only rows whose value is in it (an empty list keeps nothing). */
export interface DailyCostFilter {
  providers?: string[];
  connectionIds?: string[];
  services?: string[];
}

function filterClauses(f: DailyCostFilter, params: unknown[], alias: string): string[] {
  const where: string[] = [];
  if (f.providers) where.push(`${alias}provider = ANY($${params.push(f.providers)}::text[])`);
  if (f.connectionIds) where.push(`${alias}connection_id::text = ANY($${params.push(f.connectionIds)}::text[])`);
  if (f.services) where.push(`coalesce(${alias}service_name, '') = ANY($${params.push(f.services)}::text[])`);
  return where;
}

export interface DailyCostRow {
  /** The group's key: '' for the tenant, the provider, the connection id, the service name, or `<connection id>/<service>`. */
  key: string;
  connectionId: string | null;
  /** YYYY-MM-DD in the reporting time zone. */
  day: string;
  amount: Decimal;
  /** Part of the day's cost in currencies without a rate to the reporting currency (not in amount). */
  unconverted: Decimal;
}

const KEYS: Record<DailyCostGrouping, { key: string; connection: string }> = {
  tenant: { key: "''", connection: 'NULL::uuid' },
  provider: { key: 'cd.provider', connection: 'NULL::uuid' },
  connection: { key: 'cd.connection_id::text', connection: 'cd.connection_id' },
  service: { key: "coalesce(cd.service_name, '')", connection: 'NULL::uuid' },
  connection_service: {
    key: "cd.connection_id::text || '/' || coalesce(cd.service_name, '')",
    connection: 'cd.connection_id',
  },
};

/**
 * Daily effective cost per group over [fromDay, toDay) (days, reporting time zone). Only days with cost
 * rows are returned; callers treat missing days as zero. Runs inside withTenant (the view is RLS-scoped).
 */
export async function dailyCosts(
  q: Queryable,
  options: {
    groupBy: DailyCostGrouping;
    fromDay: string;
    toDay: string;
    currency: string;
    filter?: DailyCostFilter;
  }
): Promise<DailyCostRow[]> {
  const { key, connection } = KEYS[options.groupBy];
  const tz = `'${ROLLUP_TIME_ZONE}'`;
  const params: unknown[] = [options.fromDay, options.toDay, options.currency];
  const where = filterClauses(options.filter ?? {}, params, 'cd.');
  const rows = await q.query<{
    key: string;
    connection_id: string | null;
    day: string;
    amount: string;
    unconverted: string;
  }>(
    `WITH base AS (
       SELECT ${key} AS key, ${connection} AS connection_id, cd.day, cd.billing_currency::text AS cur,
         sum(cd.effective_cost) AS amount
       FROM tenant_cost_daily cd
       WHERE cd.day >= ($1::date::timestamp AT TIME ZONE ${tz}) AND cd.day < ($2::date::timestamp AT TIME ZONE ${tz})
         ${where.map((w) => `AND ${w}`).join(' ')}
       GROUP BY 1, 2, cd.day, cur
     ), conv AS (
       SELECT b.*, CASE WHEN b.cur = $3 THEN b.amount ELSE b.amount * (
           SELECT f.rate FROM fx_rates f WHERE f.from_currency = b.cur AND f.to_currency = $3
             AND f.rate_date <= (b.day AT TIME ZONE ${tz})::date ORDER BY f.rate_date DESC LIMIT 1) END AS converted
       FROM base b
     )
     SELECT key, connection_id, (day AT TIME ZONE ${tz})::date::text AS day,
       coalesce(sum(converted), 0) AS amount,
       coalesce(sum(amount) FILTER (WHERE converted IS NULL), 0) AS unconverted
     FROM conv GROUP BY key, connection_id, day ORDER BY key, day`,
    params
  );
  return rows.map((r) => ({
    key: r.key,
    connectionId: r.connection_id,
    day: r.day,
    amount: new Decimal(r.amount),
    unconverted: new Decimal(r.unconverted),
  }));
}
