import type { FastifyPluginAsync } from 'fastify';

/** Prometheus exposition of the collector's own metrics (no token; bind to a private address). */
const metrics: FastifyPluginAsync = async (fastify) => {
  fastify.get('', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', fastify.metrics.registry.contentType);
    return fastify.metrics.registry.metrics();
  });
};

export default metrics;
