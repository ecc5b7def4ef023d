import { Decimal } from 'decimal.js';

/**
 * Sums decimal-string amounts exactly (never JS floats for money). Amounts in another currency than
 * `currency` are left out and counted, so the caller can say the total is partial instead of adding
 * roubles to dollars.
 */
export function sumMoney(
  items: Array<{ amount: string | null | undefined; currency: string | null | undefined }>,
  currency: string
): { total: string; skipped: number } {
  let total = new Decimal(0);
  let skipped = 0;
  for (const { amount, currency: itemCurrency } of items) {
    if (amount === null || amount === undefined || amount === '') {
      continue;
    }
    if (itemCurrency && itemCurrency !== currency) {
      skipped++;
      continue;
    }
    total = total.plus(new Decimal(amount));
  }
  return { total: total.toFixed(2), skipped };
}

/** The currency most items carry (the tenant's reporting currency in practice). */
export function dominantCurrency(currencies: Array<string | null | undefined>, fallback = 'RUB'): string {
  const counts = new Map<string, number>();
  for (const c of currencies) {
    if (c) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  let best = fallback;
  let bestCount = 0;
  for (const [c, n] of counts) {
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

/** True when `value` is a positive decimal amount with at most two decimals (budget amounts). */
export function isPositiveAmount(value: string): boolean {
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(value.trim())) {
    return false;
  }
  return new Decimal(value.trim()).greaterThan(0);
}
