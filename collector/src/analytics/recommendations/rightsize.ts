/**
 * Rightsize: a running VM whose CPU p95 stays under 20 % and memory p95 under 40 % over the look-back
 * (14 days) moves to the next smaller flavor that still fits its load. Savings come from the provider's
 * own prices, best first:
 *   1. the connection's price list (VK Cloud: the flavors' monthly prices the user maintains);
 *   2. the unit rates of the VM's own billing lines (Selectel, Yandex, Cloud.ru bill vCPU-hours and
 *      RAM-hours: the target costs its vCPUs and GBs at the same rates);
 *   3. otherwise an estimate proportional to vCPU and RAM, with lower confidence and the evidence
 *      saying so.
 */
import { Decimal } from 'decimal.js';
import {
  halved,
  mergeCatalogue,
  nextSmallerFlavor,
  parseFlavorName,
  SELECTEL_FLAVORS,
  type Flavor,
} from './flavors.js';
import { textFor } from './texts.js';
import {
  confidence,
  DAYS_PER_MONTH,
  fingerprintOf,
  HOURS_PER_MONTH,
  round2,
  specNumber,
  type AnalysisInput,
  type AnalysisResource,
  type Candidate,
  type DetectorResult,
  type UnitRates,
} from './types.js';

export const RIGHTSIZE_CPU_P95 = 20;
export const RIGHTSIZE_MEM_P95 = 40;
/** Less than three days of metrics says too little about a VM's load. */
export const MIN_METRIC_HOURS = 72;

/** What a VM's own compute (without its volumes) costs a month. */
export function ownMonthlyCost(r: AnalysisResource): Decimal | null {
  const breakdown = r.specs.costBreakdown as { ownDaily?: string | null } | undefined;
  if (breakdown?.ownDaily) return new Decimal(breakdown.ownDaily).mul(DAYS_PER_MONTH);
  return r.monthlyCost;
}

function currentFlavor(r: AnalysisResource): Flavor | undefined {
  const vcpus = specNumber(r.specs, 'vcpus', 'cpu');
  const ramMb = specNumber(r.specs, 'ramMb');
  if (!vcpus || !ramMb) return undefined;
  const name = typeof r.specs.flavor === 'string' ? r.specs.flavor : `${vcpus} vCPU / ${Math.round(ramMb / 1024)} GB`;
  return { name, vcpus, ramMb };
}

function priceList(r: AnalysisResource): Record<string, string> | undefined {
  const list = (r.connectionSettings.priceList as { flavors?: Record<string, string> } | undefined)?.flavors;
  return list && Object.keys(list).length ? list : undefined;
}

const lookup = (list: Record<string, string>, name: string) =>
  list[name] ?? Object.entries(list).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

function catalogueFor(r: AnalysisResource, inUse: Flavor[]): Flavor[] | undefined {
  const list = priceList(r);
  if (list)
    return mergeCatalogue(
      Object.keys(list).flatMap((n) => parseFlavorName(n) ?? []),
      inUse
    );
  if (r.provider === 'selectel') return mergeCatalogue(SELECTEL_FLAVORS, inUse);
  return undefined;
}

interface Pricing {
  basis: 'price_list' | 'billing_rates' | 'estimate';
  currentMonthly: Decimal;
  targetMonthly: Decimal;
  details: Record<string, unknown>;
}

function price(
  r: AnalysisResource,
  current: Flavor,
  target: Flavor,
  rates: UnitRates | undefined
): Pricing | undefined {
  const list = priceList(r);
  const listed = list && [lookup(list, current.name), lookup(list, target.name)];
  if (listed?.[0] !== undefined && listed[1] !== undefined) {
    return {
      basis: 'price_list',
      currentMonthly: new Decimal(listed[0]),
      targetMonthly: new Decimal(listed[1]),
      details: { source: 'connection price list', currentFlavorMonthly: listed[0], targetFlavorMonthly: listed[1] },
    };
  }
  if (rates?.vcpuHour && rates.ramGbHour) {
    const monthly = (f: Flavor) =>
      rates
        .vcpuHour!.mul(f.vcpus)
        .plus(rates.ramGbHour!.mul(f.ramMb / 1024))
        .mul(HOURS_PER_MONTH);
    return {
      basis: 'billing_rates',
      currentMonthly: monthly(current),
      targetMonthly: monthly(target),
      details: {
        source: "unit rates of this VM's own billing lines",
        vcpuHour: rates.vcpuHour.toDecimalPlaces(6).toFixed(),
        ramGbHour: rates.ramGbHour.toDecimalPlaces(6).toFixed(),
        hoursPerMonth: HOURS_PER_MONTH,
        lines: rates.lines,
      },
    };
  }
  const own = ownMonthlyCost(r);
  if (!own || own.lte(0)) return undefined;
  const share = (target.vcpus / current.vcpus + target.ramMb / current.ramMb) / 2;
  return {
    basis: 'estimate',
    currentMonthly: own,
    targetMonthly: own.mul(share),
    details: {
      source: 'estimate',
      note: "the provider's price of the target configuration is unknown: estimated in proportion to vCPU and RAM (half weight each)",
      share: Math.round(share * 1000) / 1000,
    },
  };
}

