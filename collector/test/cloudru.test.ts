import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import pino from 'pino';
import { createLogger, loggerOptions, type Logger } from '../src/observability/logger.js';
import type { HttpOptions } from '../src/providers/http/client.js';
import { ProviderError } from '../src/providers/http/errors.js';
import { mapConsumptionRow, resourceTypeFor, vatOf } from '../src/providers/cloudru/billing-mapper.js';
import { linesOfChunk, nextChunkDays } from '../src/providers/cloudru/billing.js';
import { createContext } from '../src/providers/cloudru/context.js';
import { cloudruConnector } from '../src/providers/cloudru/index.js';
import { mapDisk, mapProjectInventory, mapVm, normalizeVmState } from '../src/providers/cloudru/inventory-mapper.js';
import type { CloudruCredentials, CloudruSettings } from '../src/providers/cloudru/schema.js';
import { cloudruSettingsSchema } from '../src/providers/cloudru/schema.js';
import { parseUseDate, periodOf, requestDate } from '../src/providers/cloudru/usedate.js';
import type { BillingLine, ConnectorContext, TimeWindow } from '../src/providers/types.js';
import { money } from '../src/providers/values.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-api.js';
import { stopTestCluster } from './helpers/postgres.js';

const NOW = new Date('2025-10-10T12:34:56Z');
const DAY = 86_400_000;
/** Moscow midnight starting 2025-10-01. */
const OCT_1 = new Date('2025-09-30T21:00:00Z');
const HTTP: HttpOptions = { timeoutMs: 1500, retries: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 };
const silent = createLogger('silent');

type Ctx = ConnectorContext<CloudruCredentials, CloudruSettings>;

