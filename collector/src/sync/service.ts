/**
 * Starts syncs and keeps them safe: one sync per connection at a time across every collector replica
 * (a PostgreSQL advisory lock held by the run's own session, released even if the process dies), syncs
 * left `running` by a crash marked `interrupted`, and running syncs stopped cleanly on shutdown.
 */
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { runAfterSync } from '../analytics/after-sync.js';
import {
  ConnectionConfigurationError,
  ConnectionNotFoundError,
  loadConnectionRuntime,
} from '../services/connections.js';
import type { SecretStore } from '../services/secret-store.js';
import type { Queryable } from '../storage/db.js';
import { markSyncing } from '../storage/repositories/connection-sync.js';
import {
  insertSnapshot,
  markInterrupted,
  runningSnapshots,
  type SnapshotOutcome,
  type SnapshotTrigger,
} from '../storage/repositories/snapshots.js';
import { runSync, type SyncDeps } from './engine.js';

export class SyncError extends Error {
  constructor(
    readonly code: 'not_found' | 'in_progress' | 'unsupported' | 'disabled' | 'slot_taken',
    message: string
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export interface SyncServiceDeps extends SyncDeps {
  secrets: SecretStore;
  /** Pinned clock for tests and the sandbox; real time otherwise. */
  now?: () => Date;
}

interface RunningSync {
  controller: AbortController;
  done: Promise<void>;
  /** Resolves when the connection is free again (before the post-sync analytics). */
  released: Promise<void>;
  snapshotId?: string;
}

async function snapshotRunning(db: Queryable, snapshotId: string): Promise<boolean> {
  const [row] = await db.query<{ status: string }>(`SELECT status FROM sync_snapshots WHERE id = $1`, [snapshotId]);
  return row?.status === 'running';
}

/** One bigint key per connection, from its uuid (same on every replica). */
const LOCK_KEY = `('x' || substr(md5('infrazen.sync:' || $1), 1, 16))::bit(64)::bigint`;

export const INSTANCE_ID = `${hostname()}:${process.pid}`;

export class SyncService {
  private readonly running = new Map<string, RunningSync>();
  /** Post-sync analytics in flight (awaited on shutdown). */
  private readonly analyses = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly deps: SyncServiceDeps) {}

  get active(): number {
    return this.running.size;
  }

  /**
   * Starts a sync in the background and resolves with its snapshot id once the lock is held and the
   * snapshot exists. `whenDone` (for tests and the demo) resolves when the sync has finished.
   */
  async start(
    tenantId: string,
    connectionId: string,
    trigger: SnapshotTrigger,
    options: { scheduledFor?: Date; source?: 'api' | 'demo'; allowDisabled?: boolean } = {}
  ): Promise<{ snapshotId: string; whenDone: Promise<void> }> {
    if (this.closing) throw new SyncError('in_progress', 'the collector is shutting down');
    const runtime = await loadConnectionRuntime(this.deps.db, this.deps.secrets, tenantId, connectionId).catch(
      (err: unknown) => {
        if (err instanceof ConnectionNotFoundError) throw new SyncError('not_found', 'no such connection');
        if (err instanceof ConnectionConfigurationError) throw new SyncError('unsupported', err.message);
        throw err;
      }
    );
    const { connection, connector, credentials, settings } = runtime;
    if (!connector) {
      throw new SyncError('unsupported', `a ${connection.provider} connection is filled by file imports, not by syncs`);
    }
    if (!connection.enabled && !options.allowDisabled) throw new SyncError('disabled', 'the connection is disabled');
    // A sync whose snapshot is already closed lets go of the connection a moment later: wait for that
    // instead of answering "in progress" to a client that has just seen it finish.
    const previous = this.running.get(connectionId);
    if (previous?.snapshotId && !(await snapshotRunning(this.deps.db, previous.snapshotId))) await previous.released;
    if (this.running.has(connectionId))
      throw new SyncError('in_progress', 'a sync of this connection is already running');
    const controller = new AbortController();
    let outcome: SnapshotOutcome | undefined;
    // Every concurrent provider request listens on the sync's signal.
    setMaxListeners(256, controller.signal);
    let release!: () => void;
    const entry: RunningSync = {
      controller,
      done: Promise.resolve(),
      released: new Promise<void>((resolve) => (release = resolve)),
    };
    this.running.set(connectionId, entry);
    this.deps.metrics.syncsRunning.set(this.running.size);
    let resolveStart!: (id: string) => void;
    let rejectStart!: (err: unknown) => void;
    const started = new Promise<string>((resolve, reject) => {
      resolveStart = resolve;
      rejectStart = reject;
    });
    const done = this.deps.db
      .session(async (session) => {
        if (!(await acquireLock(session, connectionId))) {
          rejectStart(new SyncError('in_progress', 'a sync of this connection is already running'));
          return;
        }
        try {
          let snapshotId: string;
          try {
            snapshotId = await insertSnapshot(session, {
              tenantId,
              connectionId,
              trigger,
              scheduledFor: options.scheduledFor,
              instance: INSTANCE_ID,
            });
          } catch (err) {
            if ((err as { code?: string }).code === '23505') {
              rejectStart(new SyncError('slot_taken', 'this schedule slot has already run'));
              return;
            }
            throw err;
          }
          await markSyncing(session, connectionId);
          entry.snapshotId = snapshotId;
          resolveStart(snapshotId);
          outcome = await runSync(this.deps, {
            tenantId,
            connectionId,
            provider: connection.provider,
            snapshotId,
            connector,
            credentials,
            settings,
            source: options.source ?? 'api',
            signal: controller.signal,
            now: this.deps.now?.() ?? new Date(),
          });
        } finally {
          await session.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [connectionId]).catch(() => undefined);
        }
      })
      .catch((err: unknown) => {
        rejectStart(err);
        this.deps.logger.error({ err, connectionId }, 'sync could not be recorded');
      })
      .finally(() => {
        this.running.delete(connectionId);
        this.deps.metrics.syncsRunning.set(this.running.size);
        release();
      })
      // Recommendations and anomalies follow the data, after the connection is free again (the next sync
      // need not wait for them); they log their own failures and never throw.
      .then(() =>
        outcome?.status === 'success' || outcome?.status === 'partial' ? this.analyze(tenantId) : undefined
      );
    entry.done = done;
    const snapshotId = await started;
    return { snapshotId, whenDone: done };
  }

