import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../../../../services/roles.js';
import { appendAudit } from '../../../../../storage/repositories/audit-log.js';
import { SyncError } from '../../../../../sync/service.js';
import { authErrors, errorSchema } from '../../../../schemas.js';
import { connectionParamsSchema } from '../schemas.js';

const STATUS: Record<SyncError['code'], { status: 404 | 409 | 422; error: string }> = {
  not_found: { status: 404, error: 'not_found' },
  in_progress: { status: 409, error: 'sync_in_progress' },
  slot_taken: { status: 409, error: 'sync_in_progress' },
  disabled: { status: 409, error: 'connection_disabled' },
  unsupported: { status: 422, error: 'unsupported' },
};

/** Starts a sync now; it runs in the background and its snapshot shows progress. */
const sync: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post(
    '/sync',
    {
      // "Sync now" refreshes data without changing any setting: an Editor action (issue 6).
      config: { minRole: 'Editor' },
      schema: {
        tags: ['sync'],
        summary: 'Start a sync of a connection',
        description:
          'Answers 202 with the snapshot id once the sync holds its connection lock; follow it with GET /api/v1/snapshots/{id}. ' +
          'Only one sync per connection runs at a time (409 otherwise).',
        params: connectionParamsSchema,
        response: {
          202: z.object({ snapshotId: z.string() }),
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      try {
        const tenantId = request.auth!.tenantId;
        const { snapshotId } = await fastify.syncs.start(tenantId, request.params.id, 'manual');
        const who = auditActorOf(request);
        await appendAudit(fastify.db, {
          tenantId,
          actor: who.actor,
          actorKind: who.actorKind,
          action: 'connection.sync',
          targetKind: 'connection',
          targetId: request.params.id,
          sourceIp: who.sourceIp,
          details: { snapshotId, tokenId: who.tokenId },
          summary: 'Sync started by hand',
        });
        return reply.code(202).send({ snapshotId });
      } catch (err) {
        if (!(err instanceof SyncError)) throw err;
        const { status, error } = STATUS[err.code];
        return reply.code(status).send({ error, message: err.message });
      }
    }
  );
};

export default sync;
