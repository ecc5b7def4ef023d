/**
 * Real collector processes: two replicas on one database share the schedule (each slot syncs exactly
 * once, coordinated through PostgreSQL), and the embedded demo shows realistic data by itself.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';
import { freePort, health, startServer, waitFor, type ServerProcess } from './helpers/process.js';

const TOKEN = `izn_${'r'.repeat(43)}`;
const CONNECTIONS = 6;
const ROUNDS = 3;

async function call<T>(
  port: number,
  method: string,
  url: string,
  body?: unknown
): Promise<{ status: number; body: T }> {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('two collector replicas on one database', { timeout: 180_000 }, () => {
  let t: TestDatabase;
  let sandbox: Sandbox;
  const replicas: { port: number; server: ServerProcess }[] = [];

  before(async () => {
    t = await createTestDatabase('replicas');
    sandbox = await startSandbox();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const server = startServer({
        DATABASE_URL: t.url,
        INFRAZEN_SECRET_KEY: 'cd'.repeat(32),
        INFRAZEN_BOOTSTRAP_TOKEN: TOKEN,
        INFRAZEN_PORT: String(port),
        INFRAZEN_DEMO: 'false',
        INFRAZEN_SYNC_TICK_SECONDS: '1',
      });
      replicas.push({ port, server });
    }
    for (const r of replicas) {
      const up = await waitFor(
        () => health(r.port),
        (h) => h.status === 200,
        60_000
      );
      assert.equal(up.status, 200, r.server.stdout());
    }
  });

  after(async () => {
    for (const r of replicas) {
      r.server.child.kill('SIGTERM');
      assert.equal(await r.server.exited, 0, r.server.stdout());
    }
    await sandbox.close();
    await t.drop();
    await stopTestCluster();
  });

  it('runs every scheduled slot exactly once while both replicas tick', async () => {
    const ids: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const res = await call<{ id: string }>(replicas[i % 2]!.port, 'POST', '/api/v1/connections', {
        name: `beget ${i}`,
        provider: 'beget',
        credentials: sandbox.beget.credentials,
        settings: { ...sandbox.beget.settings, backfillDays: 1, collectMetrics: false },
        schedule: '0 3 1 1 *',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(res.body.id);
    }

    const slots: Date[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A slot that has come for every connection at once: both replicas see all of them due.
      const slot = new Date(Math.floor(Date.now() / 1000) * 1000 - (round + 1) * 60_000);
      slots.push(slot);
      await t.db.query(`UPDATE connections SET next_sync_at = $1 WHERE id = ANY($2::uuid[])`, [slot, ids]);
      const done = await waitFor(
        () =>
          t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM sync_snapshots WHERE scheduled_for = $1 AND status <> 'running'`,
            [slot]
          ),
        (rows) => rows[0]!.n >= CONNECTIONS,
        60_000
      );
      assert.equal(done[0]!.n, CONNECTIONS, `round ${round}: every connection synced`);
      // Let both replicas tick a few more times: a second run of the slot would show up now.
      await new Promise((r) => setTimeout(r, 2_500));
    }

    const perSlot = await t.db.query<{ connection_id: string; scheduled_for: Date; n: number; statuses: string[] }>(
      `SELECT connection_id, scheduled_for, count(*)::int AS n, array_agg(status) AS statuses FROM sync_snapshots
       WHERE scheduled_for = ANY($1::timestamptz[]) GROUP BY connection_id, scheduled_for`,
      [slots]
    );
    assert.equal(perSlot.length, CONNECTIONS * ROUNDS);
    for (const row of perSlot) assert.equal(row.n, 1, `slot ${row.scheduled_for.toISOString()} ran once`);
    assert.ok(perSlot.every((r) => r.statuses.every((s) => s === 'success' || s === 'partial')));

    // Both replicas were alive and ticking the whole time.
    for (const r of replicas) {
      const h = await health(r.port);
      const jobs = (h.body.scheduler as { jobs: { name: string; lastRunAt: string | null }[] }).jobs;
      const tick = jobs.find((j) => j.name === 'connection-syncs')!;
      assert.ok(tick.lastRunAt && Date.now() - Date.parse(tick.lastRunAt) < 10_000, JSON.stringify(tick));
    }
    const instances = await t.db.query<{ instance: string; n: number }>(
      `SELECT instance, count(*)::int AS n FROM sync_snapshots WHERE scheduled_for = ANY($1::timestamptz[]) GROUP BY instance`,
      [slots]
    );
    process.stdout.write(`# syncs per replica: ${instances.map((i) => `${i.instance}=${i.n}`).join(', ')}\n`);
  });
});

describe('npm start demo (embedded database, no configuration)', { timeout: 240_000 }, () => {
  it('backfills the sandboxed providers and shows zombies, orphans and balances', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'infrazen-demo-'));
    // As root the embedded PostgreSQL runs as the postgres user, which must be able to enter the dir.
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    const server = startServer({
      INFRAZEN_DATA_DIR: dataDir,
      INFRAZEN_PORT: String(port),
      INFRAZEN_BOOTSTRAP_TOKEN: TOKEN,
    });
    try {
      // No timing assertion (tests never assert on speed): the wait is generous for a busy CI machine.
      const ready = await waitFor(
        () => call<{ items: { lastSyncStatus: string | null }[] }>(port, 'GET', '/api/v1/connections'),
        (r) => r.status === 200 && r.body.items.length === 3 && r.body.items.every((c) => c.lastSyncStatus !== null),
        150_000
      );
      assert.equal(ready.status, 200, server.stdout());
      assert.ok(
        ready.body.items.every((c) => c.lastSyncStatus !== null),
        `every demo connection has synced: ${JSON.stringify(ready.body.items)}`
      );
      const zombies = await call<{ total: number }>(port, 'GET', '/api/v1/resources?flag=zombie');
      const orphans = await call<{ total: number }>(port, 'GET', '/api/v1/resources?flag=orphan');
      assert.ok(zombies.body.total >= 1 && orphans.body.total >= 1);
      const days = await call<{ items: { provider: string; account: { daysToBlock?: number } }[] }>(
        port,
        'GET',
        '/api/v1/connections'
      );
      assert.ok(days.body.items.some((c) => c.provider === 'beget' && typeof c.account.daysToBlock === 'number'));
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0, server.stdout());
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
