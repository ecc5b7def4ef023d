import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import pino from 'pino';
import { createLogger, loggerOptions, type Logger } from '../src/observability/logger.js';
import type { HttpOptions } from '../src/providers/http/client.js';
import { ProviderError } from '../src/providers/http/errors.js';
import { parseBalances, parsePrediction } from '../src/providers/selectel/account.js';
import {
  kopecksToRoubles,
  mapConsumptionRow,
  resourceTypeFor,
  serviceFor,
} from '../src/providers/selectel/billing-mapper.js';
import { BATCH_SIZE, nextChunkHours } from '../src/providers/selectel/billing.js';
import { selectelConnector } from '../src/providers/selectel/index.js';
import { mapRegionInventory } from '../src/providers/selectel/inventory-mapper.js';
import { nextPageQuery } from '../src/providers/selectel/inventory.js';
import { aggregatesBody, boundedMap, parseAggregates } from '../src/providers/selectel/metrics.js';
import { volumeMonthlyPrice, volumeTier } from '../src/providers/selectel/prices.js';
import { regionalBase, regionOfZone, regionsFromCatalog, resolveRegions } from '../src/providers/selectel/regions.js';
import type { SelectelCredentials, SelectelSettings } from '../src/providers/selectel/schema.js';
import { normalizeServerStatus, normalizeVolumeStatus } from '../src/providers/selectel/status.js';
import { parseMoscowNaive, toMoscowNaive } from '../src/providers/selectel/time.js';
import type {
  BillingLine,
  ConnectorContext,
  InventoryResource,
  MetricSample,
  TimeWindow,
} from '../src/providers/types.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';

const NOW = new Date('2025-10-10T12:34:56Z');
const HOUR = 3_600_000;
/** The last complete hour ends here: billing exists up to it. */
const BILLED_UNTIL = new Date(Math.floor(NOW.getTime() / HOUR) * HOUR);
const HTTP: HttpOptions = { timeoutMs: 1500, retries: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 };
const silent = createLogger('silent');

type Ctx = ConnectorContext<SelectelCredentials, SelectelSettings>;

function ctxFor(
  sandbox: Sandbox,
  overrides: { credentials?: Partial<SelectelCredentials>; settings?: Partial<SelectelSettings>; logger?: Logger } = {}
): Ctx {
  return {
    credentials: { ...sandbox.selectel.credentials, ...overrides.credentials },
    settings: { ...sandbox.selectel.settings, ...overrides.settings },
    logger: overrides.logger ?? silent,
    http: HTTP,
    now: NOW,
  };
}

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<{ items: T[]; batches: number[] }> {
  const items: T[] = [];
  const batches: number[] = [];
  for await (const batch of iterable) {
    batches.push(batch.length);
    for (const item of batch) items.push(item);
  }
  return { items, batches };
}

const total = (lines: BillingLine[]) => lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0)).toFixed();
const hoursBefore = (end: Date, hours: number): TimeWindow => ({ start: new Date(end.getTime() - hours * HOUR), end });

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function assertNoSecrets(text: string, credentials: SelectelCredentials): void {
  assert.ok(!text.includes(credentials.apiKey), 'the API key leaked');
  assert.ok(!text.includes(credentials.password), 'the password leaked');
}

