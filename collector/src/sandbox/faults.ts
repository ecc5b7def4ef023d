/**
 * Fault switches for the sandbox, per endpoint: tests flip them to prove the connectors and the sync
 * engine survive what real providers do. Endpoint names are the sandbox's route names (e.g.
 * `beget.vps.list`, `selectel.servers:ru-3`); a switch on `selectel.servers` matches every region.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type Fault =
  /** An HTTP error status; 429/503 carry Retry-After when given. */
  | { kind: 'status'; status: 429 | 500 | 502 | 503; retryAfterSeconds?: number; times?: number }
  /** Accept the request, never answer (until the sandbox closes). */
  | { kind: 'timeout'; times?: number }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed'; times?: number }
  /** 200 with the JSON body cut in half. */
  | { kind: 'truncated'; times?: number }
  /** Beget legacy: "Cannot access method …" inside a 200 envelope. */
  | { kind: 'no-access'; times?: number }
  /** Tokens issued by this provider expire after this many authenticated requests. */
  | { kind: 'token-expiry'; afterRequests: number; times?: number };

interface Switch {
  fault: Fault;
  remaining: number;
}

export class FaultSwitchboard {
  private readonly switches = new Map<string, Switch>();
  private readonly hitCounts = new Map<string, number>();
  private readonly hanging = new Set<FastifyReply>();

  set(endpoint: string, fault: Fault): void {
    this.switches.set(endpoint, { fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(endpoint?: string): void {
    if (endpoint === undefined) this.switches.clear();
    else this.switches.delete(endpoint);
  }

  /** Requests seen per endpoint (faulted or not), to check retries and Retry-After in tests. */
  hits(endpoint: string): number {
    let total = 0;
    for (const [name, count] of this.hitCounts)
      if (name === endpoint || name.startsWith(`${endpoint}:`)) total += count;
    return total;
  }

  resetHits(): void {
    this.hitCounts.clear();
  }

  /** The active fault of a kind for an endpoint, consuming one use. Exact name wins over its family. */
  take(endpoint: string, kinds?: Fault['kind'][]): Fault | undefined {
    const family = endpoint.split(':')[0]!;
    for (const name of [endpoint, family]) {
      const sw = this.switches.get(name);
      if (!sw || (kinds && !kinds.includes(sw.fault.kind))) continue;
      if (sw.remaining <= 0) continue;
      sw.remaining--;
      return sw.fault;
    }
    return undefined;
  }

  /** Current token-expiry policy for a provider (not consumed per request). */
  tokenLifetime(provider: string): number | undefined {
    const sw = this.switches.get(`${provider}.token-expiry`);
    return sw && sw.fault.kind === 'token-expiry' && sw.remaining > 0 ? sw.fault.afterRequests : undefined;
  }

  recordHit(endpoint: string): void {
    this.hitCounts.set(endpoint, (this.hitCounts.get(endpoint) ?? 0) + 1);
  }

  /**
   * Installs the hooks on a sandbox server. Routes name their endpoint with `config.endpoint`
   * (a function of the request when the name depends on a path parameter, e.g. the region).
   */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const endpoint = endpointOf(request);
      if (!endpoint) return;
      this.recordHit(endpoint);
      const fault = this.take(endpoint, ['status', 'timeout']);
      if (!fault) return;
      if (fault.kind === 'timeout') {
        this.hanging.add(reply);
        reply.hijack();
        return;
      }
      if (fault.kind === 'status') {
        if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
        return reply
          .code(fault.status)
          .type('application/json')
          .send(JSON.stringify({ error: `sandbox fault ${fault.status}` }));
      }
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const endpoint = endpointOf(request);
      if (!endpoint || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      const fault = this.take(endpoint, ['malformed', 'truncated']);
      if (!fault) return payload;
      if (fault.kind === 'malformed') return '<html><body>502 Bad Gateway (nginx)</body></html>';
      return payload.slice(0, Math.floor(payload.length / 2));
    });
    app.addHook('onClose', async () => {
      for (const reply of this.hanging) reply.raw.destroy();
      this.hanging.clear();
    });
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Sandbox endpoint name for fault switches and hit counts. */
    endpoint?: string | ((request: FastifyRequest) => string);
  }
}

function endpointOf(request: FastifyRequest): string | undefined {
  const endpoint = request.routeOptions.config.endpoint;
  return typeof endpoint === 'function' ? endpoint(request) : endpoint;
}
