/**
 * Hourly consumption, generated on demand. Every (meter, hour) amount is a pure function of the meter's
 * seed and the hour — a small noise around the meter's base, ×5 on the spike day, then any restatements
 * — kept as an integer number of hundredths of a kopeck, so what the API serves and what the truth sums
 * agree exactly. A request builds only the hours it asks for, as JSON text (no per-row objects), which
 * keeps a 20k-rows-per-hour account answering a one-hour request in milliseconds.
 *
 * Time is converted here independently of the connector (naive Moscow wall-clock = UTC+3), so a bug in
 * the connector's conversion shows up as a failed test instead of being mirrored.
 */
import { Decimal } from 'decimal.js';
import { HOUR_MS, ValueStyle, type Meter } from './meters.js';
import type { SelectelAccount } from './model.js';

export interface Restatement {
  fromHour: number;
  toHour: number;
  factor: number;
}

const MOSCOW_OFFSET_MS = 3 * HOUR_MS;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** `2025-10-10T01:00:00` (Moscow wall clock) → epoch ms; undefined when not in that exact shape. */
export function parseMoscow(value: string | undefined): number | undefined {
  const m = value === undefined ? null : NAIVE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms - MOSCOW_OFFSET_MS;
}

export function moscowPeriod(hour: number): string {
  return new Date(hour * HOUR_MS + MOSCOW_OFFSET_MS).toISOString().slice(0, 19);
}

/** A 32-bit integer mix (splitmix-style): cheap, and every (meter, hour) gets an independent draw. */
function mix(a: number): number {
  a = Math.imul(a ^ (a >>> 16), 0x7feb352d);
  a = Math.imul(a ^ (a >>> 15), 0x846ca68b);
  return (a ^ (a >>> 16)) >>> 0;
}

/** Hundredths of a kopeck as a decimal number of kopecks: 12345 → "123.45", 12300 → "123". */
export function kopecksText(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  const digits = String(frac).padStart(2, '0').replace(/0$/, '');
  return `${sign}${whole}.${digits}`;
}

export class Consumption {
  private readonly restatements: Restatement[] = [];

  constructor(
    private readonly account: SelectelAccount,
    private readonly now: () => Date
  ) {}

  /** Hours up to the last complete one before now are billed; the current hour is still being metered. */
  lastBilledHourExclusive(): number {
    return Math.floor(this.now().getTime() / HOUR_MS);
  }

  restate(r: Restatement): void {
    this.restatements.push(r);
  }

  /** The amount of one meter for one hour, hundredths of a kopeck (0 when the meter is not billed then). */
  amount(m: Meter, hour: number): number {
    if (hour < m.fromHour || hour >= m.toHour) return 0;
    const noise = mix(m.seed ^ Math.imul(hour, 0x9e3779b1)) / 4294967296;
    let n = Math.round(m.base * (0.96 + 0.08 * noise));
    if (m.style === ValueStyle.Integer) n = Math.round(n / 100) * 100;
    if (hour >= m.spikeFrom && hour < m.spikeTo) n *= m.spikeFactor;
    for (const r of this.restatements) if (hour >= r.fromHour && hour < r.toHour) n = Math.round(n * r.factor);
    return n;
  }

  /** How many rows [fromHour, toHour) would produce (to refuse absurd ranges before building them). */
  estimateRows(fromHour: number, toHour: number, keys: ReadonlySet<string>): number {
    const hours = Math.max(0, Math.min(toHour, this.lastBilledHourExclusive()) - fromHour);
    let perHour = 0;
    for (const m of this.account.meters)
      if (keys.has(m.providerKey) && m.toHour > fromHour && m.fromHour < toHour) perHour++;
    return perHour * hours;
  }

  /** Rows (one per billed meter and hour) that hours [fromHour, toHour) hold, up to now: what a full read returns. */
  rowCount(fromHour: number, toHour: number, keys?: ReadonlySet<string>): number {
    const end = Math.min(toHour, this.lastBilledHourExclusive());
    let rows = 0;
    for (const m of this.account.meters) {
      if (keys && !keys.has(m.providerKey)) continue;
      rows += Math.max(0, Math.min(end, m.toHour) - Math.max(fromHour, m.fromHour));
    }
    return rows;
  }

  /** The response body for hours [fromHour, toHour), as the API writes it. */
  render(fromHour: number, toHour: number, keys: ReadonlySet<string>): string {
    const parts: string[] = [];
    const meters = this.account.meters.filter(
      (m) => keys.has(m.providerKey) && m.toHour > fromHour && m.fromHour < toHour
    );
    const end = Math.min(toHour, this.lastBilledHourExclusive());
    for (let hour = fromHour; hour < end; hour++) {
      const period = moscowPeriod(hour);
      for (const m of meters) {
        if (hour < m.fromHour || hour >= m.toHour) continue;
        const text = kopecksText(this.amount(m, hour));
        const value = m.style === ValueStyle.String ? `"${text}"` : text;
        parts.push(`${m.head}${value},"period":"${period}${m.tail}`);
      }
    }
    return `{"status":"success","data":[${parts.join(',')}]}`;
  }

  /** Σ amounts per object over the hours whose start lies in [floor(start), end), up to now. */
  totals(window: { start: Date; end: Date }, keys?: ReadonlySet<string>): Map<string, number> {
    const fromHour = Math.floor(window.start.getTime() / HOUR_MS);
    const toHour = Math.min(Math.ceil(window.end.getTime() / HOUR_MS), this.lastBilledHourExclusive());
    const byObject = new Map<string, number>();
    for (const m of this.account.meters) {
      if (keys && !keys.has(m.providerKey)) continue;
      let sum = 0;
      for (let hour = Math.max(fromHour, m.fromHour); hour < Math.min(toHour, m.toHour); hour++)
        sum += this.amount(m, hour);
      if (sum !== 0 || (m.fromHour < toHour && m.toHour > fromHour))
        byObject.set(m.objectId, (byObject.get(m.objectId) ?? 0) + sum);
    }
    return byObject;
  }
}

/** Hundredths of a kopeck → roubles, exact decimal string. */
export function roublesOf(hundredths: number): string {
  return new Decimal(hundredths).div(10_000).toFixed();
}
