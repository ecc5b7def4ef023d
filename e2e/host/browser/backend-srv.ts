/**
 * @grafana/runtime's BackendSrv over window.fetch, with the semantics plugins rely on (Grafana's
 * public/app/core/services/backend_srv.ts): `params` as a query string, `data` as a JSON body, JSON or
 * text responses, FetchError-shaped rejections for non-2xx, `requestId` cancelling the previous request
 * with the same id, and error/success toasts unless a request turns them off.
 */
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

import { notify } from './notifications.js';

const inFlight = new Map<string, AbortController>();

function withParams(url: string, params: Record<string, unknown> | undefined): string {
  if (!params) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      search.append(key, String(v));
    }
  }
  const query = search.toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

function requestBody(data: unknown, headers: Headers): BodyInit | undefined {
  if (data === undefined || data === null) {
    return undefined;
  }
  if (typeof data === 'string' || data instanceof FormData || data instanceof Blob || data instanceof URLSearchParams) {
    return data;
  }
  if (!headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  return JSON.stringify(data);
}

async function parseBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  if (response.status === 204) {
    return undefined;
  }
  switch (responseType) {
    case 'blob':
      return response.blob();
    case 'arraybuffer':
      return response.arrayBuffer();
    case 'text':
      return response.text();
  }
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(data: unknown, fallback: string): string {
  if (data && typeof data === 'object') {
    const { message, error } = data as { message?: unknown; error?: unknown };
    if (typeof message === 'string') {
      return message;
    }
    if (typeof error === 'string') {
      return error;
    }
  }
  return typeof data === 'string' && data ? data : fallback;
}

async function send<T>(options: BackendSrvRequest, signal: AbortSignal): Promise<FetchResponse<T>> {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers = new Headers(options.headers ?? {});
  headers.set('X-Grafana-Org-Id', '1');
  if (method !== 'GET') {
    headers.set('X-Grafana-Action', '1');
  }
  const url = withParams(options.url, options.params);
  const response = await fetch(url, {
    method,
    headers,
    body: requestBody(options.data, headers),
    credentials: 'same-origin',
    signal,
  });
  const data = (await parseBody(response, options.responseType)) as T;
  const result: FetchResponse<T> = {
    data,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
  if (!response.ok) {
    const error: FetchError = {
      status: response.status,
      statusText: response.statusText,
      data,
      message: errorMessage(data, response.statusText),
      config: options,
    };
    throw error;
  }
  return result;
}

const DATA_QUERY = /api\/datasources\/proxy|api\/ds\/query/;

/** Grafana's rule: unless asked, only failed writes to Grafana's own API raise a toast. */
function shouldShowError(options: BackendSrvRequest, method: string): boolean {
  if (options.showErrorAlert !== undefined) {
    return options.showErrorAlert;
  }
  return method !== 'GET' && !DATA_QUERY.test(options.url) && !/^https?:/.test(options.url);
}

function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();
    if (options.requestId) {
      inFlight.get(options.requestId)?.abort();
      inFlight.set(options.requestId, controller);
    }
    options.abortSignal?.addEventListener('abort', () => controller.abort());
    const method = (options.method ?? 'GET').toUpperCase();
    send<T>(options, controller.signal)
      .then((response) => {
        const message = (response.data as { message?: unknown } | undefined)?.message;
        if (options.showSuccessAlert !== false && method !== 'GET' && typeof message === 'string') {
          notify('success', message);
        }
        subscriber.next(response);
        subscriber.complete();
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) {
          // Grafana reports a superseded request as cancelled rather than failed.
          subscriber.error({ status: -1, cancelled: true, data: null, config: options } satisfies FetchError);
          return;
        }
        const error: FetchError =
          err && typeof err === 'object' && 'status' in err
            ? (err as FetchError)
            : { status: 0, statusText: 'Network error', data: { message: String(err) }, config: options };
        if (shouldShowError(options, method)) {
          notify('error', `${error.status} ${error.message ?? error.statusText ?? ''}`.trim());
        }
        subscriber.error(error);
      })
      .finally(() => {
        if (options.requestId && inFlight.get(options.requestId) === controller) {
          inFlight.delete(options.requestId);
        }
      });
    return () => controller.abort();
  });
}

async function request<T>(options: BackendSrvRequest): Promise<T> {
  return (await lastValueFrom(fetchObservable<T>(options))).data;
}

export const hostBackendSrv: BackendSrv = {
  fetch: fetchObservable,
  request,
  datasourceRequest: <T>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
  get: <T>(url: string, params?: Record<string, unknown>, requestId?: string, options?: Partial<BackendSrvRequest>) =>
    request<T>({ ...options, url, params, requestId, method: 'GET' }),
  delete: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    request<T>({ ...options, url, data, method: 'DELETE' }),
  post: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    request<T>({ ...options, url, data, method: 'POST' }),
  patch: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    request<T>({ ...options, url, data, method: 'PATCH' }),
  put: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
    request<T>({ ...options, url, data, method: 'PUT' }),
  chunked: () => {
    throw new Error('chunked requests are not emulated by the test host');
  },
};
