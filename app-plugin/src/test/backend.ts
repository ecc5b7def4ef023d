/**
 * Test doubles for Grafana's runtime (imported by tests only, never bundled): a backendSrv that answers
 * collector calls by method and path, and a way to act as a given org role.
 */
import { OrgRole } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, config, FetchError, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { PROXY_BASE } from '../api/client';

/** A canned answer: data for a success, or an error status as Grafana's backendSrv throws it. */
export type Answer = { data: unknown } | { status: number; data?: unknown; statusText?: string };
export type Route = Answer | ((request: BackendSrvRequest) => Answer);

export interface FakeBackend {
  fetch: jest.Mock<Observable<FetchResponse<unknown>>, [BackendSrvRequest]>;
  /** Requests made so far, for assertions on method, URL, params and body. */
  requests: () => BackendSrvRequest[];
  /** Requests to one collector path (`GET /connections`). */
  calls: (key: string) => BackendSrvRequest[];
}

function keyOf(request: BackendSrvRequest): string {
  const path = request.url.startsWith(PROXY_BASE) ? request.url.slice(PROXY_BASE.length) : request.url;
  return `${request.method ?? 'GET'} ${path}`;
}

function ok(request: BackendSrvRequest, data: unknown): FetchResponse<unknown> {
  return {
    data,
    status: 200,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: request.url,
    config: request,
  };
}

/**
 * Installs a backendSrv whose `fetch` answers from `routes`, keyed by `METHOD /path` after the plugin-proxy
 * prefix (`GET /connections`, `PATCH /budgets/b1`); a key ending in `*` matches any path with that prefix.
 * Unrouted requests answer 404, as the plugin proxy does for a path without a route.
 */
export function fakeBackend(routes: Record<string, Route>): FakeBackend {
  const fetch = jest.fn((request: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    const key = keyOf(request);
    const match =
      routes[key] ??
      Object.entries(routes)
        .filter(([k]) => k.endsWith('*') && key.startsWith(k.slice(0, -1)))
        .sort(([a], [b]) => b.length - a.length)[0]?.[1];
    const answer: Answer =
      typeof match === 'function'
        ? match(request)
        : (match ?? { status: 404, data: { message: 'plugin route match not found' } });
    if ('status' in answer) {
      const error: FetchError<unknown> = {
        status: answer.status,
        statusText: answer.statusText ?? '',
        data: answer.data,
        config: request,
      };
      return throwError(() => error);
    }
    return of(ok(request, answer.data));
  });
  // Only fetch is used by the app; the other BackendSrv methods are deliberately absent.
  setBackendSrv({ fetch } as unknown as BackendSrv);
  const requests = () => fetch.mock.calls.map(([request]) => request);
  return { fetch, requests, calls: (key) => requests().filter((r) => keyOf(r) === key) };
}

/** Acts as a user with this org role (and server-admin flag) for the rest of the test. */
export function actAs(orgRole: 'Viewer' | 'Editor' | 'Admin', isGrafanaAdmin = false): void {
  config.bootData.user.orgRole = OrgRole[orgRole];
  config.bootData.user.isGrafanaAdmin = isGrafanaAdmin;
}

/** A collector validation error as the API sends it (400 with JSON-pointer details). */
export function badRequest(message: string, details: Array<{ path: string; message: string }> = []): Answer {
  return { status: 400, data: { error: 'bad_request', message, details } };
}
