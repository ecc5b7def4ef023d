/**
 * Whole-database checks for the fuzz and security suites, generic over the schema (tables other
 * helpers add are covered without a change here):
 * - a fingerprint of every table (row count and newest row version), to prove a request changed nothing;
 * - a search of every text-like column of every table for given strings (secrets must only live in
 *   their ciphertext column).
 */
import type { Queryable } from '../../src/storage/db.js';

/** Columns that change on every authenticated read by design (token last use, throttled). */
const VOLATILE = new Set(['api_tokens.last_used_at']);

interface Column {
  table: string;
  column: string;
  type: string;
}

/** Columns of the schema's ordinary tables (pg_catalog: information_schema is slow for a per-request check). */
async function columns(q: Queryable): Promise<Column[]> {
  return q.query<Column>(
    `SELECT c.relname AS table, a.attname AS column,
       CASE WHEN t.typcategory = 'A' THEN 'ARRAY' ELSE format_type(a.atttypid, NULL) END AS type
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     JOIN pg_type t ON t.oid = a.atttypid
     WHERE c.relkind IN ('r', 'p')
     ORDER BY c.relname, a.attnum`
  );
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export type Fingerprint = Record<string, string>;

/**
 * `{table: print}` for every table of the schema. The print is the row count and the newest row
 * version's transaction id, which every insert and update advances and every delete changes with the
 * count — a full scan without reading the rows' contents, cheap enough to take around every request.
 * Tables with a volatile column are printed by the hash of their other columns instead.
 */
export async function fingerprint(q: Queryable): Promise<Fingerprint> {
  const byTable = new Map<string, { columns: string[]; volatile: boolean }>();
  for (const c of await columns(q)) {
    const entry = byTable.get(c.table) ?? { columns: [], volatile: false };
    if (VOLATILE.has(`${c.table}.${c.column}`)) entry.volatile = true;
    else entry.columns.push(c.column);
    byTable.set(c.table, entry);
  }
  const selects = [...byTable].map(([table, { columns: cols, volatile }]) => {
    const print = volatile
      ? `coalesce(sum(hashtextextended(row(${cols.map((c) => `x.${ident(c)}`).join(', ')})::text, 0)), 0)::text`
      : `coalesce(max(x.xmin::text::bigint), 0)::text`;
    return `SELECT '${table}' AS table, count(*)::text || ':' || ${print} AS print FROM ${ident(table)} x`;
  });
  const rows = await q.query<{ table: string; print: string }>(selects.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.table, r.print]));
}

/** Tables whose fingerprint differs (added and dropped tables included). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

const TEXTUAL = new Set([
  'text',
  'character varying',
  'character',
  'json',
  'jsonb',
  'ARRAY',
  'USER-DEFINED',
  'name',
  'bytea',
]);

export interface Finding {
  needle: string;
  table: string;
  column: string;
}

/**
 * Where any of `needles` occurs in a text-like column (jsonb and arrays as their text), skipping the
 * `except` columns (`table.column`). JSON-escaped forms of the needles are searched too.
 */
export async function findStrings(q: Queryable, needles: string[], except: string[] = []): Promise<Finding[]> {
  const forms = [...new Set(needles.flatMap((n) => [n, JSON.stringify(n).slice(1, -1)]))].filter((n) => n.length > 0);
  const skip = new Set(except);
  const findings: Finding[] = [];
  for (const c of await columns(q)) {
    if (!TEXTUAL.has(c.type) || skip.has(`${c.table}.${c.column}`)) continue;
    const text = c.type === 'bytea' ? `encode(x.${ident(c.column)}, 'escape')` : `x.${ident(c.column)}::text`;
    const rows = await q.query<{ needle: string }>(
      `SELECT n AS needle FROM unnest($1::text[]) n
       WHERE EXISTS (SELECT 1 FROM ${ident(c.table)} x WHERE strpos(${text}, n) > 0)`,
      [forms]
    );
    for (const r of rows) findings.push({ needle: r.needle, table: c.table, column: c.column });
  }
  return findings;
}

/** The `id` of rows in every table that has a tenant_id (one tenant's, or every tenant's), per table at most `perTable`. */
export async function tenantRowIds(q: Queryable, options: { tenantId?: string; perTable: number }): Promise<string[]> {
  const tables = await q.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
     JOIN pg_attribute i ON i.attrelid = c.oid AND i.attname = 'id' AND i.atttypid = 'uuid'::regtype
     JOIN pg_attribute t ON t.attrelid = c.oid AND t.attname = 'tenant_id'
     WHERE c.relkind IN ('r', 'p') ORDER BY 1`
  );
  const ids: string[] = [];
  for (const { table } of tables) {
    const rows = await q.query<{ id: string }>(
      `SELECT id::text FROM ${ident(table)} WHERE $1::uuid IS NULL OR tenant_id = $1 ORDER BY id LIMIT ${options.perTable}`,
      [options.tenantId ?? null]
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
