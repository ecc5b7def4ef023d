/** The reverse-proxy half of the data proxy and plugin proxy: one upstream call, streamed both ways. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ProxyError, type UpstreamRequest } from './proxy.js';

/** `[dataproxy] timeout`: Grafana's default wait for response headers. */
const UPSTREAM_TIMEOUT_MS = 30_000;

const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  // fetch() has already decoded the body.
  'content-encoding',
  'content-length',
]);

export interface ForwardResult {
  status: number;
}

/** Sends `upstream`, then relays the answer (data proxy: an upstream 401 becomes Grafana's 400). */
export async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: UpstreamRequest,
  kind: 'datasource' | 'app'
): Promise<ForwardResult> {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let response: Response;
  try {
    response = await fetch(upstream.url, {
      method: req.method,
      headers: upstream.headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      // @ts-expect-error undici needs this for a streamed request body; lib.dom's RequestInit lacks it.
      duplex: 'half',
      redirect: 'manual',
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    throw new ProxyError(timedOut ? 504 : 502, timedOut ? 'Gateway Timeout' : 'Bad Gateway');
  }

  if (kind === 'datasource' && response.status === 401) {
    // ds_proxy.go: a data source credential failure must not look like the Grafana session expiring.
    await response.body?.cancel();
    const message = 'Authentication to data source failed';
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) });
    res.end(message);
    return { status: 400 };
  }

  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) {
      headers[name] = value;
    }
  });
  res.writeHead(response.status, headers);
  if (response.body) {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
  } else {
    res.end();
  }
  return { status: response.status };
}
