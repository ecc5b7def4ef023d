/**
 * Allocation rules for one tenant: CRUD (validated, audited, re-applied to the resources in the same
 * transaction, so `costs` grouped by business_unit reflects a change at once) and the preview of how
 * much cost a set of rules — saved or not — covers.
 */
import { Decimal } from 'decimal.js';
import type { Database, Queryable } from '../storage/db.js';
import {
  allocationCosts,
  deleteRule,
  findRule,
  insertRule,
  listRules,
  reapplyRules,
  regexError,
  updateRule,
} from '../storage/repositories/allocation.js';
import {
  ALLOCATION_ATTRIBUTES,
  compileNamePattern,
  compileRule,
  coverageOf,
  percentOf,
  ruleTotals,
  type AllocationAttribute,
  type AllocationRule,
  type CompiledRule,
  moneyString as money,
  type RuleDefinition,
  type RuleSplit,
} from './allocation.js';
import { auditChange, type Who } from './audit.js';
import { inputError, notFound, type InputIssue } from './errors.js';
import { addDays } from './forecast.js';
import { daysOf } from './periods.js';

/** Longest preview range: a little over a year of daily rollup. */
const MAX_PREVIEW_DAYS = 400;

/** A rule as the API returns it (split only when the rule has one). */
export type RuleView = Omit<AllocationRule, 'split'> & { split?: RuleSplit };

function view(rule: AllocationRule): RuleView {
  const { split, ...rest } = rule;
  return split ? { ...rest, split } : rest;
}

function summaryOf(rule: RuleDefinition): Record<string, unknown> {
  return {
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    match: rule.match,
    assign: rule.assign,
    split: rule.split,
  };
}

const ACTIONS = { created: 'create', changed: 'update', deleted: 'delete' } as const;

/** After a rule write: the resources re-evaluated with the tenant's rules, and the audit entry. */
async function applyAndAudit(
  tx: Queryable,
  tenantId: string,
  who: Who,
  change: { verb: keyof typeof ACTIONS; id: string; before?: RuleDefinition; after?: RuleDefinition }
): Promise<void> {
  const resources = await reapplyRules(tx, tenantId);
  const name = (change.after ?? change.before)!.name;
  await auditChange(tx, tenantId, who, {
    action: `allocation_rule.${ACTIONS[change.verb]}`,
    targetKind: 'allocation_rule',
    targetId: change.id,
    summary: `Allocation rule "${name}" ${change.verb}`,
    before: change.before ? summaryOf(change.before) : null,
    after: change.after ? summaryOf(change.after) : null,
    details: { name, resourcesReallocated: resources },
  });
}

/** Checks that need no database: the rule does something, and nothing twice. */
export function ruleIssues(rule: RuleDefinition, prefix = ''): InputIssue[] {
  const issues: InputIssue[] = [];
  const assigned = ALLOCATION_ATTRIBUTES.filter((a) => rule.assign[a] !== undefined);
  if (assigned.length === 0 && !rule.split) {
    issues.push({ path: `${prefix}/assign`, message: 'assign at least one attribute, or split the cost' });
  }
  if (rule.split) {
    if (assigned.includes(rule.split.dimension)) {
      issues.push({
        path: `${prefix}/split/dimension`,
        message: `${rule.split.dimension} is both assigned and split; choose one`,
      });
    }
    const targets = rule.split.targets.map((t) => t.toLowerCase());
    if (new Set(targets).size !== targets.length) {
      issues.push({ path: `${prefix}/split/targets`, message: 'targets must be distinct' });
    }
  }
  return issues;
}

/** Database checks: the name pattern compiles, the connection is one of the tenant's. */
async function compile(
  tx: Queryable,
  rule: RuleDefinition,
  prefix = ''
): Promise<{ nameRegex: string | null; issues: InputIssue[] }> {
  const issues = ruleIssues(rule, prefix);
  let nameRegex: string | null = null;
  if (rule.match.namePattern !== undefined) {
    const compiled = compileNamePattern(rule.match.namePattern);
    const error = 'error' in compiled ? compiled.error : await regexError(tx, compiled.regex);
    if (error) issues.push({ path: `${prefix}/match/namePattern`, message: error });
    else if ('regex' in compiled) nameRegex = compiled.regex;
  }
  if (rule.match.connectionId !== undefined) {
    const found = await tx.query(`SELECT 1 FROM connections WHERE id = $1`, [rule.match.connectionId]);
    if (found.length === 0) issues.push({ path: `${prefix}/match/connectionId`, message: 'no such connection' });
  }
  return { nameRegex, issues };
}

export async function listAllocationRules(db: Database, tenantId: string): Promise<RuleView[]> {
  return (await db.withTenant(tenantId, (tx) => listRules(tx))).map(view);
}

export async function getAllocationRule(db: Database, tenantId: string, id: string): Promise<RuleView> {
  const rule = await db.withTenant(tenantId, (tx) => findRule(tx, id));
  if (!rule) throw notFound('Allocation rule');
  return view(rule);
}

export interface RuleInput {
  name: string;
  priority?: number;
  enabled?: boolean;
  match: RuleDefinition['match'];
  assign?: RuleDefinition['assign'];
  split?: RuleDefinition['split'];
}

export const DEFAULT_PRIORITY = 100;

function definitionOf(input: RuleInput): RuleDefinition {
  return {
    name: input.name,
    priority: input.priority ?? DEFAULT_PRIORITY,
    enabled: input.enabled ?? true,
    match: input.match,
    assign: input.assign ?? {},
    split: input.split ?? null,
  };
}

