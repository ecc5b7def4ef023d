/**
 * Cost anomalies: daily cost per connection and per service (within a connection) against a baseline
 * that respects the weekly pattern — the median and the median absolute deviation (MAD) of the same
 * weekday over the previous weeks. Robust by construction: one earlier spike does not move a median.
 *
 * Only increases are flagged (a drop is a saving, or a resource that went away). The spread has a floor
 * of a few percent of the expected cost, so a perfectly regular series (MAD 0) does not alarm on a
 * kopeck. Days marked false positive are left out of every later baseline. A scope needs 21 days of
 * history and three same-weekday days before it is judged at all.
 */
import { Decimal } from 'decimal.js';
import type { Database, Queryable } from '../storage/db.js';
import {
  anomalyFeedbackDays,
  deleteStaleAnomalies,
  upsertAnomalies,
  type AnomalyFigures,
  type AnomalyInput,
} from '../storage/repositories/anomalies.js';
import { dailyCosts } from '../storage/repositories/daily-costs.js';
import { addDays, type DailyAmount } from './forecast.js';
import { denseDays, reportingDay } from './history.js';

export interface AnomalyOptions {
  /** Weeks of same-weekday history in a baseline. */
  weeks: number;
  /** Days of history a series needs before any of its days is judged. */
  minHistoryDays: number;
  /** Same-weekday days a baseline needs. */
  minBaselinePoints: number;
  /** A day is anomalous above expected + threshold × σ. */
  threshold: number;
  /** σ is at least this share of the expected cost. */
  minRelativeSpread: number;
  /** …and at least this many units of the currency (tiny series stay quiet). */
  minAbsoluteSpread: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  weeks: 8,
  minHistoryDays: 21,
  minBaselinePoints: 3,
  threshold: 3.5,
  minRelativeSpread: 0.03,
  minAbsoluteSpread: 1,
};

/** 1.4826 × MAD estimates σ for normally distributed data. */
const MAD_SCALE = 1.4826;
/** Days judged on each run: restated billing can change the last days, so they are looked at again. */
export const EVALUATED_DAYS = 14;

export interface DayVerdict extends AnomalyFigures {
  anomalous: boolean;
  evidence: {
    method: 'weekday_median_mad';
    baseline: { day: string; amount: string }[];
    excludedDays: string[];
    median: string;
    mad: string;
    sigma: string;
    sigmaFloor: string;
    threshold: number;
  };
}

function median(values: Decimal[]): Decimal {
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
}

/**
 * Judges one day of a dense daily series (zeros for days without cost). Undefined when there is not
 * enough history to judge it.
 */
export function judgeDay(
  series: DailyAmount[],
  day: string,
  excluded: ReadonlySet<string>,
  options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS
): DayVerdict | undefined {
  const byDay = new Map(series.map((p) => [p.day, p.amount]));
  const actual = byDay.get(day);
  if (actual === undefined || series.length === 0) return undefined;
  const first = series[0]!.day;
  if (addDays(first, options.minHistoryDays) > day) return undefined;
  const baseline: { day: string; amount: Decimal }[] = [];
  const skipped: string[] = [];
  for (let w = 1; w <= options.weeks; w++) {
    const d = addDays(day, -7 * w);
    const amount = byDay.get(d);
    if (amount === undefined) continue;
    if (excluded.has(d)) skipped.push(d);
    else baseline.push({ day: d, amount });
  }
  if (baseline.length < options.minBaselinePoints) return undefined;
  const expected = median(baseline.map((b) => b.amount));
  const mad = median(baseline.map((b) => b.amount.minus(expected).abs()));
  const floor = Decimal.max(expected.abs().mul(options.minRelativeSpread), options.minAbsoluteSpread);
  const sigma = Decimal.max(mad.mul(MAD_SCALE), floor);
  const band = sigma.mul(options.threshold);
  const score = actual.minus(expected).div(sigma).toNumber();
  const round = (d: Decimal) => d.toDecimalPlaces(2);
  return {
    day,
    actual,
    expected: round(expected),
    lower: round(Decimal.max(expected.minus(band), 0)),
    upper: round(expected.plus(band)),
    score: Math.round(score * 100) / 100,
    impact: round(actual.minus(expected)),
    anomalous: score > options.threshold,
    evidence: {
      method: 'weekday_median_mad',
      baseline: baseline.map((b) => ({ day: b.day, amount: b.amount.toFixed() })),
      excludedDays: skipped,
      median: expected.toFixed(),
      mad: mad.toFixed(),
      sigma: sigma.toFixed(2),
      sigmaFloor: floor.toFixed(2),
      threshold: options.threshold,
    },
  };
}

