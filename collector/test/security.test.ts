/**
 * Security properties over a collector with real data (every sandboxed provider synced, two tenants):
 * - tenant isolation for every query type and option of the query API, every dimension's values and
 *   every GET endpoint, in both directions, and in the database itself (row-level security on every
 *   tenant table and view). The per-endpoint 404 probes with foreign ids are tenant-isolation.test.ts's;
 *   this suite adds what those do not reach: tenant A's answers are byte-identical before and after
 *   tenant B's data arrives (no foreign row slips into a sum), every option of every query type is asked;
 * - provider secrets (credential fields, and every token sent to a provider on the wire) appear in no
 *   API response (every GET endpoint crawled with every id), no log line (pino output captured at
 *   trace level), no error message, and nowhere in the database outside secrets.ciphertext — after a
 *   full sync of every provider, a credentials update, and syncs and tests that fail on bad credentials.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { querySchemas } from '../src/query/schemas.js';
import type { Sandbox } from '../src/sandbox/index.js';
import type { As } from './helpers/actors.js';
import { findStrings, tenantRowIds } from './helpers/db-scan.js';
import { stopTestCluster } from './helpers/postgres.js';
import { seedCollections } from './helpers/api-seed.js';
import { apiOperations, urlOf, type Operation } from './helpers/route-catalog.js';
import { exampleOf, type JsonSchema } from './helpers/schema-arbitrary.js';
import { needlesOf, secretValues, watchOutgoingCredentials, type WireWatch } from './helpers/secret-watch.js';
import { createWorld, SANDBOX_PROVIDERS, type Tenant, type World } from './helpers/world.js';

const NOW = new Date('2026-11-20T09:00:00Z');
const RANGE = { from: '2026-11-17T21:00:00Z', to: '2026-11-20T09:00:00Z' };

type Answers = Map<string, string>;

/**
 * Equal answers. Utilization averages are float sums whose last bit depends on the order PostgreSQL
 * reads rows in, which can flip the second decimal: fractions may differ by one unit there; everything
 * else (money is exact numeric, times are integers) must be identical.
 */
function sameAnswer(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const json = (text: string) => {
    try {
      return JSON.parse(text.replace(/^\d{3} /, '')) as unknown;
    } catch {
      return text;
    }
  };
  const same = (x: unknown, y: unknown): boolean => {
    if (typeof x === 'number' && typeof y === 'number')
      return x === y || (!Number.isInteger(x) && Math.abs(x - y) <= 0.0100001);
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => same(v, y[i]));
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      const kx = Object.keys(x);
      return kx.length === Object.keys(y).length && kx.every((k) => same((x as never)[k], (y as never)[k]));
    }
    return x === y;
  };
  return a.slice(0, 4) === b.slice(0, 4) && same(json(a), json(b));
}

