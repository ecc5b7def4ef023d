import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLogger } from '../src/observability/logger.js';
import { parseRetryAfter, ProviderHttpClient, type HttpOptions } from '../src/providers/http/client.js';
import { ProviderError } from '../src/providers/http/errors.js';

const options: HttpOptions = { timeoutMs: 300, retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 3_000 };
const logger = createLogger('silent');

describe('provider HTTP client', () => {
  let app: FastifyInstance;
  let base: string;
  let script: (number | 'hang' | 'garbage')[] = [];
  let hits = 0;
  let authHeaders: (string | undefined)[] = [];

  before(async () => {
    app = Fastify({ forceCloseConnections: true });
    app.all('/x', async (request, reply) => {
      hits++;
      authHeaders.push(request.headers.authorization);
      const step = script.shift() ?? 200;
      if (step === 'hang') return new Promise(() => undefined);
      if (step === 'garbage') return reply.type('application/json').send('{"half": ');
      if (step === 429) reply.header('retry-after', '1');
      if (step === 401 && request.headers.authorization === 'Bearer fresh') return { ok: true, hits };
      return reply.code(step).send({ ok: step === 200, hits });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  after(() => app.close());
  beforeEach(() => {
    hits = 0;
    authHeaders = [];
  });

  const client = (extra: Partial<ConstructorParameters<typeof ProviderHttpClient>[0]> = {}) =>
    new ProviderHttpClient({ provider: 'test', options, logger, ...extra });

  it('retries 5xx with backoff and succeeds', async () => {
    script = [500, 502, 503];
    const res = await client().request<{ ok: boolean }>({ endpoint: 'x', url: `${base}/x` });
    assert.equal(res.body.ok, true);
    assert.equal(hits, 4);
  });

  it('honours Retry-After on 429', async () => {
    script = [429];
    const started = Date.now();
    await client().request({ endpoint: 'x', url: `${base}/x` });
    assert.equal(hits, 2);
    assert.ok(Date.now() - started >= 950, 'waited for the Retry-After second');
  });

  it('gives up after the bounded number of retries with a classified error', async () => {
    script = [503, 503, 503, 503, 503];
    await assert.rejects(client().request({ endpoint: 'x', url: `${base}/x` }), (err: ProviderError) => {
      assert.equal(err.kind, 'server');
      assert.equal(err.status, 503);
      return true;
    });
    assert.equal(hits, 4);
    script = [];
  });

  it('does not retry other 4xx', async () => {
    script = [400];
    await assert.rejects(client().request({ endpoint: 'x', url: `${base}/x` }), { kind: 'provider', status: 400 });
    assert.equal(hits, 1);
    script = [403];
    await assert.rejects(client().request({ endpoint: 'x', url: `${base}/x` }), { kind: 'forbidden' });
    assert.equal(hits, 2);
  });

  it('refreshes an expired token once on 401', async () => {
    let token = 'stale';
    let refreshes = 0;
    const auth = {
      headers: async () => ({ authorization: `Bearer ${token}` }),
      refresh: async () => {
        refreshes++;
        token = 'fresh';
      },
    };
    script = [401];
    const res = await client({ auth }).request<{ ok: boolean }>({ endpoint: 'x', url: `${base}/x` });
    assert.equal(res.body.ok, true);
    assert.equal(refreshes, 1);
    assert.deepEqual(authHeaders, ['Bearer stale', 'Bearer fresh']);
    script = [401, 401];
    token = 'stale';
    // With a token that stays bad, the second 401 is an auth error, not a loop.
    const badAuth = { headers: async () => ({ authorization: 'Bearer never' }), refresh: async () => undefined };
    await assert.rejects(client({ auth: badAuth }).request({ endpoint: 'x', url: `${base}/x` }), { kind: 'auth' });
  });

  it('times out a silent server and retries, then reports a timeout', async () => {
    script = ['hang', 'hang', 'hang', 'hang'];
    await assert.rejects(client().request({ endpoint: 'x', url: `${base}/x` }), { kind: 'timeout' });
    assert.equal(hits, 4);
  });

  it('treats a malformed body as a retryable bad response', async () => {
    script = ['garbage'];
    const res = await client().request<{ ok: boolean }>({ endpoint: 'x', url: `${base}/x` });
    assert.equal(res.body.ok, true);
    script = ['garbage', 'garbage', 'garbage', 'garbage'];
    await assert.rejects(client().request({ endpoint: 'x', url: `${base}/x` }), { kind: 'bad_response' });
  });

  it('reports an unreachable API without echoing credentials in the URL', async () => {
    await assert.rejects(
      client().request({ endpoint: 'x', url: 'http://127.0.0.1:1/x', query: { passwd: 'hunter2' } }),
      (err: ProviderError) => {
        assert.equal(err.kind, 'unreachable');
        assert.ok(!err.message.includes('hunter2'));
        return true;
      }
    );
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('7'), 7);
    assert.equal(parseRetryAfter(undefined), undefined);
    const inTwo = new Date(Date.now() + 2_000).toUTCString();
    assert.ok([1, 2].includes(parseRetryAfter(inTwo)!));
  });
});
