/**
 * The engine end to end through the HTTP API, for provider suites: a real app on a test database,
 * the sandbox, and small helpers to create connections, run syncs and read what they stored.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import type { InjectOptions } from 'fastify';
import type { Fault } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { ensureBootstrapTenant } from '../../src/services/tenancy.js';
import { buildTestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface Snapshot {
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
  metricsWritten: number;
  states: { items: { action: string; providerResourceId: string; hasCostChange: boolean }[]; total: number };
}

export interface Resource {
  id: string;
  providerResourceId: string;
  name: string;
  type: string;
  status: string;
  flags: { zombie: boolean; orphan: boolean };
  parentId: string | null;
  dailyCost: string | null;
  monthlyCost: string | null;
  costSource: string | null;
  specs: Record<string, unknown>;
}

export interface SyncHarness {
  t: TestDatabase;
  sandbox: Sandbox;
  api<T>(method: InjectOptions['method'], url: string, body?: unknown): Promise<{ status: number; body: T }>;
  connect(provider: 'cloudru' | 'vkcloud', settings?: Record<string, unknown>, credentials?: object): Promise<string>;
  sync(connectionId: string): Promise<Snapshot>;
  resources(connectionId: string, query?: string): Promise<Resource[]>;
  costTotals(
    connectionId: string,
    filter?: { from?: string; to?: string; category?: string }
  ): Promise<{ n: number; total: string | null; keys: number }>;
  withFault<T>(endpoint: string, fault: Fault, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startSyncHarness(
  name: string,
  now: Date,
  sandboxOptions: SandboxOptions = {}
): Promise<SyncHarness> {
  const t = await createTestDatabase(name);
  const sandbox = await startSandbox({ now: () => now, ...sandboxOptions });
  const { app } = await buildTestApp(t.db, { now: () => now });
  const boot = await ensureBootstrapTenant(t.db, undefined);
  const token = boot.generatedToken!;
  let seq = 0;

  const api = async <T>(method: InjectOptions['method'], url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 500, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return { status: res.statusCode, body: res.json() as T };
  };

  return {
    t,
    sandbox,
    api,
    async connect(provider, settings = {}, credentials) {
      const base = sandbox[provider];
      const res = await api<{ id: string }>('POST', '/api/v1/connections', {
        name: `${provider} ${++seq}`,
        provider,
        credentials: credentials ?? base.credentials,
        settings: { ...base.settings, backfillDays: 3, ...settings },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    },
    async sync(connectionId) {
      // The previous sync's snapshot is closed a moment before its connection lock is released.
      let started = await api<{ snapshotId: string; error?: string }>(
        'POST',
        `/api/v1/connections/${connectionId}/sync`
      );
      for (let i = 0; i < 200 && started.status === 409 && started.body.error === 'sync_in_progress'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        started = await api('POST', `/api/v1/connections/${connectionId}/sync`);
      }
      assert.equal(started.status, 202, JSON.stringify(started.body));
      for (;;) {
        const snap = await api<Snapshot>(
          'GET',
          `/api/v1/snapshots/${started.body.snapshotId}?states=all&statesLimit=5000`
        );
        if (snap.body.status !== 'running') return snap.body;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async resources(connectionId, query = '') {
      const res = await api<{ items: Resource[] }>(
        'GET',
        `/api/v1/resources?connection=${connectionId}&limit=1000${query}`
      );
      return res.body.items;
    },
    async costTotals(connectionId, filter = {}) {
      const [row] = await t.db.query<{ n: number; total: string | null; keys: number }>(
        `SELECT count(*)::int AS n, sum(billed_cost)::text AS total,
           count(DISTINCT (resource_id, line_key, charge_period_start))::int AS keys
         FROM cost_records WHERE connection_id = $1
           AND ($2::timestamptz IS NULL OR charge_period_start >= $2)
           AND ($3::timestamptz IS NULL OR charge_period_start < $3)
           AND ($4::text IS NULL OR charge_category = $4)`,
        [connectionId, filter.from ?? null, filter.to ?? null, filter.category ?? null]
      );
      // numeric sums carry the widest scale of their terms ("1.2340"): compare values, not scales.
      return { ...row!, total: row!.total === null ? null : new Decimal(row!.total).toFixed() };
    },
    async withFault(endpoint, fault, fn) {
      sandbox.faults.set(endpoint, fault);
      try {
        return await fn();
      } finally {
        sandbox.faults.clear(endpoint);
      }
    },
    async close() {
      await app.close();
      await sandbox.close();
      await t.drop();
    },
  };
}
