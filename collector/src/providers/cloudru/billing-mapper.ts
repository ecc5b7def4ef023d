/**
 * One Cloud.ru consumption row → billing lines (pure). A row is
 * `{sku, servname, resource_id, resource_name, usedate, amount, amount_nds, cost, unit, usefact, meta}`;
 * `amount` is roubles without VAT (`usefact × cost`).
 *
 * VAT: `amount_nds` is the amount with VAT in live answers (250 → 305 at 22 %); PROVIDERS.md only says
 * `amount` excludes it, and a field named "НДС" could as well hold the tax alone. Both shapes are
 * accepted — a value at least as large as `amount` (in absolute terms) is the total, a smaller one the
 * tax — and the tax becomes its own line (FOCUS ChargeCategory `Tax`) next to the `Usage` line. So the
 * stored total is what the balance is charged, comparable with Selectel and Yandex Cloud (whose costs
 * include VAT), while a report filtering on Usage sees costs without VAT. Decimals stay exact.
 */
import type { Decimal } from 'decimal.js';
import type { BillingLine, ResourceType } from '../types.js';
import { asObject, money, str } from '../values.js';

export const CURRENCY = 'RUB';
/** The tax line's key: the usage line's key with this suffix. */
export const VAT_SUFFIX = '#vat';

/** Keyword rules, first match wins: managed services before the compute words they contain. */
const TYPE_RULES: [RegExp, ResourceType][] = [
  [/kubernetes|mk8s|\bk8s\b/, 'k8s'],
  [/postgres|mysql|redis|kafka|mongo|clickhouse|opensearch|dbaas|managed.?(db|database)|баз[аы] данных/, 'database'],
  [/object.?storage|\bs3\b|bucket|бакет|объектн/, 'bucket'],
  [/floating|public.?ip|\bfip\b|\bip\b|ip-адрес|публичн/, 'ip'],
  [/load.?balancer|\bnlb\b|балансировщ/, 'load_balancer'],
  [/file.?storage|\bsfs\b|\bnfs\b|файлов/, 'file_storage'],
  [/disk|volume|диск|\bssd\b|\bhdd\b|nvme/, 'volume'],
  [/compute|\bvm\b|vcpu|\bcpu\b|\bram\b|\bgpu\b|виртуальн|вычисл/, 'server'],
  [/\bnat\b|vpc|network|router|сет[ьи]|маршрутиз/, 'network'],
];

/** The normalized type of what a row bills, from its service name, SKU and unit. */
export function resourceTypeFor(servname?: string, sku?: string, unit?: string): ResourceType {
  const text = [servname, sku, unit].filter(Boolean).join(' ').toLowerCase();
  for (const [pattern, type] of TYPE_RULES) if (pattern.test(text)) return type;
  return 'other';
}

const CATEGORY: Partial<Record<ResourceType, string>> = {
  server: 'Compute',
  volume: 'Storage',
  file_storage: 'Storage',
  bucket: 'Storage',
  database: 'Databases',
  k8s: 'Compute',
  ip: 'Networking',
  network: 'Networking',
  load_balancer: 'Networking',
};

/** The VAT of a row: `amount_nds` read as the total when it is not smaller than `amount`, else as the tax. */
export function vatOf(amount: Decimal, amountNds: Decimal | undefined): Decimal | undefined {
  if (amountNds === undefined) return undefined;
  return amountNds.abs().gte(amount.abs()) ? amountNds.minus(amount) : amountNds;
}

export interface RowOptions {
  includeVat: boolean;
  /** The project a row belongs to when it does not say (a connection reading one project). */
  defaultProjectId?: string;
}

/**
 * The usage line and, with VAT included and non-zero, its tax line; [] when the row has no amount.
 * `lineKey` is the SKU (the service name when there is none): one line per resource, SKU and period.
 */
export function mapConsumptionRow(
  raw: unknown,
  period: { start: Date; end: Date },
  options: RowOptions
): BillingLine[] {
  const row = asObject(raw);
  const amount = money(row.amount);
  if (amount === undefined) return [];
  const meta = asObject(row.meta);
  const sku = str(row.sku);
  const servname = str(row.servname);
  const unit = str(row.unit);
  const type = resourceTypeFor(servname, sku, unit);
  const serviceName = servname ?? 'Cloud.ru Evolution';
  const quantity = money(row.usefact);
  const unitPrice = money(row.cost);
  const tags: Record<string, string> = {};
  if (sku) tags.sku = sku;
  if (unitPrice) tags.unit_price = unitPrice.toFixed();
  const tenant = str(meta.tenant_name);
  if (tenant) tags.tenant_name = tenant;

  const usage: BillingLine = {
    resourceId: str(row.resource_id) ?? '',
    resourceName: str(row.resource_name),
    resourceType: type,
    lineKey: sku ?? serviceName,
    periodStart: period.start,
    periodEnd: period.end,
    amount: amount.toFixed(),
    currency: CURRENCY,
    serviceName,
    serviceCategory: CATEGORY[type] ?? 'Other',
    region: str(meta.availability_zone) ?? str(meta.region),
    consumedQuantity: quantity?.toFixed(),
    consumedUnit: unit,
    pricingUnit: unit,
    chargeCategory: amount.isNegative() ? 'Credit' : 'Usage',
    chargeDescription:
      quantity && unitPrice && unit
        ? `${serviceName}: ${quantity.toFixed()} ${unit} × ${unitPrice.toFixed()} RUB without VAT`
        : `${serviceName} without VAT`,
    subAccountId: str(meta.project_id) ?? options.defaultProjectId,
    subAccountName: str(meta.iam_project_name),
    tags,
  };
  const vat = options.includeVat ? vatOf(amount, money(row.amount_nds)) : undefined;
  if (vat === undefined || vat.isZero()) return [usage];
  return [
    usage,
    {
      ...usage,
      lineKey: `${usage.lineKey}${VAT_SUFFIX}`,
      amount: vat.toFixed(),
      consumedQuantity: undefined,
      chargeCategory: 'Tax',
      chargeDescription: `VAT (НДС) on ${serviceName}`,
      tags: { ...tags, basis: 'vat' },
    },
  ];
}
