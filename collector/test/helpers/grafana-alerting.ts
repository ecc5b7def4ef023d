/**
 * What Grafana does with a provisioned alert rule, re-done for the tests (Grafana itself cannot run on
 * these machines): read the rule files, expand the SQL datasource macros, turn a table answer into one
 * number per row with the text columns as labels, evaluate the rule's threshold and math expressions,
 * and render the annotation templates the rules use. Anything outside that subset throws, so a rule
 * that leans on something not emulated here fails its test instead of passing untested.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ALERTING_DIR = path.join(REPO_ROOT, 'provisioning', 'alerting');

export interface AlertQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  model: Record<string, unknown> & { refId: string };
}

export interface AlertRule {
  uid: string;
  title: string;
  condition: string;
  data: AlertQuery[];
  noDataState: string;
  execErrState: string;
  for: string;
  dashboardUid?: string;
  panelId?: number;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  isPaused?: boolean;
}

export interface RuleGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: AlertRule[];
}

/** Every YAML file of provisioning/alerting, parsed. */
export function alertingFiles(): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>();
  for (const name of readdirSync(ALERTING_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    files.set(name, parse(readFileSync(path.join(ALERTING_DIR, name), 'utf8')) as Record<string, unknown>);
  }
  return files;
}

export function ruleGroups(): RuleGroup[] {
  return [...alertingFiles().values()].flatMap((f) => (f.groups as RuleGroup[] | undefined) ?? []);
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Grafana's PostgreSQL macros (pkg/tsdb/grafana-postgresql-datasource/macros.go): `$__timeFilter(col)`
 * becomes `col BETWEEN '<from>' AND '<to>'` in RFC 3339 seconds, `$__timeFrom()` / `$__timeTo()` the
 * quoted bounds.
 */
export function expandMacros(sql: string, range: { from: Date; to: Date }): string {
  const out = sql
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_m, col: string) => `${col.trim()} BETWEEN '${rfc3339(range.from)}' AND '${rfc3339(range.to)}'`
    )
    .replace(/\$__timeFrom\(\)/g, `'${rfc3339(range.from)}'`)
    .replace(/\$__timeTo\(\)/g, `'${rfc3339(range.to)}'`);
  const unknown = /\$__\w+/.exec(out);
  if (unknown) throw new Error(`macro ${unknown[0]} is not emulated by the tests`);
  return out;
}

/** The query's time range when the rule is evaluated at `now`. */
export function queryRange(q: AlertQuery, now: Date) {
  return {
    from: new Date(now.getTime() - q.relativeTimeRange.from * 1000),
    to: new Date(now.getTime() - q.relativeTimeRange.to * 1000),
  };
}

export interface Instance {
  labels: Record<string, string>;
  value: number;
}

const NUMBER_TYPES = new Set([20, 21, 23, 700, 701, 1700]); // int8 int2 int4 float4 float8 numeric
const TEXT_TYPES = new Set([18, 19, 25, 1042, 1043]); // char name text bpchar varchar

export const labelKey = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * A table answer as Grafana alerting reads it: exactly one numeric column (the value) and text columns
 * (the labels, NULL as ''); no time columns, which would make it a time series. Each row is one alert
 * instance, so label sets must be unique.
 */
export function tableToInstances(fields: { name: string; dataTypeID: number }[], rows: Record<string, unknown>[]) {
  const numeric = fields.filter((f) => NUMBER_TYPES.has(f.dataTypeID));
  const other = fields.filter((f) => !NUMBER_TYPES.has(f.dataTypeID) && !TEXT_TYPES.has(f.dataTypeID));
  if (numeric.length !== 1)
    throw new Error(`expected one numeric column, got ${numeric.map((f) => f.name).join(', ') || 'none'}`);
  if (other.length)
    throw new Error(`columns that are neither text nor numeric: ${other.map((f) => f.name).join(', ')}`);
  const texts = fields.filter((f) => TEXT_TYPES.has(f.dataTypeID));
  const seen = new Set<string>();
  return rows.map((row) => {
    const labels = Object.fromEntries(texts.map((f) => [f.name, row[f.name] === null ? '' : String(row[f.name])]));
    const key = labelKey(labels);
    if (seen.has(key)) throw new Error(`two rows with the same labels ${key}: Grafana rejects duplicate series`);
    seen.add(key);
    const raw = row[numeric[0]!.name];
    return { labels, value: raw === null ? Number.NaN : Number(raw) } satisfies Instance;
  });
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'gt':
    case '>':
      return a > b;
    case 'lt':
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    default:
      throw new Error(`comparison ${op} is not emulated`);
  }
}

