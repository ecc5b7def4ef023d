import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ReportDefinition } from '../../../../reports/definition.js';
import { errors, FILE_DESCRIPTION, previewBodySchema, renderQuerySchema, sendFile } from './schemas.js';

/** A report file for a definition that is not saved yet (the app's preview). Nothing is stored. */
const preview: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/preview',
    {
      // Read-only: it renders what the caller may already read through the query API.
      config: { minRole: 'Viewer' },
      schema: {
        tags: ['reports'],
        summary: 'Render an unsaved report definition',
        description: FILE_DESCRIPTION,
        querystring: renderQuerySchema,
        body: previewBodySchema,
        response: errors,
      },
    },
    async (request, reply) => {
      const file = await fastify.reports.render(
        request.auth!.tenantId,
        {
          name: request.body.name,
          definition: request.body.definition as ReportDefinition,
          timezone: request.body.timezone,
        },
        request.query.format,
        { section: request.query.section }
      );
      return sendFile(reply, file);
    }
  );
};

export default preview;
