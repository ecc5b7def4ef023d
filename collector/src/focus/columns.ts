/**
 * The FOCUS column catalogue: every column of FOCUS 1.0–1.2 (column ids from the spec, plus the display
 * names some exporters and PROVIDERS.md use: Provider, Publisher, InvoiceIssuer), its value type, whether
 * the spec makes it mandatory, and the cost_records column it is stored in (none for columns the schema
 * has no place for). Header names are matched case- and punctuation-insensitively, so `BilledCost`,
 * `billed_cost` and `Billed Cost` are the same column.
 */

export type FocusValueType = 'string' | 'decimal' | 'datetime' | 'json';

/** cost_records columns a FOCUS row fills (besides tenant, connection, import, source and line key). */
export const STORED_COLUMNS = [
  'resource_id',
  'charge_period_start',
  'charge_period_end',
  'billing_period_start',
  'billing_period_end',
  'provider',
  'invoice_issuer',
  'billing_account_id',
  'sub_account_id',
  'sub_account_name',
  'resource_name',
  'resource_type',
  'service_name',
  'service_category',
  'region_id',
  'availability_zone',
  'charge_category',
  'charge_class',
  'charge_description',
  'charge_frequency',
  'pricing_category',
  'pricing_quantity',
  'pricing_unit',
  'consumed_quantity',
  'consumed_unit',
  'sku_id',
  'sku_price_id',
  'list_unit_price',
  'contracted_unit_price',
  'billed_cost',
  'effective_cost',
  'list_cost',
  'contracted_cost',
  'billing_currency',
  'tags',
] as const;
export type StoredColumn = (typeof STORED_COLUMNS)[number];

export interface FocusColumn {
  /** Column id in FOCUS 1.2. */
  id: string;
  type: FocusValueType;
  /** Mandatory in FOCUS 1.0, 1.1 and 1.2 (the same 21 columns in each). */
  mandatory: boolean;
  stored?: StoredColumn;
  /** Other names for the column: display names and FOCUS 1.0-preview ids. */
  aliases?: string[];
}

const col = (id: string, type: FocusValueType, mandatory: boolean, stored?: StoredColumn, aliases?: string[]) => ({
  id,
  type,
  mandatory,
  ...(stored ? { stored } : {}),
  ...(aliases ? { aliases } : {}),
});

export const FOCUS_COLUMNS: readonly FocusColumn[] = [
  col('AvailabilityZone', 'string', false, 'availability_zone'),
  col('BilledCost', 'decimal', true, 'billed_cost'),
  col('BillingAccountId', 'string', true, 'billing_account_id'),
  col('BillingAccountName', 'string', true),
  col('BillingAccountType', 'string', false),
  col('BillingCurrency', 'string', true, 'billing_currency'),
  col('BillingPeriodEnd', 'datetime', true, 'billing_period_end'),
  col('BillingPeriodStart', 'datetime', true, 'billing_period_start'),
  col('CapacityReservationId', 'string', false),
  col('CapacityReservationStatus', 'string', false),
  col('ChargeCategory', 'string', true, 'charge_category'),
  col('ChargeClass', 'string', true, 'charge_class'),
  col('ChargeDescription', 'string', true, 'charge_description'),
  col('ChargeFrequency', 'string', false, 'charge_frequency'),
  col('ChargePeriodEnd', 'datetime', true, 'charge_period_end'),
  col('ChargePeriodStart', 'datetime', true, 'charge_period_start'),
  col('ChargeSubcategory', 'string', false),
  col('CommitmentDiscountCategory', 'string', false),
  col('CommitmentDiscountId', 'string', false),
  col('CommitmentDiscountName', 'string', false),
  col('CommitmentDiscountQuantity', 'decimal', false),
  col('CommitmentDiscountStatus', 'string', false),
  col('CommitmentDiscountType', 'string', false),
  col('CommitmentDiscountUnit', 'string', false),
  col('ConsumedQuantity', 'decimal', false, 'consumed_quantity', ['UsageQuantity']),
  col('ConsumedUnit', 'string', false, 'consumed_unit', ['UsageUnit']),
  col('ContractedCost', 'decimal', true, 'contracted_cost'),
  col('ContractedUnitPrice', 'decimal', false, 'contracted_unit_price'),
  col('EffectiveCost', 'decimal', true, 'effective_cost'),
  col('InvoiceId', 'string', false),
  col('InvoiceIssuerName', 'string', true, 'invoice_issuer', ['InvoiceIssuer']),
  col('ListCost', 'decimal', true, 'list_cost'),
  col('ListUnitPrice', 'decimal', false, 'list_unit_price'),
  col('PricingCategory', 'string', false, 'pricing_category'),
  col('PricingCurrency', 'string', false),
  col('PricingCurrencyContractedUnitPrice', 'decimal', false),
  col('PricingCurrencyEffectiveCost', 'decimal', false),
  col('PricingCurrencyListUnitPrice', 'decimal', false),
  col('PricingQuantity', 'decimal', true, 'pricing_quantity'),
  col('PricingUnit', 'string', true, 'pricing_unit'),
  col('ProviderName', 'string', true, 'provider', ['Provider']),
  col('PublisherName', 'string', true, undefined, ['Publisher']),
  col('RegionId', 'string', false, 'region_id', ['Region']),
  col('RegionName', 'string', false),
  col('ResourceId', 'string', false, 'resource_id'),
  col('ResourceName', 'string', false, 'resource_name'),
  col('ResourceType', 'string', false, 'resource_type'),
  col('ServiceCategory', 'string', true, 'service_category'),
  col('ServiceName', 'string', true, 'service_name'),
  col('ServiceSubcategory', 'string', false),
  col('SkuId', 'string', false, 'sku_id'),
  col('SkuMeter', 'string', false),
  col('SkuPriceDetails', 'json', false),
  col('SkuPriceId', 'string', false, 'sku_price_id'),
  col('SubAccountId', 'string', false, 'sub_account_id'),
  col('SubAccountName', 'string', false, 'sub_account_name'),
  col('SubAccountType', 'string', false),
  col('Tags', 'json', false, 'tags'),
];

/** Header names compare without case, spaces, underscores or other punctuation. */
export const normalizeColumnName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const BY_NAME = new Map<string, FocusColumn>();
for (const c of FOCUS_COLUMNS) {
  for (const name of [c.id, ...(c.aliases ?? [])]) BY_NAME.set(normalizeColumnName(name), c);
}

export function focusColumnByName(name: string): FocusColumn | undefined {
  return BY_NAME.get(normalizeColumnName(name));
}

export const MANDATORY_COLUMNS = FOCUS_COLUMNS.filter((c) => c.mandatory).map((c) => c.id);

/** Columns introduced after 1.0: their presence dates a file as 1.1 or later. */
const AFTER_1_0 = new Set([
  'BillingAccountType',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountUnit',
  'InvoiceId',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'ServiceSubcategory',
  'SkuMeter',
  'SkuPriceDetails',
  'SubAccountType',
]);

/** A best guess for the response ("1.0" or "1.1+"); the import treats both alike. */
export function focusVersionOf(columnIds: Iterable<string>): '1.0' | '1.1+' {
  for (const id of columnIds) if (AFTER_1_0.has(id)) return '1.1+';
  return '1.0';
}

/**
 * The columns `GET /api/v1/export/focus` writes, in this order: every FOCUS 1.2 mandatory column and
 * the conditional ones cost_records stores.
 */
export const EXPORT_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'Tags',
] as const;
