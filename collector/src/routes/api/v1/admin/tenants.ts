import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listTenantsOverview } from '../../../../services/admin.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { tenantSchema } from './schemas.js';

/** GET /api/v1/admin/tenants: every tenant, for Grafana server admins (support). */
const tenants: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/tenants',
    {
      config: { minRole: 'Admin', serverAdmin: true },
      schema: {
        tags: ['admin'],
        summary: 'All tenants (Grafana server admins)',
        description:
          'Cross-tenant, so it needs both X-Grafana-Context IsGrafanaAdmin=true and an API token issued with support ' +
          'access (`infrazen token create --support`); 403 otherwise. Month-to-date cost is in each tenant’s ' +
          'reporting currency; costs in currencies without an FX rate are named in unconvertedCurrencies.',
        response: { 200: z.object({ items: z.array(tenantSchema) }), 403: errorSchema, ...authErrors },
      },
    },
    async () => ({ items: await listTenantsOverview(fastify) })
  );
};

export default tenants;
