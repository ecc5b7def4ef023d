import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deleteBudget, getBudget, updateBudget } from '../../../../../analytics/budget-service.js';
import { auditActorOf } from '../../../../../services/roles.js';
import { budgetErrors, budgetParamsSchema, budgetPatchSchema, budgetSchema } from '../schemas.js';

/** One budget. Other tenants' budgets do not exist here (404). */
const budget: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['budgets'],
        summary: 'Get a budget with its status',
        params: budgetParamsSchema,
        response: { 200: budgetSchema, ...budgetErrors },
      },
    },
    async (request) => getBudget(fastify.db, request.auth!.tenantId, request.params.id, fastify.now())
  );

  fastify.patch(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['budgets'],
        summary: 'Change a budget',
        description: 'Fields given replace the stored ones (scope as a whole; thresholds per list).',
        params: budgetParamsSchema,
        body: budgetPatchSchema,
        response: { 200: budgetSchema, ...budgetErrors },
      },
    },
    async (request) =>
      updateBudget(
        fastify.db,
        request.auth!.tenantId,
        request.params.id,
        request.body,
        auditActorOf(request),
        fastify.now()
      )
  );

  fastify.delete(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['budgets'],
        summary: 'Delete a budget',
        params: budgetParamsSchema,
        response: { 204: z.null().describe('deleted'), ...budgetErrors },
      },
    },
    async (request, reply) => {
      await deleteBudget(fastify.db, request.auth!.tenantId, request.params.id, auditActorOf(request));
      return reply.code(204).send(null);
    }
  );
};

export default budget;
