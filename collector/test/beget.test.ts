/**
 * The Beget connector against the Beget sandbox (real HTTP, real client, fault switches), plus pure
 * tests of the mapping rules.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import Fastify from 'fastify';
import pino from 'pino';
import { createLogger, loggerOptions, type Logger } from '../src/observability/logger.js';
import { BILLING_BATCH_SIZE, dailyBaselineLines, type BaselineItem } from '../src/providers/beget/billing.js';
import { begetConnector } from '../src/providers/beget/index.js';
import { createLegacyApi, parseLegacyEnvelope } from '../src/providers/beget/legacy-api.js';
import {
  dailyAmount,
  diskGb,
  mapAccountInfo,
  mapCloudService,
  mapDomain,
  mapHostingDatabase,
  mapVps,
  memoryMb,
  normalizeStatus,
  planDailyRate,
  statedPrice,
} from '../src/providers/beget/mapper.js';
import { mapBounded, memorySamples, periodFor, seriesPoints } from '../src/providers/beget/metrics.js';
import type { BegetCredentials, BegetSettings } from '../src/providers/beget/schema.js';
import { moscowDayStart, parseBegetDate } from '../src/providers/beget/time.js';
import { createV1Api } from '../src/providers/beget/v1-api.js';
import { money, num } from '../src/providers/beget/values.js';
import { ProviderHttpClient, type HttpOptions } from '../src/providers/http/client.js';
import { ProviderError } from '../src/providers/http/errors.js';
import type {
  BillingLine,
  ConnectorContext,
  InventoryResource,
  MetricSample,
  ProviderSession,
} from '../src/providers/types.js';
import { createBegetFake, type BegetSandboxOptions, type BegetTruth } from '../src/sandbox/beget/index.js';
import { FaultSwitchboard } from '../src/sandbox/faults.js';
import { startSandbox } from '../src/sandbox/index.js';

/** 12:30 in Moscow: the current Moscow day is 2025-10-10 (it started at 2025-10-09T21:00Z). */
const NOW = new Date('2025-10-10T09:30:00.000Z');
const SEED = 20251010;
const HTTP: HttpOptions = { timeoutMs: 1500, retries: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 };
const DAY = 24 * 60 * 60 * 1000;
const silent = createLogger('silent');

interface BegetSandbox {
  faults: FaultSwitchboard;
  credentials: BegetCredentials;
  settings: BegetSettings;
  truth: BegetTruth;
  close(): Promise<void>;
}

/** The real sandbox (all fakes, fault hooks installed), seen through its Beget part. */
async function startBeget(options: BegetSandboxOptions = {}): Promise<BegetSandbox> {
  const sandbox = await startSandbox({ seed: SEED, now: () => NOW, beget: options });
  return { faults: sandbox.faults, ...sandbox.beget, close: () => sandbox.close() };
}

