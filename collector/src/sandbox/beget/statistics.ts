/**
 * VPS statistics series. Each point is a pure function of (seed, server, metric, timestamp), and the
 * timestamps sit on a fixed grid per step, so overlapping periods (DAY and WEEK) agree where they meet
 * and repeated calls return identical values.
 */
import { hashSeed, seededRandom } from '../random.js';
import type { FakeVps } from './data.js';

export type StatisticKind = 'cpu' | 'memory';
export type StatisticPeriod = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

const MINUTE = 60_000;
/** Look-back and point spacing per period (about a point a minute for HOUR, coarser for longer ones). */
export const PERIODS: Record<StatisticPeriod, { lengthMs: number; stepMs: number }> = {
  HOUR: { lengthMs: 60 * MINUTE, stepMs: MINUTE },
  DAY: { lengthMs: 24 * 60 * MINUTE, stepMs: 5 * MINUTE },
  WEEK: { lengthMs: 7 * 24 * 60 * MINUTE, stepMs: 30 * MINUTE },
  MONTH: { lengthMs: 30 * 24 * 60 * MINUTE, stepMs: 60 * MINUTE },
};

/** Beget-style timestamp: RFC 3339 in Moscow time (UTC+3, no DST). */
export function moscowTimestamp(ts: number): string {
  return `${new Date(ts + 3 * 60 * MINUTE).toISOString().slice(0, 19)}+03:00`;
}

export function statisticValue(seed: number, vps: FakeVps, kind: StatisticKind, ts: number): number {
  const base = seededRandom(hashSeed(seed, 'beget-stat-base', vps.id, kind))();
  const noise = seededRandom(hashSeed(seed, 'beget-stat', vps.id, kind, ts))() - 0.5;
  // A daily rhythm peaking in the Moscow afternoon, as real workloads do.
  const hourOfDay = (((ts / (60 * MINUTE) + 3) % 24) + 24) % 24;
  const daily = Math.sin(((hourOfDay - 8) / 24) * 2 * Math.PI);
  if (kind === 'cpu') {
    const pct = 5 + base * 45 + daily * 12 + noise * 10;
    return Math.round(Math.min(100, Math.max(0, pct)) * 100) / 100;
  }
  const share = 0.3 + base * 0.4 + daily * 0.05 + noise * 0.04;
  return Math.round(vps.memoryMb * Math.min(0.98, Math.max(0.05, share)));
}

export function statisticSeries(
  seed: number,
  vps: FakeVps,
  kind: StatisticKind,
  period: StatisticPeriod,
  now: Date
): { date: string[]; value: number[] } {
  const { lengthMs, stepMs } = PERIODS[period];
  const last = Math.floor(now.getTime() / stepMs) * stepMs;
  const date: string[] = [];
  const value: number[] = [];
  for (let ts = last - lengthMs + stepMs; ts <= last; ts += stepMs) {
    date.push(moscowTimestamp(ts));
    value.push(statisticValue(seed, vps, kind, ts));
  }
  return { date, value };
}
