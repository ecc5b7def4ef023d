import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InventoryResource } from '../src/providers/types.js';
import { uncovered } from '../src/sync/billing-writer.js';
import { baselineFrom, baselineFromBilling } from '../src/sync/cost-baseline.js';
import { compareStates, viewOf } from '../src/sync/diff.js';
import { moscowMidnight, prefetch } from '../src/sync/engine.js';
import { reconcile, type BilledObject } from '../src/sync/reconcile.js';

const billed = (o: Partial<BilledObject> & Pick<BilledObject, 'resourceId' | 'type' | 'total'>): BilledObject => ({
  name: o.resourceId,
  parentResourceId: null,
  region: 'ru-3',
  serviceName: null,
  serviceCategory: null,
  periods: 24,
  periodHours: 1,
  currency: 'RUB',
  statedPrice: false,
  ...o,
});

const server = (id: string, name: string, status: InventoryResource['status'] = 'RUNNING'): InventoryResource => ({
  providerResourceId: id,
  name,
  type: 'server',
  status,
  region: 'ru-3',
  specs: { vcpus: 2, ramMb: 4096 },
});

const volume = (id: string, name: string, attachedTo: string[] = [], sizeGb = 10): InventoryResource => ({
  providerResourceId: id,
  name,
  type: 'volume',
  status: attachedTo.length ? 'RUNNING' : 'STOPPED',
  region: 'ru-3',
  specs: { sizeGb, volumeType: 'fast' },
  attachedTo,
  price: { amount: String(sizeGb * 39.18), period: 'monthly', currency: 'RUB' },
});

describe('daily cost baseline', () => {
  it('converts monthly ÷ 30, yearly ÷ 365, hourly × 24 exactly and keeps the original', () => {
    assert.deepEqual(baselineFrom('660', 'monthly', 'RUB', 'price'), {
      daily: '22',
      monthly: '660',
      original: '660',
      period: 'monthly',
      currency: 'RUB',
      source: 'price',
    });
    assert.equal(baselineFrom('3650', 'yearly', 'RUB', 'price').daily, '10');
    assert.equal(baselineFrom('0.5', 'hourly', 'RUB', 'billing').daily, '12');
    assert.equal(baselineFrom('291.90', 'monthly', 'RUB', 'price').daily, '9.73');
  });

  it('averages billed hours, so a resource created mid-day is not under-reported', () => {
    const b = baselineFromBilling('6', 6, 1, 'RUB');
    assert.equal(b.original, '1');
    assert.equal(b.period, 'hourly');
    assert.equal(b.daily, '24');
  });
});

