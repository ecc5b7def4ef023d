/**
 * Daily cost forecast: additive Holt-Winters (level + trend + weekly season, period 7) with smoothing
 * parameters chosen by a small grid search on the one-step-ahead squared error, and prediction intervals
 * from the one-step residual spread widened with the horizon (the ETS(A,A,A) variance formula).
 *
 * The model works in floating point — it is statistics, not bookkeeping; sums of money stay in numeric
 * and Decimal elsewhere. Forecast values leave here as Decimals rounded to the kopeck.
 *
 * Short histories fall back: fewer than 14 days gives a linear trend (7–13 days) or the mean (< 7 days),
 * since two full weeks are the least from which a weekly pattern can be told apart from noise.
 */
import { Decimal } from 'decimal.js';

export interface DailyAmount {
  /** Calendar day, YYYY-MM-DD. */
  day: string;
  amount: Decimal;
}

export interface DailyForecast {
  day: string;
  value: Decimal;
  /** Bounds of the 95 % prediction interval. */
  lower: Decimal;
  upper: Decimal;
}

export type ForecastMethod = 'holt_winters' | 'linear_trend' | 'mean' | 'none';

export interface ForecastFit {
  method: ForecastMethod;
  /** Smoothing parameters (Holt-Winters only). */
  alpha?: number;
  beta?: number;
  gamma?: number;
  /** Standard deviation of the one-step-ahead errors (or of the regression residuals). */
  sigma: number;
  /** Days of history the model saw (gaps filled with zero), the last of them. */
  historyDays: number;
  lastDay: string;
  /**
   * Holt-Winters: c_j for j = 1 … horizon−1, the weight of the error j steps back in an h-step forecast
   * error (c_0 = 1). Used for exact intervals of sums over several days.
   */
  weights?: number[];
  points: DailyForecast[];
}

export const SEASON = 7;
export const MIN_SEASONAL_DAYS = 2 * SEASON;
const Z95 = 1.959964;
const DAY_MS = 86_400_000;

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];
const BETAS = [0, 0.01, 0.03, 0.05, 0.1, 0.2];
const GAMMAS = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5];

export function forecastDaily(history: DailyAmount[], horizonDays: number): DailyForecast[] {
  return fitForecast(history, horizonDays).points;
}

/** The forecast with the model that produced it, for evidence ("how was this computed"). */
export function fitForecast(history: DailyAmount[], horizonDays: number): ForecastFit {
  const series = denseSeries(history);
  const horizon = Math.max(0, Math.floor(horizonDays));
  if (series.values.length === 0 || horizon === 0) {
    return { method: 'none', sigma: 0, historyDays: series.values.length, lastDay: series.lastDay, points: [] };
  }
  const y = series.values;
  // Costs that never went negative are not forecast to go negative either (credits can make them so).
  const floor = y.every((v) => v >= 0) ? 0 : -Infinity;
  const days = (h: number) => addDays(series.lastDay, h);
  const point = (h: number, value: number, halfWidth: number): DailyForecast => ({
    day: days(h),
    value: money(Math.max(floor, value)),
    lower: money(Math.max(floor, value - halfWidth)),
    upper: money(Math.max(floor, value + halfWidth)),
  });

  if (y.length >= MIN_SEASONAL_DAYS) {
    const fit = fitHoltWinters(y);
    // Var(e_h) = σ² (1 + Σ_{j<h} c_j²), c_j = α(1 + jβ) + γ(1−α)·[j ≡ 0 mod m]
    const weights = Array.from(
      { length: horizon - 1 },
      (_, i) => fit.alpha * (1 + (i + 1) * fit.beta) + ((i + 1) % SEASON === 0 ? fit.gamma * (1 - fit.alpha) : 0)
    );
    const points: DailyForecast[] = [];
    let varianceFactor = 1;
    for (let h = 1; h <= horizon; h++) {
      if (h > 1) varianceFactor += weights[h - 2]! ** 2;
      const value = fit.level + h * fit.trend + fit.season[(y.length + h - 1) % SEASON]!;
      points.push(point(h, value, Z95 * fit.sigma * Math.sqrt(varianceFactor)));
    }
    const { alpha, beta, gamma, sigma } = fit;
    const lastDay = series.lastDay;
    return { method: 'holt_winters', alpha, beta, gamma, sigma, historyDays: y.length, lastDay, weights, points };
  }

  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  if (n < SEASON) {
    const sigma = n > 1 ? Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : Math.abs(mean) / 2;
    const half = Z95 * sigma * Math.sqrt(1 + 1 / n);
    const points = Array.from({ length: horizon }, (_, i) => point(i + 1, mean, half));
    return { method: 'mean', sigma, historyDays: n, lastDay: series.lastDay, points };
  }
  // Least-squares line over x = 0..n-1; the interval widens with the distance from the data's centre.
  const xMean = (n - 1) / 2;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (i - xMean) ** 2;
    sxy += (i - xMean) * (y[i]! - mean);
  }
  const slope = sxy / sxx;
  const residual = y.reduce((a, v, i) => a + (v - (mean + slope * (i - xMean))) ** 2, 0);
  const sigma = Math.sqrt(residual / (n - 2));
  const points = Array.from({ length: horizon }, (_, i) => {
    const x = n - 1 + i + 1;
    const half = Z95 * sigma * Math.sqrt(1 + 1 / n + (x - xMean) ** 2 / sxx);
    return point(i + 1, mean + slope * (x - xMean), half);
  });
  return { method: 'linear_trend', sigma, historyDays: n, lastDay: series.lastDay, points };
}

