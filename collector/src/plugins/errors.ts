import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

/** Connection-level failures mean the database is away: that is a 503, not a bug. */
function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(
      e.code ?? ''
    ) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      e.message ?? ''
    )
  );
}

const CLIENT_ERRORS: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * One error shape everywhere: `{error, message, details?}`. Client mistakes are 4xx with the reason;
 * server faults are logged in full and answered without internals.
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((err: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        return reply.code(400).send({
          error: 'bad_request',
          message: `Invalid ${err.validationContext ?? 'request'}: ${err.validation
            .map((v) => `${v.instancePath || '/'} ${v.message}`)
            .join('; ')}`,
          details: err.validation.map((v) => ({ path: v.instancePath, message: v.message })),
        });
      }
      if (isResponseSerializationError(err)) {
        request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
        return reply.code(500).send({ error: 'internal', message: 'Internal error' });
      }
      if (isDatabaseUnavailable(err)) {
        request.log.warn({ err: err.message }, 'database unavailable');
        return reply
          .code(503)
          .send({ error: 'unavailable', message: 'The database is unavailable; try again shortly' });
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Services' input errors name the offending fields in `details` (never their values).
        const { details } = err as { details?: unknown };
        return reply.code(status).send({
          error: CLIENT_ERRORS[status] ?? 'bad_request',
          message: err.message,
          ...(Array.isArray(details) ? { details } : {}),
        });
      }
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'Internal error' });
    });

    fastify.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` });
    });
  },
  { name: 'errors' }
);
