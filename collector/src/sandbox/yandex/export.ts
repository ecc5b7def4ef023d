/**
 * The detailed billing export as Yandex writes it into the bucket: one CSV per Moscow day
 * (`{prefix}YYYYMMDD.csv`), today's file partial and rewritten every hour, any day restatable. Every
 * (meter, day) amount is an integer number of micro-roubles computed from the meter and the day, so
 * what the files say and what the truth sums agree exactly. Quirks on purpose: a UTF-8 BOM and CRLF on
 * every other file, a quoted folder name with a comma and quotes, label columns that come and go,
 * SKU names in Russian for one folder, a (resource, SKU) split over two rows with different labels,
 * folder-wide rows without a resource id, credits in separate negative columns.
 */
import { createHash } from 'node:crypto';
import { addDays, dayStartMs, moscowDay, SKUS, type Meter, type YandexAccount } from './model.js';

const FIXED_COLUMNS = [
  'billing_account_id',
  'billing_account_name',
  'cloud_id',
  'cloud_name',
  'folder_id',
  'folder_name',
  'resource_id',
  'service_id',
  'service_name',
  'sku_id',
  'sku_name',
  'date',
  'currency',
  'pricing_quantity',
  'pricing_unit',
  'cost',
  'credit',
  'monetary_grant_credit',
  'volume_incentive_credit',
  'cud_credit',
  'misc_credit',
];

/** Amounts of one meter on one day, micro-roubles; credits are ≤ 0. */
export interface DayAmount {
  meter: Meter;
  cost: number;
  monetaryGrant: number;
  cud: number;
  misc: number;
}

export interface ExportFile {
  key: string;
  day: string;
  body: string;
  etag: string;
  lastModified: Date;
}

function mix(a: number): number {
  a = Math.imul(a ^ (a >>> 16), 0x7feb352d);
  a = Math.imul(a ^ (a >>> 15), 0x846ca68b);
  return (a ^ (a >>> 16)) >>> 0;
}

