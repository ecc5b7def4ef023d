import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listStates } from '../../../../../storage/repositories/resource-queries.js';
import { getSnapshot } from '../../../../../storage/repositories/snapshots.js';
import { authErrors, errorSchema } from '../../../../schemas.js';
import { snapshotSchema, stateSchema } from '../../sync-schemas.js';

/** One snapshot: phase progress, counts, totals, endpoint errors and the resource states it recorded. */
const snapshot: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['sync'],
        summary: 'Get a snapshot with its resource states',
        params: z.object({ id: z.uuid({ error: 'must be a UUID' }) }),
        querystring: z.strictObject({
          states: z.enum(['changed', 'all']).default('changed').describe('changed leaves out unchanged resources'),
          statesLimit: z.coerce.number().int().min(0).max(5000).default(500),
          statesOffset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: snapshotSchema.extend({ states: z.object({ items: z.array(stateSchema), total: z.number() }) }),
          404: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const { states, statesLimit, statesOffset } = request.query;
      const result = await fastify.db.withTenant(request.auth!.tenantId, async (tx) => {
        const found = await getSnapshot(tx, request.params.id);
        if (!found) return undefined;
        return { ...found, states: await listStates(tx, found.id, states === 'changed', statesLimit, statesOffset) };
      });
      if (!result) return reply.code(404).send({ error: 'not_found', message: 'No such snapshot' });
      return result;
    }
  );
};

export default snapshot;
