import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type { Database, Session } from './db.js';

export type StorageMode = 'plain' | 'timescale';

export interface MigrationStatus {
  mode: StorageMode;
  version: number;
  latest: number;
  applied: string[];
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
// Any constant works; it only has to be the same for every collector and CLI sharing a database.
const MIGRATION_LOCK_KEY = 7_461_736_100;

/**
 * The mode is chosen once, at the first migration, and recorded: a database created in plain mode stays
 * plain even if TimescaleDB is installed later (converting it is a deliberate operation, not a side
 * effect of a restart).
 */
async function chooseMode(session: Session): Promise<StorageMode> {
  const [recorded] = await session
    .query<{ value: StorageMode }>(`SELECT value #>> '{}' AS value FROM infrazen_meta WHERE key = 'storage_mode'`)
    .catch(() => [] as { value: StorageMode }[]);
  if (recorded) return recorded.value;
  const [available] = await session.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'`
  );
  return available && available.n > 0 ? 'timescale' : 'plain';
}

function createPostgrator(session: Session, mode: StorageMode) {
  return new Postgrator({
    driver: 'pg',
    migrationPattern: `${MIGRATIONS_DIR}/{common,${mode}}/*.sql`,
    schemaTable: 'infrazen_schema_version',
    validateChecksums: true,
    execQuery: async (sql) => ({ rows: await session.query(sql) }),
    // One simple-protocol round trip per file: PostgreSQL runs it as one implicit transaction.
    execSqlScript: (sql) => session.exec(sql),
  });
}

/** Brings the schema to the latest version. Safe to run concurrently (advisory lock) and repeatedly. */
export async function migrate(db: Database): Promise<MigrationStatus> {
  return db.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const mode = await chooseMode(session);
      if (mode === 'timescale') await session.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
      const postgrator = createPostgrator(session, mode);
      const applied = await postgrator.migrate();
      await session.query(
        `INSERT INTO infrazen_meta (key, value) VALUES ('storage_mode', to_jsonb($1::text))
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [mode]
      );
      const version = await postgrator.getDatabaseVersion();
      const latest = await postgrator.getMaxVersion();
      return { mode, version, latest, applied: applied.map((m) => m.filename.split('/').slice(-2).join('/')) };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