/** Every judged day of a series among the last `days` days up to its last day. */
export function detectAnomalies(
  series: DailyAmount[],
  excluded: ReadonlySet<string>,
  days = EVALUATED_DAYS,
  options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS
): DayVerdict[] {
  if (series.length === 0) return [];
  const last = series[series.length - 1]!.day;
  const verdicts: DayVerdict[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const verdict = judgeDay(series, addDays(last, -i), excluded, options);
    if (verdict) verdicts.push(verdict);
  }
  return verdicts;
}

export interface AnomalyRunResult {
  scopes: number;
  judged: number;
  anomalies: number;
}

/**
 * Detects and stores anomalies for one tenant: connection and service series up to yesterday, the last
 * days judged again on every run (rows of days that are no longer anomalous go, unless someone gave
 * feedback on them).
 */
export async function runAnomalyDetection(
  db: Database,
  tenantId: string,
  now: Date,
  options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS
): Promise<AnomalyRunResult> {
  return db.withTenant(tenantId, (tx) => detectForTenant(tx, tenantId, now, options));
}

async function detectForTenant(
  tx: Queryable,
  tenantId: string,
  now: Date,
  options: AnomalyOptions
): Promise<AnomalyRunResult> {
  // One run per tenant at a time: two syncs finishing together would otherwise race on the same rows.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('infrazen.anomalies:' || $1))`, [tenantId]);
  const [tenant] = await tx.query<{ currency: string }>(`SELECT reporting_currency AS currency FROM tenants`);
  const currency = tenant?.currency ?? 'RUB';
  const today = reportingDay(now);
  const fromDay = addDays(today, -(options.weeks * 7 + EVALUATED_DAYS + 7));
  const excludedByScope = await anomalyFeedbackDays(tx, 'false_positive');
  const result: AnomalyRunResult = { scopes: 0, judged: 0, anomalies: 0 };
  const found: AnomalyInput[] = [];
  const judgedFrom = new Map<string, string>();
  for (const [scopeKind, groupBy] of [
    ['connection', 'connection'],
    ['service', 'connection_service'],
  ] as const) {
    const rows = await dailyCosts(tx, { groupBy, fromDay, toDay: today, currency });
    const byKey = new Map<string, { connectionId: string | null; points: DailyAmount[] }>();
    for (const row of rows) {
      const entry = byKey.get(row.key) ?? { connectionId: row.connectionId, points: [] };
      entry.points.push({ day: row.day, amount: row.amount });
      byKey.set(row.key, entry);
    }
    // A connection's series ends on its last billed day; its services end there too.
    const lastByConnection = new Map<string, string>();
    for (const row of rows) {
      const id = row.connectionId ?? '';
      if ((lastByConnection.get(id) ?? '') < row.day) lastByConnection.set(id, row.day);
    }
    for (const [key, { connectionId, points }] of byKey) {
      const series = denseDays(points, lastByConnection.get(connectionId ?? '') ?? points[points.length - 1]!.day);
      const verdicts = detectAnomalies(
        series,
        excludedByScope.get(`${scopeKind}:${key}`) ?? new Set(),
        EVALUATED_DAYS,
        options
      );
      result.scopes++;
      result.judged += verdicts.length;
      if (verdicts.length) judgedFrom.set(`${scopeKind}:${key}`, verdicts[0]!.day);
      for (const v of verdicts.filter((x) => x.anomalous)) {
        found.push({ tenantId, connectionId, scopeKind, scopeKey: key, currency, ...v });
      }
    }
  }
  await upsertAnomalies(tx, found);
  await deleteStaleAnomalies(tx, judgedFrom, found);
  result.anomalies = found.length;
  return result;
}
