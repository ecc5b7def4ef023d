/**
 * Requests generated from the API's own schemas, against every endpoint of the running app (the route
 * catalog and the OpenAPI document, so endpoints added later are fuzzed without a change here):
 * - schema-shaped and hostile requests (fast-check): never a 5xx, every error a JSON `{error, message}`,
 *   and a request that was refused (4xx) changed nothing in the database;
 * - SQL injection and path traversal strings in every parameter (path, query, every string in the body,
 *   the Grafana headers): nothing changes beyond what the same request without them changes, and a
 *   canary table the injections aim at survives;
 * - bodies over the limit are refused with 413.
 * The data behind the endpoints is real: two tenants, sandbox syncs, snapshots, resources, costs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { querySchemas } from '../src/query/schemas.js';
import { createToken } from '../src/services/tenancy.js';
import { adminContext, type As } from './helpers/actors.js';
import { changedTables, fingerprint, tenantRowIds } from './helpers/db-scan.js';
import { stopTestCluster } from './helpers/postgres.js';
import { apiOperations, urlOf, wellFormed, type Operation, type Parameter } from './helpers/route-catalog.js';
import {
  exampleOf,
  hostileArbitrary,
  HOSTILE_STRINGS,
  PATH_TRAVERSALS,
  replaceAt,
  SQL_INJECTIONS,
  stringPaths,
  validArbitrary,
  type JsonSchema,
} from './helpers/schema-arbitrary.js';
import { createWorld, type World } from './helpers/world.js';

const NOW = new Date('2026-11-20T09:00:00Z');
const RANGE = { from: '2026-11-17T00:00:00Z', to: '2026-11-20T09:00:00Z' };
/** Runs per endpoint: enough to hit every branch of a schema a few times, small enough for CI. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 20251120);
const BODY_LIMIT = 10 * 1024 * 1024;

/** Body schemas of the query API's queries, per query type (its route schema leaves them open). */
const QUERY_ITEM_SCHEMAS = Object.values(querySchemas).map(
  (schema) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
);

interface Problem {
  op: string;
  request: string;
  problem: string;
}

