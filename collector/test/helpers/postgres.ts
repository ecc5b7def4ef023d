/**
 * A real PostgreSQL for the tests: the same embedded cluster the product uses, kept in
 * collector/.data-test, and a fresh database per test file.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createLogger } from '../../src/observability/logger.js';
import { createPgDatabase, type Database } from '../../src/storage/db.js';
import { EmbeddedPostgres, type EmbeddedHandle } from '../../src/storage/embedded.js';

export const TEST_DATA_DIR = fileURLToPath(new URL('../../.data-test', import.meta.url));

let cluster: Promise<EmbeddedHandle> | undefined;

export function testCluster(): Promise<EmbeddedHandle> {
  cluster ??= new EmbeddedPostgres(path.join(TEST_DATA_DIR, 'cluster'), createLogger('warn')).start('client');
  return cluster;
}

export interface TestDatabase {
  db: Database;
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new empty database on the test cluster; `drop()` removes it (and stops the cluster if we started it). */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const handle = await testCluster();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: handle.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(handle.url, name);
  const db = createPgDatabase({ connectionString: url, max: 5 });
  return {
    db,
    url,
    name,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: handle.url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function stopTestCluster() {
  if (cluster) await (await cluster).stop();
  cluster = undefined;
}
