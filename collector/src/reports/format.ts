/**
 * Numbers, money and dates as people read them, through Intl. Russian money is `1 234 567,89 ₽`: ICU
 * separates groups and the sign with a no-break space, and some ICU versions use the narrow one (U+202F)
 * instead; both are normalized to U+00A0 so every file, caption and test sees the same characters
 * (and the PDF font has the glyph).
 */
import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import type { Language } from './definition.js';

export const NBSP = '\u00a0';
const SPACES = /[\u202f\u2009\u00a0]/g;

const locales: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locales[language], options);
    cache.set(key, format);
  }
  return format;
}

const normalize = (text: string) => text.replace(SPACES, NBSP);

/**
 * Money with its currency sign, exact: the decimal goes to Intl as a string (Intl.NumberFormat v3
 * formats decimal strings without a trip through binary floating point).
 */
export function formatMoney(value: Decimal | number | string, currency: string, language: Language): string {
  const text = typeof value === 'string' ? value : new Decimal(value).toFixed(2);
  const format = numberFormat(language, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return normalize(format.format(text as unknown as number));
}

/** Compact money for chart axes: `1,2 млн ₽`. */
export function formatMoneyShort(value: number, currency: string, language: Language): string {
  return normalize(
    numberFormat(language, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(value)
  );
}

export function formatNumber(value: number, language: Language, fractionDigits = 0): string {
  return normalize(
    numberFormat(language, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(
      value
    )
  );
}

/** A percentage given in percent (12.5 → `12,5 %` in Russian, `12.5%` in English); signed on request. */
export function formatPercent(value: number, language: Language, signed = false): string {
  return normalize(
    numberFormat(language, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      ...(signed ? { signDisplay: 'exceptZero' } : {}),
    }).format(value / 100)
  );
}

export function formatDate(date: Date, language: Language, timezone: string): string {
  return new Intl.DateTimeFormat(locales[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: timezone,
  }).format(date);
}

export function formatShortDate(date: Date, language: Language, timezone: string): string {
  return new Intl.DateTimeFormat(locales[language], {
    day: '2-digit',
    month: '2-digit',
    timeZone: timezone,
  }).format(date);
}

export function formatDateTime(date: Date, language: Language, timezone: string): string {
  return normalize(
    new Intl.DateTimeFormat(locales[language], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: timezone,
      timeZoneName: 'short',
    }).format(date)
  );
}

/** `1 – 31 октября 2026` (Intl's own range format). */
export function formatRange(from: Date, lastDay: Date, language: Language, timezone: string): string {
  return normalize(
    new Intl.DateTimeFormat(locales[language], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: timezone,
    }).formatRange(from, lastDay)
  );
}

/** ISO 4217 code → the sign used in spreadsheets' number formats (₽, $, €; else the code). */
export function currencySymbol(currency: string, language: Language): string {
  const part = numberFormat(language, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
    .formatToParts(0)
    .find((p) => p.type === 'currency');
  return part?.value ?? currency;
}

/** `#,##0.00 "₽"`: Excel shows the viewer's separators (1 234,56 ₽ in a Russian Excel). */
export function moneyFormat(currency: string, language: Language): string {
  return `#,##0.00 "${currencySymbol(currency, language).replace(/"/g, '')}"`;
}

/** Excel has no time zones: a moment is written as the wall-clock time in the report's zone. */
export function wallClock(date: Date, timezone: string): Date {
  const local = DateTime.fromJSDate(date).setZone(timezone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}
