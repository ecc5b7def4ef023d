import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authErrors } from '../../../schemas.js';

/** How fresh the tenant's data is: the datasource's health check turns this into advice. */
const freshness: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['query'],
        summary: 'Data freshness',
        response: {
          200: z.object({
            connections: z.number(),
            lastSyncAt: z.string().nullable(),
            lastCostAt: z.string().nullable(),
            failing: z.array(z.object({ id: z.string(), name: z.string(), lastError: z.string().nullable() })),
          }),
          ...authErrors,
        },
      },
    },
    async (request) =>
      fastify.db.withTenant(request.auth!.tenantId, async (tx) => {
        const [row] = await tx.query<{ connections: number; last_sync: Date | null; last_cost: Date | null }>(
          `SELECT (SELECT count(*)::int FROM connections WHERE deleted_at IS NULL) AS connections,
                  (SELECT max(last_sync_at) FROM connections WHERE deleted_at IS NULL) AS last_sync,
                  (SELECT max(day) FROM tenant_cost_daily) AS last_cost`
        );
        const failing = await tx.query<{ id: string; name: string; lastError: string | null }>(
          `SELECT id, name, last_error AS "lastError" FROM connections
           WHERE deleted_at IS NULL AND enabled AND status = 'error' ORDER BY name`
        );
        return {
          connections: row?.connections ?? 0,
          lastSyncAt: row?.last_sync ? row.last_sync.toISOString() : null,
          lastCostAt: row?.last_cost ? row.last_cost.toISOString() : null,
          failing,
        };
      })
  );
};

export default freshness;
