/** What the sync engine and scheduler write on connections, and the balance history. */
import type { AccountInfo } from '../../providers/types.js';
import type { Queryable } from '../db.js';

export async function markSyncing(q: Queryable, connectionId: string): Promise<void> {
  await q.query(`UPDATE connections SET status = 'syncing', updated_at = now() WHERE id = $1`, [connectionId]);
}

export async function recordSyncResult(
  q: Queryable,
  connectionId: string,
  r: { status: string; error: string | null; account?: Record<string, unknown> }
): Promise<void> {
  await q.query(
    // A connection disabled while its sync ran stays disabled; the outcome is still recorded.
    `UPDATE connections SET status = CASE WHEN NOT enabled THEN status
         WHEN $2 IN ('success', 'partial') THEN 'ok' ELSE 'error' END,
       last_sync_at = now(), last_sync_status = $2, last_error = $3,
       account = CASE WHEN $4::jsonb IS NULL THEN account ELSE account || $4::jsonb END, updated_at = now()
     WHERE id = $1`,
    [connectionId, r.status, r.error, r.account ? JSON.stringify(r.account) : null]
  );
}

export async function insertBalance(
  q: Queryable,
  b: {
    tenantId: string;
    connectionId: string;
    ts: Date;
    account: AccountInfo;
    dailySpend: string | null;
    daysToBlock: number | null;
  }
): Promise<void> {
  if (b.account.balance === undefined || !b.account.currency) return;
  await q.query(
    `INSERT INTO account_balances (tenant_id, connection_id, ts, balance, currency, daily_spend, days_to_block, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (connection_id, ts) DO UPDATE SET balance = EXCLUDED.balance, currency = EXCLUDED.currency,
       daily_spend = EXCLUDED.daily_spend, days_to_block = EXCLUDED.days_to_block, details = EXCLUDED.details`,
    [
      b.tenantId,
      b.connectionId,
      b.ts,
      b.account.balance,
      b.account.currency,
      b.dailySpend,
      b.daysToBlock,
      { providerDaysToBlock: b.account.daysToBlock ?? null, dailyRate: b.account.dailyRate ?? null },
    ]
  );
}

/** Connections whose schedule slot has come, claimed by this replica (see sync/scheduler.ts). */
export async function dueConnections(q: Queryable, providers: string[], limit: number) {
  return q.query<{ id: string; tenantId: string; schedule: string | null; nextSyncAt: Date | null }>(
    `SELECT id, tenant_id AS "tenantId", schedule, next_sync_at AS "nextSyncAt" FROM connections
     WHERE enabled AND deleted_at IS NULL AND provider = ANY($2::text[])
       AND (next_sync_at IS NULL OR next_sync_at <= now())
     ORDER BY next_sync_at NULLS FIRST LIMIT $1
     FOR UPDATE SKIP LOCKED`,
    [limit, providers]
  );
}

export async function setNextSync(q: Queryable, connectionId: string, next: Date): Promise<void> {
  await q.query(`UPDATE connections SET next_sync_at = $2 WHERE id = $1`, [connectionId, next]);
}

export async function loadSyncState(q: Queryable, connectionId: string): Promise<Record<string, unknown>> {
  const rows = await q.query<{ state: Record<string, unknown> }>(
    `SELECT sync_state AS state FROM connections WHERE id = $1`,
    [connectionId]
  );
  return rows[0]?.state ?? {};
}

export async function saveSyncState(q: Queryable, connectionId: string, state: Record<string, unknown>): Promise<void> {
  await q.query(`UPDATE connections SET sync_state = $2 WHERE id = $1`, [connectionId, state]);
}
