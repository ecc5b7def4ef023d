/**
 * Fixed facts of the fake Yandex account: Moscow-day arithmetic, Yandex-style ids, the services and
 * SKUs the export names (in English and Russian, as the export's locale decides), and daily prices.
 */
import type { Random } from '../random.js';

export const DAY_MS = 86_400_000;
const MOSCOW_OFFSET_MS = 3 * 3_600_000;

/** `YYYY-MM-DD` of the Moscow day an instant falls on. */
export function moscowDay(t: Date | number): string {
  return new Date(new Date(t).getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Moscow midnight of a day as epoch ms. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - MOSCOW_OFFSET_MS;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** A Yandex-style id: a 3-character prefix (service and zone) and 17 more. */
export function ycId(random: Random, prefix: string): string {
  let id = prefix;
  while (id.length < 20) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return id;
}

/** Compute ids start with their zone's prefix. */
export const ZONE_PREFIX: Record<string, string> = {
  'ru-central1-a': 'fhm',
  'ru-central1-b': 'epd',
  'ru-central1-d': 'fv4',
};

export interface Sku {
  id: string;
  service: { id: string; name: string };
  en: string;
  ru: string;
  unit: string;
}

const SERVICES = {
  compute: { id: 'dn22pas77ftg9h3f2djj', name: 'Compute Cloud' },
  vpc: { id: 'dn2k3vqlk9snp1jv351u', name: 'Virtual Private Cloud' },
  storage: { id: 'dn2ilq8l8hbf1k1m2cv3', name: 'Object Storage' },
  postgres: { id: 'dn2k1tiuhrm0vjkfaq2c', name: 'Managed Service for PostgreSQL' },
  monitoring: { id: 'dn2tekhq4t8tjqpruv6b', name: 'Monitoring' },
};

type SkuRow = readonly [keyof typeof SERVICES, string, string, string];
const SKU_TABLE = {
  cpu: ['compute', 'Intel Ice Lake. 100% vCPU', 'Intel Ice Lake. 100% vCPU', 'core*hour'],
  cpu20: ['compute', 'Intel Ice Lake. 20% vCPU', 'Intel Ice Lake. 20% vCPU', 'core*hour'],
  ram: ['compute', 'Intel Ice Lake. RAM', 'Intel Ice Lake. RAM', 'gbyte*hour'],
  ssd: ['compute', 'Fast network drive (SSD)', 'Быстрое сетевое хранилище (SSD)', 'gbyte*hour'],
  hdd: ['compute', 'Standard network drive (HDD)', 'Стандартное сетевое хранилище (HDD)', 'gbyte*hour'],
  ip: ['vpc', 'Public IP address', 'Публичный IP-адрес', 'fip*hour'],
  ipReserved: ['vpc', 'Public IP address - reserved', 'Публичный IP-адрес — зарезервированный', 'fip*hour'],
  egress: ['vpc', 'Egress traffic', 'Исходящий трафик', 'gbyte'],
  s3: ['storage', 'Standard storage', 'Стандартное хранилище', 'gbyte*hour'],
  s3get: ['storage', 'Standard storage. GET requests', 'Стандартное хранилище. Операции GET', 'request'],
  pgCpu: ['postgres', 'PostgreSQL. Intel Ice Lake. 100% vCPU', 'PostgreSQL. Intel Ice Lake. 100% vCPU', 'core*hour'],
  pgRam: ['postgres', 'PostgreSQL. Intel Ice Lake. RAM', 'PostgreSQL. Intel Ice Lake. RAM', 'gbyte*hour'],
  pgSsd: ['postgres', 'PostgreSQL. Fast network storage', 'PostgreSQL. Быстрое сетевое хранилище', 'gbyte*hour'],
  metrics: ['monitoring', 'Metrics write', 'Запись метрик', 'unit'],
} satisfies Record<string, SkuRow>;

export const SKUS = Object.fromEntries(
  Object.entries(SKU_TABLE).map(([name, [service, en, ru, unit]], i) => [
    name,
    { id: `dn2k3vqlk9snp1jv35${String.fromCharCode(97 + i)}0`, service: SERVICES[service], en, ru, unit },
  ])
) as Record<keyof typeof SKU_TABLE, Sku>;

/** Micro-roubles per unit-day (list prices of the kind Yandex publishes, ×24 h). */
export const PRICE = {
  core: 26_960_000,
  core20: 7_440_000,
  ramGb: 7_120_000,
  ssdGb: 330_000,
  hddGb: 100_000,
  ip: 4_200_000,
  s3Gb: 70_000,
};
