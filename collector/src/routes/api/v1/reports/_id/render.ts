import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, FILE_DESCRIPTION, idParamsSchema, renderQuerySchema, sendFile } from '../schemas.js';

/** The report as a file now (PDF, CSV, XLSX, or one chart as PNG), without archiving it. */
const render: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/render',
    {
      // Read-only: nothing is stored; the figures are those the query API gives the caller.
      config: { minRole: 'Viewer' },
      schema: {
        tags: ['reports'],
        summary: 'Render a report',
        description: `${FILE_DESCRIPTION} The period is computed from now in the report's time zone.`,
        params: idParamsSchema,
        querystring: renderQuerySchema,
        response: errors,
      },
    },
    async (request, reply) => {
      const { format, section } = request.query;
      const file = await fastify.reports.renderSaved(request.auth!.tenantId, request.params.id, format, { section });
      return sendFile(reply, file);
    }
  );
};

export default render;
