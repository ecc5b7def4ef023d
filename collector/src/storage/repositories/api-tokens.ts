import type { Queryable } from '../db.js';

export interface ApiTokenRow {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  supportAccess: boolean;
}

const COLUMNS = `id, tenant_id AS "tenantId", name, prefix, created_by AS "createdBy", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", support_access AS "supportAccess"`;

export async function insertApiToken(
  q: Queryable,
  token: {
    tenantId: string;
    name: string;
    prefix: string;
    hash: Buffer;
    createdBy?: string;
    expiresAt?: Date;
    supportAccess?: boolean;
  }
): Promise<ApiTokenRow> {
  const [row] = await q.query<ApiTokenRow>(
    `INSERT INTO api_tokens (tenant_id, name, prefix, token_hash, created_by, expires_at, support_access)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [
      token.tenantId,
      token.name,
      token.prefix,
      token.hash,
      token.createdBy ?? null,
      token.expiresAt ?? null,
      token.supportAccess ?? false,
    ]
  );
  return row!;
}

/** The live token with this hash: not revoked, not expired. */
export async function findActiveTokenByHash(
  q: Queryable,
  hash: Buffer
): Promise<{ id: string; tenantId: string; grafanaOrgId: number; supportAccess: boolean } | undefined> {
  const [row] = await q.query<{ id: string; tenantId: string; grafanaOrgId: number; supportAccess: boolean }>(
    `SELECT t.id, t.tenant_id AS "tenantId", n.grafana_org_id AS "grafanaOrgId", t.support_access AS "supportAccess"
     FROM api_tokens t JOIN tenants n ON n.id = t.tenant_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
    [hash]
  );
  return row;
}

/** Recording every request would turn reads into writes; once a minute is enough to see activity. */
export async function touchToken(q: Queryable, id: string): Promise<void> {
  await q.query(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id]
  );
}

export async function revokeTokensNamed(
  q: Queryable,
  tenantId: string,
  name: string,
  exceptHash: Buffer
): Promise<number> {
  const rows = await q.query(
    `UPDATE api_tokens SET revoked_at = now()
     WHERE tenant_id = $1 AND name = $2 AND token_hash <> $3 AND revoked_at IS NULL RETURNING id`,
    [tenantId, name, exceptHash]
  );
  return rows.length;
}

export async function tokenHashExists(q: Queryable, hash: Buffer): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM api_tokens WHERE token_hash = $1`, [hash]);
  return rows.length > 0;
}

/** The tenant's tokens, newest first (inside withTenant; the tenant is named as well). */
export async function listApiTokens(q: Queryable, tenantId: string): Promise<ApiTokenRow[]> {
  return q.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at DESC, id`, [
    tenantId,
  ]);
}

export async function findApiToken(q: Queryable, tenantId: string, id: string): Promise<ApiTokenRow | undefined> {
  const [row] = await q.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
  ]);
  return row;
}

/** Revokes a live token; undefined when it does not exist in the tenant or was revoked already. */
export async function revokeApiToken(q: Queryable, tenantId: string, id: string): Promise<ApiTokenRow | undefined> {
  const [row] = await q.query<ApiTokenRow>(
    `UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL
     RETURNING ${COLUMNS}`,
    [tenantId, id]
  );
  return row;
}
