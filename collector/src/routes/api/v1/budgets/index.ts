import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createBudget, listBudgetsWithStatus } from '../../../../analytics/budget-service.js';
import { auditActorOf } from '../../../../services/roles.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { budgetBodySchema, budgetSchema } from './schemas.js';

/** Budgets with their status for the current period (actual, forecast, thresholds crossed). */
const budgets: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['budgets'],
        summary: 'List budgets with their status',
        response: { 200: z.object({ items: z.array(budgetSchema) }), ...authErrors },
      },
    },
    async (request) => ({ items: await listBudgetsWithStatus(fastify.db, request.auth!.tenantId, fastify.now()) })
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['budgets'],
        summary: 'Create a budget',
        body: budgetBodySchema,
        response: { 201: budgetSchema, 400: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const budget = await createBudget(
        fastify.db,
        request.auth!.tenantId,
        request.body,
        auditActorOf(request),
        fastify.now()
      );
      return reply.code(201).send(budget);
    }
  );
};

export default budgets;
