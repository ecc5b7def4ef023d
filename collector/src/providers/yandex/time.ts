/**
 * Yandex bills by Moscow calendar day: the export's `date` is a day from 00:00 to 23:59 UTC+3. Moscow
 * has been UTC+3 all year since 2014, so a fixed offset is exact. Pure functions, unit-tested.
 */
export const DAY_MS = 86_400_000;
const MOSCOW_OFFSET_MS = 3 * 3_600_000;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const RU_DAY = /^(\d{2})\.(\d{2})\.(\d{4})$/;

function validDay(y: number, m: number, d: number): string | undefined {
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return back.toISOString().slice(0, 10);
}

/** The export's `date` (`2025-10-09`, also with a time part, or `09.10.2025`) → `YYYY-MM-DD`. */
export function parseDay(value: string | undefined): string | undefined {
  const text = value?.trim() ?? '';
  const iso = ISO_DAY.exec(text);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const ru = RU_DAY.exec(text);
  if (ru) return validDay(Number(ru[3]), Number(ru[2]), Number(ru[1]));
  return undefined;
}

/** Moscow midnight that starts `day`, as a UTC instant (`2025-10-09` → 2025-10-08T21:00:00Z). */
export function moscowDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - MOSCOW_OFFSET_MS);
}

/** The Moscow calendar day an instant falls on. */
export function moscowDayOf(date: Date): string {
  return new Date(date.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day a file name says it holds: `prefix/20251009.csv` or `…/2025-10-09.csv`. */
export function dayOfKey(key: string): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const match = /(\d{4})-?(\d{2})-?(\d{2})(?!\d)/.exec(name);
  return match ? validDay(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}
