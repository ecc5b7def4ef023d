import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { defaultMinRole } from '../services/roles.js';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0] & {
  route?: { method: string | string[]; config?: { minRole?: string; public?: boolean; serverAdmin?: boolean } };
};

/** Each operation says which Grafana role it needs (enforced in plugins/actor.ts). */
function withRoles(input: TransformInput) {
  const result = jsonSchemaTransform(input);
  const route = input.route;
  if (!route || route.config?.public || !input.url.startsWith('/api/v1/')) return result;
  const method = Array.isArray(route.method) ? route.method[0]! : route.method;
  const role = route.config?.minRole ?? defaultMinRole(method.toUpperCase());
  const who = route.config?.serverAdmin ? ' and a Grafana server admin with a support-access token' : '';
  const schema = result.schema as { description?: string };
  const note = `Requires the Grafana role ${role} or higher${who}.`;
  return {
    ...result,
    schema: { ...schema, description: schema.description ? `${schema.description}\n\n${note}` : note },
  };
}

/** OpenAPI generated from the routes' zod schemas; the UI at /api/docs, the document at /api/docs/json. */
export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        info: {
          title: 'InfraZen collector API',
          description:
            'Multi-cloud FinOps collector behind the InfraZen Grafana plugins. Every /api/v1 route except health needs `Authorization: Bearer <tenant API token>`. ' +
            'The token alone acts as Admin of its tenant; Grafana’s proxies add `X-Infrazen-Role` (the plugin route’s role) and ' +
            '`X-Grafana-Context` (the signed-in user), which can only lower the role: the request acts with the lowest of them. ' +
            'Writes are audited under `X-Grafana-User` (or the context’s Login). A Grafana server admin reads another tenant ' +
            'read-only with `X-Infrazen-Support-Tenant: <tenant id>` through a token issued with support access.',
          version: fastify.appVersion,
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ bearerAuth: [] }],
      },
      transform: withRoles,
    });
    await fastify.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
  },
  { name: 'swagger', dependencies: ['context', 'zod'] }
);