export interface ForecastTotal {
  value: Decimal;
  lower: Decimal;
  upper: Decimal;
  days: number;
}

/**
 * The forecast summed over the days fromDay … toDay (inclusive, both after the history), with a 95 %
 * interval for the sum. Day errors are correlated (they share the model's state), so the interval is
 * not the sum of the daily ones: for Holt-Winters the sum's error is Σ_k ε_{n+k}·(Σ_{h ≥ k in range}
 * c_{h−k}); for the mean and the line, the residual variance per day plus the fitted values' variance.
 */
export function forecastSum(fit: ForecastFit, fromDay: string, toDay: string): ForecastTotal {
  const zero = { value: new Decimal(0), lower: new Decimal(0), upper: new Decimal(0), days: 0 };
  if (fit.method === 'none') return zero;
  const start = Math.max(1, dayNumber(fromDay) - dayNumber(fit.lastDay));
  const end = Math.min(fit.points.length, dayNumber(toDay) - dayNumber(fit.lastDay));
  if (end < start) return zero;
  const value = fit.points.slice(start - 1, end).reduce((a, p) => a.plus(p.value), new Decimal(0));
  const n = fit.historyDays;
  const days = end - start + 1;
  let variance: number;
  if (fit.method === 'holt_winters') {
    const c = (j: number) => (j === 0 ? 1 : fit.weights![j - 1]!);
    variance = 0;
    for (let k = 1; k <= end; k++) {
      let coefficient = 0;
      for (let h = Math.max(k, start); h <= end; h++) coefficient += c(h - k);
      variance += coefficient ** 2;
    }
  } else if (fit.method === 'mean') {
    variance = days + days ** 2 / n;
  } else {
    const xMean = (n - 1) / 2;
    const sxx = (n * (n * n - 1)) / 12;
    let offsets = 0;
    for (let h = start; h <= end; h++) offsets += n - 1 + h - xMean;
    variance = days + days ** 2 / n + offsets ** 2 / sxx;
  }
  const half = new Decimal((Z95 * fit.sigma * Math.sqrt(variance)).toFixed(2));
  const floor = fit.points.every((p) => p.value.gte(0)) ? new Decimal(0) : null;
  const lower = value.minus(half);
  return { value, lower: floor && lower.lt(floor) ? floor : lower, upper: value.plus(half), days };
}

interface HoltWintersFit {
  alpha: number;
  beta: number;
  gamma: number;
  level: number;
  trend: number;
  /** Seasonal components indexed by position in the series modulo 7 (not by weekday). */
  season: number[];
  sigma: number;
}

/**
 * Classical initialisation from the first two weeks: level = first week's mean, trend = the weekly
 * means' difference per day, season = the first weeks' average deviation from their week's mean.
 */
function initialState(y: number[]) {
  const weeks = Math.min(Math.floor(y.length / SEASON), 4);
  const weekMeans = Array.from({ length: weeks }, (_, w) => avg(y.slice(w * SEASON, (w + 1) * SEASON)));
  const trend = (weekMeans[weeks - 1]! - weekMeans[0]!) / ((weeks - 1) * SEASON);
  const season = Array.from({ length: SEASON }, (_, i) => {
    let sum = 0;
    for (let w = 0; w < weeks; w++) sum += y[w * SEASON + i]! - (weekMeans[w]! + (i - (SEASON - 1) / 2) * trend);
    return sum / weeks;
  });
  // Level at the end of the first week's centre-aligned line, so step SEASON continues it.
  const level = weekMeans[0]! + ((SEASON - 1) / 2) * trend;
  return { level, trend, season };
}

function runHoltWinters(y: number[], alpha: number, beta: number, gamma: number) {
  const init = initialState(y);
  let level = init.level;
  let trend = init.trend;
  const season = [...init.season];
  let sse = 0;
  let count = 0;
  // The first week only initialises the state; errors are counted from the second week on.
  for (let t = SEASON; t < y.length; t++) {
    const s = season[t % SEASON]!;
    const predicted = level + trend + s;
    const error = y[t]! - predicted;
    sse += error * error;
    count++;
    const previousLevel = level;
    level = alpha * (y[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
    season[t % SEASON] = gamma * (y[t]! - level) + (1 - gamma) * s;
  }
  return { level, trend, season, sse, count };
}

function fitHoltWinters(y: number[]): HoltWintersFit {
  let best: (HoltWintersFit & { sse: number }) | undefined;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      for (const gamma of GAMMAS) {
        const run = runHoltWinters(y, alpha, beta, gamma);
        if (best && run.sse >= best.sse) continue;
        best = {
          alpha,
          beta,
          gamma,
          level: run.level,
          trend: run.trend,
          season: run.season,
          sse: run.sse,
          sigma: Math.sqrt(run.sse / Math.max(1, run.count - 3)),
        };
      }
    }
  }
  return best!;
}

/** Sorted, one value per day from the first to the last day given; missing days cost nothing. */
function denseSeries(history: DailyAmount[]): { values: number[]; lastDay: string } {
  if (history.length === 0) return { values: [], lastDay: '' };
  const byDay = new Map<number, Decimal>();
  for (const h of history) {
    const t = dayNumber(h.day);
    byDay.set(t, (byDay.get(t) ?? new Decimal(0)).plus(h.amount));
  }
  const keys = [...byDay.keys()].sort((a, b) => a - b);
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  const values: number[] = [];
  for (let d = first; d <= last; d++) values.push(byDay.get(d)?.toNumber() ?? 0);
  return { values, lastDay: new Date(last * DAY_MS).toISOString().slice(0, 10) };
}

function dayNumber(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const money = (value: number) => new Decimal(value.toFixed(2));
