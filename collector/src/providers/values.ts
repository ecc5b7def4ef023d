/**
 * Coercion of loosely typed provider JSON, shared by connectors. Billing APIs send amounts as JSON
 * numbers on one row and as strings on the next, OpenStack sends `bootable` as "true"/"false", and any
 * field may be null; mappers read everything through these helpers so a shape change degrades to
 * "unknown" instead of NaN or a TypeError in the middle of a sync.
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

/** A non-empty trimmed string, or undefined (numeric ids are stringified: some APIs send both). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number from a number or a numeric string; anything else is undefined. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 'False' || value === 0 || value === '0') return false;
  return undefined;
}

/**
 * Money as an exact Decimal. JSON numbers go through their shortest string form (9.73 stays "9.73"),
 * so no binary-float artefact reaches the arithmetic; strings are parsed exactly, a decimal comma
 * (Russian locale) included. Anything else is undefined, never NaN.
 */
export function money(value: unknown): Decimal | undefined {
  let text: string | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'string') text = value.trim().replace(',', '.');
  if (!text || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return new Decimal(text);
}
