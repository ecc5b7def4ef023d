import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { bearerToken } from '../security/tokens.js';
import { authenticate } from '../services/tenancy.js';

const API_PREFIX = '/api/v1/';

function needsToken(request: FastifyRequest): boolean {
  return request.url.startsWith(API_PREFIX) && request.routeOptions.config.public !== true;
}

/**
 * Bearer-token auth on /api/v1 (health excepted). Only failed attempts go through the per-address
 * limiter, so guessing tokens is slow while authenticated traffic is never throttled here.
 */
export default fp(
  async (fastify) => {
    await fastify.register(rateLimit, { global: false });
    const limitFailures = fastify.rateLimit({
      max: fastify.config.authFailureLimit,
      timeWindow: '1 minute',
      keyGenerator: (request) => `auth-failure:${request.ip}`,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'too_many_requests',
        message: `Too many requests without a valid API token; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    });

    fastify.addHook('onRequest', async (request, reply) => {
      if (!needsToken(request)) return;
      if (!fastify.dbState.ready) {
        return reply
          .code(503)
          .send({ error: 'unavailable', message: 'The database is not ready yet; try again shortly' });
      }
      const token = bearerToken(request.headers.authorization);
      if (token) request.auth = await authenticate(fastify.db, token);
      if (request.auth) return;

      fastify.metrics.authFailures.inc();
      await limitFailures.call(fastify, request, reply);
      if (reply.sent) return reply;
      return reply.code(401).send({
        error: 'unauthorized',
        message: request.headers.authorization
          ? 'The API token is not valid (unknown, revoked or expired)'
          : 'Missing API token: send Authorization: Bearer <token>',
      });
    });
  },
  { name: 'auth', dependencies: ['context', 'errors'] }
);
