import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../../../../services/roles.js';
import { createToken } from '../../../../../services/tenancy.js';
import { listApiTokens } from '../../../../../storage/repositories/api-tokens.js';
import { authErrors, errorSchema } from '../../../../schemas.js';
import { createdTokenSchema, createTokenBodySchema, tokenSchema } from '../schemas.js';

/** The tenant's API tokens: list and create (revoke in _id/). */
const tokens: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['admin'],
        summary: 'List API tokens (Admin)',
        description: 'Revoked and expired tokens are listed too; the token values themselves are never returned.',
        response: { 200: z.object({ items: z.array(tokenSchema) }), 403: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const tenantId = request.auth!.tenantId;
      const items = await fastify.db.withTenant(tenantId, (tx) => listApiTokens(tx, tenantId));
      return { items };
    }
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['admin'],
        summary: 'Create an API token (Admin)',
        description:
          'Answers the token once; only its SHA-256 is stored. Tokens made here never carry support access ' +
          '(only the operator’s CLI issues those).',
        body: createTokenBodySchema,
        response: { 201: createdTokenSchema, 400: errorSchema, 403: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const who = auditActorOf(request);
      const token = await createToken(fastify.db, {
        tenantId: request.auth!.tenantId,
        name: request.body.name,
        expiresAt: request.body.expiresAt,
        actor: who.actor,
        actorKind: who.actorKind,
        sourceIp: who.sourceIp,
        byTokenId: who.tokenId,
      });
      return reply.code(201).send({
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        token: token.token,
        expiresAt: token.expiresAt,
      });
    }
  );
};

export default tokens;
