/**
 * Selectel reference volume prices, roubles per GB-month (reference §6.5.3.2, 2025 rates). The engine
 * uses them only for a volume with no billing line (a fresh disk, or billing temporarily unreadable);
 * billed lines always win.
 */
import { Decimal } from 'decimal.js';

export const VOLUME_PRICES_PER_GB_MONTH = {
  hdd_basic: '7.28',
  ssd_basic: '8.99',
  ssd_universal: '18.55',
  ssd_fast: '39.18',
} as const;

export type VolumeTier = keyof typeof VOLUME_PRICES_PER_GB_MONTH;

/**
 * The tier of a Cinder volume type. Selectel names types `<tier>.<zone>` (`universal.ru-3a`,
 * `fast.ru-7b`, `basic.ru-3a`, `basic_hdd.ru-3a`); older ones spell out `hdd`/`ssd`/`nvme`.
 */
export function volumeTier(volumeType: string | undefined): VolumeTier | undefined {
  if (!volumeType) return undefined;
  const t = volumeType.toLowerCase();
  if (t.includes('hdd')) return 'hdd_basic';
  if (t.includes('fast') || t.includes('nvme')) return 'ssd_fast';
  if (t.includes('universal')) return 'ssd_universal';
  if (t.includes('basic') || t.includes('ssd')) return 'ssd_basic';
  return undefined;
}

/** Monthly list price of a volume in roubles (decimal string), or undefined for an unknown type. */
export function volumeMonthlyPrice(sizeGb: number | undefined, volumeType: string | undefined): string | undefined {
  const tier = volumeTier(volumeType);
  if (tier === undefined || sizeGb === undefined || !(sizeGb >= 0)) return undefined;
  return new Decimal(sizeGb).mul(VOLUME_PRICES_PER_GB_MONTH[tier]).toFixed();
}
