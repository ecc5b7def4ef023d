import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActorOf } from '../../../../../services/roles.js';
import { errorSchema } from '../../../../schemas.js';
import { errors, idParamsSchema, runSchema } from '../../reports/schemas.js';

/** Sends a run's failed deliveries again (the archived file is reused, not rendered anew). */
const retry: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/retry',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Retry the failed deliveries of a run',
        params: idParamsSchema,
        response: { 202: runSchema, 409: errorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await fastify.reports.retryDeliveries(
        request.auth!.tenantId,
        request.params.id,
        auditActorOf(request)
      );
      return reply.code(202).send(result);
    }
  );
};

export default retry;
