/**
 * Allocation rules (CRUD, re-applying them to the resources) and the allocation read: cost per day per
 * allocation outcome, evaluated by `infrazen_allocate` (migration 011). All of it runs inside withTenant,
 * so row-level security limits every statement to the tenant.
 */
import { Decimal } from 'decimal.js';
import type {
  AllocationCostRow,
  AllocationOutcome,
  AllocationRule,
  CompiledRule,
  RuleDefinition,
} from '../../analytics/allocation.js';
import type { DimensionFilter } from '../../contract/query.js';
import { filterSql, Params } from '../../query/dimensions.js';
import type { Queryable } from '../db.js';
import { ROLLUP_TIME_ZONE } from '../rollups.js';

const RULE_COLUMNS = `id, name, priority, enabled, match, assign, split,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Evaluation order: priority, then age, then id (stable for equal timestamps). */
const RULE_ORDER = 'ORDER BY priority, created_at, id';

export async function listRules(q: Queryable): Promise<AllocationRule[]> {
  return q.query<AllocationRule>(`SELECT ${RULE_COLUMNS} FROM allocation_rules ${RULE_ORDER}`);
}

export async function findRule(q: Queryable, id: string): Promise<AllocationRule | undefined> {
  const [row] = await q.query<AllocationRule>(`SELECT ${RULE_COLUMNS} FROM allocation_rules WHERE id = $1`, [id]);
  return row;
}

export async function insertRule(
  q: Queryable,
  tenantId: string,
  rule: RuleDefinition,
  nameRegex: string | null
): Promise<AllocationRule> {
  const [row] = await q.query<AllocationRule>(
    `INSERT INTO allocation_rules (tenant_id, name, priority, enabled, match, assign, split, name_regex)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${RULE_COLUMNS}`,
    [tenantId, rule.name, rule.priority, rule.enabled, rule.match, rule.assign, rule.split, nameRegex]
  );
  return row!;
}

export async function updateRule(
  q: Queryable,
  id: string,
  rule: RuleDefinition,
  nameRegex: string | null
): Promise<AllocationRule | undefined> {
  const [row] = await q.query<AllocationRule>(
    `UPDATE allocation_rules SET name = $2, priority = $3, enabled = $4, match = $5, assign = $6, split = $7,
       name_regex = $8, updated_at = now()
     WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
    [id, rule.name, rule.priority, rule.enabled, rule.match, rule.assign, rule.split, nameRegex]
  );
  return row;
}

export async function deleteRule(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query(`DELETE FROM allocation_rules WHERE id = $1 RETURNING id`, [id]);
  return rows.length > 0;
}

/**
 * Re-evaluates every resource of the tenant with its current rules (after a rule changed) and writes the
 * ones whose outcome changed (`infrazen_reallocate`, migration 011). Returns how many changed.
 */
export async function reapplyRules(q: Queryable, tenantId: string): Promise<number> {
  const [row] = await q.query<{ changed: number }>(
    `SELECT infrazen_reallocate(ARRAY(SELECT id FROM resources WHERE tenant_id = $1)) AS changed`,
    [tenantId]
  );
  return row!.changed;
}

/** The database's complaint about a regular expression, or null when it compiles. */
export async function regexError(q: Queryable, regex: string): Promise<string | null> {
  await q.query('SAVEPOINT regex_check');
  try {
    await q.query(`SELECT '' ~ $1`, [regex]);
    await q.query('RELEASE SAVEPOINT regex_check');
    return null;
  } catch (err) {
    await q.query('ROLLBACK TO SAVEPOINT regex_check');
    if ((err as { code?: string }).code === '2201B') return (err as Error).message;
    throw err;
  }
}

export interface AllocationReadOptions {
  /** Reporting-time-zone days, [fromDay, toDay). */
  fromDay: string;
  toDay: string;
  currency: string;
  /** Rules to evaluate instead of the stored ones (preview); resources then are evaluated afresh. */
  rules?: CompiledRule[];
  filters?: DimensionFilter[];
}

/**
 * Effective cost per day and allocation outcome, in `currency` (converted with the rate valid on each
 * day, like the `costs` query; amounts without a rate are counted apart). Cost objects are the daily
 * rollup's (connection, resource) pairs; one with a resource row takes the resource's attributes (and,
 * with the stored rules, its stored outcome, which the trigger keeps current), one without — account
 * charges — is evaluated from the billing line (provider, connection, service). Besides one row per
 * (day, outcome) there is one per outcome with day null, counting its distinct objects over the range.
 */