export async function createAllocationRule(
  db: Database,
  tenantId: string,
  input: RuleInput,
  who: Who
): Promise<RuleView> {
  const rule = definitionOf(input);
  return db.withTenant(tenantId, async (tx) => {
    const { nameRegex, issues } = await compile(tx, rule);
    if (issues.length) throw inputError(issues);
    const created = await insertRule(tx, tenantId, rule, nameRegex);
    await applyAndAudit(tx, tenantId, who, { verb: 'created', id: created.id, after: rule });
    return view(created);
  });
}

export async function updateAllocationRule(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<RuleInput>,
  who: Who
): Promise<RuleView> {
  return db.withTenant(tenantId, async (tx) => {
    const current = await findRule(tx, id);
    if (!current) throw notFound('Allocation rule');
    const next: RuleDefinition = {
      name: patch.name ?? current.name,
      priority: patch.priority ?? current.priority,
      enabled: patch.enabled ?? current.enabled,
      match: patch.match ?? current.match,
      assign: patch.assign ?? current.assign,
      split: patch.split !== undefined ? patch.split : current.split,
    };
    const { nameRegex, issues } = await compile(tx, next);
    if (issues.length) throw inputError(issues);
    const updated = (await updateRule(tx, id, next, nameRegex))!;
    await applyAndAudit(tx, tenantId, who, { verb: 'changed', id, before: current, after: next });
    return view(updated);
  });
}

export async function deleteAllocationRule(db: Database, tenantId: string, id: string, who: Who): Promise<void> {
  await db.withTenant(tenantId, async (tx) => {
    const current = await findRule(tx, id);
    if (!current || !(await deleteRule(tx, id))) throw notFound('Allocation rule');
    await applyAndAudit(tx, tenantId, who, { verb: 'deleted', id, before: current });
  });
}

export interface PreviewInput {
  from: Date;
  to: Date;
  /** The whole rule set to try, in place of the saved one; `id` is echoed back. */
  rules?: (RuleInput & { id?: string })[];
}

export interface PreviewResult {
  currency: string;
  totalCost: string;
  coveredCost: string;
  coveragePercent: number;
  byAttribute: Record<AllocationAttribute, { coveredCost: string; coveragePercent: number }>;
  rules: { id: string | null; name: string; matchedCost: string; matchedResources: number }[];
  /** Cost in currencies without an exchange rate, left out of the totals. */
  unconverted: { amount: string; currencies: string[] } | null;
}

export async function previewAllocation(db: Database, tenantId: string, input: PreviewInput): Promise<PreviewResult> {
  if (!(input.from < input.to)) throw inputError([{ path: '/from', message: 'must be before to' }]);
  const { fromDay, toDay } = daysOf(input.from, input.to);
  if (addDays(fromDay, MAX_PREVIEW_DAYS) < toDay) {
    throw inputError([{ path: '/to', message: `the range may span at most ${MAX_PREVIEW_DAYS} days` }]);
  }
  return db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.query<{ currency: string }>(
      `SELECT reporting_currency AS currency FROM tenants WHERE id = $1`,
      [tenantId]
    );
    const currency = tenant?.currency ?? 'RUB';
    let listed: { key: string; id: string | null; name: string }[];
    let compiled: CompiledRule[] | undefined;
    if (input.rules) {
      const issues: InputIssue[] = [];
      const candidates = input.rules.map((r, index) => ({ index, key: `preview-${index}`, def: definitionOf(r) }));
      const regexes = new Map<string, string | null>();
      for (const c of candidates) {
        const check = await compile(tx, c.def, `/rules/${c.index}`);
        issues.push(...check.issues);
        regexes.set(c.key, check.nameRegex);
      }
      if (issues.length) throw inputError(issues);
      // Evaluation order as for saved rules: priority, then the order given.
      compiled = candidates
        .filter((c) => c.def.enabled)
        .sort((a, b) => a.def.priority - b.def.priority || a.index - b.index)
        .map((c) => compileRule(c.key, c.def, regexes.get(c.key) ?? undefined));
      listed = candidates.map((c) => ({ key: c.key, id: input.rules![c.index]!.id ?? null, name: c.def.name }));
    } else {
      listed = (await listRules(tx)).map((r) => ({ key: r.id, id: r.id, name: r.name }));
    }
    const rows = await allocationCosts(tx, { fromDay, toDay, currency, rules: compiled });
    const coverage = coverageOf(rows);
    const perRule = ruleTotals(rows);
    return {
      currency,
      totalCost: money(coverage.total),
      coveredCost: money(coverage.covered),
      coveragePercent: percentOf(coverage.covered, coverage.total),
      byAttribute: Object.fromEntries(
        ALLOCATION_ATTRIBUTES.map((a) => [
          a,
          {
            coveredCost: money(coverage.byAttribute[a]),
            coveragePercent: percentOf(coverage.byAttribute[a], coverage.total),
          },
        ])
      ) as PreviewResult['byAttribute'],
      rules: listed.map((r) => {
        const t = perRule.get(r.key);
        return {
          id: r.id,
          name: r.name,
          matchedCost: money(t?.cost ?? new Decimal(0)),
          matchedResources: t?.objects ?? 0,
        };
      }),
      unconverted: coverage.unconverted.isZero()
        ? null
        : { amount: coverage.unconverted.toString(), currencies: coverage.currencies },
    };
  });
}
