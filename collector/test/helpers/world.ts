/**
 * A populated collector for the fuzz and security suites: the real app on a test database, tenants with
 * API tokens, and connections of every sandboxed provider synced through the API (real connectors, real
 * sync engine), optionally with every log line captured.
 */
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Provider } from '../../src/domain/providers.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createTenant, ensureBootstrapTenant } from '../../src/services/tenancy.js';
import type { Runtime } from '../../src/runtime.js';
import { grafanaHeaders, type As } from './actors.js';
import { buildTestApp } from './app.js';
import { captureLogs, type LogCapture } from './log-capture.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

/** Providers the sandbox fakes (focus connections are filled by file imports, not syncs). */
export const SANDBOX_PROVIDERS = ['beget', 'selectel', 'yandex', 'cloudru', 'vkcloud'] as const satisfies Provider[];
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

export interface Tenant extends As {
  id: string;
  name: string;
}

export interface World {
  t: TestDatabase;
  app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  runtime: Runtime;
  logs?: LogCapture;
  /** Tenant of Grafana org 1 (the bootstrap tenant). */
  a: Tenant;
  call(as: As, method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  addTenant(orgId: number, name: string): Promise<Tenant>;
  /** Creates a connection to the sandbox's fake of `provider` and syncs it; returns its id. */
  connectAndSync(
    as: As,
    sandbox: Sandbox,
    provider: SandboxProvider,
    options?: { name?: string; settings?: Record<string, unknown> }
  ): Promise<{ id: string; status: string }>;
  /** Waits until no sync runs (a request may have started one in the background). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(
  name: string,
  options: { now: Date; captureLogs?: boolean; sandboxSeeds?: (number | undefined)[] }
): Promise<World & { sandboxes: Sandbox[] }> {
  const t = await createTestDatabase(name);
  const logs = options.captureLogs ? captureLogs() : undefined;
  const { app, runtime } = await buildTestApp(t.db, { now: () => options.now, logger: logs?.logger });
  const sandboxes: Sandbox[] = [];
  for (const seed of options.sandboxSeeds ?? [undefined])
    sandboxes.push(await startSandbox({ seed, now: () => options.now }));
  const boot = await ensureBootstrapTenant(t.db, undefined);
  const a: Tenant = { id: boot.tenant.id, name: boot.tenant.name, token: boot.generatedToken! };

  const call = (as: As, method: InjectOptions['method'], url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: grafanaHeaders(as),
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });

  // The analyses that follow a sync (recommendations, anomalies) run after it has let go of its
  // connection; SyncService keeps them in a private set, awaited here so that nothing writes afterwards.
  const analyses = () => (runtime.syncs as unknown as { analyses?: Set<Promise<void>> }).analyses ?? new Set();
  const idle = async () => {
    const deadline = Date.now() + 60_000;
    while ((runtime.syncs.active > 0 || analyses().size > 0) && Date.now() < deadline) {
      if (runtime.syncs.active === 0) await Promise.allSettled([...analyses()]);
      else await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(runtime.syncs.active, 0, 'a sync is still running after 60 s');
  };

  let seq = 0;
  return {
    t,
    app,
    runtime,
    logs,
    a,
    sandboxes,
    call,
    idle,
    async addTenant(orgId, tenantName) {
      const created = await createTenant(t.db, { orgId, name: tenantName, actor: 'test' });
      return { id: created.tenant.id, name: tenantName, token: created.token.token };
    },
    async connectAndSync(as, sandbox, provider, opts = {}) {
      const fake = sandbox[provider];
      const created = await call(as, 'POST', '/api/v1/connections', {
        name: opts.name ?? `${provider} ${++seq}`,
        provider,
        credentials: fake.credentials,
        settings: { ...fake.settings, backfillDays: 3, ...opts.settings },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = (created.json() as { id: string }).id;
      const started = await call(as, 'POST', `/api/v1/connections/${id}/sync`);
      assert.equal(started.statusCode, 202, started.body);
      const { snapshotId } = started.json() as { snapshotId: string };
      for (;;) {
        const snap = await call(as, 'GET', `/api/v1/snapshots/${snapshotId}`);
        const { status } = snap.json() as { status: string };
        if (status !== 'running') {
          await idle();
          return { id, status };
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await idle().catch(() => undefined);
      await app.close();
      for (const s of sandboxes) await s.close();
      await t.drop();
    },
  };
}
