/**
 * Grafana's data proxy and plugin proxy, re-implemented from its source (pkg/api/pluginproxy/ds_proxy.go,
 * pluginproxy.go, utils.go; ../shared/GRAFANA.md) closely enough that a plugin.json whose routes work
 * here works in Grafana, and one that relies on something Grafana does not do fails here too:
 * - data proxy: routes tried in order, method filter, `path` is a plain prefix, first match wins and a
 *   failed reqRole answers 403 (no fall-through); the matched prefix is cut and the rest appended to the
 *   route URL; no match goes to the datasource URL without the route's headers; upstream 401 becomes 400.
 * - plugin proxy: `path` is a router pattern (`api/*`, `:param`), only the `*` part is appended; no match
 *   is a 404; the signed-in user is sent as X-Grafana-Context.
 * - both: `{{ .JsonData.x }}` / `{{ .SecureJsonData.x }}` / `{{ .URL }}` templates with Go's
 *   `<no value>` for a missing key, browser cookies and Authorization dropped, X-Grafana-User set by the
 *   proxy (a browser-sent one is deleted first).
 * Anything a route asks for that is not emulated (reqAction, tokenAuth, …) is refused loudly at load time.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const ORG_ROLES = ['None', 'Viewer', 'Editor', 'Admin'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export interface RouteHeader {
  name: string;
  content: string;
}

/** One entry of plugin.json `routes`. */
export interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: string;
  url?: string;
  headers?: RouteHeader[];
  urlParams?: RouteHeader[];
  [other: string]: unknown;
}

/** What Grafana knows about the signed-in user (the part of SignedInUser plugins see). */
export interface SignedInUser {
  id: number;
  login: string;
  name: string;
  email: string;
  orgId: number;
  orgName: string;
  orgRole: OrgRole;
  isGrafanaAdmin: boolean;
}

export interface TemplateData {
  JsonData: Record<string, unknown>;
  SecureJsonData: Record<string, string>;
  /** The datasource URL (data proxy only). */
  URL?: string;
}

export class ProxyError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

const SUPPORTED_ROUTE_KEYS = new Set(['path', 'method', 'reqRole', 'url', 'headers', 'urlParams']);
const TEMPLATE_ACTION = /\{\{(.*?)\}\}/g;
const FIELD = /^\s*\.(JsonData|SecureJsonData)\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const URL_FIELD = /^\s*\.URL\s*$/;

/** Refuses route options this emulation does not implement, so a test can never pass by ignoring them. */
export function validateRoutes(routes: unknown, kind: 'datasource' | 'app'): PluginRoute[] {
  if (routes === undefined) {
    return [];
  }
  if (!Array.isArray(routes)) {
    throw new Error('plugin.json routes must be an array');
  }
  return routes.map((route: PluginRoute, i) => {
    const unsupported = Object.keys(route).filter((k) => !SUPPORTED_ROUTE_KEYS.has(k));
    if (unsupported.length) {
      throw new Error(`route ${i} (${route.path}): ${unsupported.join(', ')} not emulated by the test host`);
    }
    if (typeof route.path !== 'string') {
      throw new Error(`route ${i}: path must be a string`);
    }
    if (route.reqRole !== undefined && !(ORG_ROLES as readonly string[]).includes(route.reqRole)) {
      throw new Error(`route ${i} (${route.path}): reqRole ${route.reqRole} is not a Grafana org role`);
    }
    if (kind === 'app') {
      compilePattern(route.path);
      if (route.urlParams) {
        throw new Error(`route ${i} (${route.path}): urlParams are not applied by Grafana's plugin proxy`);
      }
    }
    for (const t of [route.url ?? '', ...(route.headers ?? []).map((h) => h.content)]) {
      interpolate(t, { JsonData: {}, SecureJsonData: {}, URL: '' });
    }
    return route;
  });
}

/**
 * Go text/template restricted to what Grafana's route templates can reach. A missing key prints
 * `<no value>`, as Go does for a map lookup; any other action is a template error.
 */
