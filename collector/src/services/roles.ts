/**
 * Who acts on a request and with which Grafana role (issue 6, api-contract.md "Roles").
 *
 * Trust model (GRAFANA.md):
 * - The API token is the trust anchor. It names the tenant, and whoever holds it may do anything in that
 *   tenant: a bare token (CLI, automation) acts as Admin. Headers never widen what the token allows.
 * - Requests from the Grafana UI come through Grafana's proxies, which inject the token server-side and
 *   add statements about the signed-in user. The plugin proxy (app routes) *sets* X-Grafana-Context and
 *   the route's headers (X-Infrazen-Role), replacing anything the browser sent. The data proxy
 *   (datasource routes) does not add X-Grafana-Context, so a browser-sent one passes through there, and
 *   so does X-Infrazen-Role on a route that does not set it. Hence every role statement can only LOWER
 *   the role: acting role = the lowest of X-Infrazen-Role, X-Grafana-Context OrgRole and the token's
 *   Admin. A forged header can cost its sender privileges, never gain any. (Grafana versions whose proxy
 *   appended route headers instead of replacing them produce "Viewer, Admin", which is refused as
 *   malformed.)
 * - Cross-tenant rights (support access, the tenant list) cannot come from headers alone, since
 *   IsGrafanaAdmin is forgeable through the data proxy: they need IsGrafanaAdmin *and* a token the
 *   operator issued with support access (never by API). Such a token belongs only in the app plugin's
 *   settings (plugin proxy), never in a datasource.
 * - The login for the audit log: X-Grafana-User (Grafana deletes a browser-sent one and sets its own when
 *   `send_user_header` is on), else the Login in X-Grafana-Context. It is what Grafana says on the
 *   token's behalf; the token id is recorded beside it in every entry.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

export const ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

/** Grafana's org roles; "None" (a user without an org role) may do nothing here. */
type OrgRole = Role | 'None';

const RANK: Record<OrgRole, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

export function atLeast(role: OrgRole, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

function lowest(a: OrgRole, b: OrgRole): OrgRole {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Reads are for Viewers; every other method changes something and needs an Admin unless the route says so. */
export function defaultMinRole(method: string): Role {
  return method === 'GET' || method === 'HEAD' ? 'Viewer' : 'Admin';
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A client mistake or a refusal, answered as `{error, message}` by the app's error handler. */
export class AccessError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 404,
    message: string
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

export interface Actor {
  /** The Grafana login, or `token:<id>` when no user was named (CLI, automation). */
  login: string;
  kind: 'user' | 'token';
  /** The acting role (lowest of every statement, see above); 'None' never passes a role check. */
  role: OrgRole;
  /** X-Grafana-Context IsGrafanaAdmin: a claim that counts only with a support-access token. */
  isServerAdmin: boolean;
  /** The client address (Grafana's, or the browser's when Grafana on loopback forwards it). */
  sourceAddress: string;
  /** The same, under the name api-contract.md gives it. */
  source: string;
  tokenId: string;
  /** Set while a server admin reads another tenant (X-Infrazen-Support-Tenant). */
  support?: { homeTenantId: string; tenantId: string };
}

export const HEADERS = {
  role: 'x-infrazen-role',
  context: 'x-grafana-context',
  user: 'x-grafana-user',
  supportTenant: 'x-infrazen-support-tenant',
} as const;

const MAX_LOGIN_LENGTH = 200;
// A real X-Grafana-Context is well under 2 KiB (a few dozen fields); bigger is not Grafana's.
const MAX_CONTEXT_LENGTH = 16_384;

/** Node joins repeated custom headers with ", "; a list where one value is expected is malformed. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function cleanLogin(value: string | undefined): string | undefined {
  const cleaned = value?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned ? cleaned.slice(0, MAX_LOGIN_LENGTH) : undefined;
}

export function parseRoleHeader(value: string | string[] | undefined): Role | undefined {
  const raw = single(value)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!isRole(raw)) {
    throw new AccessError(
      400,
      `X-Infrazen-Role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(raw.slice(0, 40))})`
    );
  }
  return raw;
}

const grafanaContextSchema = z.looseObject({
  Login: z.string().optional(),
  OrgRole: z.enum(['None', 'Viewer', 'Editor', 'Admin', '']).optional(),
  IsGrafanaAdmin: z.boolean().optional(),
});

export interface GrafanaContext {
  login?: string;
  orgRole?: OrgRole;
  isServerAdmin: boolean;
}

/** X-Grafana-Context: the signed-in user as the plugin proxy serializes it (Login, OrgRole, IsGrafanaAdmin …). */
export function parseGrafanaContext(value: string | string[] | undefined): GrafanaContext | undefined {
  const raw = single(value);
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.length > MAX_CONTEXT_LENGTH) {
    throw new AccessError(400, `X-Grafana-Context is larger than ${MAX_CONTEXT_LENGTH} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AccessError(400, 'X-Grafana-Context is not valid JSON');
  }
  const parsed = grafanaContextSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AccessError(
      400,
      `X-Grafana-Context is malformed: ${issue?.path.join('.') || 'value'} ${issue?.message ?? 'is invalid'}`
    );
  }
  const { Login, OrgRole, IsGrafanaAdmin } = parsed.data;
  return {
    login: cleanLogin(Login),
    // Grafana serializes "no role" as an empty string in some versions.
    orgRole: OrgRole === '' ? 'None' : OrgRole,
    isServerAdmin: IsGrafanaAdmin === true,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseSupportTenant(value: string | string[] | undefined): string | undefined {
  const raw = single(value)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!UUID.test(raw)) throw new AccessError(400, 'X-Infrazen-Support-Tenant must be a tenant id (a UUID)');
  return raw.toLowerCase();
}

/** The actor of an authenticated request, from its headers (throws AccessError 400 for malformed ones). */
export function resolveActor(request: FastifyRequest, tokenId: string): Actor {
  const headers = request.headers;
  const routeRole = parseRoleHeader(headers[HEADERS.role]);
  const context = parseGrafanaContext(headers[HEADERS.context]);
  const login = cleanLogin(single(headers[HEADERS.user])) ?? context?.login;
  const role = lowest(routeRole ?? 'Admin', context?.orgRole ?? 'Admin');
  return {
    login: login ?? `token:${tokenId}`,
    kind: login ? 'user' : 'token',
    role,
    isServerAdmin: context?.isServerAdmin ?? false,
    sourceAddress: request.ip,
    source: request.ip,
    tokenId,
  };
}

/** For handlers that decide on the role themselves (the route-level `config.minRole` covers most cases). */
export function requireRole(request: FastifyRequest, min: Role): void {
  const role = request.actor?.role ?? 'None';
  if (!atLeast(role, min)) {
    throw new AccessError(403, `This needs the Grafana role ${min} or higher; the request acts as ${role}`);
  }
}

/** The audit-log "who" of a request, in the shape the services take (AuditActor in services/connections.ts). */
export function auditActorOf(request: FastifyRequest): {
  actor: string;
  actorKind: 'user' | 'token';
  sourceIp: string;
  tokenId: string;
} {
  const actor = request.actor;
  if (!actor) throw new Error('auditActorOf called on a request without an actor (public route?)');
  return { actor: actor.login, actorKind: actor.kind, sourceIp: actor.sourceAddress, tokenId: actor.tokenId };
}
