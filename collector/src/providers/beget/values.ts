/**
 * Coercion of loosely typed Beget values. The legacy API sends numbers as JSON numbers on one call and
 * as strings on the next (PROVIDERS.md), booleans as 0/1/"0"/"1", and the v1 API sends dates in more than
 * one shape; everything the mapper reads goes through these helpers so a shape change degrades to
 * "unknown" instead of NaN or a thrown TypeError in the middle of a sync.
 */
import { Decimal } from 'decimal.js';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty trimmed string, or undefined (numbers are stringified: ids arrive as both). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number from a number or a numeric string ("12", " 3.5 "); anything else is undefined. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** An integer count (limits, days to block); fractional strings are truncated, not rejected. */
export function int(value: unknown): number | undefined {
  const n = num(value);
  return n === undefined ? undefined : Math.trunc(n);
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false' || value === '') return false;
  return undefined;
}

/**
 * Money as a Decimal. JSON numbers go through their shortest string form (9.73 stays "9.73"), so no
 * binary-float artefact reaches the arithmetic; strings are parsed exactly. Decimal commas are accepted
 * because Russian-locale values occasionally carry them.
 */
export function money(value: unknown): Decimal | undefined {
  let text: string | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'string') text = value.trim().replace(',', '.');
  if (!text || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return undefined;
  return new Decimal(text);
}

/** Decimal → the decimal string the connector contract carries (no exponent, no trailing zeros). */
export function decimalString(value: Decimal): string {
  return value.toFixed();
}

/** A money field as a decimal string, or undefined when absent or not a number. */
export function moneyString(value: unknown): string | undefined {
  const m = money(value);
  return m === undefined ? undefined : decimalString(m);
}
