/**
 * Pure mapping from Beget JSON to the normalized model. No I/O here, so every quirk (string numbers,
 * unit guesses, status vocabularies) is unit-tested without a server.
 */
import { Decimal } from 'decimal.js';
import type {
  AccountInfo,
  CostPeriod,
  InventoryResource,
  ResourceStatus,
  ResourceType,
  StatedPrice,
} from '../types.js';
import { parseBegetDate } from './time.js';
import {
  asArray,
  asObject,
  bool,
  decimalString,
  int,
  isObject,
  money,
  moneyString,
  num,
  str,
  type Json,
} from './values.js';

export const CURRENCY = 'RUB';

/**
 * Day-length divisors from the product's daily-baseline rule (reference 6.2.3): a month is 30 days and a
 * year 365, whatever the calendar says, so a resource's daily figure is stable across months.
 */
const TO_DAILY: Record<CostPeriod, (amount: Decimal) => Decimal> = {
  daily: (a) => a,
  hourly: (a) => a.times(24),
  monthly: (a) => a.dividedBy(30),
  yearly: (a) => a.dividedBy(365),
};

/**
 * Six decimal places: Beget prices are in kopecks, so this keeps a month ÷ 30 exact to well below a
 * kopeck while giving the database a bounded scale (291.90 / 30 stays 9.73, 100 / 30 is 3.333333).
 */