export function detectRightsize(input: AnalysisInput): DetectorResult {
  const candidates: Candidate[] = [];
  const undecided: string[] = [];
  const servers = input.resources.filter((r) => r.type === 'server' && !r.zombie);
  const inUse = servers.flatMap((r) => {
    const f = currentFlavor(r);
    return f && parseFlavorName(f.name) ? [f] : [];
  });
  for (const r of servers) {
    const fingerprint = fingerprintOf('rightsize', r);
    if (r.status !== 'RUNNING') continue;
    const stats = input.utilization.get(r.id);
    const cpu = stats?.cpu_utilization;
    if (!cpu || cpu.hours < MIN_METRIC_HOURS) {
      undecided.push(fingerprint);
      continue;
    }
    const mem = stats?.memory_utilization ?? null;
    if (cpu.p95 >= RIGHTSIZE_CPU_P95 || (mem && mem.p95 >= RIGHTSIZE_MEM_P95)) continue;
    const current = currentFlavor(r);
    if (!current) continue;
    const load = { cpuP95: cpu.p95, memP95: mem?.p95 ?? null };
    const catalogue = catalogueFor(
      r,
      inUse.filter((f) => f.name !== current.name)
    );
    const target = catalogue ? nextSmallerFlavor(current, catalogue, load) : halved(current, mem === null);
    if (!target) continue;
    const pricing = price(r, current, target, input.rates.get(r.id));
    if (!pricing) continue;
    const savings = round2(pricing.currentMonthly.minus(pricing.targetMonthly));
    if (savings.lte(0)) continue;
    const coverage = Math.min(1, cpu.hours / (input.windowDays * 24));
    const score =
      0.5 + 0.4 * coverage - (mem ? 0 : 0.15) - (pricing.basis === 'estimate' ? 0.2 : 0) - (catalogue ? 0 : 0.05);
    const memText = mem ? `${mem.p95.toFixed(1)} %` : '—';
    const days = Math.max(1, Math.round(cpu.hours / 24));
    candidates.push({
      fingerprint,
      kind: 'rightsize',
      connectionId: r.connectionId,
      resourceId: r.id,
      ...textFor(input.locale, 'rightsize', {
        name: r.name,
        from: current.name,
        to: target.name,
        cpu: cpu.p95.toFixed(1),
        mem: memText,
        days,
      }),
      currentMonthlyCost: r.monthlyCost ? round2(r.monthlyCost) : round2(pricing.currentMonthly),
      estimatedMonthlySavings: savings,
      currency: r.currency ?? null,
      confidence: confidence(score),
      evidence: {
        window: { from: cpu.firstHour.toISOString(), to: cpu.lastHour.toISOString(), days: input.windowDays },
        thresholds: { cpuP95: RIGHTSIZE_CPU_P95, memoryP95: RIGHTSIZE_MEM_P95 },
        cpu: metricEvidence(cpu),
        memory: mem ? metricEvidence(mem) : { unavailable: true },
        current: { flavor: current.name, vcpus: current.vcpus, ramMb: current.ramMb },
        target: {
          flavor: target.name,
          vcpus: target.vcpus,
          ramMb: target.ramMb,
          projectedCpuP95: round1((cpu.p95 * current.vcpus) / target.vcpus),
          projectedMemoryP95: mem ? round1((mem.p95 * current.ramMb) / target.ramMb) : null,
        },
        catalogue: catalogue ? catalogue.map((f) => f.name) : 'halved configuration (no catalogue for this provider)',
        prices: {
          basis: pricing.basis,
          currentComputeMonthly: round2(pricing.currentMonthly).toFixed(),
          targetComputeMonthly: round2(pricing.targetMonthly).toFixed(),
          ...pricing.details,
        },
      },
    });
  }
  return { candidates, undecided };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function metricEvidence(s: { p95: number; avg: number; max: number; hours: number }) {
  return { p95: round1(s.p95), avg: round1(s.avg), max: round1(s.max), hours: s.hours };
}
