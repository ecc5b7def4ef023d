import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROVIDERS } from '../../../../domain/providers.js';
import { listConnections } from '../../../../storage/repositories/connections.js';
import { authErrors } from '../../../schemas.js';

const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(PROVIDERS),
  credentialFields: z
    .array(z.string())
    .describe('names of the credential fields that are set; values are never returned'),
  settings: z.record(z.string(), z.unknown()),
  schedule: z.string().nullable(),
  enabled: z.boolean(),
  status: z.string(),
  account: z.record(z.string(), z.unknown()),
  lastSyncAt: z.date().nullable(),
  lastSyncStatus: z.string().nullable(),
  lastError: z.string().nullable(),
  nextSyncAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** The tenant's provider connections (management routes arrive with the connectors). */
const connections: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'List provider connections',
        response: { 200: z.object({ items: z.array(connectionSchema), total: z.number() }), ...authErrors },
      },
    },
    async (request) => {
      const items = await fastify.db.withTenant(request.auth!.tenantId, (tx) => listConnections(tx));
      return { items, total: items.length };
    }
  );
};

export default connections;
