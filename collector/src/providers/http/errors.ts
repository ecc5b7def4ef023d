/**
 * Provider failures, classified so the API can give a human-readable reason and the retry loop knows
 * what is worth retrying. Messages never contain credentials or query strings.
 */
export type ProviderErrorKind =
  | 'auth' // bad credentials
  | 'forbidden' // authenticated, but no role / method not permitted
  | 'not_found'
  | 'rate_limited'
  | 'server' // 5xx
  | 'timeout'
  | 'unreachable' // DNS, connection refused, TLS
  | 'bad_response' // malformed or truncated body, unexpected envelope
  | 'provider'; // a provider-level error inside a 200 envelope

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'server',
  'timeout',
  'unreachable',
  'bad_response',
]);

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly endpoint: string;
  readonly status?: number;
  /** Seconds the provider asked us to wait (Retry-After). */
  readonly retryAfterSeconds?: number;

  constructor(
    kind: ProviderErrorKind,
    endpoint: string,
    message: string,
    options: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {}
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.endpoint = endpoint;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** A reason a person can act on, for `POST /connections/{id}/test` and snapshot errors. */
export function describeProviderError(err: unknown): { kind: ProviderErrorKind; message: string } {
  if (err instanceof ProviderError) return { kind: err.kind, message: err.message };
  return { kind: 'provider', message: err instanceof Error ? err.message : String(err) };
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'provider';
}
