import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema } from '../../../../schemas.js';
import { errors, FILE_DESCRIPTION, idParamsSchema, sendFile } from '../../reports/schemas.js';

/** The archived file of a run, byte for byte what was delivered. */
const file: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/file',
    {
      schema: {
        tags: ['reports'],
        summary: 'Download the file of a report run',
        description: `${FILE_DESCRIPTION} 409 while the run has no file (rendering, or rendering failed).`,
        params: idParamsSchema,
        response: { 409: errorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const stored = await fastify.reports.runFile(request.auth!.tenantId, request.params.id);
      return sendFile(reply, { ...stored, body: stored.file });
    }
  );
};

export default file;