function ctxFor(
  sandbox: Sandbox,
  overrides: { credentials?: Partial<CloudruCredentials>; settings?: Partial<CloudruSettings>; logger?: Logger } = {}
): Ctx {
  return {
    credentials: { ...sandbox.cloudru.credentials, ...overrides.credentials },
    settings: { ...sandbox.cloudru.settings, ...overrides.settings },
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
const window10: TimeWindow = { start: OCT_1, end: NOW };
/** Billing reads complete Moscow days: 1–9 October of that window (the 10th is still being metered). */
const TODAY = new Date('2025-10-09T21:00:00Z');
const billed: TimeWindow = { start: OCT_1, end: TODAY };

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function assertNoSecrets(text: string, credentials: CloudruCredentials): void {
  assert.ok(!text.includes(credentials.secret), 'the key secret leaked');
  assert.ok(!text.includes(credentials.keyId), 'the key id leaked');
}

describe('Cloud.ru mappers (pure)', () => {
  it('reads usedate as a Moscow day, or an hour when the data carries times of day', () => {
    const day = parseUseDate('2025-10-10')!;
    assert.equal(day.day.toISOString(), '2025-10-09T21:00:00.000Z');
    assert.equal(day.timeOfDay, false);
    assert.deepEqual(periodOf(day, false), {
      start: new Date('2025-10-09T21:00:00Z'),
      end: new Date('2025-10-10T21:00:00Z'),
    });
    const naive = parseUseDate('2025-10-10 13:00:00')!;
    assert.equal(naive.timeOfDay, true);
    assert.equal(periodOf(naive, true).start.toISOString(), '2025-10-10T10:00:00.000Z');
    const zoned = parseUseDate('2025-10-10T13:30:00Z')!;
    assert.equal(periodOf(zoned, true).start.toISOString(), '2025-10-10T13:00:00.000Z');
    const midnight = parseUseDate('2025-10-10T00:00:00Z')!;
    assert.equal(midnight.timeOfDay, false, 'a midnight stamp is a day unless the data says hours');
    assert.equal(periodOf(midnight, false).start.toISOString(), '2025-10-09T21:00:00.000Z');
    assert.equal(periodOf(midnight, true).start.toISOString(), '2025-10-10T00:00:00.000Z');
    assert.equal(parseUseDate('2025-02-30'), undefined);
    assert.equal(parseUseDate('yesterday'), undefined);
    assert.equal(parseUseDate(20251010), undefined);
    assert.equal(requestDate(new Date('2025-10-09T21:00:00Z')), '2025-10-10T00:00:00+03:00');
  });

  it('maps service names and SKUs onto the resource taxonomy', () => {
    assert.equal(resourceTypeFor('Evolution Compute', 'evo.compute.vcpu', 'vCPU*hour'), 'server');
    assert.equal(resourceTypeFor('Виртуальные машины', undefined, 'ГБ*час'), 'server');
    assert.equal(resourceTypeFor('Evolution Disks', 'evo.disk.ssd-nvme', 'GB*hour'), 'volume');
    assert.equal(resourceTypeFor('Диски', undefined, undefined), 'volume');
    assert.equal(resourceTypeFor('Evolution Floating IP', 'evo.network.fip', 'IP*hour'), 'ip');
    assert.equal(resourceTypeFor('Object Storage', 'evo.s3.standard', 'GB*day'), 'bucket');
    assert.equal(resourceTypeFor('Managed PostgreSQL', 'evo.dbaas.postgresql.vcpu', 'vCPU*hour'), 'database');
    assert.equal(resourceTypeFor('Managed Kubernetes', 'mk8s.master', 'hour'), 'k8s');
    assert.equal(resourceTypeFor('Network Load Balancer', 'nlb.hour', 'hour'), 'load_balancer');
    assert.equal(resourceTypeFor('NAT Gateway', 'vpc.nat', 'hour'), 'network');
    assert.equal(resourceTypeFor('Техническая поддержка', 'support.business', 'day'), 'other');
    assert.equal(resourceTypeFor('GigaChat-2-Max', 'giga-2-max', 'token'), 'other');
  });

  it('takes amount_nds as the total or as the tax alone, whichever it is', () => {
    const d = (s: string) => new Decimal(s);
    assert.equal(vatOf(d('250'), d('305'))!.toFixed(), '55', 'with VAT, as live answers');
    assert.equal(vatOf(d('250'), d('50'))!.toFixed(), '50', 'the tax alone');
    assert.equal(vatOf(d('-100'), d('-120'))!.toFixed(), '-20', 'a credit with VAT');
    assert.equal(vatOf(d('-100'), d('-20'))!.toFixed(), '-20', 'a credit, tax alone');
    assert.equal(vatOf(d('0'), d('0'))!.toFixed(), '0');
    assert.equal(vatOf(d('10'), undefined), undefined);
  });

  it('maps a consumption row into a usage line and a VAT line, exactly', () => {
    const period = { start: new Date('2025-10-09T21:00:00Z'), end: new Date('2025-10-10T21:00:00Z') };
    const row = {
      sku: 'os-storage',
      servname: 'Object Storage',
      resource_id: 'r4',
      resource_name: 'backups',
      usedate: '2025-10-10',
      amount: 0.1,
      amount_nds: '0.12',
      cost: 0.005,
      unit: 'GB',
      usefact: 20,
      meta: { iam_project_name: 'prod', tenant_name: 'ООО Ромашка', project_id: 'p1' },
    };
    const [usage, vat, ...rest] = mapConsumptionRow(row, period, { includeVat: true });
    assert.equal(rest.length, 0);
    assert.ok(usage && vat);
    assert.equal(usage.amount, '0.1');
    assert.equal(vat.amount, '0.02', 'no float artefacts: 0.12 − 0.1');
    assert.equal(usage.chargeCategory, 'Usage');
    assert.equal(vat.chargeCategory, 'Tax');
    assert.equal(usage.lineKey, 'os-storage');
    assert.equal(vat.lineKey, 'os-storage#vat');
    assert.equal(vat.resourceId, 'r4', 'the tax stays on its resource');
    assert.equal(usage.resourceType, 'bucket');
    assert.equal(usage.serviceName, 'Object Storage');
    assert.equal(usage.serviceCategory, 'Storage');
    assert.equal(usage.consumedQuantity, '20');
    assert.equal(usage.consumedUnit, 'GB');
    assert.equal(usage.subAccountId, 'p1');
    assert.equal(usage.subAccountName, 'prod');
    assert.equal(usage.currency, 'RUB');
    assert.equal(usage.tags?.unit_price, '0.005');
    assert.equal(vat.consumedQuantity, undefined);
    assert.equal(usage.periodStart, period.start);

    assert.deepEqual(
      mapConsumptionRow(row, period, { includeVat: false }).map((l) => l.chargeCategory),
      ['Usage'],
      'VAT excluded on request'
    );
    assert.deepEqual(mapConsumptionRow({ ...row, amount: 'n/a' }, period, { includeVat: true }), []);
    const support = mapConsumptionRow(
      {
        ...row,
        resource_id: '',
        sku: 'support.business',
        servname: 'Техническая поддержка',
        amount: 100,
        amount_nds: 120,
      },
      period,
      { includeVat: true, defaultProjectId: 'p9' }
    );
    assert.equal(support[0]!.resourceId, '', 'account-level charges belong to no resource');
    assert.equal(support[0]!.resourceType, 'other');
    assert.equal(support[0]!.subAccountId, 'p1');
    const refund = mapConsumptionRow({ ...row, amount: -5, amount_nds: -6 }, period, { includeVat: true });
    assert.equal(refund[0]!.chargeCategory, 'Credit');
    assert.equal(refund[1]!.amount, '-1');
  });

  it('sums repeated rows of a chunk, keeps its days only, and switches to hours when the data has them', () => {
    const keep = { start: new Date('2025-10-09T21:00:00Z'), end: new Date('2025-10-11T21:00:00Z') };
    const row = (usedate: string, amount: string) => ({
      sku: 's',
      servname: 'Evolution Compute',
      resource_id: 'vm',
      usedate,
      amount,
      amount_nds: amount,
    });
    const daily = linesOfChunk(
      [
        row('2025-10-10', '1.1'),
        row('2025-10-10', '2.2'),
        row('2025-10-11', '3'),
        row('2025-10-12', '9'),
        row('bad', '1'),
      ],
      keep,
      { includeVat: true, hourly: false }
    );
    assert.equal(daily.hourly, false);
    assert.equal(daily.skipped, 1);
    assert.deepEqual(
      daily.lines.map((l) => [l.periodStart.toISOString(), l.amount]),
      [
        ['2025-10-09T21:00:00.000Z', '3.3'],
        ['2025-10-10T21:00:00.000Z', '3'],
      ]
    );
    const hourly = linesOfChunk([row('2025-10-10T00:00:00', '1'), row('2025-10-10T01:00:00', '2')], keep, {
      includeVat: false,
      hourly: false,
    });
    assert.equal(hourly.hourly, true);
    assert.deepEqual(
      hourly.lines.map((l) => [l.periodStart.toISOString(), l.periodEnd.getTime() - l.periodStart.getTime()]),
      [
        ['2025-10-09T21:00:00.000Z', 3_600_000],
        ['2025-10-09T22:00:00.000Z', 3_600_000],
      ]
    );
    assert.equal(nextChunkDays(0, 1), 7);
    assert.equal(nextChunkDays(40, 1), 7);
    assert.equal(nextChunkDays(10_000, 1), 2);
    assert.equal(nextChunkDays(100_000, 2), 1);
  });

  it('maps VMs and disks, joining disks to their VMs whatever the attachment field is called', () => {
    assert.equal(normalizeVmState('running'), 'RUNNING');
    assert.equal(normalizeVmState('STOPPED'), 'STOPPED');
    assert.equal(normalizeVmState('error_creating'), 'ERROR');
    assert.equal(normalizeVmState('deleting'), 'DELETED');
    assert.equal(normalizeVmState('creating'), 'UNKNOWN');
    const vm = mapVm({
      id: 'vm-1',
      name: 'web',
      state: 'running',
      flavor: { name: 'gen-2-4', cpu: 2, ram: 4 },
      interfaces: [{ ip_address: '10.0.0.5', floating_ip: { ip_address: '176.1.2.3' } }, { ip_address: '10.0.0.5' }],
      availability_zone: { name: 'ru.AZ-1' },
      created_time: '2025-01-01T00:00:00Z',
      tags: [{ name: 'prod' }],
    })!;
    assert.equal(vm.specs.ramMb, 4096, 'flavor RAM is gigabytes');
    assert.equal(vm.specs.cpu, 2);
    assert.deepEqual(vm.specs.ips, ['10.0.0.5', '176.1.2.3']);
    assert.equal(vm.region, 'ru.AZ-1');
    assert.deepEqual(vm.tags, { prod: '' });
    assert.equal(mapVm({ name: 'no id' }), undefined);
    const shapes = [{ vms: [{ id: 'vm-1' }] }, { vm: { id: 'vm-1' } }, { attachments: [{ vm_id: 'vm-1' }] }];
    for (const shape of shapes) assert.deepEqual(mapDisk({ id: 'd', size: 10, ...shape })!.attachedTo, ['vm-1']);
    const orphan = mapDisk({ id: 'd2', size: 250, state: 'available', disk_type: { name: 'HDD' }, vms: [] })!;
    assert.deepEqual(orphan.attachedTo, []);
    assert.equal(orphan.status, 'RUNNING');
    assert.equal(orphan.specs.volumeType, 'HDD');
    const joined = mapProjectInventory(
      [{ id: 'vm-1', name: 'web', state: 'stopped', flavor: { ram: 2048 } }],
      [
        { id: 'd1', size: 30, vms: [{ id: 'vm-1' }] },
        { id: 'd3', size: 70, vm: { id: 'vm-1' } },
      ]
    );
    const server = joined.find((r) => r.type === 'server')!;
    assert.equal(server.status, 'STOPPED');
    assert.equal(server.specs.ramMb, 2048, 'a value ≥ 256 is already megabytes');
    assert.deepEqual(server.specs.volumeIds, ['d1', 'd3']);
    assert.equal(server.specs.totalStorageGb, 100);
  });

  it('validates settings: at least one project, http(s) base URLs, VAT on by default', () => {
    assert.equal(cloudruSettingsSchema.safeParse({ projectIds: [] }).success, false);
    assert.equal(cloudruSettingsSchema.safeParse({ projectIds: ['a b'] }).success, false);
    assert.equal(cloudruSettingsSchema.safeParse({ projectIds: ['p'], billingUrl: 'ftp://x' }).success, false);
    assert.equal(cloudruSettingsSchema.safeParse({ projectIds: ['p'], extra: 1 }).success, false);
    const parsed = cloudruSettingsSchema.parse({ projectIds: ['p'] });
    assert.equal(parsed.includeVat, true);
    assert.equal(parsed.iamUrl, 'https://iam.api.cloud.ru');
    assert.equal(parsed.billingUrl, 'https://organization.api.cloud.ru');
    assert.equal(parsed.computeUrl, 'https://compute.api.cloud.ru');
    assert.equal(money('1,5')!.toFixed(), '1.5');
  });
});

describe('Cloud.ru connector against the sandbox', () => {
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
    it('gets a token, reads consumption and lists every project', async () => {
      const { truth } = sandbox.cloudru;
      const info = await cloudruConnector.test(ctxFor(sandbox));
      assert.equal(info.currency, 'RUB');
      assert.deepEqual(
        info.details.projects,
        truth.projectIds.map((id) => ({ id, vms: truth.vms.filter((v) => v.projectId === id).length }))
      );
      assert.equal(sandbox.faults.hits('cloudru.auth'), 1, 'one token for the whole test');
    });

    it('says the key is wrong, without echoing it', async () => {
      const ctx = ctxFor(sandbox, { credentials: { secret: 'wrong-secret-12345' } });
      const err = await rejection(cloudruConnector.test(ctx));
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /Cloud\.ru rejected the access key/);
      assertNoSecrets(err.message, ctx.credentials);
      const badId = await rejection(cloudruConnector.test(ctxFor(sandbox, { credentials: { keyId: 'nobody-key' } })));
      assert.equal(badId.kind, 'auth');
    });

    it('says which project the key may not read', async () => {
      const { truth } = sandbox.cloudru;
      const err = await rejection(
        cloudruConnector.test(
          ctxFor(sandbox, { settings: { projectIds: [truth.projectIds[0]!, truth.otherProjectId] } })
        )
      );
      assert.equal(err.kind, 'forbidden');
      assert.match(err.message, /may not read consumption/);
    });

    it('says when Cloud.ru cannot be reached', async () => {
      const err = await rejection(
        cloudruConnector.test(ctxFor(sandbox, { settings: { iamUrl: 'http://127.0.0.1:1' } }))
      );
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /cannot reach Cloud\.ru IAM at 127\.0\.0\.1:1/);
    });
  });

  describe('billing()', () => {
    it('sums exactly to the truth, with and without VAT, per resource, across pages', async () => {
      const { truth } = sandbox.cloudru;
      const session = await cloudruConnector.open(ctxFor(sandbox));
      const lines = await collect(session.billing(window10));
      assert.deepEqual(session.errors, []);
      assert.equal(total(lines), truth.expectedCost(billed));
      assert.equal(total(lines.filter((l) => l.chargeCategory !== 'Tax')), truth.expectedCost(billed, { vat: false }));
      const byResource: Record<string, Decimal> = {};
      for (const l of lines) {
        const id = l.resourceId || 'account';
        byResource[id] = (byResource[id] ?? new Decimal(0)).plus(l.amount);
      }
      assert.deepEqual(
        Object.fromEntries(Object.entries(byResource).map(([id, d]) => [id, d.toFixed()])),
        truth.expectedCostByResource(billed)
      );
      // Nine days of 40-row pages: paging was needed, and chunks grew past a single day.
      const rows = truth.expectedRows(billed);
      const calls = sandbox.faults.hits('cloudru.consumption');
      assert.ok(calls >= Math.ceil(rows / 40), `${calls} calls for ${rows} rows`);
      assert.ok(calls < rows / 10);
      for (const l of lines) {
        assert.equal(l.periodEnd.getTime() - l.periodStart.getTime(), DAY, 'daily lines');
        assert.ok(l.periodStart >= window10.start && l.periodEnd <= TODAY, 'complete days only');
        assert.match(l.amount, /^-?\d+(\.\d+)?$/);
      }
      assert.equal(new Set(lines.map((l) => l.periodStart.getTime())).size, 9);
    });

    it('reads the configured projects only and keeps zombies, billed-only services and account charges', async () => {
      const { truth } = sandbox.cloudru;
      const lines = await collect((await cloudruConnector.open(ctxFor(sandbox))).billing(window10));
      assert.ok(lines.every((l) => truth.projectIds.includes(l.subAccountId!)));
      const types = new Map(lines.map((l) => [l.resourceId, l.resourceType]));
      assert.equal(types.get(truth.zombieVm.id), 'server');
      assert.equal(types.get(truth.orphanDisk.id), 'volume');
      for (const b of truth.billedOnly) assert.equal(types.get(b.id), b.type, b.name);
      assert.equal(types.get(''), 'other', 'technical support is an account-level charge');
      const tax = lines.filter((l) => l.chargeCategory === 'Tax');
      assert.ok(tax.length > 0 && tax.every((l) => l.lineKey.endsWith('#vat')));
      // The stopped VM's compute stopped 12 days ago: only its disk is billed in this window.
      assert.ok(!types.has(truth.stoppedVm.id));
    });

    it('leaves VAT out when asked', async () => {
      const lines = await collect(
        (await cloudruConnector.open(ctxFor(sandbox, { settings: { includeVat: false } }))).billing(window10)
      );
      assert.ok(lines.every((l) => l.chargeCategory !== 'Tax'));
      assert.equal(total(lines), sandbox.cloudru.truth.expectedCost(billed, { vat: false }));
    });

    for (const [name, fault] of [
      ['429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }],
      ['500 twice', { kind: 'status', status: 500, times: 2 }],
      ['a timeout', { kind: 'timeout', times: 1 }],
      ['a malformed page', { kind: 'malformed', times: 1 }],
      ['a truncated page', { kind: 'truncated', times: 1 }],
    ] as const) {
      it(`survives ${name} and loses nothing`, async () => {
        sandbox.faults.set('cloudru.consumption', fault);
        const session = await cloudruConnector.open(ctxFor(sandbox));
        const lines = await collect(session.billing(window10));
        assert.deepEqual(session.errors, []);
        assert.equal(total(lines), sandbox.cloudru.truth.expectedCost(billed));
      });
    }

    it('records a chunk that keeps failing, reads the rest, and gives up after three in a row', async () => {
      const { truth } = sandbox.cloudru;
      // The first chunk (one day) fails on every attempt the client makes.
      sandbox.faults.set('cloudru.consumption', { kind: 'malformed', times: 1 + HTTP.retries });
      const session = await cloudruConnector.open(ctxFor(sandbox));
      const lines = await collect(session.billing(window10));
      assert.equal(session.errors.length, 1);
      assert.equal(session.errors[0]!.endpoint, 'consumption');
      assert.equal(session.errors[0]!.kind, 'bad_response');
      assert.match(session.errors[0]!.message, /2025-10-01/);
      const firstDay = { start: OCT_1, end: new Date(OCT_1.getTime() + DAY) };
      assert.equal(total(lines), new Decimal(truth.expectedCost(billed)).minus(truth.expectedCost(firstDay)).toFixed());

      sandbox.faults.set('cloudru.consumption', { kind: 'status', status: 502 });
      const down = await cloudruConnector.open(ctxFor(sandbox));
      assert.deepEqual(await collect(down.billing(window10)), []);
      assert.equal(down.errors.length, 4);
      assert.match(down.errors[3]!.message, /3 chunks in a row failed/);
    });

    it('stops with the reason when the key is rejected', async () => {
      const session = await cloudruConnector.open(ctxFor(sandbox, { credentials: { secret: 'nope-nope' } }));
      const err = await rejection(collect(session.billing(window10)));
      assert.equal(err.kind, 'auth');
    });

    it('logs in again when the token dies mid-read', async () => {
      sandbox.faults.set('cloudru.token-expiry', { kind: 'token-expiry', afterRequests: 2 });
      const session = await cloudruConnector.open(ctxFor(sandbox));
      const lines = await collect(session.billing(window10));
      assert.deepEqual(session.errors, []);
      assert.equal(total(lines), sandbox.cloudru.truth.expectedCost(billed));
      assert.ok(sandbox.faults.hits('cloudru.auth') >= 2, 'a second token was issued');
    });

    it('renews the token shortly before it expires, not on every call', async () => {
      const own = await start({ cloudru: { tokenTtlSeconds: 600 } });
      let clock = Date.now();
      const c = createContext(ctxFor(own), () => clock);
      const first = await c.iam.token();
      assert.equal(await c.iam.token(), first, 'cached');
      clock += 530_000; // 70 s before expiry: still good (the margin is 60 s)
      assert.equal(await c.iam.token(), first);
      clock += 20_000; // 50 s before expiry: renewed
      assert.notEqual(await c.iam.token(), first);
      assert.equal(own.faults.hits('cloudru.auth'), 2);
    });
  });

  describe('inventory()', () => {
    it('lists VMs and disks of every project with attachments, states and addresses', async () => {
      const { truth } = sandbox.cloudru;
      const inventory = await (await cloudruConnector.open(ctxFor(sandbox))).inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);
      const byId = new Map(inventory.resources.map((r) => [r.providerResourceId, r]));
      assert.equal(byId.size, truth.vms.length + truth.disks.length);
      for (const vm of truth.vms) {
        const r = byId.get(vm.id)!;
        assert.equal(r.type, 'server');
        assert.equal(r.status, vm.state === 'running' ? 'RUNNING' : 'STOPPED');
        assert.equal(r.specs.cpu, vm.cpu);
        assert.equal(r.specs.ramMb, vm.ramMb);
        assert.equal(r.specs.flavor, vm.flavor);
        assert.equal(r.region, vm.zone);
        assert.deepEqual(r.specs.ips, vm.ips);
        assert.deepEqual([...(r.specs.volumeIds as string[])].sort(), [...vm.diskIds].sort());
      }
      for (const disk of truth.disks) assert.deepEqual(byId.get(disk.id)!.attachedTo, disk.attachedTo);
      assert.deepEqual(byId.get(truth.orphanDisk.id)!.attachedTo, []);
      assert.ok(!byId.has(truth.zombieVm.id));
    });

    it('pages through small pages', async () => {
      const own = await start({ cloudru: { listLimit: 2 } });
      const inventory = await (await cloudruConnector.open(ctxFor(own))).inventory();
      assert.equal(inventory.complete, true);
      assert.equal(inventory.resources.length, own.cloudru.truth.vms.length + own.cloudru.truth.disks.length);
    });

    it('marks the inventory incomplete when a project list fails, and keeps the rest', async () => {
      const { truth } = sandbox.cloudru;
      const [prod, dev] = truth.projectIds as [string, string];
      sandbox.faults.set(`cloudru.vms:${dev}`, { kind: 'status', status: 503 });
      const inventory = await (await cloudruConnector.open(ctxFor(sandbox))).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(
        inventory.errors.map((e) => [e.endpoint, e.region, e.kind]),
        [['vms', dev, 'server']]
      );
      const servers = inventory.resources.filter((r) => r.type === 'server');
      assert.equal(servers.length, truth.vms.filter((v) => v.projectId === prod).length);
      assert.equal(inventory.resources.filter((r) => r.type === 'volume').length, truth.disks.length);
    });

    it('says which project the key may not list, and keeps the others', async () => {
      const { truth } = sandbox.cloudru;
      const settings = { projectIds: [truth.projectIds[0]!, truth.otherProjectId] };
      const inventory = await (await cloudruConnector.open(ctxFor(sandbox, { settings }))).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(
        inventory.errors.map((e) => [e.endpoint, e.region, e.kind]),
        [
          ['vms', truth.otherProjectId, 'forbidden'],
          ['disks', truth.otherProjectId, 'forbidden'],
        ]
      );
      assert.match(inventory.errors[0]!.message, /may not list VMs in project/);
      assert.ok(inventory.resources.length > 0);
    });

    it('reports a rejected key instead of throwing', async () => {
      const inventory = await (
        await cloudruConnector.open(ctxFor(sandbox, { credentials: { secret: 'x-wrong' } }))
      ).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(inventory.resources, []);
      assert.deepEqual(
        inventory.errors.map((e) => [e.endpoint, e.kind]),
        [['auth', 'auth']]
      );
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
    for (const endpoint of ['cloudru.consumption', 'cloudru.vms', 'cloudru.disks']) {
      sandbox.faults.set(endpoint, { kind: 'status', status: 500 });
    }
    sandbox.faults.set('cloudru.token-expiry', { kind: 'token-expiry', afterRequests: 1 });
    const ctx = ctxFor(sandbox, { logger });
    const session = await cloudruConnector.open(ctx);
    const inventory = await session.inventory();
    await collect(session.billing({ start: new Date(NOW.getTime() - 3 * DAY), end: NOW }));
    const failures = await Promise.allSettled([
      cloudruConnector.test(ctxFor(sandbox, { logger, credentials: { secret: `${ctx.credentials.secret}x` } })),
      cloudruConnector.test(ctxFor(sandbox, { logger, credentials: { keyId: `${ctx.credentials.keyId}x` } })),
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

describe('Cloud.ru sync end to end through the API', () => {
  const SYNC_NOW = new Date('2026-11-20T09:30:00Z');
  let h: SyncHarness;
  before(async () => {
    h = await startSyncHarness('cloudru', SYNC_NOW);
  });
  after(async () => {
    await h.close();
    await stopTestCluster();
  });

  describe('a clean sync', () => {
    let id: string;
    let first: Awaited<ReturnType<SyncHarness['sync']>>;
    before(async () => {
      id = await h.connect('cloudru');
      first = await h.sync(id);
    });

    it('stores exactly the billed amount of the window, VAT as Tax lines', async () => {
      const { truth } = h.sandbox.cloudru;
      assert.equal(first.status, 'success', JSON.stringify(first.endpointErrors));
      // Complete Moscow days of the window: 17, 18 and 19 November.
      const window = { start: new Date(first.windowStart), end: new Date('2026-11-19T21:00:00Z') };
      assert.equal(first.windowStart, '2026-11-16T21:00:00.000Z');
      const totals = await h.costTotals(id);
      assert.equal(totals.total, truth.expectedCost(window));
      assert.equal(totals.n, totals.keys, 'no duplicate keys');
      assert.equal(totals.n, first.linesWritten);
      assert.equal((await h.costTotals(id, { category: 'Usage' })).total, truth.expectedCost(window, { vat: false }));
      assert.equal(first.metricsWritten, 0, 'Cloud.ru has no metrics API: nothing invented');
    });

    it('finds the zombie VM, the orphan disk, the stopped VM, billed-only services and folds disks into VMs', async () => {
      const { truth } = h.sandbox.cloudru;
      const list = await h.resources(id);
      const byPid = new Map(list.map((r) => [r.providerResourceId, r]));
      assert.deepEqual(
        (await h.resources(id, '&flag=zombie')).map((r) => r.providerResourceId),
        [truth.zombieVm.id]
      );
      assert.equal(byPid.get(truth.zombieVm.id)!.status, 'DELETED');
      assert.deepEqual(
        (await h.resources(id, '&flag=orphan')).map((r) => r.providerResourceId),
        [truth.orphanDisk.id]
      );
      assert.equal(byPid.get(truth.stoppedVm.id)!.status, 'STOPPED');
      for (const b of truth.billedOnly) assert.equal(byPid.get(b.id)?.type, b.type, b.name);
      assert.ok(byPid.has('account'), 'account-level charges land on the account');
      for (const vm of truth.vms) {
        const r = byPid.get(vm.id)!;
        for (const diskId of vm.diskIds) assert.equal(byPid.get(diskId)!.parentId, r.id);
      }
      const running = list.find((r) => r.type === 'server' && r.status === 'RUNNING' && r.dailyCost)!;
      assert.equal(running.costSource, 'billing');
      const sum = list
        .filter((r) => !r.parentId && r.dailyCost)
        .reduce((acc, r) => acc.plus(r.dailyCost!), new Decimal(0));
      assert.equal(sum.toDecimalPlaces(6).toFixed(), new Decimal(first.totalDailyCost!).toFixed());
    });

    it('is idempotent: a re-sync changes no totals and records every resource unchanged', async () => {
      const before = await h.costTotals(id);
      const again = await h.sync(id);
      assert.equal(again.status, 'success');
      assert.deepEqual(await h.costTotals(id), before);
      assert.equal(again.counts.unchanged, again.counts.found);
    });
  });

  describe('faults: recorded, no duplicates, a rerun converges', () => {
    let reference: { n: number; total: string | null };
    before(async () => {
      const id = await h.connect('cloudru', { backfillDays: 2 });
      await h.sync(id);
      const { n, total } = await h.costTotals(id);
      reference = { n, total };
    });

    for (const scenario of [
      {
        name: 'consumption down (502)',
        endpoint: 'cloudru.consumption',
        fault: { kind: 'status', status: 502 },
        expect: 'partial',
        error: 'consumption',
      },
      {
        name: 'a VM list failing (503)',
        endpoint: 'cloudru.vms',
        fault: { kind: 'status', status: 503 },
        expect: 'partial',
        error: 'vms',
      },
      {
        name: 'a malformed page once',
        endpoint: 'cloudru.consumption',
        fault: { kind: 'malformed', times: 1 },
        expect: 'success',
      },
      {
        name: 'the token dying mid-sync',
        endpoint: 'cloudru.token-expiry',
        fault: { kind: 'token-expiry', afterRequests: 2, times: 1 },
        expect: 'success',
      },
    ] as const) {
      it(scenario.name, async () => {
        const id = await h.connect('cloudru', { backfillDays: 2 });
        const faulted = await h.withFault(scenario.endpoint, scenario.fault, () => h.sync(id));
        assert.equal(faulted.status, scenario.expect, JSON.stringify(faulted.endpointErrors));
        if ('error' in scenario) assert.ok(faulted.endpointErrors.some((e) => e.endpoint === scenario.error));
        const during = await h.costTotals(id);
        assert.equal(during.n, during.keys);
        assert.ok(new Decimal(during.total ?? 0).lte(reference.total!));
        if (scenario.expect === 'partial') {
          assert.equal((await h.resources(id, '&flag=zombie')).length, 0, 'nothing is a zombie after a partial read');
        }
        const rerun = await h.sync(id);
        assert.equal(rerun.status, 'success');
        const totals = await h.costTotals(id);
        assert.deepEqual({ n: totals.n, total: totals.total }, reference);
        assert.equal((await h.resources(id, '&flag=zombie')).length, 1);
      });
    }

    it('bad credentials: the sync fails with the reason, the test endpoint says why, nothing leaks', async () => {
      const secret = 'definitely-wrong-secret';
      const id = await h.connect('cloudru', { backfillDays: 1 }, { ...h.sandbox.cloudru.credentials, secret });
      const snap = await h.sync(id);
      assert.equal(snap.status, 'error');
      assert.match(snap.errorMessage ?? '', /rejected the access key/);
      assert.ok(!JSON.stringify(snap).includes(secret));
      const tested = await h.api<{ ok: boolean; error: { kind: string; message: string } }>(
        'POST',
        `/api/v1/connections/${id}/test`
      );
      assert.equal(tested.body.ok, false);
      assert.equal(tested.body.error.kind, 'auth');
      assert.ok(!tested.body.error.message.includes(secret));
    });
  });
});
