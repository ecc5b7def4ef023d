/**
 * The fault suite (`npm run faults -w collector`): what providers, the database and the operating system
 * do to a collector, against the provider sandbox and the real embedded PostgreSQL —
 *   provider 429 / 5xx / timeouts / malformed and truncated bodies / tokens expiring mid-sync,
 *   the sync's database connection terminated mid-write (pg_terminate_backend) and its lock session
 *   terminated while the provider hangs,
 *   the collector process killed with SIGKILL mid-write and started again.
 * For every scenario: the collector stays up (or comes back), the snapshot records what happened, no
 * cost row is duplicated, changed or invented, and the next sync converges to a clean run's rows, row
 * by row and per day (raw lines and the daily rollup), exact decimals. The last test prints and asserts
 * `N scenarios, N survived, 0 rows lost, 0 duplicates`, computed from the scenarios' own checks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Fault } from '../src/sandbox/faults.js';
import type { SelectelSandboxOptions } from '../src/sandbox/selectel/model.js';
import { createToken } from '../src/services/tenancy.js';
import {
  compareDays,
  compareLedgers,
  dailyTotals,
  readLedger,
  type Ledger,
  type LedgerDiff,
  type Window,
} from './helpers/cost-ledger.js';
import { stopTestCluster } from './helpers/postgres.js';
import { freePort, health, startServer, waitFor, type ServerProcess } from './helpers/process.js';
import { startSyncHarness, type Snapshot, type SyncHarness } from './helpers/sync-api.js';

const HOUR = 3_600_000;
/**
 * The sandbox clock, pinned to the start of the current hour: the in-process app runs on it, and the
 * collector child process (real clock, same hour) then reads exactly the same billed hours.
 */
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const BACKFILL_DAYS = 2;
/** A few more servers than the default account: several billing batches per sync. */
const SELECTEL: SelectelSandboxOptions = { vms: 12 };

type Provider = 'selectel' | 'cloudru';

interface Outcome {
  name: string;
  survived: boolean;
  faulted?: string;
  lost: number;
  duplicates: number;
  detail?: string;
}

const outcomes: Outcome[] = [];

