/**
 * Time as Cloud.ru consumption speaks it. `usedate` is a calendar date (`2025-10-10`) in the observed
 * answers: a Moscow day, since Cloud.ru bills by Moscow days (UTC+3 all year since 2014, so a fixed
 * offset is exact). A timestamp is accepted too; what it means is read from the data: when a chunk of
 * consumption carries any time other than midnight the lines are hourly, otherwise midnight stamps
 * are days. Pure functions, unit-tested.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const MOSCOW_OFFSET_MS = 3 * HOUR_MS;

/** The UTC instant of Moscow midnight starting the Moscow day that contains `at`. */
export function moscowDayStart(at: Date): Date {
  const shifted = at.getTime() + MOSCOW_OFFSET_MS;
  return new Date(Math.floor(shifted / DAY_MS) * DAY_MS - MOSCOW_OFFSET_MS);
}

/** `YYYY-MM-DD` of the Moscow day that contains `at`. */
export function moscowDate(at: Date): string {
  return new Date(at.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * How a window bound is sent: Moscow midnight in RFC 3339 with its offset (live clients send RFC 3339
 * timestamps). An API comparing timestamps gets the exact Moscow day; one comparing dates reads the
 * date the string starts with. Lines are kept by their own period, so an API reading `end_date`
 * inclusively just returns a day that is dropped.
 */
export function requestDate(at: Date): string {
  return `${moscowDate(at)}T00:00:00+03:00`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const STAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A parsed `usedate`: its Moscow day, and the instant and wall-clock time when it carries one. */
export interface UseDate {
  /** Moscow midnight (UTC instant) of the date the value names. */
  day: Date;
  /** The instant, when the value is a timestamp. */
  at?: Date;
  /** True for a timestamp whose wall-clock time (in its own zone) is not midnight. */
  timeOfDay: boolean;
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined) return MOSCOW_OFFSET_MS; // naive times are Moscow wall-clock
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

export function parseUseDate(value: unknown): UseDate | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const date = DATE.exec(text);
  const stamp = date ? undefined : STAMP.exec(text);
  const m = date ?? stamp;
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const dayUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  if (Number.isNaN(dayUtc) || new Date(dayUtc).getUTCDate() !== Number(d)) return undefined;
  const day = new Date(dayUtc - MOSCOW_OFFSET_MS);
  if (!stamp) return { day, timeOfDay: false };
  const [, , , , h, mi, s = '0', zone] = stamp;
  const wallMs = ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000;
  if (wallMs >= DAY_MS) return undefined;
  return { day, at: new Date(dayUtc + wallMs - offsetMs(zone)), timeOfDay: wallMs !== 0 };
}

/** The charge period of a usedate, once the chunk's granularity is known. */
export function periodOf(use: UseDate, hourly: boolean): { start: Date; end: Date } {
  if (hourly && use.at) {
    const start = new Date(Math.floor(use.at.getTime() / HOUR_MS) * HOUR_MS);
    return { start, end: new Date(start.getTime() + HOUR_MS) };
  }
  return { start: use.day, end: new Date(use.day.getTime() + DAY_MS) };
}
