import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit } from '../../../../storage/repositories/audit-log.js';
import { authErrors, errorSchema } from '../../../schemas.js';
import { auditEntrySchema, auditQuerySchema } from './schemas.js';

/** GET /api/v1/audit: the tenant's audit log, newest first, keyset-paginated. */
const audit: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log (Admin)',
        description:
          'Append-only record of every management action: who (the Grafana login forwarded by Grafana), what, when, ' +
          'from where, with before/after summaries. Pass `nextBefore` back as `before` for the next page; it is null on ' +
          'the last page.',
        querystring: auditQuerySchema,
        response: {
          200: z.object({ items: z.array(auditEntrySchema), nextBefore: z.string().nullable() }),
          400: errorSchema,
          403: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const tenantId = request.auth!.tenantId;
      const q = request.query;
      return fastify.db.withTenant(tenantId, (tx) =>
        listAudit(tx, tenantId, {
          from: q.from,
          to: q.to,
          actor: q.actor,
          actions: q.action,
          targetKind: q.targetKind,
          before: q.before,
          limit: q.limit,
        })
      );
    }
  );
};

export default audit;