const dayIndex = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** Micro-roubles → a decimal string: 6 places for costs (as Yandex writes them), trimmed for credits. */
export function microText(micro: number, fixed: boolean): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const frac = String(abs % 1_000_000).padStart(6, '0');
  const whole = Math.floor(abs / 1_000_000);
  if (fixed) return `${sign}${whole}.${frac}`;
  const trimmed = frac.replace(/0+$/, '');
  return abs === 0 ? '0' : `${sign}${whole}${trimmed ? `.${trimmed}` : ''}`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class BillingExport {
  private readonly restatements = new Map<string, { factor: number; at: Date }[]>();
  private readonly cache = new Map<string, ExportFile>();

  constructor(
    private readonly account: YandexAccount,
    private readonly now: () => Date
  ) {}

  today(): string {
    return moscowDay(this.now());
  }

  /** Days with a file: from the export's first day to today (today's still growing). */
  days(): string[] {
    const out: string[] = [];
    for (let day = this.account.firstDay; day <= this.today(); day = addDays(day, 1)) out.push(day);
    return out;
  }

  /** Re-exports a day with every amount × factor (rounded to the micro-rouble), as Yandex restates a day. */
  restate(day: string, factor: number): void {
    const list = this.restatements.get(day) ?? [];
    list.push({ factor, at: this.now() });
    this.restatements.set(day, list);
  }

  /** Hours of `day` that have passed (24 for past days). */
  private hoursOf(day: string): number {
    const elapsed = Math.floor((this.now().getTime() - dayStartMs(day)) / 3_600_000);
    return Math.max(0, Math.min(24, elapsed));
  }

  amounts(day: string): DayAmount[] {
    const hours = this.hoursOf(day);
    const factors = this.restatements.get(day) ?? [];
    const { grant } = this.account;
    const out: DayAmount[] = [];
    for (const meter of this.account.meters) {
      if (day < meter.fromDay || (meter.toDay !== undefined && day >= meter.toDay)) continue;
      const noise = mix(meter.seed ^ Math.imul(dayIndex(day), 0x9e3779b1)) / 4294967296;
      let cost = Math.round(meter.microPerDay * (0.97 + 0.06 * noise));
      if (hours < 24) cost = Math.round((cost * hours) / 24);
      for (const r of factors) cost = Math.round(cost * r.factor);
      const inGrant = day >= grant.fromDay && day < grant.toDay;
      const monetaryGrant = inGrant && !meter.free ? -Math.round(cost * grant.share) : 0;
      const cud = meter.cudShare ? -Math.round(cost * meter.cudShare) : 0;
      const misc = meter.free ? -cost : 0;
      out.push({ meter, cost, monetaryGrant, cud, misc });
    }
    return out;
  }

  key(day: string): string {
    return `${this.account.prefix}${day.replace(/-/g, '')}.csv`;
  }

  file(day: string): ExportFile {
    const restated = this.restatements.get(day) ?? [];
    const version = `${day}|${this.hoursOf(day)}|${restated.length}`;
    const cached = this.cache.get(version);
    if (cached) return cached;
    const body = this.render(day);
    const lastModified =
      restated.length > 0
        ? restated[restated.length - 1]!.at
        : day === this.today()
          ? new Date(Math.floor(this.now().getTime() / 3_600_000) * 3_600_000)
          : new Date(dayStartMs(addDays(day, 1)) + 2 * 3_600_000);
    const file = {
      key: this.key(day),
      day,
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified,
    };
    this.cache.set(version, file);
    return file;
  }

  fileByKey(key: string): ExportFile | undefined {
    const day = this.days().find((d) => this.key(d) === key);
    return day === undefined ? undefined : this.file(day);
  }

  private render(day: string): string {
    const { account } = this;
    const amounts = this.amounts(day);
    const labelKeys = [...new Set(amounts.flatMap((a) => Object.keys(a.meter.labels)))].sort();
    const header = [
      ...FIXED_COLUMNS,
      ...labelKeys.map((k) => `label.user_labels.${k}`),
      'locale',
      'updated_at',
      'exported_at',
    ];
    const windows = dayIndex(day) % 2 === 0;
    const eol = windows ? '\r\n' : '\n';
    const exportedAt = new Date(Math.min(this.now().getTime(), dayStartMs(addDays(day, 1)) + 2 * 3_600_000));
    const lines = [header.join(',')];
    const folders = new Map(account.folders.map((f) => [f.id, f]));
    for (const a of amounts) {
      const folder = folders.get(a.meter.folderId)!;
      // One VM's CPU on every seventh day is split over two rows whose labels differ (a relabel mid-day).
      const split =
        a.meter.resourceId === account.instances[0]?.id && a.meter.sku.id === SKUS.cpu.id && dayIndex(day) % 7 === 0;
      const parts: { share: number; labels: Record<string, string> }[] = split
        ? [
            { share: 0.6, labels: a.meter.labels },
            { share: 0.4, labels: { ...a.meter.labels, team: 'frontend' } },
          ]
        : [{ share: 1, labels: a.meter.labels }];
      let used = { cost: 0, monetaryGrant: 0, cud: 0, misc: 0 };
      parts.forEach((part, i) => {
        const last = i === parts.length - 1;
        const take = (total: number, done: number) => (last ? total - done : Math.round(total * part.share));
        const cost = take(a.cost, used.cost);
        const monetaryGrant = take(a.monetaryGrant, used.monetaryGrant);
        const cud = take(a.cud, used.cud);
        const misc = take(a.misc, used.misc);
        used = {
          cost: used.cost + cost,
          monetaryGrant: used.monetaryGrant + monetaryGrant,
          cud: used.cud + cud,
          misc: used.misc + misc,
        };
        const row = [
          account.billingAccount.id,
          account.billingAccount.name,
          account.cloud.id,
          account.cloud.name,
          folder.id,
          folder.name,
          a.meter.resourceId,
          a.meter.sku.service.id,
          a.meter.sku.service.name,
          a.meter.sku.id,
          folder.locale === 'ru' ? a.meter.sku.ru : a.meter.sku.en,
          day,
          'RUB',
          a.meter.quantityPerDay,
          a.meter.sku.unit,
          microText(cost, true),
          microText(monetaryGrant + cud + misc, false),
          microText(monetaryGrant, false),
          '0',
          microText(cud, false),
          microText(misc, false),
          ...labelKeys.map((k) => part.labels[k] ?? ''),
          folder.locale,
          String(Math.floor(exportedAt.getTime() / 1000)),
          exportedAt.toISOString(),
        ];
        lines.push(row.map(csvField).join(','));
      });
    }
    return `${windows ? '\ufeff' : ''}${lines.join(eol)}${eol}`;
  }
}
