import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { QueryRequestError, runQueries } from '../../../../query/service.js';
import { queryRequestSchema, queryResponseSchema } from '../../../../query/schemas.js';
import { authErrors, errorSchema } from '../../../schemas.js';

/** Grafana-shaped queries: the datasource plugin's only data path. */
const query: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '',
    {
      // A read: Grafana panels of every Viewer run it.
      config: { minRole: 'Viewer' },
      schema: {
        tags: ['query'],
        summary: 'Run datasource queries',
        description:
          'Each query answers with Grafana data frames (the JSON `/api/ds/query` returns) or its own error; one failing ' +
          'query never fails the others. Query types: costs, cost_summary, resources, utilization, snapshots, changes, ' +
          'balances, recommendations, budgets, forecast, anomalies, allocation, unit_cost.',
        body: queryRequestSchema,
        response: { 200: queryResponseSchema, 400: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      try {
        return await runQueries(
          {
            db: fastify.db,
            tenantId: request.auth!.tenantId,
            now: fastify.now(),
            onError: (err, refId) => request.log.error({ err, refId }, 'query failed'),
          },
          request.body
        );
      } catch (err) {
        if (err instanceof QueryRequestError)
          return reply.code(400).send({ error: 'bad_request', message: err.message });
        throw err;
      }
    }
  );
};

export default query;
