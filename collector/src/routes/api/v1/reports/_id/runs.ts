import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, idParamsSchema, runSchema } from '../schemas.js';

/** The report's archive, newest first, with each run's deliveries. */
const runs: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/runs',
    {
      schema: {
        tags: ['reports'],
        summary: 'List the runs of a report',
        params: idParamsSchema,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(runSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: await fastify.reports.listRuns(request.auth!.tenantId, request.params.id, request.query.limit),
    })
  );
};

export default runs;
