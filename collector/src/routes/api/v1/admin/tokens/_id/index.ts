import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../../../../../services/roles.js';
import { revokeToken } from '../../../../../../services/tenancy.js';
import { authErrors, errorSchema } from '../../../../../schemas.js';
import { tokenParamsSchema } from '../../schemas.js';

/** DELETE /api/v1/admin/tokens/:id revokes a token (it stays listed, with revokedAt). */
const token: FastifyPluginAsyncZod = async (fastify) => {
  fastify.delete(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API token (Admin)',
        description:
          'Idempotent: revoking a revoked token answers 204 again and changes nothing. 409 for the token the request ' +
          'itself uses; 404 for ids of other tenants.',
        params: tokenParamsSchema,
        response: {
          204: z.null().describe('revoked'),
          400: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const who = auditActorOf(request);
      await revokeToken(fastify.db, {
        tenantId: request.auth!.tenantId,
        id: request.params.id,
        actor: who.actor,
        actorKind: who.actorKind,
        sourceIp: who.sourceIp,
        byTokenId: who.tokenId,
      });
      return reply.code(204).send(null);
    }
  );
};

export default token;
