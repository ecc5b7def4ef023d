/**
 * Parsers for FOCUS cell values. Each returns the value as PostgreSQL will store it, or throws
 * ValueError with a reason for people. Decimals stay strings from the file to the database (a JS number
 * would round 0.1 + 0.2); timestamps are normalized to UTC ISO text with microseconds kept.
 */

export class ValueError extends Error {}

/** FOCUS writes null as `NULL`; many exporters write an empty field. Both are null here. */
export function isNullValue(raw: string): boolean {
  if (raw.length === 0) return true;
  if (raw.length > 6) return false;
  const t = raw.trim();
  return t.length === 0 || t === 'NULL' || t === 'null' || t === 'Null';
}

const shown = (raw: string) => JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

/**
 * Integer, decimal or E notation (FOCUS NumericFormat), kept as text. The exponent is bounded to three
 * digits so every accepted value fits PostgreSQL's numeric; NaN, Infinity, commas and currency symbols
 * are refused.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

export function parseDecimal(raw: string): string {
  const t = raw.trim();
  if (t.length > 200 || !DECIMAL.test(t)) throw new ValueError(`not a decimal number: ${shown(raw)}`);
  return t.charCodeAt(0) === 43 /* + */ ? t.slice(1) : t;
}

export interface Timestamp {
  /** UTC, `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`. */
  readonly iso: string;
  /** Whole seconds since the epoch and the microseconds after them, for ordering without rounding. */
  readonly seconds: number;
  readonly micros: number;
}

/**
 * ISO 8601 dates and date-times: `T` or a space between date and time, seconds and fractions optional,
 * a zone of `Z`, `UTC`, `GMT` or a numeric offset, or none at all, which means UTC (the FOCUS rule for
 * every date/time column; some exporters just leave the `Z` off).
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseTimestamp(raw: string): Timestamp {
  const m = TIMESTAMP.exec(raw.trim());
  if (!m) throw new ValueError(`not an ISO 8601 date/time: ${shown(raw)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = ''] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    throw new ValueError(`date/time out of range: ${shown(raw)}`);
  }
  let offsetMinutes = 0;
  if (/^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
    if (oh > 14 || om > 59) throw new ValueError(`invalid UTC offset in ${shown(raw)}`);
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over into March: a changed day means the date does not exist.
  if (new Date(local).getUTCDate() !== day) throw new ValueError(`no such date: ${shown(raw)}`);
  const ms = local - offsetMinutes * 60_000;
  const iso = new Date(ms).toISOString();
  if (iso.length !== 24) throw new ValueError(`date/time out of range: ${shown(raw)}`);
  // PostgreSQL keeps microseconds; finer digits are cut rather than rounded into the next second.
  const micros = fraction.length ? Number(fraction.slice(0, 6).padEnd(6, '0')) : 0;
  return {
    iso: micros ? `${iso.slice(0, 19)}.${String(micros).padStart(6, '0')}Z` : `${iso.slice(0, 19)}Z`,
    seconds: ms / 1000,
    micros,
  };
}

/**
 * FOCUS files repeat the same few timestamps on every line (billing periods, the hour being charged), so
 * parsed values are remembered; the cache is dropped when it grows, which bounds its memory.
 */
const timestampCache = new Map<string, Timestamp>();
export function parseTimestampCached(raw: string): Timestamp {
  let parsed = timestampCache.get(raw);
  if (parsed === undefined) {
    parsed = parseTimestamp(raw);
    if (timestampCache.size >= 10_000) timestampCache.clear();
    timestampCache.set(raw, parsed);
  }
  return parsed;
}

export const compareTimestamps = (a: Timestamp, b: Timestamp): number => a.seconds - b.seconds || a.micros - b.micros;

/**
 * FOCUS KeyValueFormat: a JSON object of scalar values. Stored as the file's text (PostgreSQL's jsonb parses it again and
 * keeps large numbers exact, which JSON.parse would not). `\u0000` is refused: jsonb cannot hold it.
 */
export function parseJsonObject(raw: string): string {
  const t = raw.trim();
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    throw new ValueError(`not valid JSON: ${shown(raw)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(`must be a JSON object: ${shown(raw)}`);
  }
  // FOCUS KeyValueFormat: values are strings, numbers, booleans or null, never objects or arrays. Holding
  // to it also keeps arbitrarily deep nesting (which PostgreSQL's jsonb parser refuses) out.
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === 'object') throw new ValueError('values must be strings, numbers, booleans or null');
  }
  if (/\\u0000/i.test(t)) throw new ValueError('contains a \\u0000 escape, which PostgreSQL cannot store');
  return t;
}

export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];
const CATEGORY_BY_LOWER = new Map<string, ChargeCategory>(CHARGE_CATEGORIES.map((c) => [c.toLowerCase(), c]));

export function parseChargeCategory(raw: string): ChargeCategory {
  const found = CATEGORY_BY_LOWER.get(raw.trim().toLowerCase());
  if (!found) throw new ValueError(`must be one of ${CHARGE_CATEGORIES.join(', ')}, got ${shown(raw)}`);
  return found;
}

/** FOCUS: ChargeClass is null or "Correction" (a correction to a previously invoiced billing period). */
export function parseChargeClass(raw: string): 'Correction' {
  if (raw.trim().toLowerCase() !== 'correction') throw new ValueError(`must be Correction or null, got ${shown(raw)}`);
  return 'Correction';
}

export function parseCurrency(raw: string): string {
  const t = raw.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(t)) throw new ValueError(`not an ISO 4217 currency code: ${shown(raw)}`);
  return t;
}

/** PostgreSQL text cannot hold NUL characters. */
export function checkText(raw: string): string {
  if (raw.includes('\u0000')) throw new ValueError('contains a NUL character');
  return raw;
}
