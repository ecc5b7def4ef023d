/**
 * Allocation without tags: rules assign a business unit, project, environment and cost center to cost
 * objects (resources, and billing lines without a resource) by name pattern, provider, connection,
 * service, folder/project or tag. The evaluation itself runs in PostgreSQL (`infrazen_allocate`,
 * migration 011) so the resources' columns — what `costs` grouped by business_unit reads — are kept by a
 * trigger, and the analytics reads below use the very same function. Per attribute the first source
 * wins: a value set explicitly on the resource, a tag on it, then the first matching rule in priority
 * order.
 *
 * This module holds what is not SQL: rule compilation (name patterns), the split of shared costs
 * (exact to the kopeck), and the summaries of an allocation read (per value, coverage, per rule).
 */
import { Decimal } from 'decimal.js';

export const ALLOCATION_ATTRIBUTES = ['businessUnit', 'project', 'environment', 'costCenter'] as const;
export type AllocationAttribute = (typeof ALLOCATION_ATTRIBUTES)[number];

/** The query API's dimension for each attribute (query/dimensions.ts reads the resources' columns). */
export const ATTRIBUTE_BY_DIMENSION = {
  business_unit: 'businessUnit',
  project: 'project',
  environment: 'environment',
  cost_center: 'costCenter',
} as const satisfies Record<string, AllocationAttribute>;
export type AllocationDimension = keyof typeof ATTRIBUTE_BY_DIMENSION;
export const ALLOCATION_DIMENSIONS = Object.keys(ATTRIBUTE_BY_DIMENSION) as AllocationDimension[];

export interface RuleMatch {
  /** A glob (`web-*`, `?` for one character, case-insensitive) or a regular expression `/^web-\d+$/i`. */
  namePattern?: string;
  provider?: string;
  connectionId?: string;
  service?: string;
  /** A folder or project id or name (Yandex Cloud folder, Cloud.ru/Selectel project). */
  project?: string;
  /** Without a value: any resource that has the tag. */
  tag?: { key: string; value?: string };
}

export type SplitMode = 'even' | 'proportional';

export interface RuleSplit {
  mode: SplitMode;
  targets: string[];
  /** The attribute whose values the cost is spread over. */
  dimension: AllocationAttribute;
}

export interface RuleDefinition {
  name: string;
  /** Lower runs first; equal priorities run oldest first. */
  priority: number;
  enabled: boolean;
  match: RuleMatch;
  assign: Partial<Record<AllocationAttribute, string>>;
  split: RuleSplit | null;
}

export interface AllocationRule extends RuleDefinition {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A rule in the shape `infrazen_allocate` evaluates. */
export interface CompiledRule {
  id: string;
  match: Omit<RuleMatch, 'namePattern'>;
  nameRegex?: string;
  assign: Partial<Record<AllocationAttribute, string>>;
  split?: RuleSplit;
}

export type AttributeOutcome =
  | { source: 'explicit' | 'tag' | 'rule'; value: string; tagKey?: string; ruleId?: string }
  | { source: 'split'; ruleId: string; mode: SplitMode; targets: string[] };

/** What the evaluator decided for one cost object. */
export type AllocationOutcome = Partial<Record<AllocationAttribute, AttributeOutcome>>;

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
const GLOB_SPECIAL = /[\\^$.|+()[\]{}]/;

/**
 * The name pattern as a PostgreSQL regular expression (ARE). Globs match the whole name,
 * case-insensitively; `/…/` is taken as a regular expression (flag `i` only) and checked by the
 * database that runs it (storage/repositories/allocation.ts), so there is one dialect.
 */
export function compileNamePattern(pattern: string): { regex: string } | { error: string } {
  const literal = REGEX_LITERAL.exec(pattern);
  if (literal) {
    const [, body, flags] = literal;
    if (flags && flags !== 'i') return { error: 'only the flag i (case-insensitive) is supported' };
    // Embedded options are only valid at the very start of an ARE; ours come first.
    if (/^\(\?[a-z]+\)/.test(body!)) return { error: 'embedded options are not supported; use /…/i' };
    return { regex: `${flags === 'i' ? '(?i)' : ''}${body}` };
  }
  const translated = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : GLOB_SPECIAL.test(ch) ? `\\${ch}` : ch))
    .join('');
  return { regex: `(?i)^${translated}$` };
}

export function compileRule(id: string, rule: RuleDefinition, nameRegex: string | undefined): CompiledRule {
  const { namePattern: _pattern, ...match } = rule.match;
  return {
    id,
    match,
    ...(nameRegex ? { nameRegex } : {}),
    assign: rule.assign,
    ...(rule.split ? { split: rule.split } : {}),
  };
}

const KOPECK = new Decimal('0.01');

/**
 * Splits `total` over targets by weight, each share a whole number of kopecks except that a total with
 * more decimals leaves its sub-kopeck rest on one share: the shares always add up to `total` exactly.
 * Largest remainder method; ties go to the earlier target. No positive weight means an even split.
 */
