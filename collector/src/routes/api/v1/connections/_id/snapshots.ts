import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionExists } from '../../../../../storage/repositories/resource-queries.js';
import { listSnapshots } from '../../../../../storage/repositories/snapshots.js';
import { authErrors, errorSchema } from '../../../../schemas.js';
import { pageQuery, snapshotSchema } from '../../sync-schemas.js';
import { connectionParamsSchema } from '../schemas.js';

/** A connection's sync history, newest first. */
const snapshots: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/snapshots',
    {
      schema: {
        tags: ['sync'],
        summary: "List a connection's snapshots",
        params: connectionParamsSchema,
        querystring: z.strictObject({ ...pageQuery }),
        response: {
          200: z.object({ items: z.array(snapshotSchema), total: z.number() }),
          404: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const { limit, offset } = request.query;
      const result = await fastify.db.withTenant(request.auth!.tenantId, async (tx) =>
        (await connectionExists(tx, request.params.id))
          ? listSnapshots(tx, request.params.id, limit, offset)
          : undefined
      );
      if (!result) return reply.code(404).send({ error: 'not_found', message: 'No such connection' });
      return result;
    }
  );
};

export default snapshots;
