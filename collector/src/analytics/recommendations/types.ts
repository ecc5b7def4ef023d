/**
 * What the recommendation detectors see and produce. Detectors are pure: the engine loads the facts
 * (resources, utilization, billed unit rates, price lists) once per tenant and hands them over.
 */
import type { Decimal } from 'decimal.js';
import type { RecommendationKind } from '../../contract/query.js';
import type { Locale } from './texts.js';

/** Project convention (sync/cost-baseline.ts): a month is 30 days. */
export const DAYS_PER_MONTH = 30;
export const HOURS_PER_MONTH = 24 * DAYS_PER_MONTH;

export interface AnalysisResource {
  id: string;
  connectionId: string;
  connectionName: string;
  connectionSettings: Record<string, unknown>;
  provider: string;
  providerResourceId: string;
  name: string;
  type: string;
  status: string;
  zombie: boolean;
  orphan: boolean;
  parentId: string | null;
  specs: Record<string, unknown>;
  tags: Record<string, string>;
  environment: string | null;
  dailyCost: Decimal | null;
  monthlyCost: Decimal | null;
  costSource: string | null;
  currency: string | null;
  /** First day this resource was seen in billing or inventory (the earliest we know of). */
  firstSeenDay: string;
  /** Last day with billed cost of its own (not its volumes'), if any in the look-back. */
  lastOwnCostDay: string | null;
  /** First day of its connection's billing data (up to a year back): how far "not billed since" can see. */
  connectionFirstCostDay: string | null;
}

/** Hourly-rollup utilization of one resource over the look-back window (percent, 0–100). */
export interface UtilizationStats {
  metric: 'cpu_utilization' | 'memory_utilization';
  /** 95th percentile of the hourly 95th percentiles (never below the true p95 of the samples). */
  p95: number;
  avg: number;
  max: number;
  hours: number;
  firstHour: Date;
  lastHour: Date;
  /** Outside Mon–Fri 08:00–20:00 in the reporting time zone. */
  offHoursP95: number | null;
  offHours: number;
  weekendHours: number;
  businessP95: number | null;
}

/** What a resource's own billing lines say a unit of capacity costs per hour. */
export interface UnitRates {
  currency: string;
  /** Per vCPU-hour, from lines whose key or description names cores/CPU. */
  vcpuHour?: Decimal;
  /** Per GB-hour of RAM. */
  ramGbHour?: Decimal;
  /** The lines the rates came from. */
  lines: { lineKey: string; unit: string | null; cost: string; quantity: string; hours: number }[];
}

export interface AnalysisInput {
  locale: Locale;
  now: Date;
  today: string;
  windowDays: number;
  resources: AnalysisResource[];
  /** By resource uuid. */
  utilization: Map<string, Partial<Record<UtilizationStats['metric'], UtilizationStats>>>;
  rates: Map<string, UnitRates>;
}

export interface Candidate {
  fingerprint: string;
  kind: RecommendationKind;
  connectionId: string;
  resourceId: string | null;
  title: string;
  action: string;
  currentMonthlyCost: Decimal | null;
  estimatedMonthlySavings: Decimal | null;
  currency: string | null;
  confidence: number;
  evidence: Record<string, unknown>;
}

/**
 * A detector's answer: what it recommends, and which existing recommendations it could not judge this
 * time (missing metrics): those are neither updated nor auto-resolved.
 */
export interface DetectorResult {
  candidates: Candidate[];
  undecided: string[];
}

export type Detector = (input: AnalysisInput) => DetectorResult;

export const fingerprintOf = (kind: RecommendationKind, r: { connectionId: string; providerResourceId: string }) =>
  `${kind}:${r.connectionId}:${r.providerResourceId}`;

export const round2 = (d: Decimal) => d.toDecimalPlaces(2);

export function specNumber(specs: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = specs[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** Days between two YYYY-MM-DD days. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 0.1–0.95, two decimals: no recommendation is ever certain, none is worthless enough to show at 0. */
export const confidence = (value: number) => Math.round(Math.min(0.95, Math.max(0.1, value)) * 100) / 100;
