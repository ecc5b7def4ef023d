import fp from 'fastify-plugin';
import type { AppDependencies } from '../types.js';

/** Makes the app's dependencies available as decorators (fastify.db, fastify.config, …). */
export default fp(
  async (fastify, deps: AppDependencies) => {
    fastify.decorate('config', deps.config);
    fastify.decorate('dbState', deps.dbState);
    fastify.decorate('db', deps.dbState.db);
    fastify.decorate('secrets', deps.secrets);
    fastify.decorate('scheduler', deps.scheduler);
    fastify.decorate('metrics', deps.metrics);
    fastify.decorate('appVersion', deps.version);
    fastify.decorate('providerHttp', deps.providerHttp);
    fastify.decorate('syncs', deps.syncs);
    fastify.decorate('now', deps.now ?? (() => new Date()));
    fastify.decorateRequest('auth', undefined);
  },
  { name: 'context' }
);
