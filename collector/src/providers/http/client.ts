/**
 * HTTP for connectors: undici with timeouts, bounded retries with exponential backoff and full jitter on
 * 429/5xx/timeouts/unreachable/malformed bodies, Retry-After honoured, no retry on other 4xx, and one
 * token refresh when an authenticated call answers 401 (tokens expire mid-sync).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import type { Logger } from '../../observability/logger.js';
import { kindForStatus, ProviderError } from './errors.js';

export interface HttpOptions {
  /** Per attempt: until response headers, and between body chunks. */
  timeoutMs: number;
  /** Extra attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate_limited. */
  maxRetryAfterMs: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  timeoutMs: 30_000,
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

/** Supplies auth headers; `refresh` is called once when an authenticated request gets 401. */
export interface AuthProvider {
  headers(): Promise<Record<string, string>>;
  refresh(): Promise<void>;
}

export interface HttpRequest {
  /** Stable name for errors, logs and sandbox fault switches, e.g. `vps.list` or `servers:ru-3`. */
  endpoint: string;
  method?: 'GET' | 'POST';
  url: string;
  query?: Record<string, string | number | readonly string[] | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Attach the AuthProvider's headers (default true when the client has one). */
  auth?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface HttpClientInit {
  provider: string;
  options: HttpOptions;
  logger: Logger;
  auth?: AuthProvider;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export class ProviderHttpClient {
  private auth?: AuthProvider;

  constructor(private readonly init: HttpClientInit) {
    this.auth = init.auth;
  }

  /** Set after construction when the auth flow itself needs this client. */
  setAuth(auth: AuthProvider): void {
    this.auth = auth;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const { options } = this.init;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(req);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const useAuth = req.auth ?? this.auth !== undefined;
        if (err.kind === 'auth' && useAuth && this.auth && !refreshed) {
          refreshed = true;
          this.init.logger.debug(
            { provider: this.init.provider, endpoint: req.endpoint },
            'token rejected; refreshing'
          );
          await this.auth.refresh();
          attempt--; // a refresh is not a retry
          continue;
        }
        if (!err.retryable || attempt >= options.retries || this.init.signal?.aborted) throw err;
        const delay = this.delayFor(err, attempt);
        this.init.logger.warn(
          {
            provider: this.init.provider,
            endpoint: req.endpoint,
            kind: err.kind,
            status: err.status,
            attempt: attempt + 1,
            delayMs: delay,
          },
          'provider call failed; retrying'
        );
        await sleep(delay, undefined, { signal: this.init.signal });
      }
    }
  }

  private delayFor(err: ProviderError, attempt: number): number {
    const { options } = this.init;
    if (err.retryAfterSeconds !== undefined) {
      const ms = err.retryAfterSeconds * 1000;
      if (ms > options.maxRetryAfterMs) throw err;
      return ms;
    }
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private async once<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const { options, provider } = this.init;
    const url = new URL(req.url);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if ((req.auth ?? true) && this.auth) Object.assign(headers, await this.auth.headers());
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }

    const started = Date.now();
    let status: number;
    let responseHeaders: HttpResponse['headers'];
    let text: string;
    try {
      const res = await request(url, {
        method: req.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: this.init.signal,
        dispatcher: this.init.dispatcher,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      throw classifyNetworkError(err, provider, req.endpoint);
    }
    this.init.logger.debug({ provider, endpoint: req.endpoint, status, ms: Date.now() - started }, 'provider call');

    if (status < 200 || status >= 300) {
      throw new ProviderError(
        kindForStatus(status),
        req.endpoint,
        `${provider} ${req.endpoint}: HTTP ${status}${summarize(text)}`,
        {
          status,
          retryAfterSeconds:
            status === 429 || status === 503 ? parseRetryAfter(responseHeaders['retry-after']) : undefined,
        }
      );
    }
    if (text.length === 0) return { status, headers: responseHeaders, body: undefined as T };
    try {
      return { status, headers: responseHeaders, body: JSON.parse(text) as T };
    } catch {
      throw new ProviderError(
        'bad_response',
        req.endpoint,
        `${provider} ${req.endpoint}: the response is not valid JSON`,
        { status }
      );
    }
  }
}

function classifyNetworkError(err: unknown, provider: string, endpoint: string): Error {
  const code = (err as { code?: string }).code ?? '';
  const name = (err as { name?: string }).name ?? '';
  if (name === 'AbortError') return err as Error;
  if (TIMEOUT_CODES.has(code)) {
    return new ProviderError('timeout', endpoint, `${provider} ${endpoint}: no answer within the timeout`, {
      cause: err,
    });
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return new ProviderError('bad_response', endpoint, `${provider} ${endpoint}: the response was cut short`, {
      cause: err,
    });
  }
  if (NETWORK_CODES.has(code) || code.startsWith('UND_ERR')) {
    return new ProviderError('unreachable', endpoint, `${provider} ${endpoint}: cannot reach the API (${code})`, {
      cause: err,
    });
  }
  return new ProviderError(
    'unreachable',
    endpoint,
    `${provider} ${endpoint}: ${(err as Error).message ?? 'request failed'}`,
    { cause: err }
  );
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** A short, single-line hint from an error body (provider messages help users; bodies may be huge). */
function summarize(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (!trimmed) return '';
  return ` (${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed})`;
}