describe('security: tenant isolation and secrets', { timeout: 600_000 }, () => {
  let world: World & { sandboxes: Sandbox[] };
  let wire: WireWatch;
  let ops: Operation[];
  let b: Tenant;
  const connections: Record<string, string> = {};
  /** A's answers before tenant B had any data. */
  let aAlone: Answers;
  /** Collections both tenants created rows in through the API (budgets, rules, reports …). */
  let seeded: { created: string[]; refused: string[] };

  before(async () => {
    wire = watchOutgoingCredentials();
    world = await createWorld('security', { now: NOW, captureLogs: true, sandboxSeeds: [undefined, 7] });
    for (const provider of SANDBOX_PROVIDERS) {
      const synced = await world.connectAndSync(world.a, world.sandboxes[0]!, provider, {
        settings: { backfillDays: 2 },
      });
      assert.ok(['success', 'partial'].includes(synced.status), `${provider}: ${synced.status}`);
      connections[provider] = synced.id;
    }
    ops = await apiOperations(world.app);
    seeded = await seedCollections(world, world.a, ops, { ids: [connections.selectel!], ...RANGE });
    aAlone = await answers(world.a);
    b = await world.addTenant(2, 'Security B');
    const bConnections: string[] = [];
    for (const provider of ['selectel', 'beget', 'cloudru'] as const)
      bConnections.push(
        (await world.connectAndSync(b, world.sandboxes[1]!, provider, { settings: { backfillDays: 2 } })).id
      );
    await seedCollections(world, b, ops, { ids: bConnections, ...RANGE });
  });
  after(async () => {
    wire?.stop();
    await world?.close();
    await stopTestCluster();
  });

  /** Every query of every type, with each option value its schema enumerates, one at a time. */
  function queryVariants(): Record<string, unknown>[] {
    const variants: Record<string, unknown>[] = [];
    for (const schema of Object.values(querySchemas)) {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      const types = json.properties?.queryType?.enum ?? [json.properties?.queryType?.const];
      for (const queryType of types) {
        variants.push({ queryType });
        for (const [name, prop] of Object.entries(json.properties ?? {})) {
          if (name === 'queryType') continue;
          for (const value of enumValues(prop)) variants.push({ queryType, [name]: value });
          for (const value of enumValues(prop.items)) variants.push({ queryType, [name]: [value] });
        }
      }
    }
    return variants.map((v, i) => ({ refId: `Q${i}`, ...v }));
  }

  function enumValues(schema: JsonSchema | undefined): unknown[] {
    if (!schema) return [];
    return [...(schema.enum ?? []), ...(schema.anyOf ?? []).flatMap((s) => s.enum ?? [])];
  }

  /** The data answers: every query variant and every dimension's values. */
  async function answers(as: As): Promise<Answers> {
    const out: Answers = new Map();
    for (const query of queryVariants()) {
      const res = await world.call(as, 'POST', '/api/v1/query', { ...RANGE, queries: [query] });
      assert.equal(res.statusCode, 200, `${JSON.stringify(query)}: ${res.body}`);
      out.set(`query ${JSON.stringify(query)}`, res.body);
    }
    const values = ops.find((o) => o.url === '/api/v1/dimensions/:dimension/values')!;
    for (const dimension of enumValues(values.pathParams[0]!.schema)) {
      const res = await world.call(as, 'GET', urlOf(values, { dimension: String(dimension) }, RANGE));
      out.set(`values ${String(dimension)}`, `${res.statusCode} ${res.body}`);
    }
    return out;
  }

  /** Ids and names only this tenant's rows hold (values the other tenant also has are left out). */
  async function markersOf(tenantId: string, otherId: string): Promise<Set<string>> {
    const cols = await world.t.db.query<{ table: string; column: string }>(
      `SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
         AND (c.data_type = 'uuid' OR c.column_name IN ('name', 'provider_resource_id', 'resource_id', 'resource_name'))
         AND c.column_name <> 'tenant_id'
         AND EXISTS (SELECT 1 FROM information_schema.columns x WHERE x.table_schema = c.table_schema
                       AND x.table_name = c.table_name AND x.column_name = 'tenant_id')`
    );
    const values = async (id: string) => {
      const set = new Set<string>();
      for (const { table, column } of cols) {
        const rows = await world.t.db.query<{ v: string }>(
          `SELECT DISTINCT "${column}"::text AS v FROM "${table}" WHERE tenant_id = $1 AND length("${column}"::text) >= 8`,
          [id]
        );
        for (const r of rows) set.add(r.v);
      }
      return set;
    };
    const mine = await values(tenantId);
    const theirs = await values(otherId);
    return new Set([...mine, tenantId].filter((v) => !theirs.has(v)));
  }

  /**
   * Every GET endpoint with every id of the tenant's that its path takes (a list endpoint's items, or
   * all the tenant's ids), and each value of each enumerated query parameter.
   */
  async function crawl(as: Tenant): Promise<{ url: string; res: LightMyRequestResponse }[]> {
    const out: { url: string; res: LightMyRequestResponse }[] = [];
    const ownIds = await tenantRowIds(world.t.db, { tenantId: as.id, perTable: 30 });
    for (const op of ops.filter((o) => o.method === 'GET')) {
      const baseQuery = exampleOf({
        type: 'object',
        properties: Object.fromEntries(op.query.filter((q) => q.required).map((q) => [q.name, q.schema])),
        required: op.query.filter((q) => q.required).map((q) => q.name),
      }) as Record<string, unknown>;
      for (const q of op.query) if (q.name === 'from' || q.name === 'to') baseQuery[q.name] = RANGE[q.name];
      const queries = [baseQuery];
      for (const q of op.query)
        for (const value of enumValues(q.schema)) queries.push({ ...baseQuery, [q.name]: value });
      const pathSets = await pathValuesFor(op, as, ownIds);
      for (const path of pathSets)
        for (const query of queries) {
          const url = urlOf(op, path, query);
          out.push({ url, res: await world.call(as, 'GET', url) });
        }
    }
    for (const url of ['/metrics', '/api/docs/json'])
      out.push({ url, res: await world.app.inject({ method: 'GET', url }) });
    return out;
  }

  async function pathValuesFor(op: Operation, as: Tenant, ownIds: string[]): Promise<Record<string, string>[]> {
    if (op.pathParams.length === 0) return [{}];
    const [param] = op.pathParams;
    const enums = enumValues(param!.schema).map(String);
    if (enums.length) return enums.map((v) => ({ [param!.name]: v }));
    const prefix = op.url.slice(0, op.url.indexOf(`/:${param!.name}`));
    const list = await world.call(as, 'GET', prefix);
    const items = list.statusCode === 200 ? ((list.json() as { items?: { id?: unknown }[] }).items ?? []) : [];
    const ids = items.map((i) => i.id).filter((id): id is string => typeof id === 'string');
    return (ids.length ? ids : ownIds).map((id) => ({ [param!.name]: id }));
  }

  describe('tenant isolation', () => {
    it("tenant A's answers to every query type, option and dimension are unchanged by tenant B's data", async (ctx) => {
      const withB = await answers(world.a);
      assert.equal(withB.size, aAlone.size);
      const differing = [...aAlone].filter(([key, body]) => !sameAnswer(body, withB.get(key))).map(([key]) => key);
      assert.deepEqual(differing, []);
      // Not vacuous: A's answers carry data, and tenant B's own answers to the same questions differ.
      const withData = [...withB.values()].filter((body) => /"values":\[\[[^\]]/.test(body)).length;
      assert.ok(withData >= 20, `only ${withData} answers carry data`);
      const bAnswers = await answers(b);
      const same = [...bAnswers].filter(([key, body]) => withB.get(key) === body && /"values":\[\[[^\]]/.test(body));
      assert.ok(same.length < withData / 2, 'tenant B sees different data than tenant A');
      ctx.diagnostic(`${withB.size} answers compared, ${withData} with data`);
    });

    it('neither tenant sees any id or name of the other in any GET endpoint or query answer', async (ctx) => {
      let reads = 0;
      for (const [me, other] of [
        [world.a, b],
        [b, world.a],
      ] as const) {
        const foreign = await markersOf(other.id, me.id);
        assert.ok(foreign.size >= 20, `only ${foreign.size} markers of ${other.name}`);
        const bodies = [...(await crawl(me)).map(({ url, res }) => [url, res.body] as const), ...(await answers(me))];
        for (const [where, body] of bodies) {
          reads++;
          const leaked = [...foreign].filter((m) => body.includes(m));
          assert.deepEqual(leaked, [], `${me.name} reading ${where} sees ${other.name}'s ${leaked.join(', ')}`);
        }
      }
      ctx.diagnostic(
        `${reads} reads checked in both directions; rows created through ${seeded.created.join(', ')}` +
          (seeded.refused.length ? `; no generated request accepted by ${seeded.refused.join(', ')}` : '')
      );
    });

    it('row-level security: every tenant table and view shows a tenant only its own rows', async (ctx) => {
      const relations = await world.t.db.query<{ name: string; kind: string }>(
        `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1`
      );
      const readable: string[] = [];
      for (const { name } of relations) {
        for (const [me, other] of [
          [world.a.id, b.id],
          [b.id, world.a.id],
        ]) {
          const result = await world.t.db
            .withTenant(me!, (tx) =>
              tx.query<{ foreign: number; own: number }>(
                `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS foreign, count(*) FILTER (WHERE tenant_id = $2)::int AS own FROM "${name}"`,
                [other, me]
              )
            )
            .catch((err: { code?: string }) => {
              // Not granted to the tenant role at all: nothing to see.
              if (err.code === '42501') return undefined;
              throw err;
            });
          if (!result) continue;
          assert.equal(result[0]!.foreign, 0, `${name}: the tenant role sees another tenant's rows`);
          if (me === world.a.id) readable.push(`${name}(${result[0]!.own})`);
        }
      }
      ctx.diagnostic(`readable by the tenant role: ${readable.join(', ')}`);
      assert.ok(readable.some((r) => r.startsWith('tenant_cost_daily(') || r.startsWith('cost_records(')));
    });
  });

  describe('provider secrets', () => {
    const CANARY = {
      apiKey: 'sel-canary-4f1d9e27b3a6',
      secret: 'Sec-canary-88c1e0a9d2',
      password: 'Canary-Pw-5e7b2a91',
    };
    const writes: { what: string; res: LightMyRequestResponse }[] = [];
    const record = async (what: string, res: Promise<LightMyRequestResponse>) => {
      const r = await res;
      assert.ok(r.statusCode < 500, `${what}: ${r.statusCode} ${r.body}`);
      writes.push({ what, res: r });
      return r;
    };
    const syncOnce = async (id: string) => {
      const started = await record('sync', world.call(world.a, 'POST', `/api/v1/connections/${id}/sync`));
      const { snapshotId } = started.json() as { snapshotId: string };
      await world.idle();
      return record('snapshot', world.call(world.a, 'GET', `/api/v1/snapshots/${snapshotId}?states=all`));
    };
    let secrets: string[];

    before(async () => {
      const selectel = connections.selectel!;
      // A credentials update to a wrong key: the sync and the test fail, saying why without the key.
      await record(
        'patch',
        world.call(world.a, 'PATCH', `/api/v1/connections/${selectel}`, { credentials: { apiKey: CANARY.apiKey } })
      );
      const failed = await syncOnce(selectel);
      assert.equal((failed.json() as { status: string }).status, 'error', failed.body);
      await record('test', world.call(world.a, 'POST', `/api/v1/connections/${selectel}/test`));
      // And back to the right one: syncing works again.
      await record(
        'patch back',
        world.call(world.a, 'PATCH', `/api/v1/connections/${selectel}`, {
          credentials: { apiKey: world.sandboxes[0]!.selectel.credentials.apiKey },
        })
      );
      assert.equal(((await syncOnce(selectel)).json() as { status: string }).status, 'success');
      await record(
        'patch cloudru',
        world.call(world.a, 'PATCH', `/api/v1/connections/${connections.cloudru}`, {
          credentials: { secret: CANARY.secret },
        })
      );
      await record('test cloudru', world.call(world.a, 'POST', `/api/v1/connections/${connections.cloudru}/test`));
      const created = await record(
        'create with a wrong password',
        world.call(world.a, 'POST', '/api/v1/connections', {
          name: 'wrong password',
          provider: 'beget',
          credentials: { login: 'demo-beget', password: CANARY.password },
          settings: { ...world.sandboxes[0]!.beget.settings, backfillDays: 1 },
        })
      );
      await syncOnce((created.json() as { id: string }).id);
      await record('connections', world.call(world.a, 'GET', '/api/v1/connections'));

      const fromCredentials = world.sandboxes.flatMap((s) =>
        SANDBOX_PROVIDERS.flatMap((p) => secretValues(s[p].credentials))
      );
      secrets = [...new Set([...fromCredentials, ...Object.values(CANARY), ...wire.tokens()])];
      // Not vacuous: the providers' issued tokens were seen on the wire, every provider has a secret.
      assert.ok(wire.tokens().length >= 4, `only ${wire.tokens().length} tokens seen on the wire`);
      assert.ok(fromCredentials.length >= SANDBOX_PROVIDERS.length * 2);
    });

    const leaks = (text: string) => needlesOf(secrets).filter((n) => text.includes(n));

    it('no API response carries a secret (every GET endpoint crawled, and every write answered)', async (ctx) => {
      const crawled = await crawl(world.a);
      const all = [...crawled.map(({ url, res }) => ({ what: `GET ${url}`, res })), ...writes];
      for (const { what, res } of all) assert.deepEqual(leaks(`${JSON.stringify(res.headers)} ${res.body}`), [], what);
      assert.ok(crawled.filter((c) => c.res.statusCode === 200).length >= 50);
      ctx.diagnostic(`${all.length} responses checked`);
    });

    it('error messages say what went wrong, without the secret', async () => {
      const messages: string[] = [];
      for (const { res } of writes) {
        const body = res.json() as {
          message?: string;
          error?: { message?: string } | string;
          errorMessage?: string | null;
          endpointErrors?: { message: string }[];
          lastError?: string | null;
          items?: { lastError?: string | null }[];
        };
        if (typeof body.error === 'object' && body.error?.message) messages.push(body.error.message);
        if (body.errorMessage) messages.push(body.errorMessage);
        messages.push(...(body.endpointErrors ?? []).map((e) => e.message));
        for (const item of body.items ?? []) if (item.lastError) messages.push(item.lastError);
      }
      assert.ok(
        messages.some((m) => /API key|access key|password|credential|login/i.test(m)),
        messages.join(' | ')
      );
      for (const m of messages) assert.deepEqual(leaks(m), [], m);
    });

    it('no log line carries a secret (every line at trace level)', () => {
      const lines = world.logs!.lines();
      assert.ok(lines.length >= 100, `only ${lines.length} log lines`);
      assert.ok(
        lines.some((l) => l.includes('sync finished')),
        'the sync engine logged'
      );
      const leaking = lines.filter((l) => leaks(l).length > 0);
      assert.deepEqual(leaking.slice(0, 3), []);
    });

    it('the database holds secrets only in secrets.ciphertext', async () => {
      const needles = needlesOf(secrets);
      assert.deepEqual(await findStrings(world.t.db, needles, ['secrets.ciphertext']), []);
      // The scan does find a secret where one is stored in the clear.
      await world.t.db.query(`CREATE TABLE scan_probe (doc jsonb)`);
      await world.t.db.query(`INSERT INTO scan_probe VALUES ($1)`, [{ nested: { key: secrets[0] } }]);
      const found = await findStrings(world.t.db, needles, ['secrets.ciphertext']);
      await world.t.db.query(`DROP TABLE scan_probe`);
      assert.deepEqual(
        found.map((f) => `${f.table}.${f.column}`),
        ['scan_probe.doc']
      );
    });
  });
});
