/**
 * The billing-first sync end to end: the real connectors against the provider sandbox, the real engine,
 * a real PostgreSQL, driven through the HTTP API. Results are checked against the sandbox's known truth.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import type { Fault } from '../src/sandbox/faults.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const NOW = new Date('2026-11-20T09:30:00Z');
const HOUR = 3_600_000;

interface Snapshot {
  id: string;
  status: string;
  phases: { name: string; status: string; counts?: Record<string, number> }[];
  counts: Record<string, number>;
  windowStart: string;
  windowEnd: string;
  totalDailyCost: string | null;
  endpointErrors: { endpoint: string; kind: string; message: string; region?: string }[];
  errorMessage: string | null;
  linesWritten: number;
  states: { items: { action: string; providerResourceId: string; hasCostChange: boolean }[]; total: number };
}

interface Resource {
  id: string;
  providerResourceId: string;
  name: string;
  type: string;
  status: string;
  flags: { zombie: boolean; orphan: boolean };
  parentId: string | null;
  dailyCost: string | null;
  specs: Record<string, unknown>;
}

describe('sync engine against the provider sandbox', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let runtime: Awaited<ReturnType<typeof buildTestApp>>['runtime'];
  let sandbox: Sandbox;
  let token: string;
  let tenantId: string;

  before(async () => {
    t = await createTestDatabase('sync');
    sandbox = await startSandbox({ now: () => NOW });
    ({ app, runtime } = await buildTestApp(t.db, { now: () => NOW }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
  });
  after(async () => {
    await app.close();
    await sandbox.close();
    await t.drop();
    await stopTestCluster();
  });

  async function api<T>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown
  ): Promise<{ status: number; body: T }> {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 500, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return { status: res.statusCode, body: res.json() as T };
  }

  let seq = 0;
  async function connect(provider: 'selectel' | 'beget', settings: Record<string, unknown> = {}, credentials?: object) {
    const base = sandbox[provider];
    const res = await api<{ id: string }>('POST', '/api/v1/connections', {
      name: `${provider} ${++seq}`,
      provider,
      credentials: credentials ?? base.credentials,
      settings: { ...base.settings, backfillDays: 3, ...settings },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  async function sync(connectionId: string): Promise<Snapshot> {
    const started = await api<{ snapshotId: string }>('POST', `/api/v1/connections/${connectionId}/sync`);
    assert.equal(started.status, 202, JSON.stringify(started.body));
    for (;;) {
      const snap = await api<Snapshot>(
        'GET',
        `/api/v1/snapshots/${started.body.snapshotId}?states=all&statesLimit=5000`
      );
      if (snap.body.status !== 'running') return snap.body;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function resources(connectionId: string, query = ''): Promise<Resource[]> {
    const res = await api<{ items: Resource[] }>(
      'GET',
      `/api/v1/resources?connection=${connectionId}&limit=1000${query}`
    );
    return res.body.items;
  }

  async function costTotals(connectionId: string, from?: string, to?: string) {
    const [row] = await t.db.query<{ n: number; total: string | null; keys: number }>(
      `SELECT count(*)::int AS n, sum(billed_cost) AS total,
         count(DISTINCT (resource_id, line_key, charge_period_start))::int AS keys
       FROM cost_records WHERE connection_id = $1
         AND ($2::timestamptz IS NULL OR charge_period_start >= $2) AND ($3::timestamptz IS NULL OR charge_period_start < $3)`,
      [connectionId, from ?? null, to ?? null]
    );
    return row!;
  }

  const withFault = async <T>(endpoint: string, fault: Fault, fn: () => Promise<T>): Promise<T> => {
    sandbox.faults.set(endpoint, fault);
    try {
      return await fn();
    } finally {
      sandbox.faults.clear(endpoint);
    }
  };

  describe('Selectel', () => {
    let id: string;
    let first: Snapshot;

    before(async () => {
      id = await connect('selectel');
      first = await sync(id);
    });

    it('runs the eight phases and records counts, totals and the window', () => {
      assert.equal(first.status, 'success', JSON.stringify(first.endpointErrors));
      assert.deepEqual(
        first.phases.map((p) => [p.name, p.status]),
        [
          ['billing', 'done'],
          ['grouping', 'done'],
          ['servers', 'done'],
          ['volumes', 'done'],
          ['file_storage', 'done'],
          ['generic_services', 'done'],
          ['unification', 'done'],
          ['completion', 'done'],
        ]
      );
      assert.ok(first.linesWritten > 0);
      assert.equal(first.counts.created, first.counts.found);
      assert.equal(first.states.items.filter((s) => s.action === 'created').length, first.counts.found);
      assert.equal(
        new Date(first.windowStart).toISOString(),
        '2026-11-16T21:00:00.000Z',
        'backfill starts at Moscow midnight'
      );
    });

    it('writes exactly the billed amount of the window, in roubles', async () => {
      const truth = sandbox.selectel.truth.expectedCost({ start: new Date(first.windowStart), end: NOW });
      const totals = await costTotals(id);
      assert.equal(totals.total, truth);
      assert.equal(totals.n, totals.keys);
      assert.equal(totals.n, first.linesWritten);
    });

    it('finds the zombie VM and its disk, the orphan volume, the stopped VM and folds disk-for volumes', async () => {
      const truth = sandbox.selectel.truth;
      const list = await resources(id);
      const byPid = new Map(list.map((r) => [r.providerResourceId, r]));
      const zombies = (await resources(id, '&flag=zombie')).map((r) => r.providerResourceId).sort();
      assert.deepEqual(zombies, [truth.zombieServer.id, truth.zombieVolume.id].sort());
      assert.equal(byPid.get(truth.zombieServer.id)!.status, 'DELETED');
      const orphans = (await resources(id, '&flag=orphan')).map((r) => r.providerResourceId);
      assert.deepEqual(orphans, [truth.orphanVolume.id]);
      const diskFor = byPid.get(truth.diskForVolume.id)!;
      assert.equal(diskFor.parentId, byPid.get(truth.diskForVolume.serverId)!.id, 'disk-for-{VM} folds into its VM');
      assert.equal(diskFor.flags.orphan, false);
      assert.equal(byPid.get(truth.stoppedServer.id)!.status, 'STOPPED');
      for (const billed of truth.billedOnly)
        assert.ok(byPid.has(billed.id), `billed ${billed.name} lands on a resource`);
      for (const server of truth.servers) {
        const r = byPid.get(server.id)!;
        assert.equal(r.type, 'server');
        for (const volumeId of server.volumeIds) assert.equal(byPid.get(volumeId)!.parentId, r.id);
      }
    });

    it('keeps totals consistent: VM cost includes its volumes, top-level resources sum to the snapshot total', async () => {
      const list = await resources(id);
      const sum = list
        .filter((r) => !r.parentId && r.dailyCost)
        .reduce((acc, r) => acc + Math.round(Number(r.dailyCost) * 1e6), 0);
      assert.equal(sum, Math.round(Number(first.totalDailyCost) * 1e6));
      const vm = list.find((r) => r.type === 'server' && (r.specs.volumes as unknown[] | undefined)?.length)!;
      const breakdown = vm.specs.costBreakdown as { ownDaily: string | null; volumesDaily: string | null };
      assert.equal(
        Math.round((Number(breakdown.ownDaily ?? 0) + Number(breakdown.volumesDaily ?? 0)) * 1e6),
        Math.round(Number(vm.dailyCost) * 1e6)
      );
    });

    it('is idempotent: a re-sync of the same window changes no totals and records every resource unchanged', async () => {
      const before = await costTotals(id);
      const again = await sync(id);
      assert.equal(again.status, 'success');
      assert.deepEqual(await costTotals(id), before);
      assert.equal(
        again.counts.unchanged,
        again.counts.found,
        JSON.stringify(again.states.items.filter((s) => s.action !== 'unchanged').slice(0, 3))
      );
    });

    it('replaces a restated window instead of adding to it', async () => {
      const hour = Math.floor(NOW.getTime() / HOUR) * HOUR;
      const from = new Date(hour - 30 * HOUR);
      const to = new Date(hour - 20 * HOUR);
      const before = await costTotals(id);
      const oldWindow = await costTotals(id, from.toISOString(), to.toISOString());
      sandbox.selectel.truth.restate({ from, to, factor: 2 });
      const restated = await sync(id);
      assert.equal(restated.status, 'success');
      const after = await costTotals(id);
      assert.equal(after.n, before.n, 'no rows added');
      const window = await costTotals(id, from.toISOString(), to.toISOString());
      assert.equal(window.total, sandbox.selectel.truth.expectedCost({ start: from, end: to }));
      assert.notEqual(window.total, oldWindow.total);
      assert.ok(
        restated.states.items.some((s) => s.hasCostChange),
        'cost changes are detected'
      );
    });

    it('marks a resource that disappeared from a complete read as deleted', async () => {
      await t.db.query(
        `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status)
         VALUES ($1, $2, 'selectel', 'gone-vm', 'gone', 'server', 'RUNNING')`,
        [tenantId, id]
      );
      const snap = await sync(id);
      const gone = snap.states.items.find((s) => s.providerResourceId === 'gone-vm');
      assert.equal(gone?.action, 'deleted');
      assert.equal(
        (await resources(id)).some((r) => r.providerResourceId === 'gone-vm'),
        false
      );
    });

    it('exposes snapshots per connection and refuses a second concurrent sync', async () => {
      const list = await api<{ items: Snapshot[]; total: number }>('GET', `/api/v1/connections/${id}/snapshots`);
      assert.ok(list.body.total >= 4);
      const a = await api<{ snapshotId: string }>('POST', `/api/v1/connections/${id}/sync`);
      const b = await api<{ error: string }>('POST', `/api/v1/connections/${id}/sync`);
      assert.equal(a.status, 202);
      assert.equal(b.status, 409);
      assert.equal(b.body.error, 'sync_in_progress');
      for (;;) {
        const s = await api<Snapshot>('GET', `/api/v1/snapshots/${a.body.snapshotId}`);
        if (s.body.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
  });

  describe('faults: outcome recorded, no duplicates, a rerun converges to the clean totals', () => {
    const clean = async () => {
      const id = await connect('selectel', { backfillDays: 2 });
      const snap = await sync(id);
      return { id, snap, totals: await costTotals(id) };
    };
    let reference: Awaited<ReturnType<typeof costTotals>>;
    before(async () => {
      reference = (await clean()).totals;
    });

    const scenarios: {
      name: string;
      endpoint: string;
      fault: Fault;
      expect: 'success' | 'partial';
      errorEndpoint?: string;
    }[] = [
      {
        name: '429 with Retry-After',
        endpoint: 'selectel.consumption',
        fault: { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 },
        expect: 'success',
      },
      {
        name: '500 then recovery',
        endpoint: 'selectel.consumption',
        fault: { kind: 'status', status: 500, times: 2 },
        expect: 'success',
      },
      {
        name: '502 persistent',
        endpoint: 'selectel.consumption',
        fault: { kind: 'status', status: 502 },
        expect: 'partial',
        errorEndpoint: 'consumption',
      },
      {
        name: '503 on one region',
        endpoint: 'selectel.servers:ru-7',
        fault: { kind: 'status', status: 503 },
        expect: 'partial',
        errorEndpoint: 'servers',
      },
      {
        name: 'timeout once',
        endpoint: 'selectel.consumption',
        fault: { kind: 'timeout', times: 1 },
        expect: 'success',
      },
      {
        name: 'malformed JSON persistent',
        endpoint: 'selectel.consumption',
        fault: { kind: 'malformed' },
        expect: 'partial',
        errorEndpoint: 'consumption',
      },
      {
        name: 'truncated page persistent',
        endpoint: 'selectel.volumes',
        fault: { kind: 'truncated' },
        expect: 'partial',
        errorEndpoint: 'volumes',
      },
      {
        name: 'token expiring mid-sync',
        endpoint: 'selectel.token-expiry',
        fault: { kind: 'token-expiry', afterRequests: 3, times: 1 },
        expect: 'success',
      },
    ];

    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const id = await connect('selectel', { backfillDays: 2 });
        const faulted = await withFault(scenario.endpoint, scenario.fault, () => sync(id));
        assert.equal(faulted.status, scenario.expect, JSON.stringify(faulted.endpointErrors));
        if (scenario.errorEndpoint) {
          assert.ok(
            faulted.endpointErrors.some((e) => e.endpoint === scenario.errorEndpoint),
            JSON.stringify(faulted.endpointErrors)
          );
        }
        const during = await costTotals(id);
        assert.equal(during.n, during.keys, 'no duplicate cost rows');
        assert.ok(Number(during.total ?? 0) <= Number(reference.total), 'never more than the clean total');
        if (scenario.errorEndpoint === 'servers' || scenario.errorEndpoint === 'volumes') {
          const zombies = await resources(id, '&flag=zombie');
          assert.equal(zombies.length, 0, 'an incomplete inventory flags no zombies');
        }
        const rerun = await sync(id);
        assert.equal(rerun.status, 'success');
        const totals = await costTotals(id);
        assert.deepEqual({ n: totals.n, total: totals.total }, { n: reference.n, total: reference.total });
        assert.equal((await resources(id, '&flag=zombie')).length, 2);
      });
    }

    it('bad credentials: the sync fails with a reason, the test endpoint says why', async () => {
      const id = await connect(
        'selectel',
        { backfillDays: 1 },
        { ...sandbox.selectel.credentials, apiKey: 'wrong-key-123456' }
      );
      const snap = await sync(id);
      assert.notEqual(snap.status, 'success');
      const text = JSON.stringify(snap);
      assert.match(text, /rejected the API key/);
      assert.ok(!text.includes('wrong-key-123456'));
      const tested = await api<{ ok: boolean; error: { kind: string; message: string } }>(
        'POST',
        `/api/v1/connections/${id}/test`
      );
      assert.equal(tested.body.ok, false);
      assert.equal(tested.body.error.kind, 'auth');
      const connection = await api<{ status: string; lastError: string }>('GET', `/api/v1/connections/${id}`);
      assert.equal(connection.body.status, 'error');
      assert.match(connection.body.lastError, /API key/);
    });
  });

  describe('Beget', () => {
    let id: string;
    let snap: Snapshot;
    before(async () => {
      id = await connect('beget');
      snap = await sync(id);
    });

    it('syncs VPS, cloud services, domains and the plan at their stated prices', async () => {
      const truth = sandbox.beget.truth;
      assert.equal(snap.status, 'partial', 'the cloud plan refuses mysql/ftp: recorded per endpoint');
      assert.deepEqual(snap.endpointErrors.map((e) => e.kind).sort(), ['forbidden', 'forbidden']);
      const list = await resources(id);
      const byPid = new Map(list.map((r) => [r.providerResourceId, r]));
      for (const priced of truth.priced) {
        assert.equal(Number(byPid.get(priced.id)?.dailyCost), Number(priced.dailyCost), priced.id);
      }
      assert.equal(list.filter((r) => r.type === 'domain').length, truth.domains.count);
      assert.equal(Number(snap.totalDailyCost), Number(truth.totalDailyCost));
      assert.equal(list.filter((r) => r.flags.zombie).length, 0);
    });

    it('records the balance and days to block over time and on the connection', async () => {
      const truth = sandbox.beget.truth;
      const rows = await t.db.query<{ balance: string; days_to_block: number; currency: string }>(
        `SELECT balance, days_to_block, currency FROM account_balances WHERE connection_id = $1`,
        [id]
      );
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0]!.balance), Number(truth.balance));
      assert.equal(rows[0]!.days_to_block, truth.daysToBlock);
      assert.equal(rows[0]!.currency, 'RUB');
      const connection = await api<{ account: { balance: string; daysToBlock: number } }>(
        'GET',
        `/api/v1/connections/${id}`
      );
      assert.equal(connection.body.account.daysToBlock, truth.daysToBlock);
    });

    it('a "Cannot access method" on domains is one endpoint error, the rest is kept', async () => {
      const faulted = await withFault('beget.legacy.domain.getList', { kind: 'no-access' }, () => sync(id));
      assert.equal(faulted.status, 'partial');
      assert.ok(
        faulted.endpointErrors.some((e) => /domain/.test(e.endpoint)),
        JSON.stringify(faulted.endpointErrors)
      );
      const list = await resources(id);
      assert.ok(list.some((r) => r.type === 'server'));
    });
  });

  describe('crash recovery', () => {
    it('marks a snapshot left running by a dead process as interrupted', async () => {
      const id = await connect('beget');
      const [row] = await t.db.query<{ id: string }>(
        `INSERT INTO sync_snapshots (tenant_id, connection_id, status) VALUES ($1, $2, 'running') RETURNING id`,
        [tenantId, id]
      );
      assert.equal(await runtime.syncs.recoverInterrupted(), 1);
      const snap = await api<Snapshot>('GET', `/api/v1/snapshots/${row!.id}`);
      assert.equal(snap.body.status, 'interrupted');
      const next = await sync(id);
      assert.notEqual(next.status, 'running');
    });
  });
});
