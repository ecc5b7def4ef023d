/**
 * Calendar periods and days in the reporting time zone (Europe/Moscow, like the daily rollup): budget
 * periods, request ranges as days, and instants given as bare dates.
 */
import { DateTime } from 'luxon';
import { ROLLUP_TIME_ZONE } from '../storage/rollups.js';
import { addDays } from './forecast.js';
import { reportingDay } from './history.js';
import type { BudgetPeriod } from '../contract/management.js';

// The period names are part of the REST contract the app plugin reads.
export { BUDGET_PERIODS, type BudgetPeriod } from '../contract/management.js';

const UNIT: Record<BudgetPeriod, 'month' | 'quarter' | 'year'> = {
  monthly: 'month',
  quarterly: 'quarter',
  yearly: 'year',
};

export interface CalendarPeriod {
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day (inclusive), YYYY-MM-DD. */
  end: string;
  days: number;
}

/** The calendar month, quarter or year containing `at`, in the reporting time zone. */
export function periodContaining(period: BudgetPeriod, at: Date): CalendarPeriod {
  const local = DateTime.fromJSDate(at, { zone: ROLLUP_TIME_ZONE });
  const start = local.startOf(UNIT[period]);
  const end = local.endOf(UNIT[period]);
  return {
    start: start.toISODate()!,
    end: end.toISODate()!,
    days: Math.round(end.startOf('day').diff(start, 'days').days) + 1,
  };
}

/** Whole days from `a` to `b` (YYYY-MM-DD; negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Reporting-time-zone days [fromDay, toDay) covering the instants [from, to). */
export function daysOf(from: Date, to: Date): { fromDay: string; toDay: string } {
  return { fromDay: reportingDay(from), toDay: addDays(reportingDay(new Date(to.getTime() - 1)), 1) };
}

/** The instant a reporting-time-zone day starts. */
export function dayStart(day: string): Date {
  return DateTime.fromISO(day, { zone: ROLLUP_TIME_ZONE }).toJSDate();
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An ISO 8601 time with an offset, or a bare date meaning its midnight in the reporting time zone (a
 * budget month or a metric day is a Moscow day, not a UTC one). Undefined when it is neither.
 */
export function parseInstant(text: string): Date | undefined {
  const parsed = DATE_ONLY.test(text)
    ? DateTime.fromISO(text, { zone: ROLLUP_TIME_ZONE })
    : DateTime.fromISO(text, { setZone: true });
  if (!parsed.isValid) return undefined;
  // A time without an offset would be read in the server's zone: refuse the ambiguity.
  if (!DATE_ONLY.test(text) && !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text)) return undefined;
  return parsed.toJSDate();
}

/** Start of the query bucket (day, week from Monday, month) a reporting day falls in; null for total. */
export function bucketOfDay(day: string, bucket: 'day' | 'week' | 'month' | 'total'): number | null {
  if (bucket === 'total') return null;
  return DateTime.fromISO(day, { zone: ROLLUP_TIME_ZONE }).startOf(bucket).toMillis();
}
