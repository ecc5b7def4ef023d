import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createConnection, listConnections } from '../../../../services/connections.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { auditActor, connectionSchema, createConnectionBodySchema, serviceDeps } from './schemas.js';

/** The tenant's provider connections (per-connection routes live in _id/). */
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
      const items = await listConnections(serviceDeps(request), request.auth!.tenantId);
      return { items, total: items.length };
    }
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['connections'],
        summary: 'Create a provider connection',
        description:
          'Credentials and settings are validated by the provider; credentials are stored encrypted and only their field names are ever returned.',
        body: createConnectionBodySchema,
        response: { 201: connectionSchema, 400: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const connection = await createConnection(
        serviceDeps(request),
        request.auth!.tenantId,
        request.body,
        auditActor(request)
      );
      return reply.code(201).send(connection);
    }
  );
};

export default connections;
