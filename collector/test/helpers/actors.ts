/** Requests as Grafana's proxies send them: a tenant token plus the user headers (services/roles.ts). */
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { buildTestApp } from './app.js';

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>['app'];

export type Role = 'Viewer' | 'Editor' | 'Admin';

export interface As {
  token: string;
  /** X-Infrazen-Role, as the app plugin's routes set it. */
  role?: Role | string;
  /** X-Grafana-Context fields (Login, OrgRole, IsGrafanaAdmin …) or a raw header value. */
  context?: Record<string, unknown> | string;
  user?: string;
  supportTenant?: string;
  headers?: Record<string, string>;
}

export function grafanaHeaders(as: As): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${as.token}`, ...as.headers };
  if (as.role !== undefined) headers['x-infrazen-role'] = as.role;
  if (as.context !== undefined) {
    headers['x-grafana-context'] = typeof as.context === 'string' ? as.context : JSON.stringify(as.context);
  }
  if (as.user !== undefined) headers['x-grafana-user'] = as.user;
  if (as.supportTenant !== undefined) headers['x-infrazen-support-tenant'] = as.supportTenant;
  return headers;
}

/** One request through app.inject; any 5xx fails the test (client input must never cause one). */
export async function request(
  app: TestApp,
  method: InjectOptions['method'],
  url: string,
  as: As,
  body?: unknown
): Promise<LightMyRequestResponse> {
  const res = await app.inject({
    method,
    url,
    headers: grafanaHeaders(as),
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  assert.ok(res.statusCode < 500, `${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return res;
}

/** A server admin's context as Grafana's plugin proxy serializes the signed-in user. */
export function adminContext(login: string, extra: Record<string, unknown> = {}) {
  return { UserID: 1, Login: login, OrgID: 1, OrgRole: 'Admin', IsGrafanaAdmin: true, ...extra };
}

/** Fills a route pattern's parameters (`:id` → the given id, others from `values`). */
export function fillRoute(url: string, id: string, values: Record<string, string> = {}): string {
  return url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => values[name] ?? id);
}
