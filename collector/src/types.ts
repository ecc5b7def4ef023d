import type { Config } from './config.js';
import type { HttpOptions } from './providers/http/client.js';
import type { Metrics } from './observability/metrics.js';
import type { AuthContext } from './services/tenancy.js';
import type { DatabaseState } from './services/database-state.js';
import type { Scheduler } from './services/scheduler.js';
import type { SecretStore } from './services/secret-store.js';
import type { SyncService } from './sync/service.js';
import type { Database } from './storage/db.js';

/** Everything the HTTP app needs, built by server.ts (or by a test) and handed to app.ts. */
export interface AppDependencies {
  config: Config;
  dbState: DatabaseState;
  secrets: SecretStore;
  scheduler: Scheduler;
  metrics: Metrics;
  version: string;
  /** Timeouts and retry policy for provider calls (tests shorten them). */
  providerHttp: HttpOptions;
  syncs: SyncService;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    dbState: DatabaseState;
    secrets: SecretStore;
    scheduler: Scheduler;
    metrics: Metrics;
    appVersion: string;
    providerHttp: HttpOptions;
    syncs: SyncService;
  }
  interface FastifyRequest {
    auth?: AuthContext;
  }
  interface FastifyContextConfig {
    /** Served without a token (health, metrics, API docs). */
    public?: boolean;
  }
}
