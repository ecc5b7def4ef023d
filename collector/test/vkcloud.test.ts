import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import pino from 'pino';
import { createLogger, loggerOptions, type Logger } from '../src/observability/logger.js';
import type { HttpOptions } from '../src/providers/http/client.js';
import { ProviderError } from '../src/providers/http/errors.js';
import { keystoneError } from '../src/providers/vkcloud/auth.js';
import { dailyOf, derivedDailyLines } from '../src/providers/vkcloud/billing.js';
import { servicesFromCatalog, versioned, volumeRoot } from '../src/providers/vkcloud/catalog.js';
import { vkcloudConnector } from '../src/providers/vkcloud/index.js';
import { applyPriceList } from '../src/providers/vkcloud/pricing.js';
import {
  vkcloudSettingsSchema,
  type VkcloudCredentials,
  type VkcloudPriceList,
  type VkcloudSettings,
} from '../src/providers/vkcloud/schema.js';
import type {
  BillingLine,
  ConnectorContext,
  InventoryResource,
  MetricSample,
  TimeWindow,
} from '../src/providers/types.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { stopTestCluster } from './helpers/postgres.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-api.js';

const NOW = new Date('2025-10-10T12:34:56Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const OCT_1 = new Date('2025-09-30T21:00:00Z');
const window10: TimeWindow = { start: OCT_1, end: NOW };
const HTTP: HttpOptions = { timeoutMs: 1500, retries: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 };
const silent = createLogger('silent');

type Ctx = ConnectorContext<VkcloudCredentials, VkcloudSettings>;

function ctxFor(
  sandbox: Sandbox,
  overrides: { credentials?: Partial<VkcloudCredentials>; settings?: Partial<VkcloudSettings>; logger?: Logger } = {}
): Ctx {
  return {
    credentials: { ...sandbox.vkcloud.credentials, ...overrides.credentials },
    settings: { ...sandbox.vkcloud.settings, ...overrides.settings },
    logger: overrides.logger ?? silent,
    http: HTTP,
    now: NOW,
  };
}

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const batch of iterable) items.push(...batch);
  return items;
}

const total = (lines: BillingLine[]) => lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0)).toFixed();

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

const server = (
  id: string,
  flavor: string,
  status: InventoryResource['status'],
  createdAt?: string
): InventoryResource => ({
  providerResourceId: id,
  name: id,
  type: 'server',
  status,
  specs: { flavor },
  createdAt,
});
const volume = (id: string, volumeType: string, sizeGb: number): InventoryResource => ({
  providerResourceId: id,
  name: id,
  type: 'volume',
  status: 'RUNNING',
  specs: { volumeType, sizeGb },
});

