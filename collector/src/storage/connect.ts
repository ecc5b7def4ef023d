import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { createPgDatabase, type Database } from './db.js';
import { EmbeddedPostgres, type EmbeddedRole } from './embedded.js';

export interface DatabaseConnection {
  db: Database;
  embedded: boolean;
  /** Closes the pool, then stops the embedded cluster if this process owns it. */
  close(): Promise<void>;
}

/** DATABASE_URL when set, otherwise the embedded PostgreSQL in the data dir. */
export async function connectDatabase(config: Config, logger: Logger, role: EmbeddedRole): Promise<DatabaseConnection> {
  const onIdleError = (err: Error) =>
    logger.warn({ err: err.message }, 'database connection lost; it will be replaced');
  if (config.databaseUrl) {
    const db = createPgDatabase({ connectionString: config.databaseUrl, max: config.dbPoolSize, onIdleError });
    return { db, embedded: false, close: () => db.close() };
  }
  const handle = await new EmbeddedPostgres(config.dataDir, logger).start(role);
  const db = createPgDatabase({ connectionString: handle.url, max: config.dbPoolSize, onIdleError });
  return {
    db,
    embedded: true,
    async close() {
      await db.close();
      await handle.stop();
    },
  };
}
