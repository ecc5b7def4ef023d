/**
 * Demo mode (`npm start` with no configuration): the provider sandbox runs in-process, the bootstrap
 * tenant gets one connection per sandboxed provider, and the real connectors backfill 90 days through
 * the real sync engine, then keep syncing on schedule. Nothing here is special-cased downstream: the
 * data is what a real account of that shape would produce (cost rows carry source 'demo').
 */
import type { Provider } from '../domain/providers.js';
import { nextSlot } from '../sync/scheduler.js';
import type { Runtime } from '../runtime.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { BOOTSTRAP_ORG_ID } from '../services/tenancy.js';
import { appendAudit } from '../storage/repositories/audit-log.js';
import { setNextSync } from '../storage/repositories/connection-sync.js';
import {
  findDemoConnection,
  hasGoodSnapshot,
  insertDemoConnection,
  repointDemoConnection,
} from '../storage/repositories/demo-connections.js';

export const DEMO_BACKFILL_DAYS = 90;

const DEMO_CONNECTIONS: {
  provider: Provider;
  name: string;
  pick: (s: Sandbox) => { credentials: object; settings: object };
}[] = [
  { provider: 'yandex', name: 'Yandex Cloud (demo)', pick: (s) => s.yandex },
  { provider: 'selectel', name: 'Selectel (demo)', pick: (s) => s.selectel },
  { provider: 'beget', name: 'Beget (demo)', pick: (s) => s.beget },
];

export interface DemoHandle {
  sandbox: Sandbox;
  connectionIds: string[];
  /** Resolves when the first syncs started by the demo have finished. */
  initialSyncs: Promise<void>;
}

export async function startDemo(runtime: Runtime): Promise<DemoHandle> {
  const { db } = runtime.connection;
  const sandbox = await startSandbox();
  const [tenant] = await db.query<{ id: string }>(`SELECT id FROM tenants WHERE grafana_org_id = $1`, [
    BOOTSTRAP_ORG_ID,
  ]);
  if (!tenant) throw new Error('the bootstrap tenant does not exist yet');

  const connectionIds: string[] = [];
  const toSync: string[] = [];
  for (const demo of DEMO_CONNECTIONS) {
    const { credentials, settings } = demo.pick(sandbox);
    const demoSettings = { ...settings, backfillDays: DEMO_BACKFILL_DAYS };
    const id = await db.transaction(async (tx) => {
      const existing = await findDemoConnection(tx, tenant.id, demo.provider);
      if (existing) {
        // The sandbox listens on a new port each start; credentials are derived from the same seed.
        await repointDemoConnection(tx, existing.id, demoSettings);
        return existing.id;
      }
      const secretId = await runtime.secrets.create(
        tx,
        tenant.id,
        'connection-credentials',
        credentials as Record<string, unknown>
      );
      const created = await insertDemoConnection(tx, {
        tenantId: tenant.id,
        provider: demo.provider,
        name: demo.name,
        secretId,
        credentialFields: Object.keys(credentials),
        settings: demoSettings,
      });
      // The demo runs the backfill itself; the schedule takes over from the next hourly slot.
      await setNextSync(tx, created, nextSlot(null, created, new Date()));
      await appendAudit(tx, {
        tenantId: tenant.id,
        actor: 'collector',
        actorKind: 'system',
        action: 'connection.create',
        targetKind: 'connection',
        targetId: created,
        details: { provider: demo.provider, demo: true },
      });
      return created;
    });
    connectionIds.push(id);
    if (!(await hasGoodSnapshot(db, id))) toSync.push(id);
  }

  const runs = await Promise.all(
    toSync.map((id) =>
      runtime.syncs.start(tenant.id, id, 'demo', { source: 'demo' }).then(
        (r) => r.whenDone,
        (err: unknown) => runtime.logger.warn({ err, connectionId: id }, 'demo sync did not start')
      )
    )
  );
  runtime.logger.info(
    { origin: sandbox.origin, connections: connectionIds.length, backfilling: toSync.length },
    'demo sandbox started'
  );
  return { sandbox, connectionIds, initialSyncs: Promise.all(runs).then(() => undefined) };
}