export function dailyAmount(price: Pick<StatedPrice, 'amount' | 'period'>): Decimal {
  return TO_DAILY[price.period](new Decimal(price.amount)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
}

const RUNNING_STATES = new Set([
  'RUNNING',
  'ACTIVE',
  'STARTING',
  'RESTARTING',
  'RECONFIGURING',
  'REINSTALLING',
  'MIGRATING',
  // Beget bills from the moment of creation, so a server being created already counts as live.
  'CREATING',
]);
const STOPPED_STATES = new Set(['STOPPED', 'STOPPING', 'SUSPENDED', 'ARCHIVED', 'SHUTOFF', 'PAUSED']);
const DELETED_STATES = new Set(['REMOVED', 'REMOVING', 'DELETED', 'DELETING']);
const ERROR_STATES = new Set(['ERROR', 'FAILED', 'BROKEN']);

/** Beget's status vocabulary (VPS and cloud services differ) folded into the normalized five. */
export function normalizeStatus(raw: unknown): ResourceStatus {
  const status = str(raw)?.toUpperCase();
  if (!status) return 'UNKNOWN';
  if (RUNNING_STATES.has(status)) return 'RUNNING';
  if (STOPPED_STATES.has(status)) return 'STOPPED';
  if (DELETED_STATES.has(status)) return 'DELETED';
  if (ERROR_STATES.has(status)) return 'ERROR';
  return 'UNKNOWN';
}

/**
 * Beget's documentation gives no units for `memory` and `disk_size`; observed values are megabytes.
 * No Beget VPS or database has less than 256 MB of RAM or 1 GB of disk, so smaller numbers can only be
 * gigabytes and are read that way rather than reported as a 2 MB server.
 */
export function memoryMb(value: unknown): number | undefined {
  const n = num(value);
  if (n === undefined || n <= 0) return undefined;
  return n < 256 ? n * 1024 : n;
}

export function diskGb(value: unknown): number | undefined {
  const n = num(value);
  if (n === undefined || n <= 0) return undefined;
  return n < 1024 ? n : Math.round((n / 1024) * 100) / 100;
}

/**
 * The provider's stated price: `price_day` when present (Beget bills VPS and cloud services daily),
 * else `price_month`. A missing pair yields no price rather than a made-up zero.
 */
export function statedPrice(raw: Json): StatedPrice | undefined {
  const day = money(raw.price_day);
  if (day !== undefined) return { amount: decimalString(day), period: 'daily', currency: CURRENCY };
  const month = money(raw.price_month);
  if (month !== undefined) return { amount: decimalString(month), period: 'monthly', currency: CURRENCY };
  return undefined;
}

function isoDate(value: unknown): string | undefined {
  return parseBegetDate(value)?.toISOString();
}

/** Drops undefined values so specs stay compact and JSON-equal across syncs. */
function compact(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/**
 * The installed marketplace app. Only descriptive fields: `field_value` carries the app's admin
 * login and password, which must never leave the provider (specs are shown in Grafana and stored in
 * plain JSON).
 */
function software(raw: unknown): Record<string, unknown> | undefined {
  if (!isObject(raw)) return undefined;
  const name = str(raw.display_name) ?? str(raw.name);
  if (!name) return undefined;
  return compact({
    name,
    slug: str(raw.slug),
    version: str(raw.version),
    url: str(raw.address),
    status: str(raw.status),
  });
}

export function mapVps(raw: unknown): InventoryResource | undefined {
  const vps = asObject(raw);
  const id = str(vps.id);
  if (!id) return undefined;
  const config = asObject(vps.configuration);
  const price = statedPrice(config) ?? statedPrice(vps);
  return {
    providerResourceId: id,
    name: str(vps.display_name) ?? str(vps.hostname) ?? str(vps.slug) ?? id,
    type: 'server',
    status: normalizeStatus(vps.status),
    region: str(vps.region) ?? str(config.region),
    serviceName: 'VPS',
    specs: compact({
      cpu: int(config.cpu_count),
      ramMb: memoryMb(config.memory),
      diskGb: diskGb(config.disk_size),
      bandwidthPublicMbps: num(config.bandwidth_public),
      configuration: str(config.name) ?? str(config.id),
      hostname: str(vps.hostname),
      slug: str(vps.slug),
      ip: str(vps.ip_address),
      additionalIps: asArray(vps.additional_ip_address)
        .map(str)
        .filter((ip): ip is string => ip !== undefined),
      diskUsed: num(vps.disk_used),
      diskLeft: num(vps.disk_left),
      software: software(vps.software),
      providerStatus: str(vps.status),
    }),
    price,
    createdAt: isoDate(vps.date_create ?? vps.created_at),
  };
}

/** Cloud service type → normalized resource type and a readable service name. */
export function cloudServiceKind(type: unknown): { type: ResourceType; serviceName: string } {
  const t = str(type)?.toUpperCase() ?? '';
  if (t.startsWith('MYSQL')) return { type: 'database', serviceName: 'Cloud MySQL' };
  if (t.startsWith('POSTGRESQL')) return { type: 'database', serviceName: 'Cloud PostgreSQL' };
  if (t === 'S_3' || t === 'S3') return { type: 'bucket', serviceName: 'S3 storage' };
  if (t === 'CDN') return { type: 'other', serviceName: 'CDN' };
  return { type: 'other', serviceName: t ? `Cloud ${t}` : 'Cloud service' };
}

export function mapCloudService(raw: unknown): InventoryResource | undefined {
  const svc = asObject(raw);
  const id = str(svc.id);
  if (!id) return undefined;
  const serviceType = str(svc.type)?.toUpperCase();
  const kind = cloudServiceKind(serviceType);
  // Details sit under a key named after the type (MYSQL8 → mysql8, S_3 → s3).
  const detailsKey = serviceType?.toLowerCase().replace(/_/g, '');
  const details = asObject(detailsKey ? svc[detailsKey] : undefined);
  const config = asObject(details.configuration);
  return {
    providerResourceId: id,
    name: str(svc.display_name) ?? str(svc.slug) ?? id,
    type: kind.type,
    status: normalizeStatus(svc.status),
    region: str(svc.region),
    serviceName: kind.serviceName,
    specs: compact({
      serviceType,
      cpu: int(config.cpu_count),
      ramMb: memoryMb(config.memory),
      diskGb: diskGb(config.disk_size),
      version: str(details.version),
      host: str(details.host),
      port: int(details.port),
      diskUsed: num(details.disk_used),
      diskLeft: num(details.disk_left),
      providerStatus: str(svc.status),
      statusDetails: str(svc.status_details),
    }),
    price: statedPrice(svc),
    createdAt: isoDate(svc.created_at ?? svc.date_create),
  };
}

/**
 * A domain or subdomain. Domains carry no price in the listing (registration is billed yearly through
 * the balance), so they are inventory only; an expired registration reads as STOPPED.
 */
export function mapDomain(raw: unknown, now: Date): InventoryResource | undefined {
  const domain = asObject(raw);
  const id = str(domain.id);
  const fqdn = str(domain.fqdn);
  if (!id || !fqdn) return undefined;
  const expires = parseBegetDate(domain.date_expire);
  const registered = parseBegetDate(domain.date_register) !== undefined;
  return {
    providerResourceId: `domain:${id}`,
    name: fqdn,
    type: 'domain',
    status: expires !== undefined && expires.getTime() < now.getTime() ? 'STOPPED' : 'RUNNING',
    serviceName: 'Domain',
    specs: compact({
      fqdn,
      registered,
      registrar: str(domain.registrar),
      dateRegister: isoDate(domain.date_register),
      dateExpire: expires?.toISOString(),
      autoRenew: bool(domain.auto_renew),
      canRenew: bool(domain.can_renew),
    }),
    createdAt: isoDate(domain.date_add),
  };
}

/** A shared-hosting MySQL database: included in the hosting plan, so no price of its own. */
export function mapHostingDatabase(raw: unknown): InventoryResource | undefined {
  const db = isObject(raw) ? raw : { name: raw };
  const name = str(db.name);
  if (!name) return undefined;
  return {
    providerResourceId: `mysql:${name}`,
    name,
    type: 'database',
    status: 'RUNNING',
    serviceName: 'Hosting MySQL',
    specs: compact({
      engine: 'MySQL',
      includedInPlan: true,
      users: Array.isArray(db.users) ? db.users.length : undefined,
      sizeMb: num(db.size),
    }),
    tags: { billing: 'included-in-plan' },
  };
}

export const planResourceId = (login: string): string => `plan:${login}`;

/** The plan's charge per day: yearly plans spread over 365 days, monthly ones over 30. */
export function planDailyRate(info: Json): Decimal | undefined {
  const yearly = bool(info.user_is_year_plan) === true;
  const rate = money(yearly ? info.user_rate_year : info.user_rate_month);
  return rate === undefined
    ? undefined
    : dailyAmount({ amount: decimalString(rate), period: yearly ? 'yearly' : 'monthly' });
}

/**
 * The hosting plan as an inventory resource, so the plan's daily billing line lands on a resource like
 * every other cost (instead of an account-level line nobody can attribute).
 */
export function mapPlan(login: string, info: Json): InventoryResource | undefined {
  const daily = planDailyRate(info);
  if (daily === undefined) return undefined;
  return {
    providerResourceId: planResourceId(login),
    name: str(info.plan_name) ?? 'Hosting plan',
    type: 'other',
    status: 'RUNNING',
    serviceName: 'Hosting plan',
    specs: compact({
      planName: str(info.plan_name),
      isYearPlan: bool(info.user_is_year_plan) ?? false,
      rateMonth: moneyString(info.user_rate_month),
      rateYear: moneyString(info.user_rate_year),
    }),
    price: { amount: decimalString(daily), period: 'daily', currency: CURRENCY },
  };
}

/** Counts from the optional legacy listings (they fail on some plans; then the fields are absent). */
export interface AccountExtras {
  hostingDatabases?: number;
  ftpAccounts?: number;
  mailboxes?: number;
}

function usage(used: unknown, limit: unknown): { used: number | null; limit: number | null } {
  return { used: num(used) ?? null, limit: num(limit) ?? null };
}

/** `user/getAccountInfo` → AccountInfo, details shaped as the product describes (reference 6.3.3). */
export function mapAccountInfo(login: string, raw: unknown, extras: AccountExtras = {}): AccountInfo {
  const info = asObject(raw);
  const balance = money(info.user_balance);
  const daily = planDailyRate(info);
  const daysToBlock = int(info.user_days_to_block);
  const text = (v: unknown) => str(v) ?? null;
  return {
    accountId: login,
    name: str(info.plan_name),
    balance: balance === undefined ? undefined : decimalString(balance),
    currency: CURRENCY,
    daysToBlock: daysToBlock ?? null,
    dailyRate: daily === undefined ? undefined : decimalString(daily),
    details: {
      accountId: login,
      // Beget blocks the account when the runway reaches zero; there is no separate status field.
      accountStatus: daysToBlock !== undefined && daysToBlock <= 0 ? 'blocked' : 'active',
      planName: text(info.plan_name),
      currency: CURRENCY,
      rates: {
        daily: daily === undefined ? null : decimalString(daily),
        monthly: moneyString(info.user_rate_month) ?? null,
        yearly: moneyString(info.user_rate_year) ?? null,
        current: moneyString(info.user_rate_current) ?? null,
        isYearPlan: bool(info.user_is_year_plan) ?? false,
      },
      limits: {
        sites: usage(info.user_sites, info.plan_site),
        domains: usage(info.user_domains, info.plan_domain),
        mysql: { ...usage(extras.hostingDatabases, info.plan_mysql), sizeMb: num(info.user_mysqlsize) ?? null },
        ftp: usage(info.user_ftp, info.plan_ftp),
        mail: usage(info.user_mail, info.plan_mail),
        quota: usage(info.user_quota, info.plan_quota),
      },
      server: {
        name: text(info.server_name),
        cpu: text(info.server_cpu_name),
        memoryTotalMb: num(info.server_memory) ?? null,
        memoryUsedMb: num(info.server_memorycurrent) ?? null,
        loadAverage: num(info.server_loadaverage) ?? null,
        uptimeDays: num(info.server_uptime) ?? null,
      },
      software: {
        apache: text(info.server_apache_version),
        nginx: text(info.server_nginx_version),
        mysql: text(info.server_mysql_version),
        php: text(info.server_php_version),
        python: text(info.server_python_version),
        perl: text(info.server_perl_version),
      },
      access: { bash: text(info.user_bash), controlPanel: text(info.plan_cp) },
      ...(extras.ftpAccounts === undefined ? {} : { ftpAccounts: extras.ftpAccounts }),
      ...(extras.mailboxes === undefined ? {} : { mailboxes: extras.mailboxes }),
    },
  };
}
