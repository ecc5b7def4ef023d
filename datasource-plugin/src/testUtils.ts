/**
 * Test doubles for Grafana's runtime services (imported by tests only, so never bundled): a backend that
 * answers by path, a template service with dashboard variables, and datasource instance settings.
 */
import { DataSourceInstanceSettings, dateTime, PluginType, TimeRange, TypedVariableModel } from '@grafana/data';
import {
  BackendSrv,
  BackendSrvRequest,
  FetchError,
  FetchResponse,
  setBackendSrv,
  setTemplateSrv,
  TemplateSrv,
} from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { DataSource } from './datasource';
import { InfraZenDataSourceOptions } from './types';

export const PROXY_URL = '/api/datasources/proxy/uid/infrazen-uid';

export function instanceSettings(
  jsonData: InfraZenDataSourceOptions = { url: 'http://collector:8080', currency: 'RUB' }
): DataSourceInstanceSettings<InfraZenDataSourceOptions> {
  return {
    uid: 'infrazen-uid',
    type: 'infrazen-finops-datasource',
    name: 'InfraZen FinOps',
    url: PROXY_URL,
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'infrazen-finops-datasource',
      name: 'InfraZen FinOps',
      type: PluginType.datasource,
      info: {
        author: { name: 'InfraZen' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
      module: '',
      baseUrl: '',
    },
  };
}

export function newDataSource(jsonData?: InfraZenDataSourceOptions): DataSource {
  return new DataSource(instanceSettings(jsonData));
}

export const RANGE: TimeRange = (() => {
  const from = dateTime('2025-01-01T00:00:00Z');
  const to = dateTime('2025-01-31T00:00:00Z');
  return { from, to, raw: { from, to } };
})();

/** A canned answer: data for a success, or an error status (as Grafana's backendSrv throws it). */
export type Answer = { data: unknown } | { status: number; data?: unknown; statusText?: string };

export interface FakeBackend {
  fetch: jest.Mock<Observable<FetchResponse<unknown>>, [BackendSrvRequest]>;
  /** Requests made so far, for assertions on method, URL, body and params. */
  requests: () => BackendSrvRequest[];
}

function response(options: BackendSrvRequest, data: unknown): FetchResponse<unknown> {
  return {
    data,
    status: 200,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: options.url,
    config: options,
  };
}

/**
 * Installs a backendSrv whose `fetch` answers from `routes`, keyed by the path after the proxy URL
 * (`/api/v1/me`); the longest matching prefix wins. Unrouted paths answer 404.
 */
export function fakeBackend(routes: Record<string, Answer | ((options: BackendSrvRequest) => Answer)>): FakeBackend {
  const fetch = jest.fn((options: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    const path = options.url.startsWith(PROXY_URL) ? options.url.slice(PROXY_URL.length) : options.url;
    const key = Object.keys(routes)
      .filter((prefix) => path.startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0];
    const route = key === undefined ? undefined : routes[key];
    const answer: Answer = typeof route === 'function' ? route(options) : (route ?? { status: 404, data: 'not found' });
    if ('status' in answer) {
      const error: FetchError<unknown> = {
        status: answer.status,
        statusText: answer.statusText ?? '',
        data: answer.data,
        config: options,
      };
      return throwError(() => error);
    }
    return of(response(options, answer.data));
  });
  // Only fetch is used by the plugin; the other BackendSrv methods are deliberately absent.
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return { fetch, requests: () => fetch.mock.calls.map(([options]) => options) };
}

export interface FakeVariable {
  name: string;
  /** Current selection; `'$__all'` (or `['$__all']`) for "All". */
  current: string | string[];
  /** All options, which Grafana substitutes for "All" when the variable has no custom all value. */
  options?: string[];
}

/**
 * A TemplateSrv that interpolates `$name`, `${name}` and `[[name]]` the way Grafana does for the cases
 * the plugin relies on: scoped vars win, "All" expands to every option, a format function receives a
 * multi-value selection as an array, and the default format renders it as `{a,b}`.
 */
export function fakeTemplateSrv(variables: FakeVariable[] = []): TemplateSrv {
  const find = (name: string) => variables.find((v) => v.name === name);
  const srv: TemplateSrv = {
    getVariables: () =>
      variables.map(
        (v) =>
          // The plugin only reads name and current.value; full models carry dozens of unrelated fields.
          ({
            name: v.name,
            type: 'custom',
            current: { value: v.current, text: v.current },
          }) as unknown as TypedVariableModel
      ),
    containsTemplate: (target) => /\$\w+|\$\{\w+|\[\[\w+/.test(target ?? ''),
    updateTimeRange: () => {},
    replace: (target, scopedVars, format) =>
      (target ?? '').replace(
        /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)\]\]/g,
        (match: string, a?: string, b?: string, c?: string) => {
          const name = a ?? b ?? c ?? '';
          const scoped = scopedVars?.[name];
          const variable = find(name);
          let value: string | string[];
          if (scoped) {
            value = String(scoped.value);
          } else if (variable) {
            const current = variable.current;
            const all = Array.isArray(current) ? current.includes('$__all') : current === '$__all';
            value = all ? (variable.options ?? []) : current;
          } else {
            return match;
          }
          if (typeof format === 'function') {
            return String(format(value));
          }
          return Array.isArray(value) ? (value.length > 1 ? `{${value.join(',')}}` : (value[0] ?? '')) : value;
        }
      ),
  };
  setTemplateSrv(srv);
  return srv;
}
