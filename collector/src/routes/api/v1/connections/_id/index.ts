import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getConnection, removeConnection, updateConnection } from '../../../../../services/connections.js';
import { errorSchema } from '../../../../schemas.js';
import {
  auditActor,
  connectionErrors,
  connectionParamsSchema,
  connectionSchema,
  deleteConnectionQuerySchema,
  serviceDeps,
  updateConnectionBodySchema,
} from '../schemas.js';

/** One connection: read, change, delete. Other tenants' connections do not exist here (404). */
const connection: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Get a provider connection',
        params: connectionParamsSchema,
        response: { 200: connectionSchema, ...connectionErrors },
      },
    },
    async (request) => getConnection(serviceDeps(request), request.auth!.tenantId, request.params.id)
  );

  fastify.patch(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['connections'],
        summary: 'Change a provider connection',
        description:
          'Credentials and settings are merged into the stored ones (omitted fields are kept, null removes a field) and validated again.',
        params: connectionParamsSchema,
        body: updateConnectionBodySchema,
        response: { 200: connectionSchema, 409: errorSchema, ...connectionErrors },
      },
    },
    async (request) =>
      updateConnection(
        serviceDeps(request),
        request.auth!.tenantId,
        request.params.id,
        request.body,
        auditActor(request)
      )
  );

  fastify.delete(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['connections'],
        summary: 'Delete a provider connection',
        description:
          'Soft delete by default: the connection stops syncing, its credentials are destroyed, its cost history is kept. `purge=true` deletes the history too (409 while a sync of it is running).',
        params: connectionParamsSchema,
        querystring: deleteConnectionQuerySchema,
        response: { 204: z.null().describe('deleted'), 409: errorSchema, ...connectionErrors },
      },
    },
    async (request, reply) => {
      await removeConnection(
        serviceDeps(request),
        request.auth!.tenantId,
        request.params.id,
        { purge: request.query.purge },
        auditActor(request)
      );
      return reply.code(204).send(null);
    }
  );
};

export default connection;
