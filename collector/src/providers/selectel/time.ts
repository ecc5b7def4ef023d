/**
 * Time as Selectel's billing API speaks it: naive Moscow wall-clock strings (`2025-10-10T01:00:00`, no
 * offset). Moscow has been UTC+3 all year since 2014, so the conversion is a fixed offset, not a tz
 * database lookup. Pure functions, unit-tested.
 */
export const HOUR_MS = 3_600_000;
const MOSCOW_OFFSET_MS = 3 * HOUR_MS;

/** `YYYY-MM-DDTHH:mm:ss` in Moscow wall-clock time, the format `start`/`end` must be sent in. */
export function toMoscowNaive(date: Date): string {
  return new Date(date.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 19);
}

const PERIOD = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A billing `period` as a UTC instant. Naive strings are Moscow time (subtract 3 h); a string that does
 * carry an offset or `Z` is taken at its word, in case the API ever starts sending one.
 */
export function parseMoscowNaive(value: string): Date | undefined {
  const m = PERIOD.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(wall)) return undefined;
  let offsetMs = MOSCOW_OFFSET_MS;
  if (zone === 'Z') offsetMs = 0;
  else if (zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return new Date(wall - offsetMs);
}

export function floorHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

export function ceilHour(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / HOUR_MS) * HOUR_MS);
}

export function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * HOUR_MS);
}
