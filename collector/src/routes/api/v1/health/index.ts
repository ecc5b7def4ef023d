import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { schedulerSchema } from '../../../schemas.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  db: z.object({
    reachable: z.boolean(),
    mode: z.enum(['plain', 'timescale']).nullable(),
    embedded: z.boolean(),
    migration: z.object({ version: z.number(), latest: z.number(), upToDate: z.boolean() }).nullable(),
    error: z.string().optional(),
  }),
  scheduler: schedulerSchema,
  syncs: z.object({ running: z.number().describe('provider syncs running in this process') }),
});

/** Liveness and readiness, without a token: 200 when the database answers and is migrated, else 503. */
const health: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Collector health (no authentication)',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const state = fastify.dbState;
      const reachable = await state.ping();
      const migration = state.migration
        ? {
            version: state.migration.version,
            latest: state.migration.latest,
            upToDate: state.migration.version === state.migration.latest,
          }
        : null;
      const ok = reachable && state.ready;
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        version: fastify.appVersion,
        db: {
          reachable,
          mode: state.mode ?? null,
          embedded: state.embedded,
          migration,
          ...(ok ? {} : { error: state.lastError ?? 'database not ready' }),
        },
        scheduler: fastify.scheduler.status(),
        syncs: { running: fastify.syncs.active },
      });
    }
  );
};

export default health;
