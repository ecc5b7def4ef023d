import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenantById } from '../../../../storage/repositories/tenants.js';
import { authErrors } from '../../../schemas.js';

const meSchema = z.object({
  tenant: z.object({
    id: z.string(),
    grafanaOrgId: z.number(),
    name: z.string(),
    reportingCurrency: z.string(),
    timezone: z.string(),
    locale: z.string(),
  }),
  tokenId: z.string(),
});

/** Which tenant the presented token belongs to: the plugins' "test connection" calls this. */
const me: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['tenancy'],
        summary: 'The tenant of the calling token',
        response: { 200: meSchema, ...authErrors },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const tenant = await fastify.db.withTenant(auth.tenantId, (tx) => findTenantById(tx, auth.tenantId));
      if (!tenant) throw fastify.httpErrors.notFound('tenant not found');
      return { tenant, tokenId: auth.tokenId };
    }
  );
};

export default me;
