import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createAllocationRule, listAllocationRules } from '../../../../analytics/allocation-rules.js';
import { auditActorOf } from '../../../../services/roles.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { ruleBodySchema, ruleSchema } from './schemas.js';

/** Allocation rules: business unit, project, environment and cost center without tags. */
const allocationRules: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['allocation'],
        summary: 'List allocation rules',
        description: 'In evaluation order: priority (lower first), then age.',
        response: { 200: z.object({ items: z.array(ruleSchema) }), ...authErrors },
      },
    },
    async (request) => ({ items: await listAllocationRules(fastify.db, request.auth!.tenantId) })
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['allocation'],
        summary: 'Create an allocation rule',
        description:
          'Per attribute the first source wins: a value set on the resource, a tag on it (business_unit, project, ' +
          'environment/env, cost_center), then the first matching rule. The rules are applied to the resources at once.',
        body: ruleBodySchema,
        response: { 201: ruleSchema, 400: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const rule = await createAllocationRule(fastify.db, request.auth!.tenantId, request.body, auditActorOf(request));
      return reply.code(201).send(rule);
    }
  );
};

export default allocationRules;
