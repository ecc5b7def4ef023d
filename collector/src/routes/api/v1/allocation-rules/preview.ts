import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { previewAllocation } from '../../../../analytics/allocation-rules.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { previewBodySchema, previewResultSchema } from './schemas.js';

/** How much cost a rule set covers, saved or being edited. Changes nothing, so Viewers may ask. */
const preview: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/preview',
    {
      config: { minRole: 'Viewer' },
      schema: {
        tags: ['allocation'],
        summary: 'Preview allocation coverage',
        description:
          'Total and covered cost over [from, to) in the reporting currency, coverage per attribute, and the cost and ' +
          'resources each rule allocated. With `rules`, that rule set is evaluated instead of the saved one.',
        body: previewBodySchema,
        response: { 200: previewResultSchema, 400: errorSchema, ...authErrors },
      },
    },
    async (request) => previewAllocation(fastify.db, request.auth!.tenantId, request.body)
  );
};

export default preview;
