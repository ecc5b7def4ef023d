import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActorOf } from '../../../../../services/roles.js';
import { errors, idParamsSchema, runSchema } from '../schemas.js';

/** Run now: render into the archive and deliver to the report's destinations. */
const run: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/run',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Run a report now',
        description:
          'Renders the PDF into the archive and answers with the run (202); deliveries are sent in the background ' +
          'and retried with backoff — poll GET /report-runs/{id} for their status.',
        params: idParamsSchema,
        response: { 202: runSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await fastify.reports.runNow(request.auth!.tenantId, request.params.id, auditActorOf(request));
      return reply.code(202).send(result);
    }
  );
};

export default run;
