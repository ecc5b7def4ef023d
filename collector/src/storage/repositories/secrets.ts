import type { Queryable } from '../db.js';

export interface SecretRow {
  id: string;
  tenantId: string;
  purpose: string;
  keyId: string;
  ciphertext: string;
}

const COLUMNS = `id, tenant_id AS "tenantId", purpose, key_id AS "keyId", ciphertext`;

export async function insertSecret(q: Queryable, row: SecretRow): Promise<void> {
  await q.query(`INSERT INTO secrets (id, tenant_id, purpose, key_id, ciphertext) VALUES ($1, $2, $3, $4, $5)`, [
    row.id,
    row.tenantId,
    row.purpose,
    row.keyId,
    row.ciphertext,
  ]);
}

export async function updateSecretCiphertext(q: Queryable, id: string, keyId: string, ciphertext: string) {
  await q.query(`UPDATE secrets SET key_id = $2, ciphertext = $3, rotated_at = now() WHERE id = $1`, [
    id,
    keyId,
    ciphertext,
  ]);
}

export async function findSecret(q: Queryable, id: string): Promise<SecretRow | undefined> {
  const [row] = await q.query<SecretRow>(`SELECT ${COLUMNS} FROM secrets WHERE id = $1`, [id]);
  return row;
}

export async function deleteSecret(q: Queryable, id: string): Promise<void> {
  await q.query(`DELETE FROM secrets WHERE id = $1`, [id]);
}

/** Every secret of every tenant, locked for the rotation transaction. */
export async function lockAllSecrets(q: Queryable): Promise<SecretRow[]> {
  return q.query<SecretRow>(`SELECT ${COLUMNS} FROM secrets ORDER BY id FOR UPDATE`);
}

/** One statement for the whole batch: rotation rewrites every row atomically and fast. */
export async function updateSecretsBatch(q: Queryable, rows: { id: string; keyId: string; ciphertext: string }[]) {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE secrets s SET key_id = u.key_id, ciphertext = u.ciphertext, rotated_at = now()
     FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, key_id, ciphertext)
     WHERE s.id = u.id`,
    [rows.map((r) => r.id), rows.map((r) => r.keyId), rows.map((r) => r.ciphertext)]
  );
}
