/**
 * Billing meters of the generated account: one per (object, metric), with its hourly base amount, the
 * hours it is billed and the row's JSON prebuilt around the two parts that change per hour (value and
 * period). Prices are integers in hundredths of a kopeck, so every amount and every sum is exact.
 */
import type { Random } from '../random.js';

export const HOUR_MS = 3_600_000;

/** How a meter's amount is written in JSON: the real API is not consistent (PROVIDERS.md). */
export const ValueStyle = {
  /** Whole kopecks as a JSON integer. */
  Integer: 0,
  /** Kopecks with a fraction, as a JSON number. */
  Fraction: 1,
  /** Kopecks as a numeric string. */
  String: 2,
} as const;
export type ValueStyle = (typeof ValueStyle)[keyof typeof ValueStyle];

/** One (object, metric) billing series. Amounts are integers in hundredths of a kopeck, so sums are exact. */
export interface Meter {
  objectId: string;
  providerKey: string;
  seed: number;
  /** Hourly amount before noise, hundredths of a kopeck. */
  base: number;
  /** Billed hours: fromHour ≤ h < toHour (epoch hours). */
  fromHour: number;
  toHour: number;
  style: ValueStyle;
  spikeFrom: number;
  spikeTo: number;
  spikeFactor: number;
  /** The row's JSON before the value, and after the period (prebuilt: generation is string concatenation). */
  head: string;
  tail: string;
}

/** Cinder type prefix → billing metric and price per GB-hour in hundredths of a kopeck (list price ÷ 720). */
export const VOLUME_KINDS = [
  { type: 'universal', metric: 'volume_gigabytes_universal', perGbHour: 258 },
  { type: 'fast', metric: 'volume_gigabytes_fast', perGbHour: 544 },
  { type: 'basic', metric: 'volume_gigabytes_basic', perGbHour: 125 },
  { type: 'basic_hdd', metric: 'volume_gigabytes_basic_hdd', perGbHour: 101 },
];
/** Hundredths of a kopeck per hour: a vCPU ≈ 655 ₽/month, a GB of RAM ≈ 240 ₽/month; preemptible ≈ ×0.4. */
export const CORE_HOUR = 9097;
export const RAM_GB_HOUR = 3333;
const PREEMPTIBLE = 0.4;

const json = (value: unknown) => JSON.stringify(value);

export type VolumeKind = (typeof VOLUME_KINDS)[number];

/** Collects the account's meters: `server()` adds a VM's vCPU and RAM meters, `volume()` a disk's. */
export class MeterBuilder {
  readonly meters: Meter[] = [];

  constructor(
    private readonly accountId: string,
    private readonly project: { id: string; name: string }
  ) {}

  meter(m: {
    object: { id: string; name: string; type: string; parentId?: string; parentName?: string };
    providerKey: string;
    metric: { id: string; name: string; unit: string; quantity: number };
    zone: string;
    base: number;
    fromHour: number;
    toHour?: number;
    random: Random;
    spike?: { fromHour: number; toHour: number; factor: number };
  }): void {
    const r = m.random();
    const style = r < 0.15 ? ValueStyle.String : r < 0.55 ? ValueStyle.Fraction : ValueStyle.Integer;
    const head = `{"account_id":${json(this.accountId)},"provider_key":${json(m.providerKey)},"value":`;
    const tail =
      `","project":${json(this.project)}` +
      `,"metric":${json({ id: m.metric.id, name: m.metric.name, quantity: m.metric.quantity, region: m.zone, unit: m.metric.unit })}` +
      `,"object":${json({
        id: m.object.id,
        name: m.object.name,
        parent_id: m.object.parentId ?? '',
        parent_name: m.object.parentName ?? '',
        type: m.object.type,
      })}}`;
    this.meters.push({
      objectId: m.object.id,
      providerKey: m.providerKey,
      seed: Math.floor(m.random() * 0xffffffff) >>> 0,
      base: Math.max(1, Math.round(m.base)),
      fromHour: m.fromHour,
      toHour: m.toHour ?? Number.POSITIVE_INFINITY,
      style,
      spikeFrom: m.spike?.fromHour ?? 0,
      spikeTo: m.spike?.toHour ?? 0,
      spikeFactor: m.spike?.factor ?? 1,
      head,
      tail,
    });
  }

  server(
    s: { id: string; name: string; zone: string; vcpus: number; ram: number; preemptible: boolean },
    from: number,
    to: number | undefined,
    random: Random,
    spike?: { fromHour: number; toHour: number; factor: number }
  ): void {
    const suffix = s.preemptible ? '_preemptible' : '';
    const factor = s.preemptible ? PREEMPTIBLE : 1;
    const object = { id: s.id, name: s.name, type: 'cloud_vm' };
    this.meter({
      object,
      providerKey: 'vpc',
      metric: { id: `compute_cores${suffix}`, name: 'vCPU', unit: 'item', quantity: s.vcpus },
      zone: s.zone,
      base: s.vcpus * CORE_HOUR * factor,
      fromHour: from,
      toHour: to,
      random,
      spike,
    });
    this.meter({
      object,
      providerKey: 'vpc',
      metric: { id: `compute_ram${suffix}`, name: 'RAM', unit: 'MB', quantity: s.ram },
      zone: s.zone,
      base: (s.ram / 1024) * RAM_GB_HOUR * factor,
      fromHour: from,
      toHour: to,
      random,
      spike,
    });
  }

  volume(
    v: { id: string; name: string; zone: string; sizeGb: number; kind: VolumeKind },
    parent: { id: string; name: string } | undefined,
    from: number,
    random: Random
  ): void {
    this.meter({
      object: { id: v.id, name: v.name, type: v.kind.metric, parentId: parent?.id, parentName: parent?.name },
      providerKey: 'vpc',
      metric: { id: v.kind.metric, name: 'Диск', unit: 'GB', quantity: v.sizeGb },
      zone: v.zone,
      base: v.sizeGb * v.kind.perGbHour,
      fromHour: from,
      random,
    });
  }
}
