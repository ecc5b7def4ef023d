import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The collector's own Prometheus metrics; one registry per app instance so tests stay independent. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'infrazen_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'infrazen_http_requests_total',
      help: 'HTTP requests served, by route pattern, method and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'infrazen_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    syncRuns: new Counter({
      name: 'infrazen_sync_runs_total',
      help: 'Provider sync runs by provider and outcome',
      labelNames: ['provider', 'status'] as const,
      registers: [registry],
    }),
    syncDuration: new Histogram({
      name: 'infrazen_sync_duration_seconds',
      help: 'Provider sync duration',
      labelNames: ['provider'] as const,
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    rowsWritten: new Counter({
      name: 'infrazen_rows_written_total',
      help: 'Rows written to storage, by table',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
    syncsRunning: new Gauge({
      name: 'infrazen_syncs_running',
      help: 'Provider syncs running in this collector process',
      registers: [registry],
    }),
    syncTicks: new Counter({
      name: 'infrazen_sync_schedule_ticks_total',
      help: 'Schedule ticks of this replica, and the connection slots it claimed',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'infrazen_auth_failures_total',
      help: 'Requests refused for a missing or unknown API token',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