export function splitAmount(total: Decimal, weights: Decimal[]): Decimal[] {
  const n = weights.length;
  if (n === 0) return [];
  const positive = weights.map((w) => Decimal.max(w, 0));
  const sum = positive.reduce((a, b) => a.plus(b), new Decimal(0));
  const w = sum.isZero() ? weights.map(() => new Decimal(1)) : positive;
  const wSum = sum.isZero() ? new Decimal(n) : sum;
  const sign = total.isNegative() ? -1 : 1;
  const abs = total.abs();
  const exact = w.map((x) => abs.times(x).dividedBy(wSum));
  const shares = exact.map((x) => x.toDecimalPlaces(2, Decimal.ROUND_DOWN));
  let rest = abs.minus(shares.reduce((a, b) => a.plus(b), new Decimal(0)));
  const order = exact
    .map((x, i) => ({ i, remainder: x.minus(shares[i]!) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.i - b.i)
    .map((o) => o.i);
  for (const i of order) {
    if (rest.lessThan(KOPECK)) break;
    shares[i] = shares[i]!.plus(KOPECK);
    rest = rest.minus(KOPECK);
  }
  if (!rest.isZero()) shares[order[0]!] = shares[order[0]!]!.plus(rest);
  return shares.map((s) => (sign < 0 ? s.negated() : s));
}

/** Cost of the objects that got one outcome on a day (or over the whole range when `day` is null). */
export interface AllocationCostRow {
  day: string | null;
  outcome: AllocationOutcome;
  amount: Decimal;
  /** Cost in currencies without a rate to the requested currency (not in amount). */
  unconverted: Decimal;
  currencies: string[];
  /** Distinct cost objects (connection, resource). */
  objects: number;
}

export interface AllocatedDay {
  day: string;
  total: Decimal;
  /** Direct assignments plus shares of split costs. */
  byValue: Map<string, Decimal>;
  unallocated: Decimal;
}

/**
 * Cost per value of one attribute per day. A split cost is shared among its targets on each day, evenly
 * or in proportion to what each target got directly that day (evenly when none got anything).
 */
export function allocateByAttribute(rows: AllocationCostRow[], attribute: AllocationAttribute): AllocatedDay[] {
  const days = new Map<
    string,
    {
      total: Decimal;
      direct: Map<string, Decimal>;
      splits: Map<string, { mode: SplitMode; targets: string[]; amount: Decimal }>;
      unallocated: Decimal;
    }
  >();
  for (const row of rows) {
    if (row.day === null) continue;
    let day = days.get(row.day);
    if (!day) {
      day = { total: new Decimal(0), direct: new Map(), splits: new Map(), unallocated: new Decimal(0) };
      days.set(row.day, day);
    }
    day.total = day.total.plus(row.amount);
    const outcome = row.outcome[attribute];
    if (!outcome) {
      day.unallocated = day.unallocated.plus(row.amount);
    } else if (outcome.source === 'split') {
      const key = `${outcome.ruleId}\u0000${outcome.mode}\u0000${outcome.targets.join('\u0000')}`;
      const split = day.splits.get(key) ?? { mode: outcome.mode, targets: outcome.targets, amount: new Decimal(0) };
      split.amount = split.amount.plus(row.amount);
      day.splits.set(key, split);
    } else {
      day.direct.set(outcome.value, (day.direct.get(outcome.value) ?? new Decimal(0)).plus(row.amount));
    }
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, d]) => {
      const byValue = new Map(d.direct);
      for (const split of d.splits.values()) {
        const weights = split.targets.map((t) =>
          split.mode === 'proportional' ? (d.direct.get(t) ?? new Decimal(0)) : new Decimal(1)
        );
        splitAmount(split.amount, weights).forEach((share, i) => {
          const target = split.targets[i]!;
          byValue.set(target, (byValue.get(target) ?? new Decimal(0)).plus(share));
        });
      }
      return { day: date, total: d.total, byValue, unallocated: d.unallocated };
    });
}

export interface CoverageSummary {
  total: Decimal;
  /** Cost with at least one attribute allocated (any source, splits included). */
  covered: Decimal;
  byAttribute: Record<AllocationAttribute, Decimal>;
  unconverted: Decimal;
  currencies: string[];
}

export function coverageOf(rows: AllocationCostRow[]): CoverageSummary {
  const zero = new Decimal(0);
  const summary: CoverageSummary = {
    total: zero,
    covered: zero,
    byAttribute: { businessUnit: zero, project: zero, environment: zero, costCenter: zero },
    unconverted: zero,
    currencies: [],
  };
  const currencies = new Set<string>();
  for (const row of rows) {
    if (row.day === null) continue;
    summary.total = summary.total.plus(row.amount);
    summary.unconverted = summary.unconverted.plus(row.unconverted);
    for (const c of row.currencies) currencies.add(c);
    if (Object.keys(row.outcome).length > 0) summary.covered = summary.covered.plus(row.amount);
    for (const attr of ALLOCATION_ATTRIBUTES) {
      if (row.outcome[attr]) summary.byAttribute[attr] = summary.byAttribute[attr].plus(row.amount);
    }
  }
  summary.currencies = [...currencies].sort();
  return summary;
}

/** Cost and objects each rule decided at least one attribute for (a rule shadowed everywhere gets 0). */
export function ruleTotals(rows: AllocationCostRow[]): Map<string, { cost: Decimal; objects: number }> {
  const totals = new Map<string, { cost: Decimal; objects: number }>();
  for (const row of rows) {
    const ruleIds = new Set(
      Object.values(row.outcome)
        .map((o) => o?.ruleId)
        .filter((id): id is string => Boolean(id))
    );
    for (const id of ruleIds) {
      const t = totals.get(id) ?? { cost: new Decimal(0), objects: 0 };
      if (row.day === null) t.objects += row.objects;
      else t.cost = t.cost.plus(row.amount);
      totals.set(id, t);
    }
  }
  return totals;
}

/** A percentage with two decimals (0 of nothing is 0). */
export function percentOf(part: Decimal, whole: Decimal): number {
  if (whole.isZero()) return 0;
  return part.times(100).dividedBy(whole).toDecimalPlaces(2).toNumber();
}

/** Money as a decimal string: at least two decimals, never fewer than the amount has (exact). */
export function moneyString(amount: Decimal): string {
  return amount.toFixed(Math.max(2, amount.decimalPlaces()));
}
