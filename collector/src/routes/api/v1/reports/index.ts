import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createReportBodySchema } from '../../../../reports/reports.js';
import { auditActorOf } from '../../../../services/roles.js';
import { errorSchema } from '../../../schemas.js';
import { errors, reportSchema } from './schemas.js';

/** The tenant's report definitions (per-report routes live in _id/). */
const reports: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['reports'],
        summary: 'List reports',
        response: { 200: z.object({ items: z.array(reportSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await fastify.reports.listReports(request.auth!.tenantId) })
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Create a report',
        description:
          'A report is a definition (scope filters as in the query API, period, sections, language, currency), an ' +
          'optional cron schedule in a time zone (default: the tenant’s, Europe/Moscow) and the destinations scheduled ' +
          'and run-now files are delivered to.',
        body: createReportBodySchema,
        response: { 201: reportSchema, 409: errorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const report = await fastify.reports.createReport(request.auth!.tenantId, request.body, auditActorOf(request));
      return reply.code(201).send(report);
    }
  );
};

export default reports;
