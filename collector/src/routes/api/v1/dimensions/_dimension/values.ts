import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DIMENSIONS, VARIABLE_DIMENSIONS } from '../../../../../contract/query.js';
import { dimensionValues } from '../../../../../query/dimension-values.js';
import { QueryInputError } from '../../../../../query/dimensions.js';
import { parseTime } from '../../../../../query/time.js';
import { authErrors, errorSchema } from '../../../../schemas.js';

const DAY = 86_400_000;

const filtersParam = z
  .string()
  .max(20_000)
  .transform((text, ctx) => {
    try {
      return z
        .array(
          z.object({
            dimension: z.string(),
            op: z.enum(['include', 'exclude']).default('include'),
            values: z.array(z.string()),
          })
        )
        .parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {dimension, op, values}' });
      return z.NEVER;
    }
  });

/** Template variable values: `GET /api/v1/dimensions/{dimension}/values`. */
const values: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/values',
    {
      schema: {
        tags: ['query'],
        summary: 'Values of a dimension',
        description: `Dimensions: ${[...DIMENSIONS, ...VARIABLE_DIMENSIONS].join(', ')}, or tag:<key>. Costs-based dimensions list what was billed in the range.`,
        params: z.object({
          dimension: z.union([
            z.enum([...DIMENSIONS, ...VARIABLE_DIMENSIONS]),
            z.string().regex(/^tag:[\w.:/@-]{1,100}$/),
          ]),
        }),
        querystring: z.strictObject({
          from: z.string().max(40).optional(),
          to: z.string().max(40).optional(),
          filters: filtersParam.optional(),
          key: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
        }),
        response: {
          200: z.object({ values: z.array(z.object({ value: z.string(), text: z.string() })) }),
          400: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const now = Date.now();
      const from = request.query.from ? parseTime(request.query.from) : new Date(now - 90 * DAY);
      const to = request.query.to ? parseTime(request.query.to) : new Date(now + DAY);
      if (!from || !to)
        return reply.code(400).send({ error: 'bad_request', message: 'from and to must be ISO times or epoch ms' });
      try {
        const list = await fastify.db.withTenant(request.auth!.tenantId, (tx) =>
          dimensionValues(tx, {
            dimension: request.params.dimension,
            from,
            to,
            filters: request.query.filters as never,
            key: request.query.key,
            limit: request.query.limit,
          })
        );
        return { values: list.map((v) => ({ value: String(v.value), text: String(v.text ?? v.value) })) };
      } catch (err) {
        if (err instanceof QueryInputError) return reply.code(400).send({ error: 'bad_request', message: err.message });
        throw err;
      }
    }
  );
};

export default values;
