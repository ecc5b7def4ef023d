/**
 * The daily cost baseline (reference §6.2): every resource gets a daily figure comparable across
 * providers, kept with the amount and period it came from. Monthly ÷ 30, yearly ÷ 365, hourly × 24.
 */
import { Decimal } from 'decimal.js';
import type { CostPeriod, StatedPrice } from '../providers/types.js';

export interface CostBaseline {
  daily: string;
  monthly: string;
  original: string;
  period: CostPeriod;
  currency: string;
  source: 'billing' | 'price' | 'list';
}

const DAILY_FACTOR: Record<CostPeriod, Decimal> = {
  hourly: new Decimal(24),
  daily: new Decimal(1),
  monthly: new Decimal(1).div(30),
  yearly: new Decimal(1).div(365),
};

/** Money figures are kept to 6 decimals: enough for per-hour kopeck fractions, stable across runs. */
export const money = (value: Decimal.Value): string => new Decimal(value).toDecimalPlaces(6).toFixed();

export function toDaily(amount: Decimal.Value, period: CostPeriod): Decimal {
  return new Decimal(amount).mul(DAILY_FACTOR[period]);
}

export function baselineFrom(
  amount: Decimal.Value,
  period: CostPeriod,
  currency: string,
  source: CostBaseline['source']
): CostBaseline {
  const daily = toDaily(amount, period);
  return {
    daily: money(daily),
    monthly: money(daily.mul(30)),
    original: money(amount),
    period,
    currency,
    source,
  };
}

export function baselineFromPrice(price: StatedPrice, source: 'price' | 'list'): CostBaseline {
  return baselineFrom(price.amount, price.period, price.currency, source);
}

/**
 * Billed cost over the current window: hourly lines give an average hour (a resource created mid-day is
 * not under-reported), daily lines give the day.
 */
export function baselineFromBilling(
  total: string,
  periods: number,
  periodHours: number,
  currency: string
): CostBaseline {
  if (periodHours <= 1)
    return baselineFrom(new Decimal(total).div(Math.max(periods, 1)), 'hourly', currency, 'billing');
  return baselineFrom(new Decimal(total).div(Math.max(periods, 1)), 'daily', currency, 'billing');
}

/** Adds two baselines in the same currency (a VM and its volumes). */
export function addDaily(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return money(new Decimal(a).plus(b));
}
