import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { refreshRecommendations } from '../../../../analytics/recommendations/service.js';
import { auditActorOf } from '../../../../services/roles.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { refreshResultSchema } from './schemas.js';

/** Runs the recommendations engine for the tenant now (it also runs after every sync). */
const refresh: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/refresh',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['recommendations'],
        summary: 'Recompute recommendations',
        description: 'Detects again from the stored inventory, metrics and billing; statuses people set are kept.',
        response: { 200: refreshResultSchema, 403: errorSchema, ...authErrors },
      },
    },
    async (request) => refreshRecommendations(fastify.db, request.auth!.tenantId, auditActorOf(request), fastify.now())
  );
};

export default refresh;
