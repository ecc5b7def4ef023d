import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deleteAllocationRule,
  getAllocationRule,
  updateAllocationRule,
} from '../../../../../analytics/allocation-rules.js';
import { auditActorOf } from '../../../../../services/roles.js';
import { ruleErrors, ruleParamsSchema, rulePatchSchema, ruleSchema } from '../schemas.js';

/** One allocation rule. Other tenants' rules do not exist here (404). */
const allocationRule: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['allocation'],
        summary: 'Get an allocation rule',
        params: ruleParamsSchema,
        response: { 200: ruleSchema, ...ruleErrors },
      },
    },
    async (request) => getAllocationRule(fastify.db, request.auth!.tenantId, request.params.id)
  );

  fastify.patch(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['allocation'],
        summary: 'Change an allocation rule',
        description: 'Fields given replace the stored ones (match and assign as a whole); the rules are re-applied.',
        params: ruleParamsSchema,
        body: rulePatchSchema,
        response: { 200: ruleSchema, ...ruleErrors },
      },
    },
    async (request) =>
      updateAllocationRule(fastify.db, request.auth!.tenantId, request.params.id, request.body, auditActorOf(request))
  );

  fastify.delete(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['allocation'],
        summary: 'Delete an allocation rule',
        params: ruleParamsSchema,
        response: { 204: z.null().describe('deleted'), ...ruleErrors },
      },
    },
    async (request, reply) => {
      await deleteAllocationRule(fastify.db, request.auth!.tenantId, request.params.id, auditActorOf(request));
      return reply.code(204).send(null);
    }
  );
};

export default allocationRule;
