/**
 * Tracks whether the database is usable. The collector keeps serving (health answers "degraded") while
 * the database is unreachable, and finishes start-up (migrations, bootstrap tenant) when it appears.
 */
import type { Logger } from '../observability/logger.js';
import type { Database } from '../storage/db.js';
import { migrate, type MigrationStatus, type StorageMode } from '../storage/migrate.js';

export class DatabaseState {
  ready = false;
  mode: StorageMode | undefined;
  migration: MigrationStatus | undefined;
  lastError: string | undefined;
  private stopped = false;

  constructor(
    readonly db: Database,
    readonly embedded: boolean,
    private readonly logger: Logger
  ) {}

  /** Migrates and runs `afterMigrate`; retries with backoff until it succeeds or `stop()` is called. */
  async initialize(afterMigrate: () => Promise<void>, options: { retry: boolean } = { retry: true }): Promise<void> {
    let delay = 500;
    for (;;) {
      try {
        this.migration = await migrate(this.db);
        this.mode = this.migration.mode;
        await afterMigrate();
        this.ready = true;
        this.lastError = undefined;
        if (this.migration.applied.length > 0) {
          this.logger.info({ applied: this.migration.applied, mode: this.mode }, 'database migrated');
        }
        return;
      } catch (err) {
        this.lastError = (err as Error).message;
        if (!options.retry || this.stopped) throw err;
        this.logger.warn({ err: this.lastError, retryInMs: delay }, 'database not ready; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, 15_000);
        if (this.stopped) return;
      }
    }
  }

  /** A bounded round trip; false when the database does not answer in time. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return true;
    } catch (err) {
      this.lastError = (err as Error).message;
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  stop() {
    this.stopped = true;
  }
}