  /**
   * Marks snapshots left `running` as `interrupted` — only those whose connection lock nobody holds, so
   * a sync running on another replica is left alone.
   */
  async recoverInterrupted(): Promise<number> {
    let recovered = 0;
    for (const snapshot of await runningSnapshots(this.deps.db)) {
      if (this.running.has(snapshot.connectionId)) continue;
      await this.deps.db.session(async (session) => {
        const [lock] = await session.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`, [
          snapshot.connectionId,
        ]);
        if (!lock?.locked) return;
        try {
          await markInterrupted(session, snapshot.id, 'the collector stopped before the sync finished');
          await session.query(
            `UPDATE connections SET status = 'error', last_sync_status = 'interrupted',
               last_error = 'the previous sync was interrupted' WHERE id = $1 AND status = 'syncing'`,
            [snapshot.connectionId]
          );
          recovered++;
        } finally {
          await session.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [snapshot.connectionId]);
        }
      });
    }
    if (recovered > 0) this.deps.logger.warn({ recovered }, 'marked interrupted syncs');
    return recovered;
  }

  private analyze(tenantId: string): Promise<void> {
    const run = runAfterSync(this.deps, tenantId, this.deps.now?.() ?? new Date()).finally(() =>
      this.analyses.delete(run)
    );
    this.analyses.add(run);
    return run;
  }

  /** Stops running syncs (they record `interrupted`) and waits for them to let go of the database. */
  async close(): Promise<void> {
    this.closing = true;
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await Promise.allSettled([...this.analyses]);
  }
}

/**
 * Takes the connection's lock. A sync that has just recorded its outcome still holds the lock for the
 * moment it takes to release it: when no snapshot is `running`, wait briefly instead of answering 409.
 */
async function acquireLock(session: Queryable, connectionId: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const [lock] = await session.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`, [
      connectionId,
    ]);
    if (lock?.locked) return true;
    const running = await session.query(
      `SELECT 1 FROM sync_snapshots WHERE connection_id = $1 AND status = 'running' LIMIT 1`,
      [connectionId]
    );
    if (running.length > 0 || attempt >= 20) return false;
    await sleep(100);
  }
}
