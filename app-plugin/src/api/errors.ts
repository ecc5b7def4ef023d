import { isFetchError } from '@grafana/runtime';

import { t } from '../i18n';

/** What the page shows for a failed collector call: one sentence, plus per-field messages for forms. */
export interface ErrorInfo {
  message: string;
  status?: number;
  /** Collector validation details by JSON pointer (`/credentials/password` → "must not be empty"). */
  fields: Record<string, string>;
}

/** What Grafana answers itself, before the collector is reached (plugin proxy, pluginproxy.go). */
const ROUTE_DENIED = /plugin proxy route access denied/i;
const ROUTE_MISSING = /plugin route match not found/i;
/** The plugin proxy answers 502 when nothing listens, 504 when no headers came in time. */
const UNREACHABLE = new Set([0, 502, 504]);

function responseMessage(data: unknown): string | undefined {
  if (typeof data === 'string') {
    return data.trim() || undefined;
  }
  if (data && typeof data === 'object') {
    const { message, error } = data as { message?: unknown; error?: unknown };
    if (typeof message === 'string' && message) {
      return message;
    }
    if (typeof error === 'string' && error) {
      return error;
    }
  }
  return undefined;
}

function fieldDetails(data: unknown): Record<string, string> {
  const details = (data as { details?: unknown } | undefined)?.details;
  const fields: Record<string, string> = {};
  if (Array.isArray(details)) {
    for (const d of details) {
      const { path, instancePath, message } = (d ?? {}) as {
        path?: unknown;
        instancePath?: unknown;
        message?: unknown;
      };
      const pointer = typeof path === 'string' ? path : typeof instancePath === 'string' ? instancePath : undefined;
      if (pointer !== undefined && typeof message === 'string') {
        fields[pointer] = message;
      }
    }
  }
  return fields;
}

export function describeError(err: unknown): ErrorInfo {
  if (isFetchError<unknown>(err)) {
    const status = err.status;
    const detail = responseMessage(err.data) ?? err.statusText ?? err.message ?? '';
    const fields = fieldDetails(err.data);
    if (status === 401) {
      return { status, fields, message: t('error.tokenRejected') };
    }
    if (status === 403) {
      return { status, fields, message: ROUTE_DENIED.test(detail) ? t('error.roleDenied') : t('error.forbidden') };
    }
    if (status === 404 && ROUTE_MISSING.test(detail)) {
      return { status, fields, message: t('error.routeMissing') };
    }
    if (UNREACHABLE.has(status)) {
      return { status, fields, message: t('error.unreachable', { detail: detail || String(status) }) };
    }
    return { status, fields, message: detail || t('error.status', { status }) };
  }
  if (err instanceof Error) {
    return { message: err.message, fields: {} };
  }
  return { message: String(err), fields: {} };
}

/** 404 from the collector itself (not from the route table): the endpoint or the object does not exist. */
export function isNotFound(err: unknown): boolean {
  return isFetchError(err) && err.status === 404 && !ROUTE_MISSING.test(responseMessage(err.data) ?? '');
}
