/** GET /api/v1/export/focus: the tenant's costs as a FOCUS 1.2 CSV stream (src/focus/export.ts). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { openFocusExport } from '../../../../focus/export.js';
import type { Logger } from '../../../../observability/logger.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { focusExportQuerySchema } from '../focus-schemas.js';

/** The tenant's normalized costs as a FOCUS 1.2 CSV. */
const focusExport: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/focus',
    {
      schema: {
        tags: ['focus'],
        summary: 'Export costs as FOCUS 1.2 CSV',
        description:
          'Streams every cost line of the tenant (all connections: Russian providers with ProviderName Selectel, Beget, ' +
          'Yandex Cloud …, and imported FOCUS data) as a FOCUS 1.2 CSV, ordered by ChargePeriodStart. Amounts are exact ' +
          'decimals in BillingCurrency; timestamps are UTC; null values are empty fields. The answer is `text/csv` ' +
          '(200); the file can be imported into another focus connection unchanged.',
        querystring: focusExportQuerySchema,
        response: { 400: errorSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const { from, to, connection } = request.query;
      const stream = await openFocusExport(
        fastify.db,
        request.auth!.tenantId,
        { from, to, connectionId: connection },
        request.log as Logger
      );
      const name = ['infrazen-focus', from, to]
        .filter(Boolean)
        .join('_')
        .replace(/[^A-Za-z0-9_.-]/g, '');
      // The body is a stream, which fastify pipes as is; the response schemas only type the JSON answers.
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(stream as never);
    }
  );
};

export default focusExport;
