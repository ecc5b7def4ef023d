import type { Config } from './config.js';
import type { HttpOptions } from './providers/http/client.js';
import type { Metrics } from './observability/metrics.js';
import type { ReportService } from './reports/service.js';
import type { Actor, Role } from './services/roles.js';
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
  /** The clock for "now" in analytics (budget periods, …); tests pin it. Default: the system clock. */
  now?: () => Date;
  /** Set by plugins/reports.ts when the app is built, so the runtime and tests reach the same service. */
  reports?: ReportService;
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
    now: () => Date;
    /** Report definitions, rendering, archive and delivery (plugins/reports.ts). */
    reports: ReportService;
  }
  interface FastifyRequest {
    /** The token's tenant; during support access, the tenant being read (plugins/actor.ts). */
    auth?: AuthContext;
    /** Who acts and with which role, on every authenticated request (plugins/actor.ts). */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** Served without a token (health, metrics, API docs). */
    public?: boolean;
    /** The lowest Grafana role allowed; default Viewer for GET, Admin otherwise (plugins/actor.ts). */
    minRole?: Role;
    /** Grafana server admins with a support-access token only (cross-tenant views). */
    serverAdmin?: boolean;
  }
}
