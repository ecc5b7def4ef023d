import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listResources } from '../../../../storage/repositories/resource-queries.js';
import { authErrors } from '../../../schemas.js';
import { resourceQuerySchema, resourceSchema } from '../sync-schemas.js';

/** The tenant's current inventory across connections, most expensive first. */
const resources: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['resources'],
        summary: 'List resources',
        description:
          'Resources found by the latest sync of each connection. Volumes folded into a VM carry parentId; their cost is ' +
          'included in the VM dailyCost, so sum dailyCost over resources without parentId for totals.',
        querystring: resourceQuerySchema,
        response: { 200: z.object({ items: z.array(resourceSchema), total: z.number() }), ...authErrors },
      },
    },
    async (request) => fastify.db.withTenant(request.auth!.tenantId, (tx) => listResources(tx, request.query))
  );
};

export default resources;