describe('reconcile (phases 2–7)', () => {
  const inventory = {
    complete: true,
    errors: [],
    resources: [
      server('vm-1', 'web-1'),
      server('vm-2', 'db-1', 'STOPPED'),
      volume('vol-1', 'boot-web-1', ['vm-1'], 20),
      volume('vol-2', 'data-db-1', [], 50),
      volume('vol-3', 'disk-for-db-1', [], 10),
      volume('vol-orphan', 'old-backup', [], 100),
    ],
  };
  const bill = [
    billed({ resourceId: 'vm-1', type: 'server', total: '48' }),
    billed({ resourceId: 'vol-1', type: 'volume', total: '24', parentResourceId: 'vm-1' }),
    billed({ resourceId: 'vol-2', type: 'volume', total: '12', parentResourceId: 'vm-2' }),
    billed({ resourceId: 'vm-zombie', type: 'server', total: '24', name: 'forgotten' }),
    billed({ resourceId: 'db-9', type: 'database', total: '72', name: 'pg-cluster' }),
    billed({ resourceId: '', type: 'other', total: '2.4', name: null }),
  ];

  it('lands every billed object on a resource and flags zombies and orphans', () => {
    const { resources } = reconcile({ billed: bill, inventory });
    const byId = new Map(resources.map((r) => [r.providerResourceId, r]));
    for (const b of bill) assert.ok(byId.has(b.resourceId || 'account'), `billed ${b.resourceId} has a resource`);
    assert.equal(byId.get('vm-zombie')!.zombie, true);
    assert.equal(byId.get('vm-zombie')!.status, 'DELETED');
    assert.equal(byId.get('vol-orphan')!.orphan, true);
    assert.equal(byId.get('vol-orphan')!.baseline!.source, 'list');
    assert.equal(byId.get('db-9')!.zombie, false, 'databases are not inventoried: never called zombies');
    assert.equal(byId.get('db-9')!.status, 'RUNNING');
  });

  it('folds volumes by attachment, billing parent and disk-for naming, and unifies the VM cost', () => {
    const { resources } = reconcile({ billed: bill, inventory });
    const byId = new Map(resources.map((r) => [r.providerResourceId, r]));
    assert.equal(byId.get('vol-1')!.parentProviderId, 'vm-1');
    assert.equal(byId.get('vol-1')!.specs.foldedBy, 'attachment');
    assert.equal(byId.get('vol-2')!.parentProviderId, 'vm-2');
    assert.equal(byId.get('vol-2')!.specs.foldedBy, 'billing-parent');
    assert.equal(byId.get('vol-3')!.parentProviderId, 'vm-2');
    assert.equal(byId.get('vol-3')!.specs.foldedBy, 'name');
    assert.equal(byId.get('vol-3')!.orphan, false);
    // vm-1: 48/24 h = 2 RUB/h → 48/day, plus its volume 24/day.
    assert.equal(byId.get('vm-1')!.baseline!.daily, '72');
    // The stopped VM bills nothing itself: its cost is its disks (12/day billed + 10 GB × 39.18 / 30 listed).
    assert.equal(byId.get('vm-2')!.baseline!.daily, '25.06');
    assert.equal((byId.get('vm-2')!.specs.volumes as unknown[]).length, 2);
  });

  it('does not call anything a zombie when the inventory is incomplete', () => {
    const { resources } = reconcile({ billed: bill, inventory: { ...inventory, complete: false } });
    const zombie = resources.find((r) => r.providerResourceId === 'vm-zombie')!;
    assert.equal(zombie.zombie, false);
    assert.equal(zombie.status, 'UNKNOWN');
  });

  it("honours the provider's orphan flag, the inventory's covered types, and marks stopped VMs with billed disks", () => {
    const ip = (id: string, orphan: boolean): InventoryResource => ({
      providerResourceId: id,
      name: id,
      type: 'ip',
      status: 'RUNNING',
      specs: { reserved: true, used: !orphan },
      ...(orphan ? { flags: { orphan: true } } : {}),
    });
    const { resources } = reconcile({
      billed: [
        billed({ resourceId: 'ip-unused', type: 'ip', total: '5', periods: 1, periodHours: 24 }),
        billed({ resourceId: 'ip-gone', type: 'ip', total: '5', periods: 1, periodHours: 24 }),
        billed({ resourceId: 'bucket-gone', type: 'bucket', total: '1', periods: 1, periodHours: 24 }),
        billed({ resourceId: 'db-host', type: 'database', total: '9', periods: 1, periodHours: 24 }),
        billed({ resourceId: 'vol-s', type: 'volume', total: '3', periods: 1, periodHours: 24 }),
      ],
      inventory: {
        complete: true,
        errors: [],
        coveredTypes: ['server', 'volume', 'ip', 'bucket'],
        resources: [
          ip('ip-unused', true),
          ip('ip-free', true),
          ip('ip-used', false),
          server('vm-s', 'stopped', 'STOPPED'),
          { ...volume('vol-s', 'boot', ['vm-s']), price: undefined },
        ],
      },
    });
    const byId = new Map(resources.map((r) => [r.providerResourceId, r]));
    assert.equal(byId.get('ip-unused')!.orphan, true, 'billed and flagged');
    assert.equal(byId.get('ip-free')!.orphan, true, 'flagged even when nobody bills it');
    assert.equal(byId.get('ip-used')!.orphan, false);
    assert.equal(byId.get('ip-gone')!.zombie, true, 'ip is covered by this inventory');
    assert.equal(byId.get('ip-gone')!.orphan, false, 'a zombie is not also an orphan');
    assert.equal(byId.get('bucket-gone')!.zombie, true);
    assert.equal(byId.get('db-host')!.zombie, false, 'databases are not covered');
    assert.equal(byId.get('vm-s')!.specs.stoppedButBilled, true);
    assert.equal(byId.get('vm-s')!.baseline!.daily, '3');

    // Without coveredTypes the default (server, volume) applies: a missing IP is no zombie.
    const plain = reconcile({
      billed: [billed({ resourceId: 'ip-gone', type: 'ip', total: '5' })],
      inventory: { complete: true, errors: [], resources: [] },
    });
    assert.equal(plain.resources[0]!.zombie, false);
  });
});

describe('change detection', () => {
  const base = reconcile({
    billed: [billed({ resourceId: 'vm-1', type: 'server', total: '24' })],
    inventory: { complete: true, errors: [], resources: [server('vm-1', 'a')] },
  }).resources[0]!;

  it('classifies created, deleted, unchanged and the kind of update', () => {
    const view = viewOf(base);
    assert.equal(compareStates(undefined, view).action, 'created');
    assert.equal(compareStates(view, undefined).action, 'deleted');
    assert.equal(compareStates(view, { ...view, dailyCost: '24.000' }).action, 'unchanged', 'equal decimals are equal');
    const costly = compareStates(view, { ...view, dailyCost: '30' });
    assert.equal(costly.action, 'updated');
    assert.ok(costly.costChanged && !costly.statusChanged && !costly.configChanged);
    const stopped = compareStates(view, { ...view, status: 'STOPPED' });
    assert.ok(stopped.statusChanged);
    assert.deepEqual(stopped.changes.status, { from: 'RUNNING', to: 'STOPPED' });
    const resized = compareStates(view, { ...view, specs: { ...view.specs, vcpus: 4 } });
    assert.ok(resized.configChanged);
    assert.deepEqual(resized.changes['specs.vcpus'], { from: 2, to: 4 });
  });
});

describe('sync helpers', () => {
  it('computes the uncleared parts of a window', () => {
    assert.deepEqual(uncovered([0, 100], []), [[0, 100]]);
    assert.deepEqual(uncovered([0, 100], [[0, 50]]), [[51, 100]]);
    assert.deepEqual(uncovered([0, 100], [[20, 30]]), [
      [0, 19],
      [31, 100],
    ]);
    assert.deepEqual(uncovered([0, 100], [[0, 100]]), []);
  });

  it('aligns billing windows to Moscow midnight', () => {
    assert.equal(moscowMidnight(Date.parse('2026-11-25T02:00:00Z')).toISOString(), '2026-11-24T21:00:00.000Z');
    assert.equal(moscowMidnight(Date.parse('2026-11-24T20:59:59Z')).toISOString(), '2026-11-23T21:00:00.000Z');
  });

  it('prefetches the next batch and surfaces iterator errors', async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('boom');
    }
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const n of prefetch(source())) seen.push(n);
    }, /boom/);
    assert.deepEqual(seen, [1, 2]);
  });
});
