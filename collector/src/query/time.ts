/** Time range and bucket choices for the query API. */
import type { Granularity } from '../contract/query.js';

export const REPORT_TIME_ZONE = 'Europe/Moscow';
export type Bucket = Exclude<Granularity, 'auto'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function parseTime(value: string | number): Date | undefined {
  const date = typeof value === 'number' || /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * `auto` follows the panel: the finest bucket that keeps the points within the panel's budget and is not
 * finer than its interval. Costs are at best hourly, so nothing finer than an hour is offered.
 */
export function resolveGranularity(
  granularity: Granularity | undefined,
  from: Date,
  to: Date,
  intervalMs?: number,
  maxDataPoints?: number
): Bucket {
  if (granularity && granularity !== 'auto') return granularity;
  const span = to.getTime() - from.getTime();
  const budget = Math.max(maxDataPoints ?? 500, 10);
  const wanted = Math.max(intervalMs ?? 0, span / budget);
  if (wanted <= HOUR && span <= 14 * DAY) return 'hour';
  if (wanted <= DAY && span <= 400 * DAY) return 'day';
  if (wanted <= 7 * DAY) return 'week';
  return 'month';
}

/** SQL for the start of a bucket of `column` (a timestamptz), in the reporting time zone. */
export function bucketSql(bucket: Bucket, column: string): string {
  if (bucket === 'total') return 'NULL::timestamptz';
  const unit = bucket === 'hour' ? 'hour' : bucket;
  return `(date_trunc('${unit}', ${column} AT TIME ZONE '${REPORT_TIME_ZONE}') AT TIME ZONE '${REPORT_TIME_ZONE}')`;
}
