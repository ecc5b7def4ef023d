/** Builds the real fastify app over a test database, for app.inject tests. */
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { Keyring, generateKey } from '../../src/security/crypto.js';
import { ReportService } from '../../src/reports/service.js';
import { buildServer } from '../../src/server.js';
import { DatabaseState } from '../../src/services/database-state.js';
import { Scheduler } from '../../src/services/scheduler.js';
import { SecretStore } from '../../src/services/secret-store.js';
import type { Database } from '../../src/storage/db.js';
import type { Runtime } from '../../src/runtime.js';
import { SyncService } from '../../src/sync/service.js';

/** Fast retries so fault tests finish quickly; the policy is the same as production's. */
export const TEST_HTTP_OPTIONS = {
  timeoutMs: 1_500,
  retries: 3,
  baseDelayMs: 10,
  maxDelayMs: 50,
  maxRetryAfterMs: 5_000,
};

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Telegram deliveries go to a closed loopback port unless a test points them at its fake Bot API:
  // no test ever reaches the real api.telegram.org.
  return {
    ...loadConfig({
      INFRAZEN_DATA_DIR: '/nonexistent',
      LOG_LEVEL: 'silent',
      INFRAZEN_TELEGRAM_API_URL: 'http://127.0.0.1:9',
    }),
    ...overrides,
  };
}

export async function buildTestApp(
  db: Database,
  options: { ready?: boolean; config?: Partial<Config>; now?: () => Date; logger?: Logger } = {}
) {
  const logger = options.logger ?? createLogger('silent');
  const config = testConfig(options.config);
  const dbState = new DatabaseState(db, false, logger);
  if (options.ready !== false) await dbState.initialize(async () => undefined, { retry: false });
  const secrets = new SecretStore(new Keyring(generateKey()));
  const metrics = createMetrics();
  const syncs = new SyncService({
    db,
    logger,
    metrics,
    http: TEST_HTTP_OPTIONS,
    storageMode: () => dbState.mode ?? 'plain',
    secrets,
    now: options.now,
  });
  const runtime: Runtime = {
    config,
    logger,
    connection: { db, embedded: false, close: async () => undefined },
    dbState,
    secrets,
    scheduler: new Scheduler(logger, false),
    metrics,
    version: 'test',
    providerHttp: TEST_HTTP_OPTIONS,
    syncs,
    now: options.now,
    reports: new ReportService({
      db,
      secrets,
      logger,
      telegramApiUrl: config.telegramApiUrl,
      now: options.now,
      delivery: { timeoutMs: TEST_HTTP_OPTIONS.timeoutMs },
    }),
    close: () => syncs.close(),
  };
  const app = await buildServer(runtime);
  await app.ready();
  return { app, runtime };
}
