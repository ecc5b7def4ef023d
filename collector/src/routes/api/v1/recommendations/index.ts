import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listWithTotals } from '../../../../analytics/recommendations/service.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { listQuerySchema, recommendationSchema, totalsSchema } from './schemas.js';

/** The tenant's recommendations, largest saving first, with savings totals. */
const recommendations: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'List recommendations',
        description:
          'Filtered by status, kind and connection. Totals cover every status within the kind and connection filter, ' +
          'in the reporting currency: potential = open + accepted, realized = done.',
        querystring: listQuerySchema,
        response: {
          200: z.object({ items: z.array(recommendationSchema), totals: totalsSchema }),
          400: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) =>
      fastify.db.withTenant(request.auth!.tenantId, (tx) =>
        listWithTotals(tx, {
          statuses: request.query.status,
          kinds: request.query.kind,
          connectionIds: request.query.connection ? [request.query.connection] : undefined,
          limit: request.query.limit,
        })
      )
  );
};

export default recommendations;