describe('fault suite', { timeout: 900_000 }, () => {
  let h: SyncHarness;
  let tenantId: string;
  let admin: pg.Client;
  const references = new Map<Provider, { id: string; snapshot: Snapshot; ledger: Ledger }>();

  before(async () => {
    h = await startSyncHarness('faults', NOW, { selectel: SELECTEL });
    const [tenant] = await h.t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE grafana_org_id = 1`);
    tenantId = tenant!.id;
    admin = new pg.Client({ connectionString: h.t.url });
    await admin.connect();
    for (const provider of ['selectel', 'cloudru'] as const) {
      const id = await connect(provider);
      const snapshot = await h.sync(id);
      assert.equal(snapshot.status, 'success', JSON.stringify(snapshot.endpointErrors));
      const ledger = await readLedger(h.t.db, id, windowOf(snapshot));
      assert.ok(ledger.size > 100, `the clean ${provider} run wrote ${ledger.size} rows`);
      references.set(provider, { id, snapshot, ledger });
    }
  });
  after(async () => {
    await admin?.end();
    await h?.close();
    await stopTestCluster();
  });

  async function connect(provider: Provider): Promise<string> {
    const fake = h.sandbox[provider];
    const res = await h.api<{ id: string }>('POST', '/api/v1/connections', {
      name: `${provider} ${Math.random().toString(36).slice(2, 8)}`,
      provider,
      credentials: fake.credentials,
      settings: { ...fake.settings, backfillDays: BACKFILL_DAYS },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  const windowOf = (s: Snapshot): Window => ({ from: new Date(s.windowStart) });
  /** Where two runs' windows overlap (they differ only if a Moscow midnight passed between them). */
  const overlap = (a: Snapshot, b: Snapshot): Window => ({
    from: new Date(Math.max(Date.parse(a.windowStart), Date.parse(b.windowStart))),
  });

  /**
   * The checks every scenario shares, after its faulted sync: rows so far are a subset of the clean
   * run's (anything missing is owned up to by a non-success snapshot), then a rerun converges exactly.
   */
  async function verify(
    provider: Provider,
    id: string,
    faulted: Snapshot,
    rerun: () => Promise<Snapshot>,
    alive: () => Promise<void>
  ): Promise<{ during: LedgerDiff; after: LedgerDiff }> {
    const ref = references.get(provider)!;
    await alive();
    const during = compareLedgers(ref.ledger, await readLedger(h.t.db, id, overlap(ref.snapshot, faulted)));
    assert.equal(during.duplicates + during.unexpected + during.changed, 0, during.examples.join('; '));
    if (faulted.status === 'success') assert.equal(during.lost, 0, `a success without every row: ${during.examples}`);
    else assert.ok(faulted.errorMessage || faulted.endpointErrors.length, 'a non-success snapshot says why');

    const next = await rerun();
    assert.equal(next.status, 'success', JSON.stringify({ error: next.errorMessage, endpoints: next.endpointErrors }));
    const window = overlap(ref.snapshot, next);
    const afterDiff = compareLedgers(await readLedger(h.t.db, ref.id, window), await readLedger(h.t.db, id, window));
    assert.equal(
      afterDiff.lost + afterDiff.duplicates + afterDiff.unexpected + afterDiff.changed,
      0,
      afterDiff.examples.join('; ')
    );
    const refDays = await dailyTotals(h.t.db, ref.id, window, 'raw');
    assert.deepEqual(compareDays(refDays, await dailyTotals(h.t.db, id, window, 'raw')), [], 'per-day raw sums');
    assert.deepEqual(compareDays(refDays, await dailyTotals(h.t.db, id, window, 'rollup')), [], 'per-day rollup');
    await alive();
    return { during, after: afterDiff };
  }

  /** Runs a scenario and records its outcome for the summary, whether it passes or not. */
  async function scenario(
    name: string,
    run: () => Promise<{ faulted: Snapshot; during: LedgerDiff; after: LedgerDiff }>
  ) {
    try {
      const r = await run();
      outcomes.push({
        name,
        survived: true,
        faulted: r.faulted.status,
        lost: r.after.lost,
        duplicates: r.during.duplicates + r.after.duplicates,
        detail: r.faulted.status === 'success' ? undefined : `${r.during.lost} rows missing until the rerun`,
      });
    } catch (err) {
      outcomes.push({ name, survived: false, lost: 0, duplicates: 0, detail: (err as Error).message.slice(0, 300) });
      throw err;
    }
  }

  const appAlive = async () => {
    assert.equal((await h.api('GET', '/api/v1/health')).status, 200);
    assert.equal((await h.api('GET', '/api/v1/connections')).status, 200);
  };

  const providerFaults: {
    name: string;
    provider: Provider;
    endpoint: string;
    fault: Fault;
    expect: 'success' | 'partial' | 'error';
    errorEndpoint?: string;
  }[] = [
    {
      name: 'Selectel 429 with Retry-After',
      provider: 'selectel',
      endpoint: 'selectel.consumption',
      fault: { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 },
      expect: 'success',
    },
    {
      name: 'Selectel 500 twice, then recovers',
      provider: 'selectel',
      endpoint: 'selectel.consumption',
      fault: { kind: 'status', status: 500, times: 2 },
      expect: 'success',
    },
    {
      name: 'Selectel billing 502 for good',
      provider: 'selectel',
      endpoint: 'selectel.consumption',
      fault: { kind: 'status', status: 502 },
      expect: 'partial',
      errorEndpoint: 'consumption',
    },
    {
      name: 'Selectel servers 503 in one region',
      provider: 'selectel',
      endpoint: 'selectel.servers:ru-7',
      fault: { kind: 'status', status: 503 },
      expect: 'partial',
      errorEndpoint: 'servers',
    },
    {
      name: 'Selectel billing times out once',
      provider: 'selectel',
      endpoint: 'selectel.consumption',
      fault: { kind: 'timeout', times: 1 },
      expect: 'success',
    },
    {
      name: 'Selectel volumes time out for good',
      provider: 'selectel',
      endpoint: 'selectel.volumes:ru-3',
      fault: { kind: 'timeout' },
      expect: 'partial',
      errorEndpoint: 'volumes',
    },
    {
      name: 'Selectel billing body malformed for good',
      provider: 'selectel',
      endpoint: 'selectel.consumption',
      fault: { kind: 'malformed' },
      expect: 'partial',
      errorEndpoint: 'consumption',
    },
    {
      name: 'Selectel billing body truncated once',
      provider: 'selectel',
      endpoint: 'selectel.consumption',
      fault: { kind: 'truncated', times: 1 },
      expect: 'success',
    },
    {
      name: 'Selectel token expires mid-sync',
      provider: 'selectel',
      endpoint: 'selectel.token-expiry',
      fault: { kind: 'token-expiry', afterRequests: 3, times: 1 },
      expect: 'success',
    },
    {
      name: 'Cloud.ru billing 503 for good',
      provider: 'cloudru',
      endpoint: 'cloudru.consumption',
      fault: { kind: 'status', status: 503 },
      expect: 'partial',
      errorEndpoint: 'consumption',
    },
    {
      name: 'Cloud.ru token expires mid-sync',
      provider: 'cloudru',
      endpoint: 'cloudru.token-expiry',
      fault: { kind: 'token-expiry', afterRequests: 2, times: 1 },
      expect: 'success',
    },
  ];

  for (const s of providerFaults) {
    it(s.name, () =>
      scenario(s.name, async () => {
        const id = await connect(s.provider);
        const faulted = await h.withFault(s.endpoint, s.fault, () => h.sync(id));
        assert.equal(faulted.status, s.expect, JSON.stringify(faulted.endpointErrors));
        if (s.errorEndpoint)
          assert.ok(
            faulted.endpointErrors.some((e) => e.endpoint === s.errorEndpoint),
            JSON.stringify(faulted.endpointErrors)
          );
        return { faulted, ...(await verify(s.provider, id, faulted, () => h.sync(id), appAlive)) };
      })
    );
  }

  /**
   * Holds back one billing batch of a connection's coming sync: an uncommitted row under a key the
   * batch will write makes its COPY wait on this transaction — a write caught mid-sync, deterministically,
   * with the batches before it committed.
   */
  async function blockBatch(connectionId: string): Promise<{ release: () => Promise<void> }> {
    const ref = references.get('selectel')!;
    const second = new Date(Date.parse(ref.snapshot.windowStart) + 5 * HOUR);
    const [line] = await h.t.db.query<{ resource_id: string; line_key: string }>(
      `SELECT resource_id, line_key FROM cost_records WHERE connection_id = $1 AND charge_period_start = $2 LIMIT 1`,
      [ref.id, second]
    );
    assert.ok(line, 'the reference has a line in the second batch');
    await admin.query('BEGIN');
    await admin.query(
      `INSERT INTO cost_records (tenant_id, connection_id, resource_id, line_key, charge_period_start, charge_period_end,
         provider, billed_cost, effective_cost, billing_currency)
       VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '1 hour', 'selectel', 0, 0, 'RUB')`,
      [tenantId, connectionId, line.resource_id, line.line_key, second]
    );
    return { release: async () => void (await admin.query('ROLLBACK')) };
  }

  /** The backend of this database that waits on a lock (the held-back batch's COPY). */
  async function waitingWriter(): Promise<number> {
    const found = await waitFor(
      () =>
        admin.query<{ pid: number }>(
          // Not a backend waiting on an advisory lock (a sync or post-sync analytics waiting its turn):
          // terminating one of those would test something else.
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
             AND wait_event <> 'advisory' AND pid <> pg_backend_pid()`
        ),
      (r) => r.rows.length > 0,
      60_000
    );
    assert.ok(found.rows?.length, 'a billing batch is waiting on the held-back key');
    return found.rows[0]!.pid;
  }

  async function committedRows(connectionId: string): Promise<number> {
    const r = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM cost_records WHERE connection_id = $1`, [
      connectionId,
    ]);
    return r.rows[0]!.n;
  }

  async function finished(snapshotId: string): Promise<Snapshot> {
    for (;;) {
      const snap = await h.api<Snapshot>('GET', `/api/v1/snapshots/${snapshotId}?states=all&statesLimit=5000`);
      if (snap.body.status !== 'running') return snap.body;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('database: the sync’s write connection terminated mid-COPY', () =>
    scenario('PostgreSQL backend of a billing write terminated', async () => {
      const id = await connect('selectel');
      const blocker = await blockBatch(id);
      let snapshotId: string;
      try {
        const started = await h.api<{ snapshotId: string }>('POST', `/api/v1/connections/${id}/sync`);
        assert.equal(started.status, 202);
        snapshotId = started.body.snapshotId;
        const pid = await waitingWriter();
        assert.ok((await committedRows(id)) > 0, 'earlier batches were committed: the kill is mid-sync');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await blocker.release();
      }
      const faulted = await finished(snapshotId);
      assert.equal(faulted.status, 'error');
      assert.match(faulted.errorMessage ?? '', /terminat/i);
      return { faulted, ...(await verify('selectel', id, faulted, () => h.sync(id), appAlive)) };
    }));

  it('database: the sync’s lock session terminated while the provider hangs', () =>
    scenario('PostgreSQL session holding the sync lock terminated', async () => {
      const id = await connect('selectel');
      h.sandbox.faults.resetHits();
      h.sandbox.faults.set('selectel.servers', { kind: 'timeout', times: 1 });
      let faulted: Snapshot;
      try {
        const started = await h.api<{ snapshotId: string }>('POST', `/api/v1/connections/${id}/sync`);
        assert.equal(started.status, 202);
        await waitFor(
          async () => h.sandbox.faults.hits('selectel.servers'),
          (n) => n > 0,
          30_000
        );
        const holders = await admin.query<{ pid: number }>(
          `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`
        );
        assert.equal(holders.rows.length, 1, 'one sync holds its connection lock');
        await admin.query('SELECT pg_terminate_backend($1)', [holders.rows[0]!.pid]);
        faulted = await finished(started.body.snapshotId);
      } finally {
        h.sandbox.faults.clear('selectel.servers');
      }
      // The sync's work runs on pooled connections: it finishes, and its lock is free for the next one.
      assert.equal(faulted.status, 'success', JSON.stringify(faulted.endpointErrors));
      const connection = await h.api<{ status: string }>('GET', `/api/v1/connections/${id}`);
      assert.equal(connection.body.status, 'ok');
      return { faulted, ...(await verify('selectel', id, faulted, () => h.sync(id), appAlive)) };
    }));

  describe('the collector process killed with SIGKILL mid-sync and started again', () => {
    let server: ServerProcess | undefined;
    let port: number;
    let env: Record<string, string>;
    let token: string;

    const call = async <T>(method: string, url: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    const start = async () => {
      server = startServer(env);
      const up = await waitFor(
        () => health(port),
        (r) => r.status === 200,
        60_000
      );
      assert.equal(up.status, 200, server.stdout());
    };
    const syncThere = async (id: string): Promise<Snapshot> => {
      const started = await call<{ snapshotId: string }>('POST', `/api/v1/connections/${id}/sync`);
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const done = await waitFor(
        () => call<Snapshot>('GET', `/api/v1/snapshots/${started.body.snapshotId}?states=all&statesLimit=5000`),
        (r) => r.body.status !== 'running',
        120_000
      );
      return done.body;
    };

    before(async () => {
      port = await freePort();
      token = (await createToken(h.t.db, { tenantId, name: 'fault child', actor: 'test', actorKind: 'cli' })).token;
      env = {
        DATABASE_URL: h.t.url,
        INFRAZEN_SECRET_KEY: 'ef'.repeat(32),
        INFRAZEN_PORT: String(port),
        INFRAZEN_DEMO: 'false',
        // Syncs here are the test's own: no schedule picks up the in-process app's connections.
        INFRAZEN_SCHEDULER: 'false',
      };
      await start();
    });
    after(async () => {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    });

    it('SIGKILL during a billing write; the restart records the sync as interrupted and the next converges', () =>
      scenario('collector SIGKILLed mid-write, restarted', async () => {
        const fake = h.sandbox.selectel;
        const created = await call<{ id: string }>('POST', '/api/v1/connections', {
          name: 'selectel (killed)',
          provider: 'selectel',
          credentials: fake.credentials,
          settings: { ...fake.settings, backfillDays: BACKFILL_DAYS },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const id = created.body.id;
        const blocker = await blockBatch(id);
        let snapshotId: string;
        try {
          const started = await call<{ snapshotId: string }>('POST', `/api/v1/connections/${id}/sync`);
          assert.equal(started.status, 202, JSON.stringify(started.body));
          snapshotId = started.body.snapshotId;
          await waitingWriter();
          assert.ok((await committedRows(id)) > 0, 'earlier batches were committed: the kill is mid-sync');
          server!.child.kill('SIGKILL');
          await server!.exited;
        } finally {
          await blocker.release();
        }
        // The dead process's sessions end (and with them its lock) once PostgreSQL sees the sockets close.
        await waitFor(
          () =>
            admin.query(
              `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND a.datname = current_database()`
            ),
          (r) => r.rows.length === 0,
          30_000
        );
        await start();
        const faulted = (await call<Snapshot>('GET', `/api/v1/snapshots/${snapshotId}?states=all`)).body;
        assert.equal(faulted.status, 'interrupted');
        assert.match(faulted.errorMessage ?? '', /stopped before the sync finished/);
        const alive = async () => assert.equal((await health(port)).status, 200);
        return { faulted, ...(await verify('selectel', id, faulted, () => syncThere(id), alive)) };
      }));
  });

  it('summary: every scenario survived, 0 rows lost, 0 duplicates', (ctx) => {
    const survived = outcomes.filter((o) => o.survived).length;
    const lost = outcomes.reduce((n, o) => n + o.lost, 0);
    const duplicates = outcomes.reduce((n, o) => n + o.duplicates, 0);
    const expected = providerFaults.length + 3;
    for (const o of outcomes)
      ctx.diagnostic(
        `${o.survived ? 'survived' : 'FAILED  '} ${o.name}${o.faulted ? ` → ${o.faulted}` : ''}${o.detail ? ` (${o.detail})` : ''}`
      );
    const line = `${outcomes.length} scenarios, ${survived} survived, ${lost} rows lost, ${duplicates} duplicates`;
    ctx.diagnostic(line);
    process.stdout.write(`${line}\n`);
    assert.equal(outcomes.length, expected, 'every scenario ran');
    assert.equal(survived, outcomes.length);
    assert.equal(lost, 0);
    assert.equal(duplicates, 0);
  });
});
