import type { Provider } from '../../domain/providers.js';
import type { Queryable } from '../db.js';

/** What the API may show of a connection: never the secret, only which credential fields are set. */
export interface ConnectionSummary {
  id: string;
  name: string;
  provider: Provider;
  credentialFields: string[];
  settings: Record<string, unknown>;
  schedule: string | null;
  enabled: boolean;
  status: string;
  account: Record<string, unknown>;
  lastSyncAt: Date | null;
  lastSyncStatus: string | null;
  lastError: string | null;
  nextSyncAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const SUMMARY_COLUMNS = `id, name, provider, credential_fields AS "credentialFields", settings, schedule, enabled,
  status, account, last_sync_at AS "lastSyncAt", last_sync_status AS "lastSyncStatus", last_error AS "lastError",
  next_sync_at AS "nextSyncAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Runs inside withTenant: row-level security limits it to the tenant's connections. */
export async function listConnections(q: Queryable): Promise<ConnectionSummary[]> {
  return q.query<ConnectionSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM connections WHERE deleted_at IS NULL ORDER BY lower(name)`
  );
}
