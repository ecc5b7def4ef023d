/** Turns a failed call into the EndpointError the sync records, so one endpoint's failure never aborts the rest. */
import { ProviderError } from '../http/errors.js';
import type { EndpointError } from '../types.js';

export function toEndpointError(err: unknown, fallbackEndpoint: string, context?: string): EndpointError {
  const suffix = context ? ` (${context})` : '';
  if (err instanceof ProviderError) {
    return { endpoint: err.endpoint, kind: err.kind, message: `${err.message}${suffix}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { endpoint: fallbackEndpoint, kind: 'provider', message: `beget ${fallbackEndpoint}: ${message}${suffix}` };
}

/** A cancelled sync must stop, not be recorded as one more failed endpoint. */
export function rethrowIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('sync aborted');
}
