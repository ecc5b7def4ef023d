/** GET /api/v1/export/costs.csv and costs.xlsx: any costs query as a file (src/reports/export-costs.ts). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COST_METRICS, GRANULARITIES, type DimensionKey } from '../../../../contract/query.js';
import { costsCsv, costsXlsx, exportCosts, type CostsExport } from '../../../../reports/export-costs.js';
import { filtersSchema } from '../../../../query/schemas.js';
import { authErrors, errorSchema } from '../../../schemas.js';

const filtersParam = z
  .string()
  .max(20_000)
  .transform((text, ctx) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {dimension, op, values}' });
      return z.NEVER;
    }
    const parsed = filtersSchema.safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {dimension, op, values}' });
      return z.NEVER;
    }
    return parsed.data ?? [];
  });

const querySchema = z.strictObject({
  from: z.string().min(1).max(40).describe('ISO 8601 time or epoch milliseconds'),
  to: z.string().min(1).max(40).describe('ISO 8601 time or epoch milliseconds (exclusive)'),
  granularity: z.enum(GRANULARITIES).default('day'),
  groupBy: z
    .string()
    .max(500)
    .optional()
    .transform((s) =>
      s
        ? s
            .split(',')
            .map((d) => d.trim())
            .filter(Boolean)
        : []
    )
    .describe('comma-separated dimensions, e.g. provider,service or tag:team'),
  metric: z.enum(COST_METRICS).optional(),
  topN: z.coerce.number().int().min(1).max(1000).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code')
    .optional(),
  filters: filtersParam.optional().describe('JSON array of {dimension, op, values}, as in the query API'),
  bom: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('csv: start with a UTF-8 byte order mark (Excel opens Cyrillic correctly)'),
});

const DESCRIPTION =
  'The `costs` query of the query API (same parameters, same totals) as a file: one line per time bucket and ' +
  'group (`period_start` is omitted for granularity=total), amounts as exact decimals in the requested ' +
  'currency. Missing exchange rates are reported in the X-InfraZen-Notice header.';

const costsExport: FastifyPluginAsyncZod = async (fastify) => {
  for (const format of ['csv', 'xlsx'] as const) {
    fastify.get(
      `/costs.${format}`,
      {
        schema: {
          tags: ['export'],
          summary: `Export costs as ${format.toUpperCase()}`,
          description: DESCRIPTION,
          querystring: querySchema,
          response: { 400: errorSchema, ...authErrors },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const data: CostsExport = await exportCosts(
          {
            db: fastify.db,
            tenantId: request.auth!.tenantId,
            now: fastify.now(),
            onError: (err) => request.log.error({ err }, 'costs export query failed'),
          },
          {
            from: q.from,
            to: q.to,
            currency: q.currency,
            query: {
              granularity: q.granularity,
              groupBy: q.groupBy as DimensionKey[],
              metric: q.metric,
              topN: q.topN,
              filters: q.filters,
            },
          }
        );
        const body = format === 'csv' ? costsCsv(data, q.bom) : await costsXlsx(data);
        if (data.notices.length) reply.header('x-infrazen-notice', encodeURIComponent(data.notices.join(' ')));
        return (
          reply
            .type(
              format === 'csv'
                ? 'text/csv; charset=utf-8'
                : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            )
            .header('content-disposition', `attachment; filename="infrazen-costs.${format}"`)
            // The body is a file; the response schemas only type the JSON error answers.
            .send(body as never)
        );
      }
    );
  }
};

export default costsExport;
