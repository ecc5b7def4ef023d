/**
 * The database adapter: `query` and `transaction` over a pg Pool. Type parsing is normalized here and
 * nowhere else: int8 → number (counts), numeric → exact decimal string (money), date → 'YYYY-MM-DD'.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * `COPY … FROM STDIN` with text-format rows, on drivers that support it (the pg driver inside a
   * transaction or session). Callers fall back to batched INSERTs when it is absent (PGlite). An async
   * iterable streams with backpressure (the FOCUS import copies straight from the upload).
   */
  copyFrom?(sql: string, rows: Iterable<string> | AsyncIterable<string>): Promise<void>;
}

/** One pinned connection, for work that needs session state (advisory locks, multi-statement SQL). */
export interface Session extends Queryable {
  /** Runs several statements in one round trip (migrations). No parameters. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A transaction as the RLS-restricted role infrazen_tenant, scoped to one tenant. */
  withTenant<T>(tenantId: string, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  session<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;

export function parseInt8(value: string | number | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${String(value)} exceeds the safe integer range`);
  return n;
}

/** Parsers shared by both drivers so the same SQL yields the same JS values everywhere. */
export const typeParsers: Record<number, (value: string) => unknown> = {
  [INT8_OID]: parseInt8,
  [NUMERIC_OID]: (value) => value,
  [DATE_OID]: (value) => value,
};

const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export const TENANT_ROLE = 'infrazen_tenant';

/** Shared by every driver: enter the tenant role and scope for the rest of the transaction. */
export async function enterTenant(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
  await tx.query(`SELECT set_config('infrazen.tenant_id', $1, true)`, [tenantId]);
}

export interface PgDatabaseOptions {
  connectionString: string;
  max?: number;
  /** Called for errors on idle connections (the server went away); the pool replaces them. */
  onIdleError?: (err: Error) => void;
  applicationName?: string;
}

export function createPgDatabase(options: PgDatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'infrazen-collector',
    types: pgTypes,
  });
  // Without a listener an idle client's error (database restarted) would crash the process.
  pool.on('error', (err) => options.onIdleError?.(err));

  const wrap = (client: pg.PoolClient | pg.Pool): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as T[];
    },
    ...(client instanceof pg.Pool
      ? {}
      : {
          async copyFrom(sql: string, rows: Iterable<string> | AsyncIterable<string>) {
            await pipeline(Readable.from(rows), client.query(copyStream(sql)));
          },
        }),
  });

  /**
   * A checked-out client that loses its server emits 'error' outside any query (a sync's lock session
   * sits idle for minutes). Without a listener that would crash the process; the next query on the
   * client fails instead, and the client is discarded on release.
   */
  async function checkout(): Promise<{ client: pg.PoolClient; lost: () => boolean; done: () => void }> {
    const client = await pool.connect();
    let lost = false;
    const onError = (err: Error) => {
      lost = true;
      options.onIdleError?.(err);
    };
    client.on('error', onError);
    return { client, lost: () => lost, done: () => client.off('error', onError) };
  }

  async function transaction<T>(fn: (tx: Queryable) => Promise<T>, tenantId?: string): Promise<T> {
    const { client, lost, done } = await checkout();
    let broken = false;
    try {
      await client.query('BEGIN');
      const tx = wrap(client);
      if (tenantId !== undefined) await enterTenant(tx, tenantId);
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      done();
      client.release(broken || lost());
    }
  }

  return {
    ...wrap(pool),
    transaction: (fn) => transaction(fn),
    withTenant: (tenantId, fn) => transaction(fn, tenantId),
    async session(fn) {
      const { client, lost, done } = await checkout();
      try {
        return await fn({
          ...wrap(client),
          async exec(sql) {
            await client.query(sql);
          },
        });
      } finally {
        done();
        client.release(lost());
      }
    },
    async close() {
      await pool.end();
    },
  };
}
