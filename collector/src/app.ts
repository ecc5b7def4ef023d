/**
 * The HTTP application as a fastify plugin (the fastify/demo layout): cross-cutting plugins from
 * plugins/, then every route module under routes/ (folder names become URL prefixes).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AutoLoad from '@fastify/autoload';
import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export default async function app(fastify: FastifyInstance, deps: AppDependencies) {
  await fastify.register(AutoLoad, {
    dir: path.join(here, 'plugins'),
    options: deps,
    forceESM: true,
  });
  await fastify.register(AutoLoad, {
    dir: path.join(here, 'routes'),
    options: deps,
    forceESM: true,
    // Helpers beside route files (schemas.ts) are not routes.
    ignorePattern: /(^|\/|-)schemas\.(ts|js)$/,
    // Folders named `_param` become `:param` (routes/api/v1/connections/_id → /connections/:id).
    routeParams: true,
    // Every file is a route plugin under its folder's prefix, index.ts included. Autoload's default
    // loads only index.ts when a folder has one, which would silently drop _id/test.ts beside _id/index.ts.
    indexPattern: /^$/,
  });
}

/** Options for the fastify factory, shared by the server and the tests. */
export const fastifyOptions = {
  routerOptions: { ignoreTrailingSlash: true },
  // Behind Grafana's proxy the client address is the proxy's; honour X-Forwarded-For only from loopback.
  trustProxy: '127.0.0.1',
  bodyLimit: 10 * 1024 * 1024,
  requestIdHeader: 'x-request-id',
} as const;
