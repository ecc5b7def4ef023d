/**
 * Beget lives on Moscow time: its daily prices are per Moscow calendar day, and naive timestamps in its
 * responses are Moscow wall-clock. Moscow has been UTC+3 all year since 2014 (no DST), so a fixed offset
 * is exact and avoids depending on the host's tz database.
 */
export const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC instant of Moscow midnight starting the Moscow day that contains `at`. */
export function moscowDayStart(at: Date): Date {
  const shifted = at.getTime() + MOSCOW_OFFSET_MS;
  return new Date(shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - MOSCOW_OFFSET_MS);
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * A Beget timestamp as a Date: RFC 3339 with a zone, a naive "YYYY-MM-DD[ HH:mm[:ss]]" (read as Moscow
 * time), or unix seconds/milliseconds. Placeholders such as "0000-00-00" and unparsable values give
 * undefined rather than an Invalid Date that would poison comparisons.
 */
export function parseBegetDate(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return new Date(value < 1e12 ? value * 1000 : value);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return parseBegetDate(Number(text));
  const naive = NAIVE.exec(text);
  if (naive) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = naive;
    if (Number(y) === 0) return undefined;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    return Number.isNaN(utc) ? undefined : new Date(utc - MOSCOW_OFFSET_MS);
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
