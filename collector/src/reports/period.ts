/**
 * The time range a report covers and the range it is compared with, in the report's time zone. Ranges
 * are half-open [from, to). "Last N days" are the N whole days before today; the comparison period is
 * the same span just before (for month to date: the same number of days and hours of last month, as in
 * the query API's cost_summary).
 */
import { DateTime } from 'luxon';
import type { PeriodSpec } from './definition.js';

export interface ReportPeriod {
  kind: PeriodSpec['kind'];
  from: Date;
  to: Date;
  previousFrom: Date;
  previousTo: Date;
  timezone: string;
  /** Last day included (for titles): to − 1 ms, in the time zone. */
  lastDay: Date;
}

export function isValidTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

export function resolvePeriod(spec: PeriodSpec, now: Date, timezone: string): ReportPeriod {
  const local = DateTime.fromJSDate(now).setZone(timezone);
  if (!local.isValid) throw new RangeError(`unknown time zone ${timezone}`);
  const today = local.startOf('day');
  let from: DateTime;
  let to: DateTime;
  let previousFrom: DateTime;
  let previousTo: DateTime;
  switch (spec.kind) {
    case 'previous_month': {
      to = local.startOf('month');
      from = to.minus({ months: 1 });
      previousFrom = from.minus({ months: 1 });
      previousTo = from;
      break;
    }
    case 'month_to_date': {
      from = local.startOf('month');
      to = local;
      previousFrom = from.minus({ months: 1 });
      // The same share of last month, capped at its end (March 31 compares with February 28).
      const same = previousFrom.plus(to.diff(from));
      previousTo = same < from ? same : from;
      break;
    }
    case 'last_7_days':
    case 'last_30_days': {
      const days = spec.kind === 'last_7_days' ? 7 : 30;
      to = today;
      from = today.minus({ days });
      previousTo = from;
      previousFrom = from.minus({ days });
      break;
    }
    case 'custom': {
      from = DateTime.fromISO(spec.from!, { zone: timezone }).startOf('day');
      to = DateTime.fromISO(spec.to!, { zone: timezone }).plus({ days: 1 }).startOf('day');
      const days = Math.round(to.diff(from, 'days').days);
      previousTo = from;
      previousFrom = from.minus({ days });
      break;
    }
  }
  return {
    kind: spec.kind,
    from: from.toJSDate(),
    to: to.toJSDate(),
    previousFrom: previousFrom.toJSDate(),
    previousTo: previousTo.toJSDate(),
    timezone,
    lastDay: to.minus({ milliseconds: 1 }).toJSDate(),
  };
}

/** Days covered (fractional for month to date), for the daily average. */
export function periodDays(period: ReportPeriod): number {
  return (period.to.getTime() - period.from.getTime()) / 86_400_000;
}
