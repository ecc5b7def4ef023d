import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { changeStatus } from '../../../../../analytics/recommendations/service.js';
import { auditActorOf } from '../../../../../services/roles.js';
import { authErrors } from '../../../../schemas.js';
import { idParamsSchema, patchBodySchema, recommendationErrors, recommendationSchema } from '../schemas.js';

/** A person's decision on one recommendation. Other tenants' recommendations do not exist here (404). */
const recommendation: FastifyPluginAsyncZod = async (fastify) => {
  fastify.patch(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['recommendations'],
        summary: 'Change the status of a recommendation',
        description:
          'open, accepted, dismissed (reason required), snoozed (snoozedUntil required, in the future; it reopens ' +
          'then) or done. The engine keeps these across syncs; it resolves a recommendation whose cause is gone.',
        params: idParamsSchema,
        body: patchBodySchema,
        response: { 200: recommendationSchema, ...recommendationErrors, ...authErrors },
      },
    },
    async (request) =>
      changeStatus(
        fastify.db,
        request.auth!.tenantId,
        request.params.id,
        request.body,
        auditActorOf(request),
        fastify.now()
      )
  );
};

export default recommendation;
