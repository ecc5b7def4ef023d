/**
 * Coercion of Yandex Cloud JSON values. The REST gateway sends int64 fields (sizes, memory, cores,
 * timestamps) as JSON strings and omits fields at their default (false, 0, ""), so every mapper reads
 * through these helpers: a missing or odd value becomes undefined instead of NaN or a TypeError.
 */
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

/** A non-empty trimmed string, or undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * An int64 from its JSON string form (or a plain number). Values beyond 2^53 would lose precision as a
 * JS number; nothing we read (bytes of a disk, milliseconds) gets near that, so they are refused rather
 * than silently rounded.
 */
export function int64(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A finite double (monitoring values), from a number or a numeric string; NaN/"NaN" become undefined. */
export function double(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Proto3 JSON omits false booleans. */
export function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Labels (string → string) as tags; undefined when there are none. */
export function labelsOf(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') tags[k] = v;
  return Object.keys(tags).length > 0 ? tags : undefined;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Bytes (int64) → GiB, as Yandex sizes disks and states them in the console. */
export function bytesToGb(value: unknown): number | undefined {
  const bytes = int64(value);
  return bytes === undefined ? undefined : Math.round((bytes / GIB) * 1000) / 1000;
}

export function bytesToMb(value: unknown): number | undefined {
  const bytes = int64(value);
  return bytes === undefined ? undefined : Math.round(bytes / MIB);
}

/** `ru-central1-a` → `ru-central1`: billing and dashboards group by region, inventory knows the zone. */
export function regionOfZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  const match = /^(.+\d)-[a-z]$/i.exec(zone.trim());
  return match ? match[1]!.toLowerCase() : zone.trim();
}
