import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  MAX_POINTS,
  parseUnitMetricsCsv,
  pushUnitMetrics,
  unitMetricItemSchema,
  unitMetricSummaries,
  validatePoints,
} from '../../../../analytics/unit-metrics.js';
import { inputError } from '../../../../analytics/errors.js';
import { auditActorOf } from '../../../../services/roles.js';
import { authErrors, errorSchema } from '../../../schemas.js';

const CSV_TYPES = ['text/csv', 'application/csv'];

const jsonBodySchema = z.strictObject({ items: z.array(unitMetricItemSchema).min(1).max(MAX_POINTS) });

/** Unit metrics for cost per unit (query type unit_cost). */
const unitMetrics: FastifyPluginAsyncZod = async (fastify) => {
  for (const type of CSV_TYPES) {
    fastify.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  fastify.get(
    '',
    {
      schema: {
        tags: ['unit-metrics'],
        summary: 'List unit metrics',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                name: z.string(),
                unit: z.string().nullable(),
                points: z.number(),
                firstTs: z.date(),
                lastTs: z.date(),
              })
            ),
          }),
          ...authErrors,
        },
      },
    },
    async (request) => ({ items: await unitMetricSummaries(fastify.db, request.auth!.tenantId) })
  );

  fastify.post(
    '',
    {
      config: { minRole: 'Editor' },
      // The body is JSON or CSV and is validated row by row below (every bad row named, nothing stored
      // when any is bad); the schema is here for the API docs.
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        tags: ['unit-metrics'],
        summary: 'Push unit metric points (JSON or CSV)',
        description:
          '`application/json` `{items: [{name, ts, value, unit?}]}`, or `text/csv` with a header row `name,ts,value[,unit]`. ' +
          'All or nothing: any bad row refuses the whole push and every bad row is named (items[i] or the CSV line). ' +
          'Points are upserted by (name, ts): pushing the same data again replaces it, never adds it up.',
        body: jsonBodySchema,
        response: {
          200: z.object({
            points: z.number(),
            inserted: z.number(),
            updated: z.number().describe('points that replaced an earlier value at the same name and ts'),
            names: z.array(z.string()),
          }),
          400: errorSchema,
          413: errorSchema,
          415: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      let format: 'json' | 'csv';
      let points;
      if (typeof body === 'string') {
        format = 'csv';
        points = parseUnitMetricsCsv(body);
      } else {
        format = 'json';
        const items = (body as { items?: unknown } | null)?.items;
        if (!Array.isArray(items)) throw inputError([{ path: '/items', message: 'must be an array of points' }]);
        const extra = Object.keys(body as object).filter((k) => k !== 'items');
        if (extra.length) throw inputError([{ path: '/', message: `unknown fields: ${extra.join(', ')}` }]);
        points = validatePoints(items, (i) => `/items/${i}`);
      }
      return pushUnitMetrics(fastify.db, request.auth!.tenantId, points, format, auditActorOf(request));
    }
  );
};

export default unitMetrics;
