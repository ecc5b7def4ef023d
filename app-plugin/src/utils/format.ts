import { currentLocale, t } from '../i18n';

/**
 * Display formatting in the user's language. Amounts arrive as decimal strings; converting one to a
 * number for display is safe (two decimals shown), sums are done with decimal.js (money.ts).
 */

export function formatMoney(value: string | number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) {
    return String(value);
  }
  if (!currency) {
    return formatNumber(amount, 2);
  }
  try {
    return new Intl.NumberFormat(currentLocale(), {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    // An unknown ISO code (a FOCUS file's currency Intl does not know) still shows the amount.
    return `${formatNumber(amount, 2)} ${currency}`;
  }
}

export function formatNumber(value: number | null | undefined, maximumFractionDigits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits }).format(value);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  return `${formatNumber(value, digits)} %`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(date);
}

/** "5 min", "3 h", "2 days" — how long something took or how far away it is. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    return '—';
  }
  const abs = Math.abs(ms);
  if (abs < 60_000) {
    return t('duration.seconds', { n: Math.max(0, Math.round(abs / 1000)) });
  }
  if (abs < 3_600_000) {
    return t('duration.minutes', { n: Math.round(abs / 60_000) });
  }
  if (abs < 48 * 3_600_000) {
    return t('duration.hours', { n: Math.round(abs / 3_600_000) });
  }
  return t('duration.days', { n: Math.round(abs / 86_400_000) });
}

/** "5 min ago" / "in 3 h" relative to `now`. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) {
    return '—';
  }
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) {
    return iso;
  }
  const span = formatDuration(time - now);
  return time <= now ? t('time.ago', { span }) : t('time.in', { span });
}
