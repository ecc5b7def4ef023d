import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, idParamsSchema, runSchema } from '../../reports/schemas.js';

/** One archived run with its deliveries. */
const reportRun: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['reports'],
        summary: 'Get a report run',
        params: idParamsSchema,
        response: { 200: runSchema, ...errors },
      },
    },
    async (request) => fastify.reports.getRun(request.auth!.tenantId, request.params.id)
  );
};

export default reportRun;