export function interpolate(template: string, data: TemplateData): string {
  return template.replace(TEMPLATE_ACTION, (_all, action: string) => {
    if (URL_FIELD.test(action)) {
      return data.URL ?? '<no value>';
    }
    const field = FIELD.exec(action);
    if (!field) {
      throw new ProxyError(500, `could not parse template ${template}`);
    }
    const value = (data[field[1] as 'JsonData' | 'SecureJsonData'] as Record<string, unknown>)[field[2]!];
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}

/** Grafana's org role hierarchy: Admin includes Editor includes Viewer. */
export function hasRole(user: OrgRole, required: string | undefined): boolean {
  if (!required) {
    return true;
  }
  return ORG_ROLES.indexOf(user) >= ORG_ROLES.indexOf(required as OrgRole);
}

function methodMatches(route: PluginRoute, method: string): boolean {
  return !route.method || route.method === '*' || route.method === method;
}

/** util.JoinURLFragments */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  if (!aSlash && !bSlash) {
    return `${a}/${b}`;
  }
  return a + b;
}

export interface RouteMatch {
  route: PluginRoute | undefined;
  /** The path appended to the route (or datasource) URL. */
  rest: string;
}

/** ds_proxy.go validateRequest: the first route with the method and the path prefix decides. */
export function matchDataProxyRoute(
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
  role: OrgRole
): RouteMatch {
  for (const route of routes) {
    if (!methodMatches(route, method) || !proxyPath.startsWith(route.path)) {
      continue;
    }
    if (!hasRole(role, route.reqRole)) {
      throw new ProxyError(403, 'plugin proxy route access denied');
    }
    return { route, rest: proxyPath.slice(route.path.length) };
  }
  return { route: undefined, rest: proxyPath };
}

type Segment = { literal: string } | { param: string } | { glob: true };

/** The subset of Grafana's web.Tree patterns plugin routes use: literals, `:name` and a final `*`. */
function compilePattern(pattern: string): Segment[] {
  const parts = pattern.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  return parts.map((part, i) => {
    if (part === '*') {
      if (i !== parts.length - 1) {
        throw new Error(`route pattern ${pattern}: * must be the last segment`);
      }
      return { glob: true };
    }
    if (part.startsWith(':')) {
      if (!/^:[A-Za-z_][A-Za-z0-9_]*$/.test(part)) {
        throw new Error(`route pattern ${pattern}: regex and typed params are not emulated`);
      }
      return { param: part.slice(1) };
    }
    if (/[*:()]/.test(part)) {
      throw new Error(`route pattern ${pattern}: segment ${part} is not emulated`);
    }
    return { literal: part };
  });
}

/**
 * Matches a path against a pattern like web.Tree.Match: slashes trimmed at both ends, `*` needs at least
 * one segment (`api/*` does not match `api`). Returns the `*` capture ('' without one) or undefined.
 */
export function matchPattern(pattern: string, path: string): string | undefined {
  const segments = compilePattern(pattern);
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ('glob' in segment) {
      return i < parts.length ? parts.slice(i).join('/') : undefined;
    }
    const part = parts[i];
    if (part === undefined) {
      return undefined;
    }
    if ('literal' in segment ? segment.literal !== part : part === '') {
      return undefined;
    }
  }
  return parts.length === segments.length ? '' : undefined;
}

/** pluginproxy.go HandleRequest: first route with the method whose pattern matches; else 404. */
export function matchPluginProxyRoute(
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
  role: OrgRole
): RouteMatch & { route: PluginRoute } {
  for (const route of routes) {
    if (!methodMatches(route, method)) {
      continue;
    }
    const rest = matchPattern(route.path, proxyPath);
    if (rest === undefined) {
      continue;
    }
    if (!hasRole(role, route.reqRole)) {
      throw new ProxyError(403, 'plugin proxy route access denied');
    }
    return { route, rest };
  }
  throw new ProxyError(404, 'plugin route match not found');
}

/** SignedInUser as Grafana marshals it into X-Grafana-Context (Go field names, no json tags). */
export function grafanaContext(user: SignedInUser): string {
  return JSON.stringify({
    UserID: user.id,
    UserUID: `u-${user.login}`,
    OrgID: user.orgId,
    OrgName: user.orgName,
    OrgRole: user.orgRole,
    Login: user.login,
    Name: user.name,
    Email: user.email,
    AuthenticatedBy: 'password',
    IsServiceAccount: false,
    IsGrafanaAdmin: user.isGrafanaAdmin,
    IsAnonymous: false,
    IsDisabled: false,
    Teams: [],
  });
}

/** Hop-by-hop and browser-identity headers a reverse proxy does not pass on. */
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'cookie',
  'authorization',
  'x-grafana-user',
  'x-grafana-context',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'content-length',
  'accept-encoding',
]);

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
}

export interface ForwardInput {
  kind: 'datasource' | 'app';
  match: RouteMatch;
  /** The datasource URL (data proxy without a matching route). */
  baseUrl?: string;
  query: string;
  incoming: IncomingHttpHeaders;
  data: TemplateData;
  user: SignedInUser;
  remoteAddress: string;
}

/** The director: the upstream URL and the headers Grafana would send. */
export function buildUpstreamRequest(input: ForwardInput): UpstreamRequest {
  const { match, data, user } = input;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.incoming)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) {
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const forwardedFor = input.incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${input.remoteAddress}` : input.remoteAddress;
  headers['x-grafana-user'] = user.login;
  if (input.kind === 'app') {
    headers['x-grafana-context'] = grafanaContext(user);
  }

  const target = match.route ? interpolate(match.route.url ?? '', data) : (input.baseUrl ?? '');
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    // Go's url.Parse accepts a relative URL and the transport then fails: "no Host in request URL".
    throw new ProxyError(502, 'Bad Gateway');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ProxyError(502, 'Bad Gateway');
  }
  parsed.pathname = joinUrlFragments(parsed.pathname, match.rest);
  if (match.route?.urlParams?.length) {
    const params = new URLSearchParams(input.query);
    for (const p of match.route.urlParams) {
      params.append(p.name, interpolate(p.content, data));
    }
    parsed.search = params.toString();
  } else {
    parsed.search = input.query;
  }
  for (const h of match.route?.headers ?? []) {
    headers[h.name.toLowerCase()] = interpolate(h.content, data);
  }
  return { url: parsed.toString(), headers };
}
