/** Demo connections: created once for the bootstrap tenant, re-pointed at the sandbox on every start. */
import type { Provider } from '../../domain/providers.js';
import type { Queryable } from '../db.js';

export async function findDemoConnection(q: Queryable, tenantId: string, provider: Provider) {
  const rows = await q.query<{ id: string; secretId: string | null }>(
    `SELECT id, credentials_secret_id AS "secretId" FROM connections
     WHERE tenant_id = $1 AND provider = $2 AND demo AND deleted_at IS NULL`,
    [tenantId, provider]
  );
  return rows[0];
}

export async function insertDemoConnection(
  q: Queryable,
  c: {
    tenantId: string;
    provider: Provider;
    name: string;
    secretId: string;
    credentialFields: string[];
    settings: unknown;
  }
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO connections (tenant_id, name, provider, credentials_secret_id, credential_fields, settings, demo)
     VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id`,
    [c.tenantId, c.name, c.provider, c.secretId, c.credentialFields, c.settings]
  );
  return rows[0]!.id;
}

export async function repointDemoConnection(q: Queryable, id: string, settings: unknown): Promise<void> {
  await q.query(`UPDATE connections SET settings = $2, updated_at = now() WHERE id = $1`, [id, settings]);
}

export async function hasGoodSnapshot(q: Queryable, connectionId: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM sync_snapshots WHERE connection_id = $1 AND status IN ('success', 'partial') LIMIT 1`,
    [connectionId]
  );
  return rows.length > 0;
}