describe('Selectel mappers (pure)', () => {
  it('normalizes Nova and Cinder statuses', () => {
    assert.equal(normalizeServerStatus('ACTIVE'), 'RUNNING');
    assert.equal(normalizeServerStatus('active'), 'RUNNING');
    assert.equal(normalizeServerStatus('SHUTOFF'), 'STOPPED');
    assert.equal(normalizeServerStatus('STOPPED'), 'STOPPED');
    assert.equal(normalizeServerStatus('SHELVED_OFFLOADED'), 'STOPPED');
    assert.equal(normalizeServerStatus('ERROR'), 'ERROR');
    assert.equal(normalizeServerStatus('failed'), 'ERROR');
    assert.equal(normalizeServerStatus('SOFT_DELETED'), 'DELETED');
    assert.equal(normalizeServerStatus('DELETED'), 'DELETED');
    assert.equal(normalizeServerStatus('HARD_REBOOT'), 'RUNNING');
    assert.equal(normalizeServerStatus('BUILD'), 'UNKNOWN');
    assert.equal(normalizeServerStatus(undefined), 'UNKNOWN');
    assert.equal(normalizeVolumeStatus('in-use'), 'RUNNING');
    assert.equal(normalizeVolumeStatus('available'), 'RUNNING');
    assert.equal(normalizeVolumeStatus('error'), 'ERROR');
    assert.equal(normalizeVolumeStatus('error_extending'), 'ERROR');
    assert.equal(normalizeVolumeStatus('deleting'), 'DELETED');
    assert.equal(normalizeVolumeStatus('creating'), 'UNKNOWN');
  });

  it('turns kopecks into exact roubles, whatever JSON type they come as', () => {
    assert.equal(kopecksToRoubles(12345), '123.45');
    assert.equal(kopecksToRoubles(100), '1');
    assert.equal(kopecksToRoubles(0.1), '0.001');
    assert.equal(kopecksToRoubles(123.45), '1.2345');
    assert.equal(kopecksToRoubles('987.6'), '9.876');
    assert.equal(kopecksToRoubles(' 42 '), '0.42');
    assert.equal(kopecksToRoubles('-250'), '-2.5');
    assert.equal(kopecksToRoubles(1e-7), '0.000000001');
    assert.equal(kopecksToRoubles(5_000_000_000), '50000000');
    assert.equal(kopecksToRoubles(0), '0');
    assert.equal(kopecksToRoubles(null), undefined);
    assert.equal(kopecksToRoubles('n/a'), undefined);
    assert.equal(kopecksToRoubles(Number.NaN), undefined);
    // Float arithmetic would give 0.30000000000000004 here.
    const sum = ['10', '20'].reduce((acc, v) => acc.plus(kopecksToRoubles(v)!), new Decimal(0));
    assert.equal(sum.toFixed(), '0.3');
  });

  it('converts naive Moscow wall-clock time both ways', () => {
    assert.equal(toMoscowNaive(new Date('2025-10-10T21:00:00Z')), '2025-10-11T00:00:00');
    assert.equal(toMoscowNaive(new Date('2025-01-01T00:00:00.999Z')), '2025-01-01T03:00:00');
    assert.equal(parseMoscowNaive('2025-10-11T00:00:00')?.toISOString(), '2025-10-10T21:00:00.000Z');
    assert.equal(parseMoscowNaive('2025-10-10 01:00')?.toISOString(), '2025-10-09T22:00:00.000Z');
    assert.equal(parseMoscowNaive('2025-10-10T01:00:00Z')?.toISOString(), '2025-10-10T01:00:00.000Z');
    assert.equal(parseMoscowNaive('2025-10-10T01:00:00+0500')?.toISOString(), '2025-10-09T20:00:00.000Z');
    assert.equal(parseMoscowNaive('yesterday'), undefined);
  });

  it('maps metric ids and object types onto the resource taxonomy', () => {
    assert.equal(resourceTypeFor('vpc', 'compute_cores', 'cloud_vm'), 'server');
    assert.equal(resourceTypeFor('vpc', 'compute_ram_preemptible', undefined), 'server');
    assert.equal(resourceTypeFor('vpc', 'volume_gigabytes_universal', 'volume_gigabytes_universal'), 'volume');
    assert.equal(resourceTypeFor('vpc', 'share_gigabytes_basic', 'share'), 'file_storage');
    assert.equal(resourceTypeFor('vpc', 'network_floatingips', 'network_floatingip'), 'ip');
    assert.equal(resourceTypeFor('vpc', 'network_public_ips', undefined), 'ip');
    assert.equal(resourceTypeFor('dbaas', 'dbaas_postgresql_volume_gigabytes', 'dbaas_cluster'), 'database');
    assert.equal(resourceTypeFor('mks', 'mks_cluster_regional', 'mks_cluster'), 'k8s');
    assert.equal(resourceTypeFor('s3', 's3_storage_gigabytes', undefined), 'bucket');
    assert.equal(resourceTypeFor('vpc', 'image_gigabytes', 'image'), 'other');
    assert.equal(resourceTypeFor('craas', 'craas_storage', undefined), 'other');
    assert.deepEqual(serviceFor('vpc', 'compute_cores', 'server'), {
      serviceName: 'Cloud Servers',
      serviceCategory: 'Compute',
    });
    assert.equal(serviceFor('dbaas', 'dbaas_postgresql_ram', 'database').serviceName, 'Managed Databases');
    assert.equal(serviceFor('vpc', 'volume_gigabytes_fast', 'volume').serviceName, 'Block Storage');
  });

  it('maps a consumption row into a billing line', () => {
    const line = mapConsumptionRow({
      account_id: '123456',
      provider_key: 'vpc',
      value: '1234.5',
      period: '2025-10-10T01:00:00',
      project: { id: 'p1', name: 'prod' },
      metric: { id: 'volume_gigabytes_universal', name: 'Диск', quantity: 20, region: 'ru-3b', unit: 'GB' },
      object: {
        id: 'vol-1',
        name: 'disk-for-web-#1',
        parent_id: 'vm-1',
        parent_name: 'web',
        type: 'volume_gigabytes_universal',
      },
    });
    assert.ok(line);
    assert.equal(line.amount, '12.345');
    assert.equal(line.currency, 'RUB');
    assert.equal(line.periodStart.toISOString(), '2025-10-09T22:00:00.000Z');
    assert.equal(line.periodEnd.toISOString(), '2025-10-09T23:00:00.000Z');
    assert.equal(line.resourceId, 'vol-1');
    assert.equal(line.resourceName, 'disk-for-web-#1');
    assert.equal(line.parentResourceId, 'vm-1');
    assert.equal(line.resourceType, 'volume');
    assert.equal(line.lineKey, 'volume_gigabytes_universal');
    assert.equal(line.region, 'ru-3');
    assert.equal(line.tags?.availability_zone, 'ru-3b');
    assert.equal(line.subAccountId, 'p1');
    assert.equal(line.subAccountName, 'prod');
    assert.equal(line.consumedQuantity, '20');
    assert.equal(line.consumedUnit, 'GB');
    assert.equal(line.serviceName, 'Block Storage');

    const top = mapConsumptionRow({
      provider_key: 'vpc',
      value: 90,
      period: '2025-10-10T01:00:00',
      metric: { id: 'compute_cores', quantity: 2, region: 'ru-7a', unit: 'item' },
      object: { id: 'vm-1', name: 'web', parent_id: '', type: 'cloud_vm' },
    });
    assert.equal(top?.parentResourceId, undefined, 'an empty parent_id means no parent');
    assert.equal(top?.resourceType, 'server');
    assert.equal(mapConsumptionRow({ value: null, period: '2025-10-10T01:00:00' }), undefined);
    assert.equal(mapConsumptionRow({ value: 1, period: 'soon' }), undefined);
  });

  it('finds regions and their base URLs in the Keystone catalog, else falls back', () => {
    const catalog = [
      {
        type: 'identity',
        endpoints: [{ interface: 'public', region: 'ru-1', url: 'https://cloud.api.selcloud.ru/identity/v3' }],
      },
      {
        type: 'compute',
        endpoints: [
          { interface: 'internal', region: 'ru-3', url: 'http://nova.internal/compute/v2.1' },
          { interface: 'public', region: 'ru-3', url: 'https://ru-3.cloud.api.selcloud.ru/compute/v2.1' },
          { interface: 'public', region_id: 'kz-1', url: 'https://kz-1.cloud.api.servercore.com/compute/v2.1' },
        ],
      },
      {
        type: 'volumev3',
        endpoints: [{ interface: 'public', region: 'ru-9', url: 'http://proxy:8080/sel/ru-9/volume/v3/abc' }],
      },
    ];
    const regions = regionsFromCatalog(catalog);
    assert.deepEqual([...regions.keys()].sort(), ['kz-1', 'ru-3', 'ru-9']);
    assert.equal(regions.get('ru-3'), 'https://ru-3.cloud.api.selcloud.ru');
    assert.equal(regions.get('ru-9'), 'http://proxy:8080/sel/ru-9');
    assert.equal(regionalBase('not a url'), undefined);
    const settings = { regionUrlTemplate: 'https://{region}.cloud.api.selcloud.ru', fallbackRegions: ['ru-1', 'ru-7'] };
    assert.deepEqual(
      resolveRegions(regions, settings).map((r) => r.region),
      ['kz-1', 'ru-3', 'ru-9']
    );
    const fallback = resolveRegions(regionsFromCatalog([]), settings);
    assert.deepEqual(fallback, [
      { region: 'ru-1', baseUrl: 'https://ru-1.cloud.api.selcloud.ru', source: 'template' },
      { region: 'ru-7', baseUrl: 'https://ru-7.cloud.api.selcloud.ru', source: 'template' },
    ]);
    assert.equal(regionOfZone('ru-3b'), 'ru-3');
    assert.equal(regionOfZone('gis-1a'), 'gis-1');
    assert.equal(regionOfZone('ru-9'), 'ru-9');
  });

  it('reads balances in kopecks with settings under data or at top level, and the runway in days', () => {
    // The servercore-billing-exporter fixture: settings at top level, 5 000 000 000 kopecks.
    const top = parseBalances({
      data: { billings: [{ billing_type: 'primary', final_sum: 5_000_000_000, debt_sum: 0, balances: [] }] },
      settings: { currency: 'rub', mode: 'prepay' },
    });
    assert.equal(top.balance, '50000000');
    assert.equal(top.currency, 'RUB');
    assert.equal(top.mode, 'prepay');
    const nested = parseBalances({
      status: 'success',
      data: {
        settings: { currency: 'rub' },
        billings: [{ billing_type: 'primary', debt_sum: 150, balances: [{ value: 100_050 }, { value: '20000' }] }],
      },
    });
    assert.equal(nested.balance, '1200.5');
    assert.equal(nested.debt, '1.5');
    assert.equal(parseBalances({ data: { billings: [] } }).balance, undefined);
    assert.equal(parsePrediction({ data: { primary: 250, vpc: 180 } }), 180);
    assert.equal(parsePrediction({ data: { primary: 46, vpc: null } }), 46);
    assert.equal(parsePrediction({ data: { primary: null, vpc: null } }), null);
  });

  it('prices volumes by tier per GB-month', () => {
    assert.equal(volumeTier('universal.ru-3a'), 'ssd_universal');
    assert.equal(volumeTier('fast.ru-7b'), 'ssd_fast');
    assert.equal(volumeTier('basic.ru-3a'), 'ssd_basic');
    assert.equal(volumeTier('basic_hdd.ru-3a'), 'hdd_basic');
    assert.equal(volumeTier('mystery'), undefined);
    assert.equal(volumeMonthlyPrice(100, 'universal.ru-3a'), '1855');
    assert.equal(volumeMonthlyPrice(10, 'fast.ru-3a'), '391.8');
    assert.equal(volumeMonthlyPrice(300, 'basic_hdd.ru-7a'), '2184');
    assert.equal(volumeMonthlyPrice(3, 'basic.ru-7a'), '26.97');
  });

  it('sizes billing chunks from the rows per hour it saw', () => {
    assert.equal(nextChunkHours(0, 1), 24);
    assert.equal(nextChunkHours(35, 1), 24);
    assert.equal(nextChunkHours(10_000, 1), 2);
    assert.equal(nextChunkHours(20_000, 2), 2);
    assert.equal(nextChunkHours(20_000, 1), 1);
    assert.equal(nextChunkHours(60_000, 1), 1);
    assert.equal(nextChunkHours(3_000, 1), 6);
  });

  it('joins servers with their ports and volumes', () => {
    const resources = mapRegionInventory({
      region: 'ru-3',
      servers: [
        {
          id: 'vm-1',
          name: 'web',
          status: 'ACTIVE',
          flavor: { vcpus: 2, ram: 4096, disk: 0, original_name: 'SL1.2-4096' },
          'OS-EXT-AZ:availability_zone': 'ru-3a',
          addresses: { private: [{ addr: '10.0.0.99' }] },
        },
        {
          id: 'vm-2',
          name: 'old',
          status: 'SHUTOFF',
          flavor: { id: 'f-1' },
          addresses: { net: [{ addr: '10.0.0.7' }] },
        },
      ],
      volumes: [
        {
          id: 'v-1',
          name: 'boot',
          size: 20,
          volume_type: 'fast.ru-3a',
          bootable: 'true',
          status: 'in-use',
          attachments: [{ server_id: 'vm-1' }],
        },
        {
          id: 'v-2',
          name: 'data',
          size: 100,
          volume_type: 'universal.ru-3a',
          bootable: 'false',
          status: 'in-use',
          attachments: [{ server_id: 'vm-1' }],
        },
        {
          id: 'v-3',
          name: '',
          size: 50,
          volume_type: 'basic_hdd.ru-3a',
          bootable: false,
          status: 'available',
          attachments: [],
        },
      ],
      ports: [
        {
          device_id: 'vm-1',
          device_owner: 'compute:ru-3a',
          mac_address: 'fa:16:3e:00:00:01',
          fixed_ips: [{ ip_address: '10.0.0.5' }],
        },
        {
          device_id: 'vm-1',
          device_owner: 'compute:ru-3a',
          mac_address: 'fa:16:3e:00:00:02',
          fixed_ips: [{ ip_address: '185.1.2.3' }],
        },
        {
          device_id: 'dhcp-1',
          device_owner: 'network:dhcp',
          mac_address: 'fa:16:3e:00:00:03',
          fixed_ips: [{ ip_address: '10.0.0.2' }],
        },
      ],
    });
    const byId = new Map(resources.map((r) => [r.providerResourceId, r]));
    const web = byId.get('vm-1')!;
    assert.equal(web.status, 'RUNNING');
    assert.deepEqual(web.specs.ips, ['10.0.0.5', '185.1.2.3']);
    assert.deepEqual(web.specs.macs, ['fa:16:3e:00:00:01', 'fa:16:3e:00:00:02']);
    assert.deepEqual(web.specs.volumeIds, ['v-1', 'v-2']);
    assert.equal(web.specs.totalStorageGb, 120);
    assert.equal(web.specs.vcpus, 2);
    assert.equal(web.specs.ramMb, 4096);
    assert.equal(web.specs.flavor, 'SL1.2-4096');
    assert.equal(web.region, 'ru-3');
    const old = byId.get('vm-2')!;
    assert.equal(old.status, 'STOPPED');
    assert.deepEqual(old.specs.ips, ['10.0.0.7'], 'a server without ports falls back to Nova addresses');
    assert.equal(old.specs.flavor, 'f-1');
    const orphan = byId.get('v-3')!;
    assert.equal(orphan.name, 'v-3');
    assert.deepEqual(orphan.attachedTo, []);
    assert.equal(orphan.specs.bootable, false);
    assert.deepEqual(orphan.price, { amount: '364', period: 'monthly', currency: 'RUB' });
    assert.equal(byId.get('v-1')!.specs.bootable, true);
    assert.equal(byId.has('dhcp-1'), false);
  });

  it('follows next links by marker only, and parses Gnocchi aggregates', async () => {
    assert.deepEqual(
      nextPageQuery([{ rel: 'next', href: 'http://nova.internal:8774/v2.1/servers/detail?limit=2&marker=abc' }]),
      {
        limit: '2',
        marker: 'abc',
      }
    );
    assert.equal(nextPageQuery([{ rel: 'self', href: 'http://x/?marker=1' }]), undefined);
    assert.equal(nextPageQuery(undefined), undefined);
    assert.deepEqual(aggregatesBody('vm-1', 'memory'), {
      operations: '(aggregate mean (metric memory.usage mean))',
      search: { '=': { id: 'vm-1' } },
      resource_type: 'generic',
    });
    const points = parseAggregates(
      {
        measures: {
          aggregated: [
            ['2025-10-10T10:55:00+00:00', 300.0, 1],
            ['2025-10-10T11:00:00+00:00', 300.0, 12.5],
            ['2025-10-10T11:05:00+00:00', 300.0, null],
            ['2025-10-10T12:00:00+00:00', 300.0, 3],
          ],
        },
      },
      { start: new Date('2025-10-10T11:00:00Z'), end: new Date('2025-10-10T12:00:00Z') }
    );
    assert.deepEqual(points, [{ ts: new Date('2025-10-10T11:00:00Z'), value: 12.5 }]);
    let inFlight = 0;
    let peak = 0;
    const results: number[] = [];
    for await (const n of boundedMap([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5 * (n % 3)));
      inFlight--;
      return n * 2;
    })) {
      results.push(n);
    }
    assert.equal(peak, 3);
    assert.deepEqual(
      results.sort((a, b) => a - b),
      [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
    );
  });
});