export async function allocationCosts(q: Queryable, options: AllocationReadOptions): Promise<AllocationCostRow[]> {
  const params = new Params();
  const tz = `'${ROLLUP_TIME_ZONE}'`;
  const where = [
    `cd.day >= (${params.add(options.fromDay)}::date::timestamp AT TIME ZONE ${tz})`,
    `cd.day < (${params.add(options.toDay)}::date::timestamp AT TIME ZONE ${tz})`,
    ...filterSql(options.filters, params),
  ];
  const currency = params.add(options.currency);
  const preview = options.rules !== undefined;
  const rules = preview
    ? `${params.add(JSON.stringify(options.rules))}::jsonb`
    : 'infrazen_allocation_rules(infrazen_current_tenant())';
  const whereText = where.join(' ');
  const joins = [
    /\br\./.test(whereText)
      ? 'LEFT JOIN resources r ON r.connection_id = cd.connection_id AND r.provider_resource_id = cd.resource_id'
      : '',
    /\bc\./.test(whereText) ? 'LEFT JOIN connections c ON c.id = cd.connection_id' : '',
  ].join('\n');
  const rows = await q.query<{
    day: string | null;
    outcome: AllocationOutcome;
    amount: string;
    unconverted: string;
    currencies: string[] | null;
    objects: number;
  }>(
    `WITH base AS (
       SELECT cd.day, cd.connection_id, cd.resource_id, cd.provider, coalesce(cd.service_name, '') AS service,
         cd.billing_currency::text AS cur, sum(cd.effective_cost) AS amount
       FROM tenant_cost_daily cd
       ${joins}
       WHERE ${where.join(' AND ')}
       GROUP BY 1, 2, 3, 4, 5, 6
     ), conv AS (
       SELECT b.*, CASE WHEN b.cur = ${currency} THEN b.amount ELSE b.amount * (
           SELECT f.rate FROM fx_rates f WHERE f.from_currency = b.cur AND f.to_currency = ${currency}
             AND f.rate_date <= (b.day AT TIME ZONE ${tz})::date ORDER BY f.rate_date DESC LIMIT 1) END AS converted
       FROM base b
     ), objects AS (
       -- One row per cost object with its days folded into arrays: the outcome is attached per object and
       -- the days unfolded again, so no join between two large derived sets depends on estimates.
       SELECT connection_id, resource_id, provider, service, array_agg((day AT TIME ZONE ${tz})::date) AS days,
         array_agg(converted) AS converted, array_agg(amount) AS amounts, array_agg(cur) AS curs
       FROM conv GROUP BY connection_id, resource_id, provider, service
     ), rules AS MATERIALIZED (
       SELECT ${rules} AS j
     ), alloc AS MATERIALIZED (
       -- Materialized: the outcome is evaluated once per object, not once per unfolded day.
       SELECT o.*,
         CASE WHEN r.id IS NULL THEN infrazen_allocate(rules.j, jsonb_build_object('provider', o.provider,
             'connectionId', o.connection_id, 'service', nullif(o.service, ''), 'name', o.resource_id))
           ELSE ${preview ? 'infrazen_allocate(rules.j, infrazen_resource_allocation_input(r))' : 'r.allocation'} END AS a
       FROM objects o CROSS JOIN rules
       LEFT JOIN resources r ON r.connection_id = o.connection_id AND r.provider_resource_id = o.resource_id
     )
     SELECT u.day::text AS day, al.a AS outcome,
       coalesce(sum(u.converted), 0) AS amount,
       coalesce(sum(u.amount) FILTER (WHERE u.converted IS NULL), 0) AS unconverted,
       array_agg(DISTINCT u.cur) FILTER (WHERE u.converted IS NULL) AS currencies,
       count(DISTINCT (al.connection_id, al.resource_id)) AS objects
     FROM alloc al CROSS JOIN LATERAL unnest(al.days, al.converted, al.amounts, al.curs) AS u(day, converted, amount, cur)
     GROUP BY GROUPING SETS ((u.day, al.a), (al.a))`,
    params.values
  );
  return rows.map((r) => ({
    day: r.day,
    outcome: r.outcome,
    amount: new Decimal(r.amount),
    unconverted: new Decimal(r.unconverted),
    currencies: r.currencies ?? [],
    objects: r.objects,
  }));
}
