import fp from 'fastify-plugin';
import type { Logger } from '../observability/logger.js';
import { ReportService } from '../reports/service.js';
import type { AppDependencies } from '../types.js';

/**
 * fastify.reports: the runtime's report service (runtime.ts builds it and schedules its tick). A
 * runtime assembled by hand without one gets a service over the app's database, secrets and clock.
 */
export default fp(
  async (fastify, deps: AppDependencies) => {
    const reports =
      deps.reports ??
      new ReportService({
        db: fastify.db,
        secrets: fastify.secrets,
        logger: fastify.log as Logger,
        telegramApiUrl: fastify.config.telegramApiUrl,
        now: fastify.now,
      });
    fastify.decorate('reports', reports);
    // Deliveries started by "run now" finish (or record their failure) before the database closes.
    fastify.addHook('onClose', async () => reports.idle());
  },
  { name: 'reports', dependencies: ['context'] }
);
