/**
 * Builds the collector's runtime from a Config: database (embedded or DATABASE_URL), keyring, state,
 * scheduler, metrics. Shared by `serve`, the CLI commands and the tests, so all use one wiring.
 */
import type { Config } from './config.js';
import { DEFAULT_HTTP_OPTIONS } from './providers/http/client.js';
import { createMetrics } from './observability/metrics.js';
import { REPORT_TICK, ReportService } from './reports/service.js';
import type { Logger } from './observability/logger.js';
import { loadKeyring } from './security/key-store.js';
import { DatabaseState } from './services/database-state.js';
import { Scheduler } from './services/scheduler.js';
import { SecretStore } from './services/secret-store.js';
import { connectDatabase, type DatabaseConnection } from './storage/connect.js';
import type { EmbeddedRole } from './storage/embedded.js';
import { refreshCostDaily, refreshMetricsHourly } from './storage/rollups.js';
import { SyncScheduler } from './sync/scheduler.js';
import { SyncService } from './sync/service.js';
import type { AppDependencies } from './types.js';
import { VERSION } from './version.js';

export interface Runtime extends AppDependencies {
  connection: DatabaseConnection;
  syncScheduler?: SyncScheduler;
  /** Stopped last on close (the demo sandbox). */
  onClose?: () => Promise<void>;
  logger: Logger;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, logger: Logger, role: EmbeddedRole): Promise<Runtime> {
  // The key is checked before anything else: with DATABASE_URL and no key we refuse to start.
  const keyring = await loadKeyring(config, logger);
  const connection = await connectDatabase(config, logger, role);
  const dbState = new DatabaseState(connection.db, connection.embedded, logger);
  const secrets = new SecretStore(keyring, () => loadKeyring(config, logger));
  const scheduler = new Scheduler(logger, config.scheduler && role === 'server');
  const metrics = createMetrics();

  // Safety net for plain mode: anything written outside the normal paths still reaches the rollups
  // within the hour. (Timescale mode has its own refresh policies.)
  scheduler.register('rollups-refresh', '7 * * * *', async () => {
    if (dbState.mode !== 'plain' || !dbState.ready) return;
    const to = new Date();
    const from = new Date(to.getTime() - 48 * 3600_000);
    await refreshCostDaily(connection.db, 'plain', { from, to });
    await refreshMetricsHourly(connection.db, 'plain', { from, to });
  });

  const syncs = new SyncService({
    db: connection.db,
    logger,
    metrics,
    http: DEFAULT_HTTP_OPTIONS,
    storageMode: () => dbState.mode ?? 'plain',
    secrets,
  });
  const syncScheduler = new SyncScheduler(connection.db, syncs, logger);
  scheduler.register('connection-syncs', `*/${config.syncTickSeconds} * * * * *`, async () => {
    if (!dbState.ready) return;
    await syncs.recoverInterrupted();
    const { claimed } = await syncScheduler.tick();
    metrics.syncTicks.inc({ result: 'tick' });
    if (claimed > 0) metrics.syncTicks.inc({ result: 'claimed' }, claimed);
  });

  const reports = new ReportService({
    db: connection.db,
    secrets,
    logger,
    telegramApiUrl: config.telegramApiUrl,
  });
  // Every replica ticks; claims with SKIP LOCKED make each schedule slot and delivery happen once.
  scheduler.register('report-schedules', REPORT_TICK, async () => {
    if (!dbState.ready) return;
    await reports.tick();
  });

  const runtime: Runtime = {
    config,
    logger,
    connection,
    dbState,
    secrets,
    scheduler,
    metrics,
    version: VERSION,
    providerHttp: DEFAULT_HTTP_OPTIONS,
    syncs,
    syncScheduler,
    reports,
    async close() {
      dbState.stop();
      await scheduler.stop();
      await syncs.close();
      await reports.idle();
      await runtime.onClose?.();
      await connection.close();
    },
  };
  return runtime;
}