describe('VK Cloud mappers (pure)', () => {
  it('reads each service root per region from the catalog, public interface only', () => {
    const regions = servicesFromCatalog([
      {
        type: 'identity',
        endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://infra.mail.ru:35357/v3' }],
      },
      {
        type: 'compute',
        endpoints: [
          { interface: 'internal', region: 'RegionOne', url: 'http://nova.internal:8774/v2.1/p' },
          { interface: 'public', region: 'RegionOne', url: 'https://infra.mail.ru:8774/v2.1/p/' },
        ],
      },
      {
        type: 'volumev2',
        endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://public.infra.mail.ru:8776/v2/p' }],
      },
      {
        type: 'volumev3',
        endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://public.infra.mail.ru:8776/v3/p' }],
      },
      { type: 'network', endpoints: [{ interface: 'public', region_id: 'kz', url: 'https://kz.mcs.mail.ru:9696' }] },
      { type: 'metric', endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://infra.mail.ru:8041' }] },
    ]);
    assert.deepEqual(regions, [
      { region: 'kz', urls: { network: 'https://kz.mcs.mail.ru:9696' } },
      {
        region: 'RegionOne',
        urls: {
          compute: 'https://infra.mail.ru:8774/v2.1/p',
          volume: 'https://public.infra.mail.ru:8776/v3/p',
          metric: 'https://infra.mail.ru:8041',
        },
      },
    ]);
    assert.equal(volumeRoot('https://h:8776/v3', 'abc'), 'https://h:8776/v3/abc');
    assert.equal(volumeRoot('https://h:8776/v3/abc', 'abc'), 'https://h:8776/v3/abc');
    assert.equal(versioned('https://h:9696', 'v2.0', '/ports'), 'https://h:9696/v2.0/ports');
    assert.equal(versioned('https://h:9696/v2.0', 'v2.0', '/ports'), 'https://h:9696/v2.0/ports');
    assert.equal(versioned('https://h:8041/v1', 'v1', '/aggregates'), 'https://h:8041/v1/aggregates');
  });

  it('prices running VMs by flavor and volumes by type × size, and says when a price is missing', () => {
    const list: VkcloudPriceList = { flavors: { 'STD2-2-4': '2950.5' }, volumeTypes: { 'ceph-ssd': '12.8' } };
    const [running, lower, stopped, unknown, vol, novol, ip] = applyPriceList(
      [
        server('a', 'STD2-2-4', 'RUNNING'),
        server('b', 'std2-2-4', 'RUNNING'),
        server('c', 'STD2-2-4', 'STOPPED'),
        server('d', 'GPU-8-32', 'RUNNING'),
        volume('v', 'ceph-ssd', 64),
        volume('w', 'dp1-ssd', 10),
        { providerResourceId: 'ip', name: 'ip', type: 'ip', status: 'RUNNING', specs: {} },
      ],
      list
    );
    assert.deepEqual(running!.price, { amount: '2950.5', period: 'monthly', currency: 'RUB' });
    assert.equal(running!.specs.price, 'price-list');
    assert.equal(running!.specs.priceKey, 'flavor STD2-2-4');
    assert.equal(lower!.price?.amount, '2950.5', 'names match case-insensitively');
    assert.equal(stopped!.price, undefined, 'VK Cloud does not charge vCPU and RAM of a stopped VM');
    assert.equal(stopped!.specs.price, 'stopped');
    assert.equal(unknown!.price, undefined);
    assert.equal(unknown!.specs.price, 'missing');
    assert.match(unknown!.specs.priceHint as string, /add flavor "GPU-8-32"/);
    assert.deepEqual(vol!.price, { amount: '819.2', period: 'monthly', currency: 'RUB' });
    assert.equal(vol!.specs.pricePerGbMonth, '12.8');
    assert.equal(novol!.specs.price, 'missing');
    assert.match(novol!.specs.priceHint as string, /volume type "dp1-ssd"/);
    assert.equal(ip!.specs.price, undefined, 'other types are not priced');
  });

  it('derives one line per Moscow day from creation to now at the monthly price ÷ 30', () => {
    assert.equal(dailyOf('2950'), '98.333333');
    assert.equal(dailyOf('100'), '3.333333');
    assert.equal(dailyOf('4450.5'), '148.35');
    assert.equal(dailyOf('0.00002'), '0.000001', 'half-up at the sixth decimal');
    const [a, b, stopped] = applyPriceList(
      [
        server('old', 'F', 'RUNNING', '2024-01-01T00:00:00Z'),
        // Created 2025-10-08 15:00 Moscow: billed from that Moscow day on.
        server('new', 'F', 'RUNNING', '2025-10-08T12:00:00Z'),
        server('off', 'F', 'STOPPED', '2024-01-01T00:00:00Z'),
      ],
      { flavors: { F: '3000' }, volumeTypes: {} }
    );
    const batches = [...derivedDailyLines([a!, b!, stopped!], window10, NOW, 7)];
    assert.ok(batches.every((batch) => batch.length <= 7));
    const lines = batches.flat();
    assert.equal(lines.filter((l) => l.resourceId === 'old').length, 10, '1–10 October, today at its full price');
    assert.deepEqual(
      lines.filter((l) => l.resourceId === 'new').map((l) => l.periodStart.toISOString()),
      ['2025-10-07T21:00:00.000Z', '2025-10-08T21:00:00.000Z', '2025-10-09T21:00:00.000Z']
    );
    assert.ok(!lines.some((l) => l.resourceId === 'off'));
    for (const l of lines) {
      assert.equal(l.amount, '100');
      assert.equal(l.periodEnd.getTime() - l.periodStart.getTime(), DAY);
      assert.equal(l.tags?.basis, 'stated-price');
      assert.equal(l.tags?.price_key, 'flavor F');
      assert.equal(l.lineKey, 'flavor');
    }
    assert.equal(total(lines), '1300');
  });

  it('tells a wrong password from a project without a role', () => {
    const auth = (message: string) => new ProviderError('auth', 'auth', message, { status: 401 });
    const password = keystoneError(
      auth('vkcloud auth: HTTP 401 (The request you have made requires authentication.)'),
      'https://infra.mail.ru:35357/v3'
    );
    assert.ok(password instanceof ProviderError);
    assert.equal(password.kind, 'auth');
    assert.match(password.message, /rejected the user name or password/);
    const project = keystoneError(auth('vkcloud auth: HTTP 401 (User 1 has no access to project 2)'), 'https://x/v3');
    assert.ok(project instanceof ProviderError);
    assert.equal(project.kind, 'forbidden');
    assert.match(project.message, /no role in the project/);
  });

  it('validates the price list strictly', () => {
    const parse = (priceList: unknown) => vkcloudSettingsSchema.safeParse({ priceList });
    assert.ok(parse({ flavors: { 'STD2-2-4': '2950.50' }, volumeTypes: { 'ceph-ssd': '12.8' } }).success);
    assert.ok(!parse({ flavors: { 'STD2-2-4': 2950 } }).success, 'amounts are decimal strings');
    assert.ok(!parse({ flavors: { 'STD2-2-4': '-1' } }).success);
    assert.ok(!parse({ flavors: { 'STD2-2-4': '1e3' } }).success);
    assert.ok(!parse({ flavors: {}, disks: {} }).success, 'unknown sections are refused');
    assert.deepEqual(vkcloudSettingsSchema.parse({}).priceList, { flavors: {}, volumeTypes: {} });
  });
});

describe('VK Cloud connector against the sandbox', () => {
  let sandbox: Sandbox;
  const extra: Sandbox[] = [];
  const start = async (options: SandboxOptions = {}) => {
    const s = await startSandbox({ now: () => NOW, ...options });
    extra.push(s);
    return s;
  };
  before(async () => {
    sandbox = await startSandbox({ now: () => NOW });
  });
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.faults.resetHits();
  });
  after(async () => {
    await sandbox.close();
    for (const s of extra) await s.close();
  });

  describe('test()', () => {
    it('logs in, lists the inventory and says how much of it the price list covers', async () => {
      const { truth } = sandbox.vkcloud;
      const info = await vkcloudConnector.test(ctxFor(sandbox));
      assert.equal(info.accountId, truth.projectId);
      assert.equal(info.name, truth.projectName);
      assert.deepEqual(info.details.regions, truth.regions);
      assert.equal(info.details.servers, truth.servers.length);
      assert.equal(info.details.volumes, truth.volumes.length);
      assert.equal(info.details.unpriced, 2);
      assert.match((info.details.warnings as string[])[0]!, /no entry in the price list/);
    });

    it('says the password is wrong, without echoing it', async () => {
      const ctx = ctxFor(sandbox, { credentials: { password: 'hunter2-wrong' } });
      const err = await rejection(vkcloudConnector.test(ctx));
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /VK Cloud rejected the user name or password/);
      assert.ok(!err.message.includes('hunter2-wrong'));
      const domain = await rejection(vkcloudConnector.test(ctxFor(sandbox, { credentials: { domain: 'other' } })));
      assert.equal(domain.kind, 'auth');
    });

    it('says the user has no role in a project', async () => {
      const err = await rejection(
        vkcloudConnector.test(ctxFor(sandbox, { credentials: { projectId: '0'.repeat(32) } }))
      );
      assert.equal(err.kind, 'forbidden');
      assert.match(err.message, /no role in the project/);
    });

    it('says when Keystone cannot be reached', async () => {
      const err = await rejection(
        vkcloudConnector.test(ctxFor(sandbox, { settings: { identityUrl: 'http://127.0.0.1:1/v3' } }))
      );
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /cannot reach VK Cloud Keystone at 127\.0\.0\.1:1/);
    });
  });

  describe('inventory()', () => {
    it('lists servers with flavor, addresses and volumes, and volumes with attachments and prices', async () => {
      const { truth } = sandbox.vkcloud;
      const inventory = await (await vkcloudConnector.open(ctxFor(sandbox))).inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);
      const byId = new Map(inventory.resources.map((r) => [r.providerResourceId, r]));
      const prices = truth.monthlyPrices();
      for (const s of truth.servers) {
        const r = byId.get(s.id)!;
        assert.equal(r.status, s.status === 'ACTIVE' ? 'RUNNING' : 'STOPPED');
        assert.equal(r.specs.flavor, s.flavor);
        assert.equal(r.specs.vcpus, s.vcpus);
        assert.equal(r.specs.ramMb, s.ramMb);
        assert.deepEqual(r.specs.ips, s.ips);
        assert.deepEqual(r.specs.macs, s.macs);
        assert.deepEqual([...(r.specs.volumeIds as string[])].sort(), [...s.volumeIds].sort());
        assert.equal(r.price?.amount, prices[s.id]);
      }
      for (const v of truth.volumes) {
        const r = byId.get(v.id)!;
        assert.deepEqual(r.attachedTo, v.attachedTo);
        assert.equal(r.specs.sizeGb, v.sizeGb);
        assert.equal(r.price?.amount, prices[v.id]);
      }
      assert.equal(byId.get(truth.stoppedServer.id)!.specs.price, 'stopped');
      assert.equal(byId.get(truth.unpricedServer.id)!.specs.price, 'missing');
      assert.equal(byId.get(truth.unpricedVolume.id)!.specs.price, 'missing');
      assert.deepEqual(byId.get(truth.orphanVolume.id)!.attachedTo, []);
    });

    it('pages Nova and Cinder by marker, and reads flavors from an old Nova that does not embed them', async () => {
      const own = await start({ vkcloud: { pageSize: 2, legacyNova: true } });
      const inventory = await (await vkcloudConnector.open(ctxFor(own))).inventory();
      assert.deepEqual(inventory.errors, []);
      const servers = inventory.resources.filter((r) => r.type === 'server');
      assert.equal(servers.length, own.vkcloud.truth.servers.length);
      assert.equal(inventory.resources.length - servers.length, own.vkcloud.truth.volumes.length);
      assert.ok(own.faults.hits('vkcloud.flavors') >= 1);
      const prices = own.vkcloud.truth.monthlyPrices();
      for (const s of servers)
        assert.equal(s.price?.amount, prices[s.providerResourceId], 'priced by the looked-up flavor');
    });

    it('logs in again when the token expires mid-inventory', async () => {
      sandbox.faults.set('vkcloud.token-expiry', { kind: 'token-expiry', afterRequests: 2 });
      const inventory = await (await vkcloudConnector.open(ctxFor(sandbox))).inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);
      assert.ok(sandbox.faults.hits('vkcloud.auth') >= 2);
    });

    it('marks the inventory incomplete when servers keep failing, keeping the volumes', async () => {
      sandbox.faults.set('vkcloud.servers:RegionOne', { kind: 'status', status: 503 });
      const inventory = await (await vkcloudConnector.open(ctxFor(sandbox))).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(
        inventory.errors.map((e) => [e.endpoint, e.region, e.kind]),
        [['servers', 'RegionOne', 'server']]
      );
      assert.equal(inventory.resources.filter((r) => r.type === 'volume').length, sandbox.vkcloud.truth.volumes.length);
    });

    for (const [name, fault] of [
      ['429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }],
      ['a timeout', { kind: 'timeout', times: 1 }],
      ['a truncated page', { kind: 'truncated', times: 1 }],
    ] as const) {
      it(`survives ${name} on Cinder`, async () => {
        sandbox.faults.set('vkcloud.volumes', fault);
        const inventory = await (await vkcloudConnector.open(ctxFor(sandbox))).inventory();
        assert.deepEqual(inventory.errors, []);
        assert.equal(
          inventory.resources.length,
          sandbox.vkcloud.truth.servers.length + sandbox.vkcloud.truth.volumes.length
        );
      });
    }
  });

  describe('billing()', () => {
    it('derives exactly the truth: one line per priced resource and Moscow day', async () => {
      const { truth } = sandbox.vkcloud;
      const session = await vkcloudConnector.open(ctxFor(sandbox));
      const lines = await collect(session.billing(window10));
      assert.deepEqual(session.errors, []);
      assert.equal(total(lines), truth.expectedCost(window10));
      assert.equal(lines.length, truth.expectedLines(window10));
      const daily = truth.dailyPrices();
      for (const l of lines) assert.equal(l.amount, daily[l.resourceId]);
      assert.ok(
        !lines.some((l) => l.resourceId === truth.unpricedServer.id || l.resourceId === truth.stoppedServer.id)
      );
      assert.equal(sandbox.faults.hits('vkcloud.servers'), 1, 'billing and inventory share one listing');
      await session.inventory();
      assert.equal(sandbox.faults.hits('vkcloud.servers'), 1);
    });

    it('prices with whatever list the settings carry', async () => {
      const list = { flavors: { 'STD2-2-4': '5000' }, volumeTypes: {} };
      const lines = await collect(
        (await vkcloudConnector.open(ctxFor(sandbox, { settings: { priceList: list } }))).billing(window10)
      );
      assert.equal(total(lines), sandbox.vkcloud.truth.expectedCost(window10, list));
      assert.ok(lines.every((l) => l.amount === '166.666667'));
    });

    it('derives nothing from an incomplete inventory and says why', async () => {
      sandbox.faults.set('vkcloud.volumes:RegionOne', { kind: 'status', status: 500 });
      const session = await vkcloudConnector.open(ctxFor(sandbox));
      assert.deepEqual(await collect(session.billing(window10)), []);
      assert.deepEqual(
        session.errors.map((e) => e.endpoint),
        ['volumes', 'price-list']
      );
      assert.match(session.errors[1]!.message, /previous ones are kept/);
    });

    it('fails with the reason when the login is refused', async () => {
      const session = await vkcloudConnector.open(ctxFor(sandbox, { credentials: { password: 'nope' } }));
      const err = await rejection(collect(session.billing(window10)));
      assert.equal(err.kind, 'auth');
    });
  });

  describe('metrics()', () => {
    it('reads CPU of running servers, memory where Gnocchi keeps it, and invents nothing', async () => {
      const { truth } = sandbox.vkcloud;
      const session = await vkcloudConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      const window = { start: new Date(NOW.getTime() - 2 * HOUR), end: NOW };
      const samples = await collect<MetricSample>(session.metrics(inventory.resources, window));
      assert.deepEqual(session.errors, [], 'a VM without a memory metric is not an error');
      const running = truth.servers.filter((s) => s.status === 'ACTIVE');
      assert.deepEqual([...new Set(samples.map((s) => s.resourceId))].sort(), running.map((s) => s.id).sort());
      const of = (id: string, metric: string) => samples.filter((s) => s.resourceId === id && s.metric === metric);
      assert.ok(of(truth.noMemoryServer.id, 'cpu_utilization').length > 0);
      assert.equal(of(truth.noMemoryServer.id, 'memory_usage_mb').length, 0);
      const withMemory = running.find((s) => s.id !== truth.noMemoryServer.id)!;
      assert.ok(of(withMemory.id, 'memory_utilization').every((s) => s.value > 0 && s.value < 100));
      for (const s of samples) assert.ok(s.ts >= window.start && s.ts < window.end);
    });

    it('records a failing metric API once and carries on', async () => {
      sandbox.faults.set('vkcloud.metrics', { kind: 'status', status: 500 });
      const session = await vkcloudConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      assert.deepEqual(
        await collect(session.metrics(inventory.resources, { start: new Date(NOW.getTime() - HOUR), end: NOW })),
        []
      );
      assert.equal(session.errors.length, 1);
      assert.equal(session.errors[0]!.endpoint, 'metrics');
      assert.match(session.errors[0]!.message, /metric requests failed alike/);
    });
  });

  it('never writes a secret into errors or logs, even when everything fails', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const logger = pino(loggerOptions('debug'), sink);
    for (const endpoint of ['vkcloud.servers', 'vkcloud.volumes', 'vkcloud.metrics'])
      sandbox.faults.set(endpoint, { kind: 'status', status: 500 });
    sandbox.faults.set('vkcloud.token-expiry', { kind: 'token-expiry', afterRequests: 1 });
    const ctx = ctxFor(sandbox, { logger });
    const session = await vkcloudConnector.open(ctx);
    await collect(session.billing(window10));
    const failures = await Promise.allSettled([
      vkcloudConnector.test(ctxFor(sandbox, { logger, credentials: { password: `${ctx.credentials.password}x` } })),
    ]);
    const text = JSON.stringify([
      session.errors,
      failures.map((f) => (f.status === 'rejected' ? String(f.reason) : '')),
    ]);
    assert.ok(session.errors.length > 0);
    assert.ok(!(text + chunks.join('')).includes(ctx.credentials.password));
    assert.ok(chunks.length > 0);
  });
});

