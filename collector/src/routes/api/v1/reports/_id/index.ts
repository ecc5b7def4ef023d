import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { updateReportBodySchema } from '../../../../../reports/reports.js';
import { auditActorOf } from '../../../../../services/roles.js';
import { errorSchema } from '../../../../schemas.js';
import { errors, idParamsSchema, reportSchema } from '../schemas.js';

/** One report: read, change, delete. Other tenants' reports do not exist here (404). */
const report: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['reports'],
        summary: 'Get a report',
        params: idParamsSchema,
        response: { 200: reportSchema, ...errors },
      },
    },
    async (request) => fastify.reports.getReport(request.auth!.tenantId, request.params.id)
  );

  fastify.patch(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Change a report',
        description:
          'Fields given replace the stored ones: `definition` as a whole, `schedule` (null removes it; the next slot ' +
          'is computed from now), `destinationIds` as a list.',
        params: idParamsSchema,
        body: updateReportBodySchema,
        response: { 200: reportSchema, 409: errorSchema, ...errors },
      },
    },
    async (request) =>
      fastify.reports.updateReport(request.auth!.tenantId, request.params.id, request.body, auditActorOf(request))
  );

  fastify.delete(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Delete a report',
        description: 'Deletes the report, its schedule and its archive of runs.',
        params: idParamsSchema,
        response: { 204: z.null().describe('deleted'), ...errors },
      },
    },
    async (request, reply) => {
      await fastify.reports.removeReport(request.auth!.tenantId, request.params.id, auditActorOf(request));
      return reply.code(204).send(null);
    }
  );
};

export default report;
