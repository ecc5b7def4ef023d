import fp from 'fastify-plugin';

/** Counts and times every request by its route pattern (not the raw URL, which would explode labels). */
export default fp(
  async (fastify) => {
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const method = request.method;
      fastify.metrics.httpRequests.inc({ method, route, status: String(reply.statusCode) });
      fastify.metrics.httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
    });
  },
  { name: 'metrics', dependencies: ['context'] }
);