describe('VK Cloud sync end to end through the API', () => {
  const SYNC_NOW = new Date('2026-11-20T09:30:00Z');
  let h: SyncHarness;
  before(async () => {
    h = await startSyncHarness('vkcloud', SYNC_NOW);
  });
  after(async () => {
    await h.close();
    await stopTestCluster();
  });

  describe('a clean sync', () => {
    let id: string;
    let first: Awaited<ReturnType<SyncHarness['sync']>>;
    before(async () => {
      id = await h.connect('vkcloud');
      first = await h.sync(id);
    });

    it('stores the derived daily cost of every priced resource', async () => {
      const { truth } = h.sandbox.vkcloud;
      assert.equal(first.status, 'success', JSON.stringify(first.endpointErrors));
      const window = { start: new Date(first.windowStart), end: SYNC_NOW };
      const totals = await h.costTotals(id);
      assert.equal(totals.total, truth.expectedCost(window));
      assert.equal(totals.n, truth.expectedLines(window));
      assert.equal(totals.n, totals.keys);
      assert.ok(first.metricsWritten > 0, 'Gnocchi utilization stored');
    });

    it('gives resources their price-list cost, flags the orphan and names what has no price', async () => {
      const { truth } = h.sandbox.vkcloud;
      const list = await h.resources(id);
      const byPid = new Map(list.map((r) => [r.providerResourceId, r]));
      const daily = truth.dailyPrices();
      for (const v of truth.volumes.filter((x) => daily[x.id])) {
        assert.equal(new Decimal(byPid.get(v.id)!.dailyCost!).toFixed(), daily[v.id], v.name);
        assert.equal(byPid.get(v.id)!.costSource, 'price');
      }
      const vm = truth.servers.find((s) => daily[s.id] && s.volumeIds.every((v) => daily[v]))!;
      const expected = [vm.id, ...vm.volumeIds].reduce((sum, rid) => sum.plus(daily[rid]!), new Decimal(0));
      assert.equal(new Decimal(byPid.get(vm.id)!.dailyCost!).toFixed(), expected.toFixed(), 'a VM carries its volumes');
      assert.deepEqual(
        (await h.resources(id, '&flag=orphan')).map((r) => r.providerResourceId),
        [truth.orphanVolume.id]
      );
      assert.equal((await h.resources(id, '&flag=zombie')).length, 0);
      const unpriced = byPid.get(truth.unpricedServer.id)!;
      assert.equal(unpriced.specs.price, 'missing');
      assert.equal((unpriced.specs.costBreakdown as { ownDaily: string | null }).ownDaily, null, 'no compute cost');
      assert.equal(byPid.get(truth.unpricedVolume.id)!.dailyCost, null);
      assert.equal(byPid.get(truth.unpricedVolume.id)!.specs.price, 'missing');
      assert.equal(byPid.get(truth.stoppedServer.id)!.specs.price, 'stopped');
      const sum = list
        .filter((r) => !r.parentId && r.dailyCost)
        .reduce((acc, r) => acc.plus(r.dailyCost!), new Decimal(0));
      assert.equal(sum.toFixed(), new Decimal(first.totalDailyCost!).toFixed());
    });

    it('is idempotent: a re-sync changes no totals and records every resource unchanged', async () => {
      const before = await h.costTotals(id);
      const again = await h.sync(id);
      assert.equal(again.status, 'success');
      assert.deepEqual(await h.costTotals(id), before);
      assert.equal(again.counts.unchanged, again.counts.found);
    });

    it('a price-list change through the API changes the cost on the next sync', async () => {
      const { truth } = h.sandbox.vkcloud;
      const got = await h.api<VkcloudPriceList>('GET', `/api/v1/connections/${id}/price-list`);
      assert.deepEqual(got.body, truth.priceList);
      const bad = await h.api<{ error: string; details: { path: string }[] }>(
        'PUT',
        `/api/v1/connections/${id}/price-list`,
        {
          flavors: { 'STD2-2-4': 'cheap' },
          volumeTypes: {},
        }
      );
      assert.equal(bad.status, 400);
      assert.ok(bad.body.details.some((d) => d.path.includes('flavors')));
      const newList = {
        flavors: { ...truth.priceList.flavors, 'GPU-8-32': '60000' },
        volumeTypes: { ...truth.priceList.volumeTypes, 'ceph-ssd': '15' },
      };
      const put = await h.api<VkcloudPriceList>('PUT', `/api/v1/connections/${id}/price-list`, newList);
      assert.equal(put.status, 200);
      assert.deepEqual(put.body, newList);

      const snap = await h.sync(id);
      assert.equal(snap.status, 'success');
      assert.ok(snap.states.items.some((s) => s.providerResourceId === truth.unpricedServer.id && s.hasCostChange));
      const byPid = new Map((await h.resources(id)).map((r) => [r.providerResourceId, r]));
      const daily = truth.dailyPrices(newList);
      const gpu = byPid.get(truth.unpricedServer.id)!;
      assert.equal(gpu.specs.price, 'price-list');
      assert.equal(new Decimal((gpu.specs.costBreakdown as { ownDaily: string }).ownDaily).toFixed(), '2000');
      const ssd = truth.volumes.find((v) => v.volumeType === 'ceph-ssd')!;
      assert.equal(new Decimal(byPid.get(ssd.id)!.dailyCost!).toFixed(), daily[ssd.id]);
      // The days this sync re-read carry the new prices; nothing was doubled.
      const reread = { start: new Date(snap.windowStart), end: SYNC_NOW };
      const totals = await h.costTotals(id, { from: snap.windowStart });
      assert.equal(totals.total, truth.expectedCost(reread, newList));
      const all = await h.costTotals(id);
      assert.equal(all.n, all.keys);
      const audit = await h.t.db.query<{ details: { settingsChanged?: string[] } }>(
        `SELECT details FROM audit_log WHERE action = 'connection.update' AND target_id = $1`,
        [id]
      );
      assert.deepEqual(
        audit.map((a) => a.details.settingsChanged),
        [['priceList']]
      );
    });

    it('refuses a price list for a connection of another provider', async () => {
      const cloudru = await h.connect('cloudru');
      const res = await h.api<{ error: string; message: string }>('PUT', `/api/v1/connections/${cloudru}/price-list`, {
        flavors: {},
        volumeTypes: {},
      });
      assert.equal(res.status, 409);
      assert.match(res.body.message, /VK Cloud connections/);
      const missing = await h.api('GET', '/api/v1/connections/00000000-0000-4000-8000-000000000000/price-list');
      assert.equal(missing.status, 404);
    });
  });

  describe('faults: recorded, previous costs kept, a rerun converges', () => {
    for (const scenario of [
      {
        name: 'Nova failing (503)',
        endpoint: 'vkcloud.servers:RegionOne',
        fault: { kind: 'status', status: 503 },
        expect: 'partial',
        error: 'servers',
      },
      {
        name: 'a truncated Cinder page once',
        endpoint: 'vkcloud.volumes',
        fault: { kind: 'truncated', times: 1 },
        expect: 'success',
      },
      {
        name: 'the token dying mid-sync',
        endpoint: 'vkcloud.token-expiry',
        fault: { kind: 'token-expiry', afterRequests: 3, times: 1 },
        expect: 'success',
      },
    ] as const) {
      it(scenario.name, async () => {
        const id = await h.connect('vkcloud', { backfillDays: 2 });
        await h.sync(id);
        const { n, total } = await h.costTotals(id);
        const faulted = await h.withFault(scenario.endpoint, scenario.fault, () => h.sync(id));
        assert.equal(faulted.status, scenario.expect, JSON.stringify(faulted.endpointErrors));
        if ('error' in scenario) assert.ok(faulted.endpointErrors.some((e) => e.endpoint === scenario.error));
        assert.deepEqual({ ...(await h.costTotals(id)), keys: undefined }, { n, total, keys: undefined });
        const list = await h.resources(id);
        assert.equal(list.filter((r) => r.status === 'DELETED').length, 0, 'a partial read deletes nothing');
        const rerun = await h.sync(id);
        assert.equal(rerun.status, 'success');
        const after = await h.costTotals(id);
        assert.deepEqual({ n: after.n, total: after.total }, { n, total });
      });
    }

    it('bad credentials: the sync fails with the reason, nothing leaks', async () => {
      const password = 'definitely-not-the-password';
      const id = await h.connect('vkcloud', { backfillDays: 1 }, { ...h.sandbox.vkcloud.credentials, password });
      const snap = await h.sync(id);
      assert.equal(snap.status, 'error');
      assert.match(snap.errorMessage ?? '', /rejected the user name or password/);
      assert.ok(!JSON.stringify(snap).includes(password));
    });
  });
});