/** Server-side expressions (datasource __expr__): threshold on one input and `$X <op> number` math. */
function evaluateExpression(model: Record<string, unknown>, inputs: Map<string, Instance[]>): Instance[] {
  if (model.type === 'threshold') {
    const input = inputs.get(String(model.expression));
    if (!input) throw new Error(`threshold on unknown ${String(model.expression)}`);
    const conditions = model.conditions as { evaluator: { type: string; params: number[] } }[];
    if (conditions.length !== 1) throw new Error('one threshold condition expected');
    const { type, params } = conditions[0]!.evaluator;
    const test = (v: number) => {
      if (type === 'within_range') return v > params[0]! && v < params[1]!;
      if (type === 'outside_range') return v < params[0]! || v > params[1]!;
      return compare(type, v, params[0]!);
    };
    return input.map((i) => ({ labels: i.labels, value: Number.isNaN(i.value) ? Number.NaN : test(i.value) ? 1 : 0 }));
  }
  if (model.type === 'math') {
    const m = /^\$([A-Z]\w*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(String(model.expression).trim());
    if (!m) throw new Error(`math expression ${String(model.expression)} is not emulated`);
    const input = inputs.get(m[1]!);
    if (!input) throw new Error(`math on unknown ${m[1]}`);
    return input.map((i) => ({ labels: i.labels, value: compare(m[2]!, i.value, Number(m[3])) ? 1 : 0 }));
  }
  throw new Error(`expression type ${String(model.type)} is not emulated`);
}

export interface Evaluation {
  /** Every query and expression's instances by refId ($values in annotations). */
  results: Map<string, Instance[]>;
  /** The condition's instances that fire (non-zero). */
  firing: Instance[];
}

/** Runs a rule: `runSql(sql)` answers each SQL query (macros already expanded). */
export async function evaluateRule(
  rule: AlertRule,
  now: Date,
  runSql: (sql: string) => Promise<{ fields: { name: string; dataTypeID: number }[]; rows: Record<string, unknown>[] }>
): Promise<Evaluation> {
  const results = new Map<string, Instance[]>();
  for (const q of rule.data.filter((d) => d.datasourceUid !== '__expr__')) {
    const sql = expandMacros(String(q.model.rawSql), queryRange(q, now));
    const answer = await runSql(sql);
    results.set(q.refId, tableToInstances(answer.fields, answer.rows));
  }
  for (const q of rule.data.filter((d) => d.datasourceUid === '__expr__')) {
    results.set(q.refId, evaluateExpression(q.model, results));
  }
  const condition = results.get(rule.condition);
  if (!condition) throw new Error(`condition ${rule.condition} is not a refId of ${rule.uid}`);
  return { results, firing: condition.filter((i) => i.value !== 0 && !Number.isNaN(i.value)) };
}

/** $values for one alert instance: every refId's instance with the same labels. */
export function valuesFor(evaluation: Evaluation, labels: Record<string, string>): Map<string, number> {
  const key = labelKey(labels);
  const values = new Map<string, number>();
  for (const [refId, instances] of evaluation.results) {
    const match = instances.find((i) => labelKey(i.labels) === key);
    if (match) values.set(refId, match.value);
  }
  return values;
}

/**
 * Renders an annotation with the template subset the rules use: `{{ $labels.x }}`,
 * `{{ printf "%.Nf" $values.X.Value }}`, and `{{ if eq $labels.x "v" }}…{{ else }}…{{ end }}`.
 */
export function renderAnnotation(text: string, labels: Record<string, string>, values: Map<string, number>): string {
  const label = (name: string) => {
    if (!(name in labels)) throw new Error(`annotation uses $labels.${name}, which the query does not return`);
    return labels[name]!;
  };
  const value = (ref: string) => {
    const v = values.get(ref);
    if (v === undefined) throw new Error(`annotation uses $values.${ref}, which has no instance with these labels`);
    return v;
  };
  const out = text
    .replace(
      /\{\{\s*if eq \$labels\.(\w+) "([^"]*)"\s*\}\}([\s\S]*?)\{\{\s*else\s*\}\}([\s\S]*?)\{\{\s*end\s*\}\}/g,
      (_m, name: string, lit: string, yes: string, no: string) => (label(name) === lit ? yes : no)
    )
    .replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_m, name: string) => label(name))
    .replace(/\{\{\s*printf "%\.(\d)f" \$values\.(\w+)\.Value\s*\}\}/g, (_m, digits: string, ref: string) =>
      value(ref).toFixed(Number(digits))
    );
  if (out.includes('{{')) throw new Error(`template construct not emulated in: ${out}`);
  return out;
}