function contextFor(
  sb: BegetSandbox,
  overrides: Partial<ConnectorContext<BegetCredentials, BegetSettings>> = {}
): ConnectorContext<BegetCredentials, BegetSettings> {
  return { credentials: sb.credentials, settings: sb.settings, logger: silent, http: HTTP, now: NOW, ...overrides };
}

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<{ items: T[]; batches: number }> {
  const items: T[] = [];
  let batches = 0;
  for await (const batch of iterable) {
    batches++;
    items.push(...batch);
  }
  return { items, batches };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

const byId = (resources: InventoryResource[], id: string) => {
  const found = resources.find((r) => r.providerResourceId === id);
  assert.ok(found, `resource ${id} missing`);
  return found;
};

/** A Moscow-day window of `days` days ending with the current Moscow day. */
function moscowDays(days: number): { start: Date; end: Date } {
  const todayStart = moscowDayStart(NOW).getTime();
  return { start: new Date(todayStart - (days - 1) * DAY), end: new Date(todayStart + DAY) };
}

describe('Beget connector against the sandbox', () => {
  let sb: BegetSandbox;

  before(async () => {
    sb = await startBeget();
  });
  after(async () => {
    await sb.close();
  });
  afterEach(() => {
    sb.faults.clear();
    sb.faults.resetHits();
  });

  const open = (overrides: Partial<ConnectorContext<BegetCredentials, BegetSettings>> = {}): Promise<ProviderSession> =>
    begetConnector.open(contextFor(sb, overrides));

  it('test() logs in to both APIs and reads the account facts', async () => {
    const account = await begetConnector.test(contextFor(sb));
    assert.equal(sb.faults.hits('beget.auth'), 1);
    assert.equal(sb.faults.hits('beget.legacy.user.getAccountInfo'), 1);
    assert.equal(account.accountId, 'demo-beget');
    assert.equal(account.name, sb.truth.planName);
    assert.equal(account.balance, '174.51');
    assert.equal(account.balance, sb.truth.balance);
    assert.equal(account.currency, 'RUB');
    assert.equal(account.daysToBlock, 3);
    assert.equal(account.daysToBlock, sb.truth.daysToBlock);
    assert.equal(account.dailyRate, sb.truth.planDailyRate);
    assert.equal(account.dailyRate, '9');
    const details = account.details as {
      rates: Record<string, unknown>;
      limits: Record<string, { used: number | null; limit: number | null }>;
      server: Record<string, unknown>;
      software: Record<string, unknown>;
      accountStatus: string;
    };
    assert.deepEqual(details.rates, { daily: '9', monthly: '270', yearly: '2970', current: '270', isYearPlan: false });
    assert.deepEqual(details.limits.domains, { used: 6, limit: 20 }, 'string and number limits both parsed');
    assert.deepEqual(details.limits.sites, { used: 3, limit: 10 });
    assert.equal(details.accountStatus, 'active');
    assert.match(String(details.server.name), /\.beget\.com$/);
    assert.equal(details.server.loadAverage, 12.84);
    assert.equal(details.software.php, '8.2.24');
  });

  it('rejects a wrong password with a clear auth error that does not echo the password', async () => {
    const password = 'Wrong-Pa55word!';
    const err = await rejection(
      begetConnector.test(contextFor(sb, { credentials: { login: sb.credentials.login, password } }))
    );
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /Beget rejected the login or password/);
    assert.ok(!err.message.includes(password));
    assert.ok(!err.message.includes(sb.credentials.password));
    assert.equal(sb.faults.hits('beget.auth'), 1, 'a rejected login is not retried (that is how IPs get blocked)');

    const openErr = await rejection(open({ credentials: { login: sb.credentials.login, password } }));
    assert.equal(openErr.kind, 'auth');
  });

  it('recognises the legacy AUTH_ERROR envelope (credentials sent in the body, not the URL)', async () => {
    const password = 'another-wrong-one';
    const legacy = createLegacyApi({
      apiUrl: sb.settings.apiUrl,
      credentials: { login: sb.credentials.login, password },
      http: new ProviderHttpClient({ provider: 'beget', options: HTTP, logger: silent }),
    });
    const err = await rejection(legacy.call('user', 'getAccountInfo'));
    assert.equal(err.kind, 'auth');
    assert.equal(err.endpoint, 'legacy.user.getAccountInfo');
    assert.match(err.message, /Beget rejected the login or password/);
    assert.ok(!err.message.includes(password));
  });

  it('never writes the password into logs, even at debug level', async () => {
    const lines: string[] = [];
    const logger: Logger = pino(loggerOptions('debug'), { write: (line: string) => void lines.push(line) });
    sb.faults.set('beget.vps.list', { kind: 'status', status: 500, times: 1 });
    const session = await open({ logger });
    await session.inventory();
    await session.account();
    await rejection(
      begetConnector.test(
        contextFor(sb, { logger, credentials: { login: sb.credentials.login, password: 'nope-nope' } })
      )
    );
    const output = lines.join('\n');
    assert.ok(lines.length > 0, 'debug logging produced output');
    assert.ok(!output.includes(sb.credentials.password));
    assert.ok(!output.includes('nope-nope'));
  });

  it('inventory matches the truth: servers, cloud services, domains and the plan', async () => {
    const session = await open();
    const inventory = await session.inventory();
    const { truth } = sb;
    assert.equal(inventory.complete, true);

    const servers = inventory.resources.filter((r) => r.type === 'server');
    assert.equal(servers.length, 2);
    for (const expected of truth.servers) {
      const server = byId(inventory.resources, expected.id);
      assert.equal(server.type, 'server');
      assert.equal(server.name, expected.name);
      assert.equal(server.status, 'RUNNING');
      assert.equal(server.region, expected.region);
      assert.deepEqual(server.price, { amount: expected.dailyCost, period: 'daily', currency: 'RUB' });
      assert.equal(server.specs.cpu, expected.cpu);
      assert.equal(server.specs.ramMb, expected.ramMb);
      assert.equal(server.specs.diskGb, expected.diskGb);
      assert.equal(server.specs.ip, expected.ip);
      assert.equal(typeof server.specs.diskUsed, 'number');
      assert.equal(server.createdAt, expected.createdAt.toISOString());
    }
    assert.deepEqual(
      truth.servers.map((s) => s.dailyCost),
      ['22', '9.73']
    );
    const n8n = byId(inventory.resources, truth.servers[0]!.id);
    assert.deepEqual(
      {
        name: (n8n.specs.software as Record<string, unknown>).name,
        version: (n8n.specs.software as Record<string, unknown>).version,
      },
      { name: 'n8n', version: '1.108.2' }
    );
    assert.ok(
      !JSON.stringify(inventory.resources).includes('sandbox-app-secret'),
      'app admin credentials from the VPS listing are not kept'
    );

    const [mysqlTruth, s3Truth] = truth.cloudServices;
    const db = byId(inventory.resources, mysqlTruth!.id);
    assert.equal(db.type, 'database');
    assert.equal(db.serviceName, 'Cloud MySQL');
    assert.deepEqual(db.price, { amount: '29', period: 'daily', currency: 'RUB' });
    assert.equal(db.specs.ramMb, 2048);
    assert.equal(db.specs.diskGb, 20);
    const bucket = byId(inventory.resources, s3Truth!.id);
    assert.equal(bucket.type, 'bucket');
    assert.deepEqual(bucket.price, { amount: '0', period: 'daily', currency: 'RUB' });

    const domains = inventory.resources.filter((r) => r.type === 'domain');
    assert.equal(domains.length, truth.domains.count);
    assert.equal(domains.length, 6);
    assert.deepEqual(domains.map((d) => d.name).sort(), [...truth.domains.fqdns].sort());
    assert.equal(domains.filter((d) => d.specs.registered === true).length, 1);
    assert.ok(domains.every((d) => d.price === undefined));

    const plan = byId(inventory.resources, truth.planResourceId);
    assert.equal(plan.type, 'other');
    assert.equal(plan.serviceName, 'Hosting plan');
    assert.deepEqual(plan.price, { amount: truth.planDailyRate, period: 'daily', currency: 'RUB' });

    // Cloud plans refuse mysql/ftp: recorded per endpoint, the inventory is still complete.
    assert.deepEqual(inventory.errors.map((e) => [e.endpoint, e.kind]).sort(), [
      ['legacy.ftp.getList', 'forbidden'],
      ['legacy.mysql.getList', 'forbidden'],
    ]);
    assert.match(inventory.errors[0]!.message, /Cannot access method/);
    assert.equal(inventory.resources.filter((r) => r.serviceName === 'Hosting MySQL').length, 0);
    assert.equal(inventory.resources.length, 2 + 2 + 6 + 1);
  });

  it('fetches each listing once per session, however billing and inventory are called', async () => {
    const session = await open();
    await collect(session.billing(moscowDays(1)));
    await session.inventory();
    await session.account();
    assert.equal(sb.faults.hits('beget.vps.list'), 1);
    assert.equal(sb.faults.hits('beget.cloud.list'), 1);
    assert.equal(sb.faults.hits('beget.legacy.user.getAccountInfo'), 1);
    assert.equal(sb.faults.hits('beget.auth'), 1);
  });

  it('billing for a 3-day window equals the truth, one line per resource per Moscow day', async () => {
    const session = await open();
    const window = moscowDays(3);
    const { items: lines } = await collect(session.billing(window));
    const { truth } = sb;
    assert.deepEqual(session.errors, []);
    assert.equal(truth.priced.length, 4, '2 servers, the cloud MySQL and the plan (S3 is free)');
    assert.equal(lines.length, 3 * truth.priced.length);

    const days = [...new Set(lines.map((l) => l.periodStart.toISOString()))].sort();
    assert.deepEqual(days, ['2025-10-07T21:00:00.000Z', '2025-10-08T21:00:00.000Z', '2025-10-09T21:00:00.000Z']);
    for (const line of lines) {
      assert.equal(line.periodEnd.getTime() - line.periodStart.getTime(), DAY);
      assert.equal(line.currency, 'RUB');
      assert.deepEqual(line.tags, { basis: 'stated-price' });
      const expected = truth.priced.find((p) => p.id === line.resourceId);
      assert.ok(expected, `unexpected line for ${line.resourceId}`);
      assert.equal(line.amount, expected.dailyCost);
      assert.equal(line.lineKey, expected.lineKey);
      assert.equal(line.resourceType, expected.resourceType);
    }
    for (const day of days) {
      const total = lines
        .filter((l) => l.periodStart.toISOString() === day)
        .reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
      assert.equal(total.toFixed(), truth.totalDailyCost);
    }
    assert.equal(truth.totalDailyCost, '69.73');
    const vpsLine = lines.find((l) => l.resourceId === truth.servers[1]!.id)!;
    assert.equal(vpsLine.amount, '9.73');
    assert.equal(vpsLine.serviceName, 'VPS');
    assert.equal(vpsLine.region, truth.servers[1]!.region);
    const keys = new Set(lines.map((l) => `${l.resourceId}|${l.lineKey}|${l.periodStart.toISOString()}`));
    assert.equal(keys.size, lines.length, 'no two lines share the engine key');

    // A re-sync of the same window produces the same keys and amounts: the engine replaces, never doubles.
    const again = await collect((await open()).billing(window));
    assert.deepEqual(again.items, lines);
  });

  it('billing starts on the Moscow day each resource was created and comes in batches', async () => {
    const session = await open();
    const window = { start: new Date(NOW.getTime() - 400 * DAY), end: NOW };
    const { items: lines, batches } = await collect<BillingLine>(session.billing(window));
    assert.equal(batches, Math.ceil(lines.length / BILLING_BATCH_SIZE), 'yielded in full batches');
    for (const priced of sb.truth.priced) {
      const own = lines.filter((l) => l.resourceId === priced.id);
      const first = priced.since ? moscowDayStart(priced.since) : moscowDayStart(window.start);
      const expectedDays = Math.round((moscowDayStart(NOW).getTime() - first.getTime()) / DAY) + 1;
      assert.equal(own.length, expectedDays, priced.id);
      assert.equal(Math.min(...own.map((l) => l.periodStart.getTime())), first.getTime());
    }
  });

  it('"Cannot access method" on one legacy endpoint is an EndpointError; the rest succeeds', async () => {
    sb.faults.set('beget.legacy.domain.getList', { kind: 'no-access' });
    const inventory = await (await open()).inventory();
    const domainError = inventory.errors.find((e) => e.endpoint === 'legacy.domain.getList');
    assert.equal(domainError?.kind, 'forbidden');
    assert.match(domainError!.message, /Cannot access method domain/);
    assert.equal(inventory.complete, true);
    assert.equal(inventory.resources.filter((r) => r.type === 'domain').length, 0);
    assert.equal(inventory.resources.filter((r) => r.type === 'server').length, 2);
    assert.ok(inventory.resources.some((r) => r.providerResourceId === sb.truth.planResourceId));
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    sb.faults.set('beget.vps.list', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const inventory = await (await open()).inventory();
    assert.ok(Date.now() - started >= 900, 'the Retry-After second was honoured');
    assert.equal(sb.faults.hits('beget.vps.list'), 2);
    assert.equal(inventory.complete, true);
    assert.deepEqual(
      inventory.errors.filter((e) => e.endpoint === 'vps.list'),
      []
    );
    assert.equal(inventory.resources.filter((r) => r.type === 'server').length, 2);
  });

  for (const status of [500, 502, 503] as const) {
    it(`retries HTTP ${status} and succeeds`, async () => {
      sb.faults.set('beget.cloud.list', { kind: 'status', status, times: 2 });
      sb.faults.set('beget.legacy.user.getAccountInfo', { kind: 'status', status, times: 1 });
      const session = await open();
      const inventory = await session.inventory();
      assert.equal(sb.faults.hits('beget.cloud.list'), 3);
      assert.equal(sb.faults.hits('beget.legacy.user.getAccountInfo'), 2);
      assert.equal(inventory.complete, true);
      assert.ok(inventory.resources.some((r) => r.type === 'bucket'));
      assert.equal((await session.account()).balance, '174.51');
    });
  }

  it('a timeout on one endpoint becomes an EndpointError after the retries; the others are fine', async () => {
    sb.faults.set('beget.legacy.domain.getList', { kind: 'timeout' });
    const inventory = await (await open()).inventory();
    const timeout = inventory.errors.find((e) => e.endpoint === 'legacy.domain.getList');
    assert.equal(timeout?.kind, 'timeout');
    assert.equal(sb.faults.hits('beget.legacy.domain.getList'), 1 + HTTP.retries);
    assert.equal(inventory.complete, true);
    assert.equal(inventory.resources.filter((r) => r.type === 'server').length, 2);
    assert.equal(inventory.resources.filter((r) => r.type === 'domain').length, 0);
  });

  for (const kind of ['malformed', 'truncated'] as const) {
    it(`retries a ${kind} body, then succeeds`, async () => {
      sb.faults.set('beget.vps.list', { kind, times: 2 });
      sb.faults.set('beget.legacy.user.getAccountInfo', { kind, times: 1 });
      const session = await open();
      const inventory = await session.inventory();
      assert.equal(sb.faults.hits('beget.vps.list'), 3);
      assert.equal(inventory.complete, true);
      assert.equal(inventory.resources.filter((r) => r.type === 'server').length, 2);
      assert.equal((await session.account()).daysToBlock, 3);
    });

    it(`a persistently ${kind} body is an EndpointError and leaves the inventory incomplete`, async () => {
      sb.faults.set('beget.vps.list', { kind });
      const session = await open();
      const inventory = await session.inventory();
      const error = inventory.errors.find((e) => e.endpoint === 'vps.list');
      assert.equal(error?.kind, 'bad_response');
      assert.equal(sb.faults.hits('beget.vps.list'), 1 + HTTP.retries);
      assert.equal(inventory.complete, false, 'a missing VPS list must not make servers look deleted');
      assert.ok(inventory.resources.some((r) => r.type === 'database'));

      // Billing goes on with what it has and records the failure (cached: no second round of retries).
      const { items: lines } = await collect(session.billing(moscowDays(1)));
      assert.equal(sb.faults.hits('beget.vps.list'), 1 + HTTP.retries);
      assert.deepEqual(
        session.errors.map((e) => e.endpoint),
        ['vps.list']
      );
      assert.equal(session.errors[0], error, 'the same failure object, so the engine counts it once');
      assert.deepEqual(lines.map((l) => l.lineKey).sort(), ['cloud-service', 'plan']);
    });
  }

  it('re-authenticates once when the token expires mid-sync', async () => {
    sb.faults.set('beget.token-expiry', { kind: 'token-expiry', afterRequests: 1, times: 1 });
    const session = await open();
    const inventory = await session.inventory();
    assert.equal(inventory.complete, true);
    assert.deepEqual(
      inventory.errors.filter((e) => !e.endpoint.startsWith('legacy.')),
      []
    );
    assert.equal(sb.faults.hits('beget.auth'), 2, 'one login at open, one after the expiry');
    assert.equal(
      sb.faults.hits('beget.vps.list') + sb.faults.hits('beget.cloud.list'),
      3,
      'the 401 call was repeated once'
    );
    assert.equal(inventory.resources.filter((r) => r.type === 'server').length, 2);
    assert.ok(inventory.resources.some((r) => r.type === 'bucket'));
    const { items: samples } = await collect(
      session.metrics(inventory.resources, { start: new Date(NOW.getTime() - 3_600_000), end: NOW })
    );
    assert.ok(samples.length > 0);
    assert.deepEqual(session.errors, []);
  });

  it('metrics: CPU and memory samples inside the window for each running server', async () => {
    const session = await open();
    const { resources } = await session.inventory();
    const window = { start: new Date(NOW.getTime() - 6 * 3_600_000), end: NOW };
    const { items: samples } = await collect<MetricSample>(session.metrics(resources, window));
    assert.deepEqual(session.errors, []);
    assert.equal(sb.faults.hits('beget.vps.statistic'), 4, 'cpu and memory for each of the 2 servers');
    for (const server of sb.truth.servers) {
      const own = samples.filter((s) => s.resourceId === server.id);
      const cpu = own.filter((s) => s.metric === 'cpu_utilization');
      const mem = own.filter((s) => s.metric === 'memory_usage_mb');
      const util = own.filter((s) => s.metric === 'memory_utilization');
      // DAY period: one point every 5 minutes; 6 h inclusive of both ends.
      assert.equal(cpu.length, 73);
      assert.equal(mem.length, 73);
      assert.equal(util.length, 73);
      const spacing = cpu[1]!.ts.getTime() - cpu[0]!.ts.getTime();
      assert.equal(spacing, 5 * 60_000);
      for (const s of own) {
        assert.ok(s.ts >= window.start && s.ts <= window.end, 'inside the window');
        assert.ok(Number.isFinite(s.value));
      }
      assert.ok(cpu.every((s) => s.value >= 0 && s.value <= 100 && s.unit === 'percent'));
      for (let i = 0; i < mem.length; i++) {
        assert.equal(util[i]!.ts.getTime(), mem[i]!.ts.getTime());
        assert.ok(Math.abs(util[i]!.value - (mem[i]!.value / server.ramMb) * 100) < 1e-9);
      }
    }
  });

  it('metrics failures go to session.errors and iteration continues', async () => {
    const session = await open();
    const { resources } = await session.inventory();
    sb.faults.set('beget.vps.statistic:memory', { kind: 'status', status: 500 });
    const { items: samples } = await collect<MetricSample>(
      session.metrics(resources, { start: new Date(NOW.getTime() - 3_600_000), end: NOW })
    );
    assert.equal(session.errors.length, 2);
    assert.ok(session.errors.every((e) => e.endpoint === 'vps.statistic:memory' && e.kind === 'server'));
    assert.ok(samples.length > 0);
    assert.ok(samples.every((s) => s.metric === 'cpu_utilization'));
    assert.equal(new Set(samples.map((s) => s.resourceId)).size, 2);
  });

  it('metrics are skipped when the connection turns them off', async () => {
    const session = await open({ settings: { ...sb.settings, collectMetrics: false } });
    const { resources } = await session.inventory();
    const { items } = await collect(
      session.metrics(resources, { start: new Date(NOW.getTime() - 3_600_000), end: NOW })
    );
    assert.deepEqual(items, []);
    assert.equal(sb.faults.hits('beget.vps.statistic'), 0);
  });

  it('the sandbox rejects unknown bearer tokens and legacy calls without credentials', async () => {
    const res = await fetch(`${sb.settings.apiUrl}/v1/vps/server/list`, {
      headers: { authorization: 'Bearer not.a.token' },
    });
    assert.equal(res.status, 401);
    const legacy = await fetch(`${sb.settings.apiUrl}/api/user/getAccountInfo?output_format=json`);
    assert.deepEqual(await legacy.json(), {
      status: 'error',
      error_code: 'AUTH_ERROR',
      error_text: 'Authorization failed: wrong login or password',
    });
    // The documented query-string form is accepted too.
    const query = new URLSearchParams({
      login: sb.credentials.login,
      passwd: sb.credentials.password,
      output_format: 'json',
    });
    const ok = (await (await fetch(`${sb.settings.apiUrl}/api/user/getAccountInfo?${query}`)).json()) as {
      status: string;
    };
    assert.equal(ok.status, 'success');
  });
});

describe('Beget sandbox options', () => {
  it('is deterministic from the seed', () => {
    const a = createBegetFake({ seed: 7, now: () => NOW, faults: new FaultSwitchboard(), options: {} });
    const b = createBegetFake({ seed: 7, now: () => NOW, faults: new FaultSwitchboard(), options: {} });
    const c = createBegetFake({ seed: 8, now: () => NOW, faults: new FaultSwitchboard(), options: {} });
    assert.deepEqual(a.truth, b.truth);
    assert.deepEqual(a.credentials, b.credentials);
    assert.notEqual(a.credentials.password, c.credentials.password);
    assert.notEqual(a.truth.servers[0]!.id, c.truth.servers[0]!.id);
    assert.equal(a.credentials.login, 'demo-beget');
  });

  it('with legacy methods permitted, hosting databases and FTP accounts appear', async () => {
    const sb = await startBeget({ legacyMethodsPermitted: true });
    try {
      const session = await begetConnector.open(contextFor(sb));
      const inventory = await session.inventory();
      assert.deepEqual(inventory.errors, []);
      const hosted = inventory.resources.filter((r) => r.serviceName === 'Hosting MySQL');
      assert.deepEqual(hosted.map((r) => r.name).sort(), [...sb.truth.hostingDatabases].sort());
      assert.ok(hosted.every((r) => r.type === 'database' && r.price === undefined));
      const account = await session.account();
      assert.equal(account.details.ftpAccounts, sb.truth.ftpAccounts);
      assert.equal(account.details.mailboxes, sb.truth.mailboxes);
      assert.deepEqual((account.details.limits as Record<string, unknown>).mysql, { used: 2, limit: 10, sizeMb: 12.4 });
    } finally {
      await sb.close();
    }
  });

  it('pages through a large VPS list (more than one page of 100)', async () => {
    const sb = await startBeget({ vpsCount: 130 });
    try {
      const session = await begetConnector.open(contextFor(sb));
      const inventory = await session.inventory();
      assert.equal(inventory.complete, true);
      const servers = inventory.resources.filter((r) => r.type === 'server');
      assert.equal(servers.length, 130);
      assert.equal(new Set(servers.map((s) => s.providerResourceId)).size, 130);
      assert.equal(sb.faults.hits('beget.vps.list'), 2);
      const { items: lines } = await collect(session.billing(moscowDays(1)));
      const total = lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
      assert.equal(total.toFixed(), sb.truth.totalDailyCost);
    } finally {
      await sb.close();
    }
  });

  it('a yearly plan is spread over 365 days', async () => {
    const sb = await startBeget({ yearPlan: true });
    try {
      const account = await begetConnector.test(contextFor(sb));
      assert.equal(account.dailyRate, '8.136986');
      assert.equal(account.dailyRate, sb.truth.planDailyRate);
    } finally {
      await sb.close();
    }
  });

  for (const [refusal, pattern] of [
    ['IP_BLOCKED', /IP address/],
    ['CODE_REQUIRED', /two-factor authentication is enabled/],
  ] as const) {
    it(`explains a ${refusal} login refusal`, async () => {
      const sb = await startBeget({ authRefusal: refusal });
      try {
        const err = await rejection(begetConnector.test(contextFor(sb)));
        assert.equal(err.kind, 'auth');
        assert.match(err.message, pattern);
        assert.ok(!err.message.includes(sb.credentials.password));
      } finally {
        await sb.close();
      }
    });
  }
});

describe('Beget v1 pagination', () => {
  it('a listing that ends before total_count is an error, not a silent truncation', async () => {
    const app = Fastify({ logger: false });
    app.post('/v1/auth', async () => ({ token: 'opaque' }));
    app.get('/v1/vps/server/list', async (request) => {
      const offset = Number((request.query as { offset?: string }).offset ?? 0);
      return offset === 0 ? { vps: [{ id: 'a' }, { id: 'b' }], total_count: 5 } : { vps: [], total_count: 5 };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      assert.ok(address !== null && typeof address !== 'string');
      const v1 = createV1Api({
        apiUrl: `http://127.0.0.1:${address.port}`,
        credentials: { login: 'x', password: 'y' },
        logger: silent,
        options: HTTP,
      });
      const err = await rejection(v1.listVps());
      assert.equal(err.kind, 'bad_response');
      assert.match(err.message, /ended after 2 of 5/);
    } finally {
      await app.close();
    }
  });
});

describe('Beget mapping (pure)', () => {
  it('normalizes statuses', () => {
    assert.equal(normalizeStatus('RUNNING'), 'RUNNING');
    assert.equal(normalizeStatus('running'), 'RUNNING');
    assert.equal(normalizeStatus('RESTARTING'), 'RUNNING');
    assert.equal(normalizeStatus('STOPPED'), 'STOPPED');
    assert.equal(normalizeStatus('SUSPENDED'), 'STOPPED');
    assert.equal(normalizeStatus('REMOVED'), 'DELETED');
    assert.equal(normalizeStatus('REMOVING'), 'DELETED');
    assert.equal(normalizeStatus('error'), 'ERROR');
    assert.equal(normalizeStatus('SOMETHING_NEW'), 'UNKNOWN');
    assert.equal(normalizeStatus(undefined), 'UNKNOWN');
    assert.equal(normalizeStatus(3), 'UNKNOWN');
  });

  it('accepts numbers as JSON numbers or strings, and money exactly', () => {
    assert.equal(num('12'), 12);
    assert.equal(num(' 3.5 '), 3.5);
    assert.equal(num(7), 7);
    assert.equal(num(''), undefined);
    assert.equal(num('abc'), undefined);
    assert.equal(num(null), undefined);
    assert.equal(money('291.90')?.toFixed(), '291.9');
    assert.equal(money(9.73)?.toFixed(), '9.73');
    assert.equal(money('9,73')?.toFixed(), '9.73');
    assert.equal(money('n/a'), undefined);
    assert.deepEqual(statedPrice({ price_day: '22', price_month: '660' }), {
      amount: '22',
      period: 'daily',
      currency: 'RUB',
    });
    assert.deepEqual(statedPrice({ price_month: 291.9 }), { amount: '291.9', period: 'monthly', currency: 'RUB' });
    assert.equal(statedPrice({}), undefined);
  });

  it('computes the daily baseline: monthly ÷ 30, yearly ÷ 365, hourly × 24', () => {
    assert.equal(dailyAmount({ amount: '660', period: 'monthly' }).toFixed(), '22');
    assert.equal(dailyAmount({ amount: '291.90', period: 'monthly' }).toFixed(), '9.73');
    assert.equal(dailyAmount({ amount: '870', period: 'monthly' }).toFixed(), '29');
    assert.equal(dailyAmount({ amount: '100', period: 'monthly' }).toFixed(), '3.333333');
    assert.equal(dailyAmount({ amount: '3650', period: 'yearly' }).toFixed(), '10');
    assert.equal(dailyAmount({ amount: '0.5', period: 'hourly' }).toFixed(), '12');
    assert.equal(dailyAmount({ amount: '9.73', period: 'daily' }).toFixed(), '9.73');
    // 0.1 + 0.2 style float errors never reach money.
    assert.equal(
      new Decimal(dailyAmount({ amount: '0.1', period: 'daily' }))
        .plus(dailyAmount({ amount: '0.2', period: 'daily' }))
        .toFixed(),
      '0.3'
    );
    assert.equal(
      planDailyRate({ user_is_year_plan: '0', user_rate_month: '270', user_rate_year: 2970 })?.toFixed(),
      '9'
    );
    assert.equal(
      planDailyRate({ user_is_year_plan: 1, user_rate_month: '270', user_rate_year: '2970' })?.toFixed(),
      '8.136986'
    );
    assert.equal(planDailyRate({}), undefined);
  });

  it('reads units and string numbers in a VPS', () => {
    const vps = mapVps({
      id: 'v1',
      display_name: 'web',
      status: 'STOPPED',
      configuration: { cpu_count: '2', memory: '4096', disk_size: 40960, price_day: '13', price_month: '390' },
      ip_address: '1.2.3.4',
      disk_used: '1024',
      date_create: '2025-05-01 10:00:00',
      software: { display_name: 'WordPress', version: '6.6', field_value: [{ value: 'secret' }] },
    });
    assert.ok(vps);
    assert.equal(vps.status, 'STOPPED');
    assert.equal(vps.specs.cpu, 2);
    assert.equal(vps.specs.ramMb, 4096);
    assert.equal(vps.specs.diskGb, 40);
    assert.equal(vps.specs.diskUsed, 1024);
    assert.deepEqual(vps.price, { amount: '13', period: 'daily', currency: 'RUB' });
    assert.equal(vps.createdAt, '2025-05-01T07:00:00.000Z', 'naive dates are Moscow time');
    assert.ok(!JSON.stringify(vps).includes('secret'));
    assert.equal(mapVps({ status: 'RUNNING' }), undefined, 'no id, no resource');
    assert.equal(memoryMb(2), 2048, 'small numbers are gigabytes');
    assert.equal(memoryMb(1024), 1024);
    assert.equal(diskGb(30), 30);
    assert.equal(diskGb(30720), 30);
    const removed = mapVps({ id: 'gone', status: 'REMOVED', configuration: { price_month: 660 } });
    assert.equal(removed?.status, 'DELETED');
    assert.deepEqual(removed?.price, { amount: '660', period: 'monthly', currency: 'RUB' });
  });

  it('maps cloud service types', () => {
    const cases: [string, string][] = [
      ['MYSQL5', 'database'],
      ['MYSQL8', 'database'],
      ['POSTGRESQL15', 'database'],
      ['S_3', 'bucket'],
      ['CDN', 'other'],
      ['SOMETHING', 'other'],
    ];
    for (const [type, expected] of cases) {
      assert.equal(mapCloudService({ id: type, type, price_day: 1 })?.type, expected, type);
    }
    const pg = mapCloudService({
      id: 'pg',
      type: 'POSTGRESQL15',
      status: 'RUNNING',
      price_month: '870',
      postgresql15: { configuration: { cpu_count: 2, memory: 2048, disk_size: 20480 }, host: 'h', port: '5432' },
    });
    assert.deepEqual(pg?.price, { amount: '870', period: 'monthly', currency: 'RUB' });
    assert.equal(pg?.specs.port, 5432);
    assert.equal(pg?.specs.ramMb, 2048);
  });

  it('maps domains, hosting databases and account facts', () => {
    const expired = mapDomain({ id: 5, fqdn: 'old.ru', date_register: '2020-01-01', date_expire: '2021-01-01' }, NOW);
    assert.equal(expired?.status, 'STOPPED');
    assert.equal(expired?.providerResourceId, 'domain:5');
    const sub = mapDomain({ id: '6', fqdn: 'www.old.ru', date_register: null, date_expire: '0000-00-00' }, NOW);
    assert.equal(sub?.status, 'RUNNING');
    assert.equal(sub?.specs.registered, false);
    assert.equal(mapHostingDatabase({ name: 'db1', users: [{}] })?.providerResourceId, 'mysql:db1');
    assert.equal(mapHostingDatabase('db2')?.name, 'db2');
    assert.equal(mapHostingDatabase({}), undefined);

    const account = mapAccountInfo('me', { user_balance: '-5.10', user_days_to_block: 0, plan_name: 'Blog' });
    assert.equal(account.balance, '-5.1');
    assert.equal(account.daysToBlock, 0);
    assert.equal(account.details.accountStatus, 'blocked');
    assert.equal(account.dailyRate, undefined);
    assert.equal(mapAccountInfo('me', {}).daysToBlock, null);
  });

  it('parses both legacy envelopes', () => {
    assert.deepEqual(parseLegacyEnvelope('e', { status: 'success', answer: { status: 'success', result: [1] } }), [1]);
    const cases: [unknown, string, RegExp][] = [
      [{ status: 'error', error_code: 'AUTH_ERROR', error_text: 'bad login demo' }, 'auth', /rejected the login/],
      [{ status: 'error', error_code: 'NO_SUCH_METHOD', error_text: 'No such method' }, 'provider', /NO_SUCH_METHOD/],
      [
        {
          status: 'success',
          answer: {
            status: 'error',
            errors: [{ error_code: 'METHOD_FAILED', error_text: 'Cannot access method ftp' }],
          },
        },
        'forbidden',
        /Cannot access method ftp/,
      ],
      [
        {
          status: 'success',
          answer: { status: 'error', errors: [{ error_code: 'LIMIT_ERROR', error_text: 'Too many' }] },
        },
        'provider',
        /LIMIT_ERROR: Too many/,
      ],
      [{ status: 'error', error: 'Cannot access method mysql' }, 'forbidden', /mysql/],
      [[1, 2], 'bad_response', /envelope/],
      [{ status: 'weird' }, 'bad_response', /unexpected/],
    ];
    for (const [body, kind, pattern] of cases) {
      try {
        parseLegacyEnvelope('legacy.x.y', body);
        assert.fail(`expected ${kind}`);
      } catch (err) {
        assert.ok(err instanceof ProviderError);
        assert.equal(err.kind, kind);
        assert.match(err.message, pattern);
      }
    }
    try {
      parseLegacyEnvelope('e', { status: 'error', error_code: 'AUTH_ERROR', error_text: 'bad login demo' });
    } catch (err) {
      assert.ok(!(err as Error).message.includes('demo'), "the provider's auth text is not echoed");
    }
  });

  it('works in Moscow days and reads Beget dates', () => {
    assert.equal(moscowDayStart(new Date('2025-10-10T20:59:59Z')).toISOString(), '2025-10-09T21:00:00.000Z');
    assert.equal(moscowDayStart(new Date('2025-10-10T21:00:00Z')).toISOString(), '2025-10-10T21:00:00.000Z');
    assert.equal(parseBegetDate('2025-10-10 12:00:00')?.toISOString(), '2025-10-10T09:00:00.000Z');
    assert.equal(parseBegetDate('2025-10-10')?.toISOString(), '2025-10-09T21:00:00.000Z');
    assert.equal(parseBegetDate('2025-10-10T12:00:00+03:00')?.toISOString(), '2025-10-10T09:00:00.000Z');
    assert.equal(parseBegetDate('2025-10-10T09:00:00Z')?.toISOString(), '2025-10-10T09:00:00.000Z');
    assert.equal(parseBegetDate(1760086800)?.toISOString(), '2025-10-10T09:00:00.000Z');
    assert.equal(parseBegetDate('0000-00-00'), undefined);
    assert.equal(parseBegetDate('garbage'), undefined);
    assert.equal(parseBegetDate(null), undefined);
  });

  it('derives daily lines from stated prices, from the creation day, skipping free and deleted resources', () => {
    const resource = (id: string, over: Partial<InventoryResource>): InventoryResource => ({
      providerResourceId: id,
      name: id,
      type: 'server',
      status: 'RUNNING',
      specs: {},
      price: { amount: '660', period: 'monthly', currency: 'RUB' },
      ...over,
    });
    const items: BaselineItem[] = [
      { resource: resource('old', { createdAt: '2024-01-01T00:00:00Z' }), lineKey: 'vps' },
      // Created at 23:30 Moscow on Oct 8: charged from that day.
      { resource: resource('new', { createdAt: '2025-10-08T20:30:00Z' }), lineKey: 'vps' },
      {
        resource: resource('free', { price: { amount: '0', period: 'daily', currency: 'RUB' } }),
        lineKey: 'cloud-service',
      },
      { resource: resource('gone', { status: 'DELETED' }), lineKey: 'vps' },
      { resource: resource('unpriced', { price: undefined }), lineKey: 'vps' },
      { resource: resource('future', { createdAt: '2025-10-11T00:00:00Z' }), lineKey: 'vps' },
    ];
    const window = { start: new Date('2025-10-06T21:00:00Z'), end: new Date('2025-10-10T21:00:00Z') };
    const batches = [...dailyBaselineLines(items, window, NOW, 3)];
    const lines = batches.flat();
    assert.ok(batches.every((b) => b.length <= 3));
    assert.equal(lines.filter((l) => l.resourceId === 'old').length, 4);
    assert.deepEqual(
      lines.filter((l) => l.resourceId === 'new').map((l) => l.periodStart.toISOString()),
      ['2025-10-07T21:00:00.000Z', '2025-10-08T21:00:00.000Z', '2025-10-09T21:00:00.000Z']
    );
    assert.ok(lines.every((l) => l.amount === '22'));
    assert.equal(lines.filter((l) => ['free', 'gone', 'unpriced', 'future'].includes(l.resourceId)).length, 0);
    // A window that ends before now stops there; one entirely in the future yields nothing.
    assert.equal(
      [
        ...dailyBaselineLines(items.slice(0, 1), { start: window.start, end: new Date('2025-10-07T21:00:00Z') }, NOW),
      ].flat().length,
      1
    );
    assert.equal(
      [
        ...dailyBaselineLines(
          items,
          { start: new Date('2025-10-11T00:00:00Z'), end: new Date('2025-10-12T00:00:00Z') },
          NOW
        ),
      ].length,
      0
    );
  });

  it('picks the shortest statistics period and keeps points inside the window', () => {
    const at = (msAgo: number) => ({ start: new Date(NOW.getTime() - msAgo), end: NOW });
    assert.equal(periodFor(at(30 * 60_000), NOW), 'HOUR');
    assert.equal(periodFor(at(3_600_000), NOW), 'HOUR');
    assert.equal(periodFor(at(2 * 3_600_000), NOW), 'DAY');
    assert.equal(periodFor(at(3 * DAY), NOW), 'WEEK');
    assert.equal(periodFor(at(20 * DAY), NOW), 'MONTH');
    assert.equal(periodFor(at(90 * DAY), NOW), 'MONTH');
    const series = {
      date: [
        '2025-10-10T12:00:00+03:00',
        '2025-10-10 12:10:00',
        'bad',
        '2025-10-10T12:20:00+03:00',
        '2025-10-10T13:00:00+03:00',
      ],
      value: [1, '2', 3, 'x', 5],
    };
    const window = { start: new Date('2025-10-10T09:05:00Z'), end: new Date('2025-10-10T09:30:00Z') };
    assert.deepEqual(
      seriesPoints(series, window).map((p) => p.value),
      [2]
    );
    const mem = memorySamples('s', { date: ['2025-10-10T09:10:00Z'], value: [512] }, window, 2048);
    assert.deepEqual(
      mem.map((m) => [m.metric, m.value]),
      [
        ['memory_usage_mb', 512],
        ['memory_utilization', 25],
      ]
    );
    assert.equal(memorySamples('s', { date: ['2025-10-10T09:10:00Z'], value: [512] }, window, undefined).length, 1);
  });

  it('runs at most N calls at a time', async () => {
    let running = 0;
    let peak = 0;
    const results: number[] = [];
    for await (const r of mapBounded([1, 2, 3, 4, 5, 6, 7, 8, 9], 4, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5 + (n % 3) * 5));
      running--;
      return n * 2;
    })) {
      results.push(r);
    }
    assert.equal(peak, 4);
    assert.deepEqual(
      results.sort((a, b) => a - b),
      [2, 4, 6, 8, 10, 12, 14, 16, 18]
    );
  });
});
