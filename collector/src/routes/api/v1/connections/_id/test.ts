import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Logger } from '../../../../../observability/logger.js';
import { testConnection } from '../../../../../services/connections.js';
import {
  auditActor,
  connectionErrors,
  connectionParamsSchema,
  connectionTestResultSchema,
  serviceDeps,
} from '../schemas.js';

/** Checks a connection's credentials against its provider. */
const test: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/test',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['connections'],
        summary: 'Test a provider connection',
        description:
          'Authenticates with the provider and reads the account. A provider-side failure is a 200 with ok=false and the reason (bad credentials, missing role, unreachable …); the test gives up after 60 s.',
        params: connectionParamsSchema,
        response: { 200: connectionTestResultSchema, ...connectionErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      return testConnection(
        serviceDeps(request),
        request.auth!.tenantId,
        id,
        {
          // Fastify's logger is the app's pino instance; the child tags every connector line.
          logger: request.log.child({ connectionId: id }) as Logger,
          http: fastify.providerHttp,
        },
        auditActor(request)
      );
    }
  );
};

export default test;
