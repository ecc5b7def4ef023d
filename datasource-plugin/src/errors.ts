import { FetchError, isFetchError } from '@grafana/runtime';

import { t } from './i18n';

export interface ErrorInfo {
  message: string;
  status?: number;
}

/**
 * Grafana's data proxy rewrites an upstream 401 into a 400 with this plain-text body (so that a rejected
 * data source credential does not log the Grafana user out). Nothing else answers 400 with it.
 */
const PROXY_AUTH_FAILED = /authentication to data source failed/i;

/** What the data proxy answers when the collector does not: no connection (502), no headers in time (504). */
const UNREACHABLE = new Set([0, 502, 504]);

/** The server's own explanation, from a JSON `{message}` / `{error}` body or a plain-text one. */
export function responseMessage(data: unknown): string | undefined {
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

/** True when the collector refused the datasource's API token (seen through the proxy as a 400). */
export function isTokenRejected(err: FetchError<unknown>): boolean {
  return err.status === 401 || (err.status === 400 && PROXY_AUTH_FAILED.test(responseMessage(err.data) ?? ''));
}

/** A failed collector call as one readable sentence, for query errors and variable editors. */
export function describeError(err: unknown): ErrorInfo {
  if (isFetchError<unknown>(err)) {
    const status = err.status;
    if (isTokenRejected(err)) {
      return { status, message: t('error.tokenRejected') };
    }
    if (status === 403) {
      return { status, message: t('error.forbidden') };
    }
    const detail = responseMessage(err.data) ?? err.statusText ?? err.message ?? '';
    if (UNREACHABLE.has(status)) {
      return { status, message: t('error.unreachable', { detail: detail || String(status) }) };
    }
    return { status, message: t('error.collector', { status, detail }) };
  }
  if (err instanceof Error) {
    return { message: err.message };
  }
  return { message: String(err) };
}
