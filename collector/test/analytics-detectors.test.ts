/**
 * The recommendation detectors as pure functions, with known answers for the kinds and price sources
 * the sandbox sync does not reach: VK price lists, estimates for providers without prices, Yandex
 * without memory metrics, off-hours schedules, idle databases, unused IPs, storage tiers, and the unit
 * rates read from billing lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { unitRates } from '../src/analytics/recommendations/engine.js';
import { nextSmallerFlavor, parseFlavorName } from '../src/analytics/recommendations/flavors.js';
import { detectIdleDatabases } from '../src/analytics/recommendations/idle-database.js';
import { detectOffHours, nonProductionReason } from '../src/analytics/recommendations/off-hours.js';
import { detectUnusedIps } from '../src/analytics/recommendations/release-ip.js';
import { detectRightsize } from '../src/analytics/recommendations/rightsize.js';
import { detectStorageTier } from '../src/analytics/recommendations/storage-tier.js';
import type { AnalysisInput, AnalysisResource, UtilizationStats } from '../src/analytics/recommendations/types.js';

const NOW = new Date('2026-03-20T09:00:00Z');

function resource(over: Partial<AnalysisResource> & { id: string }): AnalysisResource {
  return {
    connectionId: 'c1',
    connectionName: 'Conn',
    connectionSettings: {},
    provider: 'selectel',
    providerResourceId: `p-${over.id}`,
    name: over.id,
    type: 'server',
    status: 'RUNNING',
    zombie: false,
    orphan: false,
    parentId: null,
    specs: {},
    tags: {},
    environment: null,
    dailyCost: new Decimal(100),
    monthlyCost: new Decimal(3000),
    costSource: 'billing',
    currency: 'RUB',
    firstSeenDay: '2026-01-01',
    lastOwnCostDay: '2026-03-19',
    connectionFirstCostDay: '2026-01-01',
    ...over,
  };
}

function stats(
  metric: UtilizationStats['metric'],
  p95: number,
  over: Partial<UtilizationStats> = {}
): UtilizationStats {
  return {
    metric,
    p95,
    avg: p95 / 2,
    max: p95 + 1,
    hours: 336,
    firstHour: new Date(NOW.getTime() - 14 * 86_400_000),
    lastHour: NOW,
    offHoursP95: p95,
    offHours: 228,
    weekendHours: 96,
    businessP95: p95,
    ...over,
  };
}

function input(
  resources: AnalysisResource[],
  utilization: Record<string, Partial<Record<UtilizationStats['metric'], UtilizationStats>>> = {},
  rates: AnalysisInput['rates'] = new Map()
): AnalysisInput {
  return {
    locale: 'en',
    now: NOW,
    today: '2026-03-20',
    windowDays: 14,
    resources,
    utilization: new Map(Object.entries(utilization)),
    rates,
  };
}

describe('recommendation detectors (pure)', () => {
  it('reads flavor names and picks the largest smaller flavor that fits the load', () => {
    assert.deepEqual(parseFlavorName('SL1.4-16384'), { name: 'SL1.4-16384', vcpus: 4, ramMb: 16384 });
    assert.deepEqual(parseFlavorName('STD3-4-16'), { name: 'STD3-4-16', vcpus: 4, ramMb: 16384 });
    assert.equal(parseFlavorName('m1.large'), undefined);
    const catalogue = ['STD2-1-2', 'STD2-2-4', 'STD3-2-8', 'STD3-4-16'].map((n) => parseFlavorName(n)!);
    const current = parseFlavorName('STD3-4-16')!;
    assert.equal(nextSmallerFlavor(current, catalogue, { cpuP95: 10, memP95: 30 })?.name, 'STD3-2-8');
    // 30 % CPU on 4 vCPUs would be 60 % on 2 but 120 % on 1: one step down only.
    assert.equal(nextSmallerFlavor(current, catalogue, { cpuP95: 30, memP95: 10 })?.name, 'STD3-2-8');
    assert.equal(nextSmallerFlavor(current, catalogue, { cpuP95: 50, memP95: 10 }), undefined);
    // Memory unknown: only the vCPU count may change.
    assert.equal(nextSmallerFlavor(current, catalogue, { cpuP95: 5, memP95: null }), undefined);
  });

  it('prices a VK Cloud rightsize from the connection price list', () => {
    const vm = resource({
      id: 'vk1',
      provider: 'vkcloud',
      specs: { flavor: 'STD3-4-16', vcpus: 4, ramMb: 16384 },
      monthlyCost: new Decimal(8800),
      connectionSettings: { priceList: { flavors: { 'STD2-2-4': '2950', 'STD3-2-8': '4450.5', 'STD3-4-16': '8800' } } },
    });
    const { candidates } = detectRightsize(
      input([vm], {
        vk1: { cpu_utilization: stats('cpu_utilization', 8), memory_utilization: stats('memory_utilization', 30) },
      })
    );
    assert.equal(candidates.length, 1);
    const c = candidates[0]!;
    assert.equal(c.estimatedMonthlySavings!.toFixed(2), '4349.50');
    assert.equal((c.evidence.target as { flavor: string }).flavor, 'STD3-2-8');
    assert.equal((c.evidence.prices as { basis: string }).basis, 'price_list');
    assert.equal(c.confidence, 0.9);
    assert.equal(c.title, 'Rightsize vk1: STD3-4-16 → STD3-2-8');
  });

  it('estimates in proportion to vCPU and RAM where the target price is unknown, with lower confidence', () => {
    const vps = resource({
      id: 'b1',
      provider: 'beget',
      specs: { vcpus: 4, ramMb: 8192 },
      monthlyCost: new Decimal(2400),
    });
    const { candidates } = detectRightsize(
      input([vps], {
        b1: { cpu_utilization: stats('cpu_utilization', 5), memory_utilization: stats('memory_utilization', 20) },
      })
    );
    const c = candidates[0]!;
    assert.equal((c.evidence.target as { vcpus: number; ramMb: number }).vcpus, 2);
    assert.equal((c.evidence.target as { ramMb: number }).ramMb, 4096);
    assert.equal(c.estimatedMonthlySavings!.toFixed(2), '1200.00');
    assert.equal((c.evidence.prices as { basis: string }).basis, 'estimate');
    assert.match((c.evidence.prices as { note: string }).note, /unknown/);
    assert.equal(c.confidence, 0.65); // 0.9 − 0.2 (estimate) − 0.05 (no catalogue)
  });

  it('keeps the RAM of a VM without memory metrics and prices it from its billed rates', () => {
    const vm = resource({ id: 'y1', provider: 'yandex', specs: { vcpus: 4, ramMb: 8192 } });
    const rates = new Map([
      ['y1', { currency: 'RUB', vcpuHour: new Decimal('1.2'), ramGbHour: new Decimal('0.3'), lines: [] }],
    ]);
    const { candidates } = detectRightsize(
      input([vm], { y1: { cpu_utilization: stats('cpu_utilization', 6) } }, rates)
    );
    const c = candidates[0]!;
    assert.deepEqual(c.evidence.target, {
      flavor: '2 vCPU / 8 GB',
      vcpus: 2,
      ramMb: 8192,
      projectedCpuP95: 12,
      projectedMemoryP95: null,
    });
    assert.equal(c.estimatedMonthlySavings!.toFixed(2), '1728.00'); // 2 vCPU × 1.2 × 720 h
    assert.deepEqual(c.evidence.memory, { unavailable: true });
  });

  it('leaves a VM with too few metric hours undecided, and a busy one alone', () => {
    const quiet = resource({ id: 'q', specs: { flavor: 'SL1.2-4096', vcpus: 2, ramMb: 4096 } });
    const busy = resource({ id: 'b', specs: { flavor: 'SL1.2-4096', vcpus: 2, ramMb: 4096 } });
    const result = detectRightsize(
      input([quiet, busy], {
        q: { cpu_utilization: stats('cpu_utilization', 3, { hours: 48 }) },
        b: { cpu_utilization: stats('cpu_utilization', 35), memory_utilization: stats('memory_utilization', 20) },
      })
    );
    assert.deepEqual(result.candidates, []);
    assert.deepEqual(result.undecided, ['rightsize:c1:p-q']);
  });

  it('reads unit rates from billing lines: cost ÷ quantity, MB-hours as GB-hours', () => {
    const rates = unitRates([
      {
        resource_uuid: 'r',
        line_key: 'compute_cores',
        unit: 'item',
        description: 'vCPU',
        currency: 'RUB',
        cost: '18.2',
        quantity: '2',
        hours: 1,
      },
      {
        resource_uuid: 'r',
        line_key: 'compute_cores',
        unit: 'item',
        description: 'vCPU',
        currency: 'RUB',
        cost: '9.0',
        quantity: '1',
        hours: 1,
      },
      {
        resource_uuid: 'r',
        line_key: 'compute_ram',
        unit: 'MB',
        description: 'RAM',
        currency: 'RUB',
        cost: '13.332',
        quantity: '4096',
        hours: 1,
      },
      {
        resource_uuid: 'r',
        line_key: 'volume_gigabytes_fast',
        unit: 'GB',
        description: 'Диск',
        currency: 'RUB',
        cost: '5',
        quantity: '10',
        hours: 1,
      },
    ]).get('r')!;
    assert.equal(rates.vcpuHour!.toFixed(4), '9.0667'); // 27.2 / 3
    assert.equal(rates.ramGbHour!.toFixed(4), '3.3330'); // 13.332 / 4 GB
    assert.equal(rates.lines.length, 3);
  });

  it('schedules a non-production VM that idles at night and on weekends; savings = hours saved × hourly compute', () => {
    const staging = resource({
      id: 's1',
      name: 'staging-api',
      monthlyCost: new Decimal(4200),
      specs: { costBreakdown: { ownDaily: '112', volumesDaily: '28' } },
    });
    const prod = resource({ id: 'p1', name: 'api', tags: { env: 'production' } });
    const testByTag = resource({ id: 't1', name: 'worker', tags: { Environment: 'test' } });
    const { candidates, undecided } = detectOffHours(
      input([staging, prod, testByTag], {
        s1: { cpu_utilization: stats('cpu_utilization', 40, { offHoursP95: 2 }) },
        p1: { cpu_utilization: stats('cpu_utilization', 40, { offHoursP95: 1 }) },
        t1: { cpu_utilization: stats('cpu_utilization', 40, { offHoursP95: 1, weekendHours: 0 }) },
      })
    );
    assert.equal(candidates.length, 1);
    // Own compute 112 × 30 = 3360 a month; 108 of 168 weekly hours off.
    assert.equal(candidates[0]!.estimatedMonthlySavings!.toFixed(2), new Decimal(3360).mul(108).div(168).toFixed(2));
    assert.equal(candidates[0]!.evidence.nonProduction, 'name contains "staging"');
    assert.deepEqual(undecided, ['off_hours_schedule:c1:p-t1']);
    assert.equal(nonProductionReason({ environment: 'prod', tags: { env: 'dev' }, name: 'dev-box' }), undefined);
    assert.equal(nonProductionReason({ environment: null, tags: {}, name: 'qa_runner' }), 'name contains "qa"');
    assert.equal(nonProductionReason({ environment: null, tags: {}, name: 'contest' }), undefined);
  });

  it('calls a database idle by CPU only when its metrics say so', () => {
    const db = resource({ id: 'd1', type: 'database', monthlyCost: new Decimal(9000) });
    const unknown = resource({ id: 'd2', type: 'database' });
    const { candidates, undecided } = detectIdleDatabases(
      input([db, unknown], { d1: { cpu_utilization: stats('cpu_utilization', 2) } })
    );
    assert.equal(candidates.length, 1);
    assert.equal(candidates[0]!.estimatedMonthlySavings!.toFixed(2), '9000.00');
    assert.deepEqual(undecided, ['idle_database:c1:p-d2']);
  });

  it('releases reserved addresses nobody uses', () => {
    const unused = resource({
      id: 'ip1',
      type: 'ip',
      orphan: true,
      monthlyCost: new Decimal('180.5'),
      specs: { used: false },
    });
    const used = resource({ id: 'ip2', type: 'ip', specs: { used: true } });
    const { candidates } = detectUnusedIps(input([unused, used]));
    assert.deepEqual(
      candidates.map((c) => [c.fingerprint, c.estimatedMonthlySavings!.toFixed(2)]),
      [['release_ip:c1:p-ip1', '180.50']]
    );
  });

  it('moves a fast disk of a nearly idle Selectel VM one tier down: size × the price difference', () => {
    const vm = resource({ id: 'vm' });
    const disk = resource({
      id: 'disk',
      type: 'volume',
      parentId: 'vm',
      specs: { sizeGb: 100, volumeType: 'fast.ru-3a' },
    });
    const { candidates } = detectStorageTier(
      input([vm, disk], { vm: { cpu_utilization: stats('cpu_utilization', 5) } })
    );
    assert.equal(candidates.length, 1);
    assert.equal(candidates[0]!.estimatedMonthlySavings!.toFixed(2), '2063.00'); // 100 × (39.18 − 18.55)
    assert.deepEqual(candidates[0]!.evidence.tier as object, { from: 'ssd_fast', to: 'ssd_universal' });
  });
});
