import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../../../../services/roles.js';
import { errors, idParamsSchema } from '../../reports/schemas.js';

/** Sends a short test message, so a wrong chat id or SMTP password shows before the first report. */
const test: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/test',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Send a test message to a report destination',
        params: idParamsSchema,
        response: { 200: z.object({ ok: z.boolean(), message: z.string() }), ...errors },
      },
    },
    async (request) => fastify.reports.testDestination(request.auth!.tenantId, request.params.id, auditActorOf(request))
  );
};

export default test;
