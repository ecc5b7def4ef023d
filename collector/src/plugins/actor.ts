/**
 * Roles and support access on every authenticated request (issue 6). After the auth hook has mapped the
 * token to its tenant, this hook works out `request.actor` (login, acting role, server-admin claim,
 * source address — the trust model is in services/roles.ts), enforces the route's `config.minRole`
 * (default: Viewer for GET, Admin for anything else) and `config.serverAdmin`, and switches a Grafana
 * server admin's read to another tenant when X-Infrazen-Support-Tenant asks for it.
 *
 * Support access replaces `request.auth` with the tenant being read, so every route and service (they
 * all scope by `request.auth.tenantId`, and `withTenant` sets the row-level-security tenant from it)
 * reads that tenant and nothing else, with no change to any route.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import {
  AccessError,
  atLeast,
  defaultMinRole,
  HEADERS,
  isRole,
  parseSupportTenant,
  resolveActor,
  type Actor,
  type Role,
} from '../services/roles.js';
import { recordSupportAccess } from '../storage/repositories/audit-log.js';
import { findTenantById } from '../storage/repositories/tenants.js';

const API_PREFIX = '/api/v1/';

/** What a route requires, as enforced here; the tests walk this list to cover every endpoint. */
export interface RouteAccess {
  method: string;
  url: string;
  minRole: Role;
  serverAdmin: boolean;
  public: boolean;
}

/**
 * Catalogs by HTTP server: the app is registered encapsulated under the root instance (server.ts), so a
 * decorator would not be visible from the root; the server object is shared by both.
 */
const catalogs = new WeakMap<object, RouteAccess[]>();

/** Every /api/v1 route of this app with what it requires. */
export function routeAccessOf(fastify: Pick<FastifyInstance, 'server'>): RouteAccess[] {
  return catalogs.get(fastify.server) ?? [];
}

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
}

/** Reads only: GET (and HEAD), or a POST a route declares open to Viewers (POST /query is a read). */
function isRead(request: FastifyRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD' || request.routeOptions.config.minRole === 'Viewer';
}

async function enterSupport(request: FastifyRequest, actor: Actor, tenantId: string): Promise<void> {
  const auth = request.auth!;
  if (!actor.isServerAdmin || !auth.supportAccess) {
    throw new AccessError(
      403,
      'Support access to another tenant needs a Grafana server admin and an API token issued with support access'
    );
  }
  if (!isRead(request)) throw new AccessError(403, 'Support access is read-only');
  const db = request.server.db;
  const target = await findTenantById(db, tenantId);
  if (!target) throw new AccessError(404, `No tenant ${tenantId}`);
  await db.transaction((tx) =>
    recordSupportAccess(tx, {
      actor: actor.login,
      sourceIp: actor.sourceAddress,
      tokenId: auth.tokenId,
      homeTenantId: auth.tenantId,
      tenantId: target.id,
      endpoint: `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`,
    })
  );
  actor.support = { homeTenantId: auth.tenantId, tenantId: target.id };
  // Read-only scope of the other tenant: no support rights carry over into it.
  request.auth = {
    tenantId: target.id,
    grafanaOrgId: target.grafanaOrgId,
    tokenId: auth.tokenId,
    supportAccess: false,
  };
}

export default fp(
  async (fastify) => {
    fastify.decorateRequest('actor', undefined);
    const catalog: RouteAccess[] = [];
    catalogs.set(fastify.server, catalog);

    // A misspelt minRole would silently fall back to the default; refuse to start instead.
    fastify.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as { minRole?: unknown; serverAdmin?: unknown; public?: unknown };
      if (config.minRole !== undefined && !isRole(config.minRole)) {
        throw new Error(
          `Route ${route.url}: config.minRole must be Viewer, Editor or Admin, not ${String(config.minRole)}`
        );
      }
      if (!route.url.startsWith(API_PREFIX)) return;
      for (const method of methodsOf(route)) {
        if (method === 'HEAD') continue;
        catalog.push({
          method,
          url: route.url,
          minRole: (config.minRole as Role | undefined) ?? defaultMinRole(method),
          serverAdmin: config.serverAdmin === true,
          public: config.public === true,
        });
      }
    });

    fastify.addHook('onRequest', async (request) => {
      const auth = request.auth;
      // Public routes have no token, unknown paths answer 404 from the not-found handler.
      if (!auth || request.is404) return;
      const actor = resolveActor(request, auth.tokenId);
      const supportTenant = parseSupportTenant(request.headers[HEADERS.supportTenant]);
      request.actor = actor;

      const config = request.routeOptions.config;
      const minRole = config.minRole ?? defaultMinRole(request.method);
      if (!atLeast(actor.role, minRole)) {
        throw new AccessError(
          403,
          `${request.method} ${request.routeOptions.url} needs the Grafana role ${minRole} or higher; this request acts as ${actor.role}`
        );
      }
      if (config.serverAdmin && !(actor.isServerAdmin && auth.supportAccess)) {
        throw new AccessError(
          403,
          'Only Grafana server admins may see this, through an API token issued with support access'
        );
      }
      if (supportTenant && supportTenant !== auth.tenantId) await enterSupport(request, actor, supportTenant);
    });
  },
  { name: 'actor', dependencies: ['auth', 'context'] }
);
