/** Where reports go (Telegram chats, email recipients). Secrets live in `secrets`, referenced by id. */
import type { Queryable } from '../db.js';

export type DestinationKind = 'telegram' | 'email';

export interface DestinationRecord {
  id: string;
  tenantId: string;
  name: string;
  kind: DestinationKind;
  settings: Record<string, unknown>;
  secretId: string | null;
  secretFields: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, tenant_id AS "tenantId", name, kind, settings, secret_id AS "secretId",
  secret_fields AS "secretFields", enabled, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function listDestinations(q: Queryable): Promise<DestinationRecord[]> {
  return q.query<DestinationRecord>(`SELECT ${COLUMNS} FROM report_destinations ORDER BY lower(name), id`);
}

export async function findDestination(
  q: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {}
): Promise<DestinationRecord | undefined> {
  const [row] = await q.query<DestinationRecord>(
    `SELECT ${COLUMNS} FROM report_destinations WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id]
  );
  return row;
}

/** Which of these ids exist (for the caller's tenant, under RLS). */
export async function existingDestinationIds(q: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{ id: string }>(`SELECT id FROM report_destinations WHERE id = ANY($1::uuid[])`, [ids]);
  return rows.map((r) => r.id);
}

export interface DestinationInsert {
  tenantId: string;
  name: string;
  kind: DestinationKind;
  settings: Record<string, unknown>;
  secretId: string | null;
  secretFields: string[];
  enabled: boolean;
}

export async function insertDestination(q: Queryable, input: DestinationInsert): Promise<DestinationRecord> {
  const [row] = await q.query<DestinationRecord>(
    `INSERT INTO report_destinations (tenant_id, name, kind, settings, secret_id, secret_fields, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [input.tenantId, input.name, input.kind, input.settings, input.secretId, input.secretFields, input.enabled]
  );
  return row!;
}

export interface DestinationChanges {
  name?: string;
  settings?: Record<string, unknown>;
  secretId?: string | null;
  secretFields?: string[];
  enabled?: boolean;
}

const CHANGE_COLUMNS: Record<keyof DestinationChanges, string> = {
  name: 'name',
  settings: 'settings',
  secretId: 'secret_id',
  secretFields: 'secret_fields',
  enabled: 'enabled',
};

export async function updateDestination(
  q: Queryable,
  id: string,
  changes: DestinationChanges
): Promise<DestinationRecord | undefined> {
  const keys = (Object.keys(changes) as (keyof DestinationChanges)[]).filter((k) => changes[k] !== undefined);
  if (keys.length === 0) return findDestination(q, id);
  const [row] = await q.query<DestinationRecord>(
    `UPDATE report_destinations SET ${keys.map((k, i) => `${CHANGE_COLUMNS[k]} = $${i + 2}`).join(', ')},
       updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...keys.map((k) => changes[k])]
  );
  return row;
}

export async function deleteDestination(q: Queryable, id: string): Promise<void> {
  await q.query(`DELETE FROM report_destinations WHERE id = $1`, [id]);
}
