import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createDestinationBodySchema } from '../../../../reports/destinations.js';
import { auditActorOf } from '../../../../services/roles.js';
import { errorSchema } from '../../../schemas.js';
import { destinationSchema, errors } from '../reports/schemas.js';

/** Where reports are delivered: Telegram chats and email recipients. */
const destinations: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['reports'],
        summary: 'List report destinations',
        response: { 200: z.object({ items: z.array(destinationSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await fastify.reports.listDestinations(request.auth!.tenantId) })
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Editor' },
      schema: {
        tags: ['reports'],
        summary: 'Create a report destination',
        description:
          'telegram: settings.chatId, secrets.botToken. email: settings host, port, security (starttls, tls, none), ' +
          'username, from, to[]; secrets.password. Secrets are stored encrypted and never returned.',
        body: createDestinationBodySchema,
        response: { 201: destinationSchema, 409: errorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await fastify.reports.createDestination(
        request.auth!.tenantId,
        request.body,
        auditActorOf(request)
      );
      return reply.code(201).send(created);
    }
  );
};

export default destinations;
