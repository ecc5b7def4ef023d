import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { updateDestinationBodySchema } from '../../../../../reports/destinations.js';
import { auditActorOf } from '../../../../../services/roles.js';
import { errorSchema } from '../../../../schemas.js';
import { destinationSchema, errors, idParamsSchema } from '../../reports/schemas.js';

/** One destination: read, change (settings and secrets merged), delete. */
const destination: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['reports'],
        summary: 'Get a report destination',
        params: idParamsSchema,
        response: { 200: destinationSchema, ...errors },
      },
    },
    async (request) => fastify.reports.getDestination(request.auth!.tenantId, request.params.id)
  );

  fastify.patch(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Change a report destination',
        params: idParamsSchema,
        body: updateDestinationBodySchema,
        response: { 200: destinationSchema, 409: errorSchema, ...errors },
      },
    },
    async (request) =>
      fastify.reports.updateDestination(request.auth!.tenantId, request.params.id, request.body, auditActorOf(request))
  );

  fastify.delete(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Delete a report destination',
        description: 'Reports stop delivering there; archived runs keep the destination name.',
        params: idParamsSchema,
        response: { 204: z.null().describe('deleted'), ...errors },
      },
    },
    async (request, reply) => {
      await fastify.reports.removeDestination(request.auth!.tenantId, request.params.id, auditActorOf(request));
      return reply.code(204).send(null);
    }
  );
};

export default destination;
