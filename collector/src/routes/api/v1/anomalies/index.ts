import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays } from '../../../../analytics/forecast.js';
import { reportingDay } from '../../../../analytics/history.js';
import { listAnomalies } from '../../../../storage/repositories/anomalies.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { anomalySchema, listQuerySchema } from './schemas.js';

const asDay = (v: string | Date) => (typeof v === 'string' ? v : reportingDay(v));

/** Detected cost anomalies, newest day first. */
const anomalies: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        tags: ['anomalies'],
        summary: 'List cost anomalies',
        description:
          'Daily cost per connection and per service above its weekday baseline (median + MAD of the same weekday over ' +
          'the previous weeks). Found after every sync.',
        querystring: listQuerySchema,
        response: { 200: z.object({ items: z.array(anomalySchema) }), 400: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const today = reportingDay(fastify.now());
      const fromDay = request.query.from ? asDay(request.query.from) : addDays(today, -90);
      const toDay = request.query.to ? asDay(request.query.to) : today;
      if (fromDay > toDay) return reply.code(400).send({ error: 'bad_request', message: 'from must not be after to' });
      const items = await fastify.db.withTenant(request.auth!.tenantId, (tx) =>
        listAnomalies(tx, {
          fromDay,
          toDay: addDays(toDay, 1),
          connectionId: request.query.connection,
          limit: request.query.limit,
        })
      );
      return { items };
    }
  );
};

export default anomalies;