describe('Selectel connector against the sandbox', () => {
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
    it('checks both credentials and returns the account', async () => {
      const { truth } = sandbox.selectel;
      const info = await selectelConnector.test(ctxFor(sandbox));
      assert.equal(info.accountId, truth.accountId);
      assert.equal(info.balance, truth.balance);
      assert.equal(info.currency, 'RUB');
      assert.equal(info.daysToBlock, truth.daysToBlock);
      assert.ok(Number(info.balance) > 0);
      assert.equal(info.details.projectId, truth.projectId);
      assert.deepEqual(info.details.regions, [...truth.catalogRegions].sort());
      assert.equal(info.details.regionsFrom, 'catalog');
      assert.deepEqual(info.details.projects, [{ id: truth.projectId, name: truth.projectName, enabled: true }]);
      assert.equal(info.details.locked, false);
    });

    it('says the API key is wrong, without echoing it', async () => {
      const ctx = ctxFor(sandbox, { credentials: { apiKey: 'sel-wrong-key-123' } });
      const err = await rejection(selectelConnector.test(ctx));
      assert.equal(err.kind, 'auth');
      assert.equal(err.message, 'Selectel rejected the API key');
      assert.ok(!err.message.includes('sel-wrong-key-123'));
    });

    it("says the service user's name or password is wrong, without echoing it", async () => {
      const ctx = ctxFor(sandbox, { credentials: { password: 'hunter2-wrong' } });
      const err = await rejection(selectelConnector.test(ctx));
      assert.equal(err.kind, 'auth');
      assert.equal(err.message, "Selectel rejected the service user's name or password");
      assert.ok(!err.message.includes('hunter2-wrong'));
      assertNoSecrets(err.message, ctx.credentials);

      const wrongDomain = await rejection(
        selectelConnector.test(ctxFor(sandbox, { credentials: { accountId: '999' } }))
      );
      assert.equal(wrongDomain.kind, 'auth');
    });

    it('says the service user has no role in the project', async () => {
      const ctx = ctxFor(sandbox, { credentials: { project: 'someone-elses-project' } });
      const err = await rejection(selectelConnector.test(ctx));
      assert.equal(err.kind, 'forbidden');
      assert.match(err.message, /the service user has no role in project "someone-elses-project"/);
      assertNoSecrets(err.message, ctx.credentials);
    });

    it('accepts the project by id as well as by name', async () => {
      const info = await selectelConnector.test(
        ctxFor(sandbox, { credentials: { project: sandbox.selectel.truth.projectId } })
      );
      assert.equal(info.details.projectId, sandbox.selectel.truth.projectId);
    });

    it('says when Selectel cannot be reached', async () => {
      const ctx = ctxFor(sandbox, { settings: { apiUrl: 'http://127.0.0.1:1' } });
      const err = await rejection(selectelConnector.test(ctx));
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /cannot reach the Selectel API at 127\.0\.0\.1:1/);
      const keystone = await rejection(
        selectelConnector.test(ctxFor(sandbox, { settings: { identityUrl: 'http://127.0.0.1:1/v3' } }))
      );
      assert.equal(keystone.kind, 'unreachable');
      assert.match(keystone.message, /Keystone/);
    });
  });

  describe('account()', () => {
    it('survives a 429 by waiting as long as Retry-After says', async () => {
      sandbox.faults.set('selectel.accounts', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const started = Date.now();
      const info = await session.account();
      assert.ok(Date.now() - started >= 950, 'Retry-After: 1 must be honoured');
      assert.equal(info.balance, sandbox.selectel.truth.balance);
      assert.equal(sandbox.faults.hits('selectel.accounts'), 2);
    });

    it('retries a call that timed out', async () => {
      sandbox.faults.set('selectel.balances', { kind: 'timeout', times: 1 });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const info = await session.account();
      assert.equal(info.balance, sandbox.selectel.truth.balance);
      assert.equal(sandbox.faults.hits('selectel.balances'), 2);
      assert.deepEqual(session.errors, []);
    });

    it('keeps what it could read when the prediction keeps failing', async () => {
      sandbox.faults.set('selectel.prediction', { kind: 'status', status: 502 });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const info = await session.account();
      assert.equal(info.balance, sandbox.selectel.truth.balance);
      assert.equal(info.daysToBlock, undefined);
      assert.equal(session.errors.length, 1);
      assert.equal(session.errors[0]!.endpoint, 'prediction');
      assert.equal(session.errors[0]!.kind, 'server');
    });
  });

  describe('inventory()', () => {
    it('matches the account: regions, attachments, ports, statuses, zombie and orphan', async () => {
      const { truth } = sandbox.selectel;
      const session = await selectelConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);

      const servers = inventory.resources.filter((r) => r.type === 'server');
      const volumes = inventory.resources.filter((r) => r.type === 'volume');
      const countBy = (rs: InventoryResource[]) =>
        rs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.region!]: (acc[r.region!] ?? 0) + 1 }), {});
      assert.deepEqual(countBy(servers), truth.serverCountByRegion);
      assert.deepEqual(countBy(volumes), truth.volumeCountByRegion);
      assert.equal(Object.keys(truth.serverCountByRegion).length, 2, 'the default account spans two regions');

      const byId = new Map(inventory.resources.map((r) => [r.providerResourceId, r]));
      for (const expected of truth.servers) {
        const server = byId.get(expected.id);
        assert.ok(server, `server ${expected.name} missing`);
        assert.equal(server.name, expected.name);
        assert.equal(server.region, expected.region);
        assert.equal(server.status, expected.status === 'SHUTOFF' ? 'STOPPED' : 'RUNNING');
        assert.equal(server.specs.vcpus, expected.vcpus);
        assert.equal(server.specs.ramMb, expected.ramMb);
        assert.equal(server.specs.flavor, expected.flavor);
        assert.deepEqual(server.specs.ips, expected.ips);
        assert.deepEqual(server.specs.macs, expected.macs);
        assert.deepEqual([...(server.specs.volumeIds as string[])].sort(), [...expected.volumeIds].sort());
        const storage = truth.volumes
          .filter((v) => v.attachedTo.includes(expected.id))
          .reduce((a, v) => a + v.sizeGb, 0);
        assert.equal(server.specs.totalStorageGb, storage);
      }
      for (const expected of truth.volumes) {
        const volume = byId.get(expected.id);
        assert.ok(volume, `volume ${expected.name} missing`);
        assert.deepEqual(volume.attachedTo, expected.attachedTo);
        assert.equal(volume.specs.sizeGb, expected.sizeGb);
        assert.equal(volume.specs.volumeType, expected.volumeType);
        assert.equal(volume.specs.bootable, expected.bootable);
        assert.equal(volume.status, 'RUNNING');
        assert.equal(volume.price?.period, 'monthly');
      }

      assert.equal(byId.get(truth.stoppedServer.id)?.status, 'STOPPED');
      assert.equal(byId.has(truth.zombieServer.id), false, 'the zombie VM is gone from Nova');
      assert.equal(byId.has(truth.zombieVolume.id), false);
      const orphan = byId.get(truth.orphanVolume.id)!;
      assert.deepEqual(orphan.attachedTo, []);
      assert.equal(orphan.specs.rawStatus, 'available');
      assert.deepEqual(orphan.price, {
        amount: new Decimal(orphan.specs.sizeGb as number).mul('7.28').toFixed(),
        period: 'monthly',
        currency: 'RUB',
      });
      const diskFor = byId.get(truth.diskForVolume.id)!;
      assert.equal(diskFor.name, `disk-for-${truth.diskForVolume.serverName}`);
      assert.deepEqual(diskFor.attachedTo, []);
      assert.equal(byId.get(truth.diskForVolume.serverId)?.region, diskFor.region);
      for (const b of truth.billedOnly) assert.equal(byId.has(b.id), false);
    });

    it('follows Nova and Cinder pagination (including the empty last page)', async () => {
      const small = await start({ selectel: { pageSize: 2 } });
      const inventory = await (await selectelConnector.open(ctxFor(small))).inventory();
      assert.equal(inventory.complete, true);
      assert.equal(inventory.resources.filter((r) => r.type === 'server').length, small.selectel.truth.servers.length);
      assert.equal(inventory.resources.filter((r) => r.type === 'volume').length, small.selectel.truth.volumes.length);
      // 4 servers per region in pages of 2: two full pages, then an empty one.
      assert.equal(small.faults.hits('selectel.servers:ru-3'), 3);
    });

    it('queries only the regions the catalog lists', async () => {
      const one = await start({ selectel: { catalogRegions: ['ru-3'] } });
      const session = await selectelConnector.open(ctxFor(one));
      const inventory = await session.inventory();
      assert.deepEqual([...new Set(inventory.resources.map((r) => r.region))], ['ru-3']);
      assert.equal(one.faults.hits('selectel.servers:ru-7'), 0);
      const info = await selectelConnector.test(ctxFor(one));
      assert.deepEqual(info.details.regions, ['ru-3']);
    });

    it('falls back to the configured regions when the catalog lists none', async () => {
      const bare = await start({ selectel: { catalogRegions: [] } });
      const info = await selectelConnector.test(ctxFor(bare));
      assert.equal(info.details.regionsFrom, 'fallback');
      assert.deepEqual(info.details.regions, ['ru-3', 'ru-7']);
      const inventory = await (await selectelConnector.open(ctxFor(bare))).inventory();
      assert.equal(inventory.complete, true);
      assert.equal(inventory.resources.filter((r) => r.type === 'server').length, bare.selectel.truth.servers.length);

      // A fallback region with nothing in it is simply empty.
      const wider = ctxFor(bare, { settings: { fallbackRegions: ['ru-3', 'ru-7', 'ru-9'] } });
      const widerInventory = await (await selectelConnector.open(wider)).inventory();
      assert.equal(widerInventory.complete, true);
      assert.equal(bare.faults.hits('selectel.servers:ru-9'), 1);
    });

    it('reports a failing region and keeps the others', async () => {
      const { truth } = sandbox.selectel;
      sandbox.faults.set('selectel.servers:ru-7', { kind: 'status', status: 500 });
      const inventory = await (await selectelConnector.open(ctxFor(sandbox))).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(
        inventory.errors.map((e) => ({ endpoint: e.endpoint, region: e.region, kind: e.kind })),
        [{ endpoint: 'servers', region: 'ru-7', kind: 'server' }]
      );
      assert.equal(sandbox.faults.hits('selectel.servers:ru-7'), 1 + HTTP.retries);
      const servers = inventory.resources.filter((r) => r.type === 'server');
      assert.deepEqual(
        servers.map((s) => s.region),
        Array(truth.serverCountByRegion['ru-3']).fill('ru-3')
      );
      const volumes = inventory.resources.filter((r) => r.type === 'volume');
      assert.equal(volumes.length, truth.volumes.length, "the failing region's volumes are still listed");
    });

    it('keeps inventory complete when only ports fail (addresses come from Nova)', async () => {
      sandbox.faults.set('selectel.ports:ru-3', { kind: 'status', status: 503 });
      const inventory = await (await selectelConnector.open(ctxFor(sandbox))).inventory();
      assert.equal(inventory.complete, true);
      assert.deepEqual(
        inventory.errors.map((e) => `${e.endpoint}:${e.region}`),
        ['ports:ru-3']
      );
      const server = inventory.resources.find((r) => r.type === 'server' && r.region === 'ru-3')!;
      const expected = sandbox.selectel.truth.servers.find((s) => s.id === server.providerResourceId)!;
      assert.deepEqual([...(server.specs.ips as string[])].sort(), [...expected.ips].sort());
    });

    it('logs in again when the token expires mid-inventory', async () => {
      sandbox.faults.set('selectel.token-expiry', { kind: 'token-expiry', afterRequests: 3 });
      const inventory = await (await selectelConnector.open(ctxFor(sandbox))).inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);
      assert.equal(
        inventory.resources.filter((r) => r.type === 'server').length,
        sandbox.selectel.truth.servers.length
      );
      assert.ok(sandbox.faults.hits('selectel.auth') >= 2, 'a second token was issued');
    });

    it('reports an inventory it cannot authenticate for, instead of throwing', async () => {
      const inventory = await (
        await selectelConnector.open(ctxFor(sandbox, { credentials: { password: 'nope' } }))
      ).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(inventory.resources, []);
      assert.equal(inventory.errors[0]?.endpoint, 'auth');
      assert.equal(inventory.errors[0]?.kind, 'auth');
    });
  });

  describe('billing()', () => {
    const window48 = hoursBefore(BILLED_UNTIL, 48);

    it('sums exactly to the truth over 48 hours, read in adaptive chunks', async () => {
      const { truth } = sandbox.selectel;
      const session = await selectelConnector.open(ctxFor(sandbox));
      const { items: lines } = await collect(session.billing(window48));
      assert.deepEqual(session.errors, []);
      assert.equal(total(lines), truth.expectedCost(window48));
      // 1 hour first, then the rest in chunks of at most 24 hours.
      assert.equal(sandbox.faults.hits('selectel.consumption'), 3);

      const byResource: Record<string, Decimal> = {};
      for (const l of lines) byResource[l.resourceId] = (byResource[l.resourceId] ?? new Decimal(0)).plus(l.amount);
      const expected = truth.expectedCostByResource(window48);
      assert.deepEqual(
        Object.fromEntries(Object.entries(byResource).map(([id, d]) => [id, d.toFixed()])),
        Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== '0'))
      );

      for (const l of lines) {
        assert.equal(l.currency, 'RUB');
        assert.equal(l.periodStart.getTime() % HOUR, 0);
        assert.equal(l.periodEnd.getTime() - l.periodStart.getTime(), HOUR);
        assert.ok(l.periodStart >= window48.start && l.periodStart < window48.end);
        assert.match(l.amount, /^-?\d+(\.\d+)?$/);
      }
      const hours = new Set(lines.map((l) => l.periodStart.getTime()));
      assert.equal(hours.size, 48);
    });

    it('carries parents, zombies, orphans and billed-only services', async () => {
      const { truth } = sandbox.selectel;
      const session = await selectelConnector.open(ctxFor(sandbox));
      const { items: lines } = await collect(session.billing(hoursBefore(BILLED_UNTIL, 2)));
      const of = (id: string) => lines.filter((l) => l.resourceId === id);

      const zombie = of(truth.zombieServer.id);
      assert.ok(zombie.length > 0, 'the zombie VM is billed');
      assert.ok(zombie.every((l) => l.resourceType === 'server' && l.parentResourceId === undefined));
      assert.ok(of(truth.zombieVolume.id).every((l) => l.parentResourceId === truth.zombieServer.id));
      const orphan = of(truth.orphanVolume.id);
      assert.ok(
        orphan.length > 0 && orphan.every((l) => l.resourceType === 'volume' && l.parentResourceId === undefined)
      );
      const diskFor = of(truth.diskForVolume.id);
      assert.ok(diskFor.length > 0 && diskFor.every((l) => l.parentResourceId === undefined));
      assert.equal(diskFor[0]!.resourceName, truth.diskForVolume.name);

      // A stopped VM is billed for its disks only.
      assert.deepEqual(of(truth.stoppedServer.id), []);
      const stoppedDisks = lines.filter((l) => l.parentResourceId === truth.stoppedServer.id);
      assert.ok(stoppedDisks.length > 0 && stoppedDisks.every((l) => l.resourceType === 'volume'));

      // Attached disks point at their VM.
      const attached = truth.volumes.filter((v) => v.attachedTo.length > 0);
      for (const v of attached) assert.ok(of(v.id).every((l) => l.parentResourceId === v.attachedTo[0]));

      const types = new Map(lines.map((l) => [l.resourceId, l.resourceType]));
      for (const b of truth.billedOnly) assert.equal(types.get(b.id), b.type);
      assert.ok(lines.every((l) => l.region === 'ru-3' || l.region === 'ru-7'));
      assert.ok(lines.every((l) => l.subAccountName === truth.projectName && l.subAccountId === truth.projectId));
    });

    it('places the spike on its Moscow day (UTC 21:00 to 21:00)', async () => {
      const { truth } = sandbox.selectel;
      const { spike } = truth;
      assert.equal(spike.start.toISOString().slice(11), '21:00:00.000Z');
      const session = await selectelConnector.open(ctxFor(sandbox));
      const window = { start: new Date(spike.start.getTime() - HOUR), end: new Date(spike.end.getTime() + HOUR) };
      const { items: lines } = await collect(session.billing(window));
      const compute = lines.filter((l) => l.resourceId === spike.serverId && l.lineKey.startsWith('compute_'));
      const atHour = (t: number) =>
        compute.filter((l) => l.periodStart.getTime() === t).reduce((a, l) => a.plus(l.amount), new Decimal(0));
      const before = atHour(spike.start.getTime() - HOUR);
      const first = atHour(spike.start.getTime());
      const last = atHour(spike.end.getTime() - HOUR);
      const afterSpike = atHour(spike.end.getTime());
      assert.ok(
        first.div(before).gt(4) && first.div(before).lt(6),
        `first spike hour ×${first.div(before).toFixed(2)}`
      );
      assert.ok(last.div(afterSpike).gt(4), 'the spike lasts the whole Moscow day');
      assert.equal(total(lines), truth.expectedCost(window));
      const spikeDay = truth.expectedCost({ start: spike.start, end: spike.end });
      const dayBefore = truth.expectedCost({ start: new Date(spike.start.getTime() - 24 * HOUR), end: spike.start });
      assert.ok(new Decimal(spikeDay).gt(dayBefore));
    });

    it('batches a large account at most BATCH_SIZE lines at a time, still exact', async () => {
      const big = await start({ selectel: { vms: 200, volumes: 400 } });
      const session = await selectelConnector.open(ctxFor(big));
      const window = hoursBefore(BILLED_UNTIL, 30);
      const { items: lines, batches } = await collect(session.billing(window));
      assert.deepEqual(session.errors, []);
      assert.ok(batches.every((n) => n <= BATCH_SIZE));
      assert.ok(batches.includes(BATCH_SIZE), `batches: ${batches.join(', ')}`);
      assert.equal(total(lines), big.selectel.truth.expectedCost(window));
      assert.ok(big.selectel.truth.rowsPerHour() > 600);
    });

    it('retries a malformed chunk and loses nothing', async () => {
      sandbox.faults.set('selectel.consumption', { kind: 'malformed', times: 1 });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const { items: lines } = await collect(session.billing(window48));
      assert.deepEqual(session.errors, []);
      assert.equal(total(lines), sandbox.selectel.truth.expectedCost(window48));
      assert.equal(sandbox.faults.hits('selectel.consumption'), 4);
    });

    it('records a chunk that stays truncated and reads the rest', async () => {
      const { truth } = sandbox.selectel;
      // The first chunk (one hour) is cut short on every attempt the client makes.
      sandbox.faults.set('selectel.consumption', { kind: 'truncated', times: 1 + HTTP.retries });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const { items: lines } = await collect(session.billing(window48));
      assert.equal(session.errors.length, 1);
      assert.equal(session.errors[0]!.endpoint, 'consumption');
      assert.equal(session.errors[0]!.kind, 'bad_response');
      const firstHour = { start: window48.start, end: new Date(window48.start.getTime() + HOUR) };
      assert.ok(lines.every((l) => l.periodStart >= firstHour.end));
      const expected = new Decimal(truth.expectedCost(window48)).minus(truth.expectedCost(firstHour)).toFixed();
      assert.equal(total(lines), expected);
    });

    it('gives up on the rest of the window after three chunks fail in a row', async () => {
      sandbox.faults.set('selectel.consumption', { kind: 'status', status: 500 });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const { items } = await collect(session.billing(window48));
      assert.deepEqual(items, []);
      assert.equal(session.errors.length, 3);
      assert.match(session.errors[2]!.message, /3 chunks in a row failed/);
      assert.equal(sandbox.faults.hits('selectel.consumption'), 3 * (1 + HTTP.retries));
    });

    it('stops with the reason when the API key is wrong', async () => {
      const session = await selectelConnector.open(ctxFor(sandbox, { credentials: { apiKey: 'bad' } }));
      const err = await rejection(collect(session.billing(window48)));
      assert.equal(err.kind, 'auth');
      assert.equal(err.message, 'Selectel rejected the API key');
    });

    it('sees restated amounts on the next fetch', async () => {
      const own = await start();
      const window = hoursBefore(BILLED_UNTIL, 24);
      const first = total((await collect((await selectelConnector.open(ctxFor(own))).billing(window))).items);
      assert.equal(first, own.selectel.truth.expectedCost(window));
      own.selectel.truth.restate({ from: new Date(window.start.getTime() + 6 * HOUR), to: window.end, factor: 1.1 });
      const second = total((await collect((await selectelConnector.open(ctxFor(own))).billing(window))).items);
      assert.notEqual(second, first);
      assert.equal(second, own.selectel.truth.expectedCost(window));
      assert.ok(new Decimal(second).gt(first));
    });
  });

  describe('metrics()', () => {
    it('reads CPU and memory of running servers within the window', async () => {
      const { truth } = sandbox.selectel;
      const session = await selectelConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      const window = hoursBefore(BILLED_UNTIL, 2);
      const { items: samples } = await collect<MetricSample>(session.metrics(inventory.resources, window));
      assert.deepEqual(session.errors, []);
      const running = truth.servers.filter((s) => s.status === 'ACTIVE');
      const ids = new Set(samples.map((s) => s.resourceId));
      assert.deepEqual([...ids].sort(), running.map((s) => s.id).sort());
      assert.ok(!ids.has(truth.stoppedServer.id));
      for (const s of samples) {
        assert.ok(s.ts >= window.start && s.ts < window.end);
        assert.equal(s.ts.getTime() % 300_000, 0);
      }
      const server = running[0]!;
      const of = (metric: string) => samples.filter((s) => s.resourceId === server.id && s.metric === metric);
      assert.equal(of('cpu_utilization').length, 24, 'twelve 5-minute points an hour');
      assert.ok(of('cpu_utilization').every((s) => s.value >= 0 && s.value <= 100));
      const usage = of('memory_usage_mb');
      const utilization = of('memory_utilization');
      assert.equal(usage.length, 24);
      for (const u of usage) {
        const pct = utilization.find((p) => p.ts.getTime() === u.ts.getTime())!;
        assert.ok(Math.abs(pct.value - (u.value / server.ramMb) * 100) < 1e-9);
        assert.ok(u.value > 0 && u.value < server.ramMb);
      }
    });

    it('records a failing region once and keeps the others', async () => {
      sandbox.faults.set('selectel.metrics:ru-7', { kind: 'status', status: 500 });
      const session = await selectelConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      const { items: samples } = await collect<MetricSample>(
        session.metrics(inventory.resources, hoursBefore(BILLED_UNTIL, 1))
      );
      assert.equal(session.errors.length, 1);
      assert.equal(session.errors[0]!.endpoint, 'metrics');
      assert.equal(session.errors[0]!.region, 'ru-7');
      const regions = new Map(inventory.resources.map((r) => [r.providerResourceId, r.region]));
      assert.ok(samples.length > 0);
      assert.ok(samples.every((s) => regions.get(s.resourceId) === 'ru-3'));
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
    for (const endpoint of ['selectel.consumption', 'selectel.servers', 'selectel.metrics', 'selectel.balances']) {
      sandbox.faults.set(endpoint, { kind: 'status', status: 500 });
    }
    sandbox.faults.set('selectel.token-expiry', { kind: 'token-expiry', afterRequests: 1 });
    const ctx = ctxFor(sandbox, { logger });
    const session = await selectelConnector.open(ctx);
    await session.account();
    const inventory = await session.inventory();
    await collect(session.billing(hoursBefore(BILLED_UNTIL, 3)));
    await collect(session.metrics(inventory.resources, hoursBefore(BILLED_UNTIL, 1)));
    const failures = await Promise.allSettled([
      selectelConnector.test(ctxFor(sandbox, { logger, credentials: { password: ctx.credentials.password + 'x' } })),
      selectelConnector.test(ctxFor(sandbox, { logger, credentials: { apiKey: ctx.credentials.apiKey + 'x' } })),
    ]);
    const text = JSON.stringify([
      session.errors,
      inventory.errors,
      failures.map((f) => (f.status === 'rejected' ? String(f.reason) : '')),
    ]);
    assert.ok(session.errors.length > 0 && inventory.errors.length > 0);
    assertNoSecrets(text + chunks.join(''), ctx.credentials);
    assert.ok(chunks.length > 0, 'debug logs were written');
  });
});