describe('fuzz: every endpoint, requests generated from its schemas', { timeout: 600_000 }, () => {
  let world: World;
  let ops: Operation[];
  /** The most privileged caller (a Grafana server admin through a support token): reaches every route. */
  let admin: As;
  /** Ids of rows of both tenants, for path and query parameters that name things. */
  let knownIds: string[];
  const problems: Problem[] = [];

  before(async () => {
    const w = await createWorld('fuzz', { now: NOW, sandboxSeeds: [undefined, 7] });
    world = w;
    const b = await w.addTenant(2, 'Fuzz B');
    // Little data (one day of billing) keeps the per-request database fingerprint cheap.
    const settings = { backfillDays: 1 };
    for (const provider of ['selectel', 'beget'] as const)
      await w.connectAndSync(w.a, w.sandboxes[0]!, provider, { settings });
    await w.connectAndSync(b, w.sandboxes[1]!, 'beget', { settings });
    const support = await createToken(w.t.db, {
      tenantId: w.a.id,
      name: 'fuzz support',
      actor: 'test',
      actorKind: 'cli',
      supportAccess: true,
    });
    admin = { token: support.token, context: adminContext('fuzzer') };
    await w.t.db.query(
      `CREATE TABLE fuzz_canary (id int PRIMARY KEY, note text); INSERT INTO fuzz_canary VALUES (1, 'alive')`
    );
    knownIds = await tenantRowIds(w.t.db, { perTable: 5 });
    ops = order(await apiOperations(w.app));
  });
  after(async () => {
    await world?.close();
    await stopTestCluster();
  });

  /** Reads first, then writes, deletes last (they remove what the others need). */
  function order(list: Operation[]) {
    const rank = (m: string) => ({ GET: 0, POST: 1, PUT: 1, PATCH: 2, DELETE: 3 })[m] ?? 2;
    return [...list].sort((x, y) => rank(x.method) - rank(y.method) || x.url.localeCompare(y.url));
  }

  /** Values that make a parameter reach real rows: known ids for id-like names, a valid time range. */
  function hint(name: string, schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
    if (name === 'from') return fc.constant(RANGE.from);
    if (name === 'to') return fc.constant(RANGE.to);
    if (/(^id$|Id$|^connection$|^resource$)/.test(name) || schema.format === 'uuid')
      return fc.constantFrom(...knownIds);
    return undefined;
  }

  /** A path or query parameter: from its schema (hostile nodes included), or a hint that reaches rows. */
  function paramArbitrary(p: Parameter): fc.Arbitrary<unknown> {
    const options = [{ weight: 2, arbitrary: hostileArbitrary(p.schema) }];
    const h = hint(p.name, p.schema);
    if (h) options.push({ weight: 2, arbitrary: h });
    return fc.oneof(...options);
  }

  function bodyArbitrary(op: Operation): fc.Arbitrary<unknown> {
    if (op.url === '/api/v1/query') {
      const query = fc.oneof(...QUERY_ITEM_SCHEMAS.map((s) => fc.oneof(validArbitrary(s), hostileArbitrary(s))));
      return fc.record({
        from: fc.oneof(fc.constant(RANGE.from), hostileArbitrary({ type: 'string' })),
        to: fc.oneof(fc.constant(RANGE.to), fc.constant(Date.parse(RANGE.to)), hostileArbitrary({ type: 'string' })),
        queries: fc.array(query, { minLength: 1, maxLength: 3 }),
      });
    }
    if (!op.body) return fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined });
    return fc.oneof(validBodyArbitrary(op), hinted(op, hostileArbitrary(op.body)));
  }

  function validBodyArbitrary(op: Operation): fc.Arbitrary<unknown> {
    return op.body ? hinted(op, validArbitrary(op.body)) : fc.constant(undefined);
  }

  /** Top-level body properties get their hints (ids, time range) half of the time. */
  function hinted(op: Operation, base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const props = op.body?.properties ?? {};
    const withHints = Object.entries(props).flatMap(([name, schema]) => {
      const h = hint(name, schema);
      return h ? [[name, h] as const] : [];
    });
    if (withHints.length === 0) return base;
    return fc
      .tuple(base, fc.record(Object.fromEntries(withHints)), fc.boolean())
      .map(([value, hints, use]) =>
        use && value && typeof value === 'object' && !Array.isArray(value) ? { ...value, ...hints } : value
      );
  }

  function requestArbitrary(op: Operation) {
    const pathValues = fc.record(
      Object.fromEntries(op.pathParams.map((p) => [p.name, paramArbitrary(p).map(String)]))
    ) as fc.Arbitrary<Record<string, string>>;
    const query = fc.record(Object.fromEntries(op.query.map((p) => [p.name, paramArbitrary(p)])), {
      requiredKeys: [],
    });
    const body = ['GET', 'DELETE'].includes(op.method) ? fc.constant(undefined) : bodyArbitrary(op);
    return fc.record({ pathValues, query, body });
  }

  async function send(op: Operation, url: string, body: unknown, as: As = admin) {
    const res = await world.call(as, op.method, url, body);
    await world.idle();
    return res;
  }

  /** What is wrong with an answer (empty: nothing). */
  function check(res: { statusCode: number; body: string; headers: Record<string, unknown> }): string[] {
    const found: string[] = [];
    if (res.statusCode >= 500) found.push(`answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) {
      let parsed: { error?: unknown; message?: unknown } | undefined;
      try {
        parsed = JSON.parse(res.body) as typeof parsed;
      } catch {
        found.push(`error body is not JSON: ${res.body.slice(0, 200)}`);
      }
      if (parsed && (typeof parsed.error !== 'string' || !parsed.error || typeof parsed.message !== 'string'))
        found.push(`error body lacks error/message: ${res.body.slice(0, 200)}`);
    }
    if (res.statusCode === 200 && String(res.headers['content-type']).includes('json')) {
      // The query API answers per query: a query's own 5xx is a 5xx too.
      let results: Record<string, { status?: number; error?: string }> | undefined;
      try {
        ({ results } = JSON.parse(res.body) as { results?: typeof results });
      } catch {
        found.push(`a JSON answer that does not parse: ${res.body.slice(0, 200)}`);
      }
      for (const [refId, r] of Object.entries(results ?? {}))
        if ((r.status ?? 200) >= 500) found.push(`query ${refId} answered ${r.status}: ${r.error}`);
    }
    return found;
  }

  it('enumerates the endpoints from the running app', (ctx) => {
    assert.ok(ops.length >= 15, `only ${ops.length} operations found`);
    const keys = ops.map((o) => o.key);
    for (const expected of ['GET /api/v1/connections', 'POST /api/v1/query', 'GET /api/v1/snapshots/:id'])
      assert.ok(keys.includes(expected), `${expected} is not in the catalog`);
    const undocumented = ops.filter((o) => !o.documented && !o.public).map((o) => o.key);
    ctx.diagnostic(`${ops.length} operations; without an OpenAPI entry: ${undocumented.join(', ') || 'none'}`);
  });

  it('never answers 5xx, errors are {error, message}, refused requests change nothing', async (ctx) => {
    const statuses = new Map<string, number>();
    let last = await fingerprint(world.t.db);
    for (const op of ops) {
      const before = last;
      const result = await fc.check(
        fc.asyncProperty(requestArbitrary(op), async ({ pathValues, query, body }) => {
          const url = urlOf(op, pathValues, query as Record<string, unknown>);
          const res = await send(op, url, body);
          const found = check(res);
          const klass = `${Math.floor(res.statusCode / 100)}xx`;
          statuses.set(klass, (statuses.get(klass) ?? 0) + 1);
          if (op.method !== 'GET') {
            // Each write is compared with the state just before it (the previous request's after).
            const now = await fingerprint(world.t.db);
            const changed = changedTables(last, now);
            last = now;
            if (res.statusCode >= 400 && changed.length)
              found.push(`refused with ${res.statusCode} but changed ${changed.join(', ')}`);
          }
          for (const problem of found)
            problems.push({ op: op.key, request: `${url} ${JSON.stringify(body)?.slice(0, 300)}`, problem });
          return found.length === 0;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true }
      );
      // A request that threw (rather than answering badly) is a problem too.
      if (result.failed && !problems.some((p) => p.op === op.key))
        problems.push({
          op: op.key,
          request: fc.stringify(result.counterexample).slice(0, 300),
          problem: String(result.errorInstance),
        });
      if (op.method === 'GET') {
        last = await fingerprint(world.t.db);
        const changed = changedTables(before, last);
        if (changed.length) problems.push({ op: op.key, request: '(all runs)', problem: `a GET changed ${changed}` });
      }
    }
    ctx.diagnostic(`answers over ${ops.length} operations: ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual(problems, []);
    // The generator reaches past validation (else the property would hold vacuously).
    assert.ok((statuses.get('2xx') ?? 0) >= ops.length, `only ${statuses.get('2xx') ?? 0} requests succeeded`);
  });

  it('headers the collector reads (role, Grafana context, support tenant) are fuzzed too', async () => {
    const found: Problem[] = [];
    const reads = ops.filter((o) => o.method === 'GET' && o.pathParams.length === 0 && !o.public);
    const header = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 60 }), fc.json());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        header,
        fc.constantFrom('x-infrazen-role', 'x-grafana-context', 'x-infrazen-support-tenant', 'x-grafana-user'),
        async (op, value, name) => {
          const res = await send(op, urlOf(op, {}), undefined, {
            token: admin.token,
            headers: { [name]: wellFormed(value).replace(/[^\t\x20-\x7e\x80-\xff]/g, '?') },
          });
          for (const problem of check(res)) found.push({ op: op.key, request: `${name}: ${value}`, problem });
        }
      ),
      { numRuns: RUNS * 2, seed: SEED }
    );
    assert.deepEqual(found, []);
  });

  it('SQL injection and path traversal strings in every parameter change nothing', async (ctx) => {
    const payloads = [...SQL_INJECTIONS, ...PATH_TRAVERSALS];
    const found: Problem[] = [];
    let positions = 0;
    for (const op of ops) {
      if (op.public) continue;
      const base = await baselineOf(op);
      const { allowed } = base;
      const variants: { where: string; path: Record<string, string>; query: Record<string, unknown>; body: unknown }[] =
        [];
      // Path and query parameters get every payload; body strings (hundreds in the query API) a rotating
      // share with both kinds, so that every payload still lands in the body somewhere.
      for (const p of op.pathParams)
        for (const payload of payloads)
          variants.push({
            where: `path ${p.name}`,
            path: { ...base.path, [p.name]: payload },
            query: base.query,
            body: base.body,
          });
      for (const q of op.query)
        for (const payload of payloads)
          variants.push({
            where: `query ${q.name}`,
            path: base.path,
            query: { ...base.query, [q.name]: payload },
            body: base.body,
          });
      for (const [k, at] of stringPaths(base.body).entries())
        for (const payload of rotation(k))
          variants.push({
            where: `body ${at.join('.')}`,
            path: base.path,
            query: base.query,
            body: narrow(op, replaceAt(base.body, at, payload), at),
          });
      positions += op.pathParams.length + op.query.length + stringPaths(base.body).length;
      const print = await fingerprint(world.t.db);
      let accepted = false;
      for (const v of variants) {
        const url = urlOf(op, v.path, v.query);
        const res = await send(op, url, v.body);
        if (res.statusCode < 300 && op.method !== 'GET') accepted = true;
        for (const problem of check(res)) found.push({ op: op.key, request: `${v.where}: ${url}`, problem });
      }
      const changed = changedTables(print, await fingerprint(world.t.db));
      const unexpected = accepted ? changed.filter((c) => !allowed.includes(c)) : changed;
      if (unexpected.length)
        found.push({
          op: op.key,
          request: '(injections)',
          problem: `changed ${unexpected.join(', ')} (allowed: ${allowed})`,
        });
    }
    const [canary] = await world.t.db.query<{ note: string }>(`SELECT note FROM fuzz_canary WHERE id = 1`);
    assert.equal(canary?.note, 'alive', 'the canary row survived');
    const pwned = await world.t.db.query(`SELECT 1 FROM tenants WHERE name = 'pwned'`);
    assert.equal(pwned.length, 0);
    const accepted = [...baselines.values()].filter((b) => b.accepted).length;
    ctx.diagnostic(
      `${positions} parameter positions over ${ops.length} operations (${accepted} with a baseline request ` +
        `that passes validation; without one, injections only meet the validators)`
    );
    assert.deepEqual(found, []);
  });

  it('refuses bodies over the limit with 413 and changes nothing', async () => {
    const huge = JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) });
    const print = await fingerprint(world.t.db);
    const found: Problem[] = [];
    let checked = 0;
    for (const op of ops.filter((o) => ['POST', 'PUT', 'PATCH'].includes(o.method))) {
      const base = await baselineOf(op);
      const res = await world.app.inject({
        method: op.method as 'POST',
        url: urlOf(op, base.path, base.query),
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        payload: huge,
      });
      checked++;
      if (res.statusCode !== 413)
        found.push({ op: op.key, request: '10 MiB + JSON', problem: `answered ${res.statusCode}` });
      for (const problem of check(res)) found.push({ op: op.key, request: '10 MiB + JSON', problem });
    }
    assert.ok(checked >= 5);
    assert.deepEqual(changedTables(print, await fingerprint(world.t.db)), []);
    assert.deepEqual(found, []);
  });

  /**
   * Three SQL injections and one traversal per body position, rotating through all of them, and a lone
   * surrogate (JSON `\ud800`: not text, and refused by jsonb — it once made a write answer 500).
   */
  function rotation(k: number): string[] {
    const sql = [0, 1, 2].map((i) => SQL_INJECTIONS[(k * 3 + i) % SQL_INJECTIONS.length]!);
    return [...sql, PATH_TRAVERSALS[k % PATH_TRAVERSALS.length]!, '\ud800'];
  }

  /** The query API's body carries one query of each type: a variant sends only the query it changed. */
  function narrow(op: Operation, body: unknown, at: (string | number)[]): unknown {
    if (op.url !== '/api/v1/query' || at[0] !== 'queries') return body;
    const b = body as { queries: unknown[] };
    return { ...b, queries: [b.queries[at[1] as number]] };
  }

  /** A request of the operation that reaches real rows: real ids in the path, valid query and body. */
  const baselines = new Map<
    string,
    {
      path: Record<string, string>;
      query: Record<string, unknown>;
      body: unknown;
      allowed: string[];
      accepted: boolean;
    }
  >();

  /**
   * A request of the operation that gets past validation and reaches real rows: real ids in the path,
   * then the schema's full example, its minimal one, or else the first of a few generated valid requests
   * the API accepts (formats and refinements JSON Schema cannot express). Also what it changes
   * (`allowed`): an injected variant may change those tables and no others. Deletes are not run.
   */
  async function baselineOf(op: Operation) {
    const cached = baselines.get(op.key);
    if (cached) return cached;
    const path: Record<string, string> = {};
    for (const p of op.pathParams) path[p.name] = await realValue(op, p);
    const querySchema: JsonSchema = {
      type: 'object',
      properties: Object.fromEntries(op.query.map((q) => [q.name, q.schema])),
      required: op.query.filter((q) => q.required).map((q) => q.name),
    };
    const withRange = (query: Record<string, unknown>) => {
      for (const q of op.query) if (q.name === 'from' || q.name === 'to') query[q.name] = RANGE[q.name];
      return query;
    };
    const hasBody = !['GET', 'DELETE'].includes(op.method);
    const candidates: { query: Record<string, unknown>; body: unknown }[] = [true, false].map((full) => ({
      query: withRange(exampleOf(querySchema, full) as Record<string, unknown>),
      body: hasBody ? exampleOf(op.body, full) : undefined,
    }));
    if (op.url === '/api/v1/query') {
      candidates.unshift({
        query: {},
        body: {
          ...RANGE,
          queries: QUERY_ITEM_SCHEMAS.map((s, i) => ({ ...(exampleOf(s, true) as object), refId: `Q${i}` })),
        },
      });
    } else {
      const generated = fc.record({
        query: validArbitrary(querySchema) as fc.Arbitrary<Record<string, unknown>>,
        body: hasBody ? validBodyArbitrary(op) : fc.constant(undefined),
      });
      for (const c of fc.sample(generated, { numRuns: 20, seed: SEED }))
        candidates.push({ query: withRange({ ...c.query }), body: c.body });
    }
    let chosen = { ...candidates[0]!, allowed: [] as string[], accepted: false };
    if (op.method !== 'DELETE') {
      for (const c of candidates) {
        const print = await fingerprint(world.t.db);
        const res = await send(op, urlOf(op, path, c.query), c.body);
        if (res.statusCode < 400) {
          chosen = { ...c, allowed: changedTables(print, await fingerprint(world.t.db)), accepted: true };
          break;
        }
      }
    }
    const baseline = { path, ...chosen };
    baselines.set(op.key, baseline);
    return baseline;
  }

  /** A value of a path parameter that names a real row of tenant A (probed with GET), else the schema's example. */
  async function realValue(op: Operation, p: Parameter): Promise<string> {
    const candidates = p.schema.enum?.map(String) ?? (p.schema.anyOf ? [String(exampleOf(p.schema))] : knownIds);
    const probe = ops.find(
      (o) => o.method === 'GET' && o.url === op.url.slice(0, op.url.indexOf(`:${p.name}`) + p.name.length + 1)
    );
    for (const candidate of candidates) {
      if (!probe) break;
      const res = await world.call(admin, 'GET', urlOf(probe, { [p.name]: candidate }, {}));
      if (res.statusCode === 200) return candidate;
    }
    return candidates[0] ?? String(exampleOf(p.schema));
  }
});
