import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminStatus } from '../../../../services/admin.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { adminStatusSchema } from './schemas.js';

/** GET /api/v1/admin/status: what the admin page's "system" tab shows. */
const status: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/status',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['admin'],
        summary: 'Collector status (Admin)',
        description:
          'Collector version, database mode and migrations, scheduler jobs, running syncs, and the latest failed or ' +
          "partial syncs of the caller's tenant.",
        response: { 200: adminStatusSchema, 403: errorSchema, ...authErrors },
      },
    },
    async (request) => adminStatus(fastify, request.auth!.tenantId)
  );
};

export default status;
