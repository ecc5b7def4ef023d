/**
 * The management API's REST shapes as the Grafana app plugin reads them (resources, budgets, allocation,
 * reports) and the sync engine's phase list. Like contract/query.ts: types and constant lists only, no
 * imports, so the app bundles it (alias `@infrazen/contract/management`) without pulling collector code.
 * The collector's zod schemas stay the validation; these are the JSON they answer with: dates as ISO 8601
 * strings, money as decimal strings next to their currency.
 */

export type DecimalString = string;
export type IsoDate = string;

// ---------------------------------------------------------------------------------------------------
// Sync

/** The sync engine's phases, in the order it runs them (collector/src/sync/engine.ts). */
export const SYNC_PHASES = [
  'billing',
  'grouping',
  'servers',
  'volumes',
  'file_storage',
  'generic_services',
  'unification',
  'completion',
] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

// ---------------------------------------------------------------------------------------------------
// Resources

/** GET /resources items. */
export interface Resource {
  id: string;
  connectionId: string;
  provider: string;
  providerResourceId: string;
  name: string;
  type: string;
  region: string | null;
  status: string;
  flags: { zombie: boolean; orphan: boolean };
  parentId: string | null;
  specs: Record<string, unknown>;
  dailyCost: DecimalString | null;
  monthlyCost: DecimalString | null;
  originalCost: DecimalString | null;
  costPeriod: string | null;
  costSource: string | null;
  currency: string | null;
  serviceName: string | null;
  firstSeen: IsoDate;
  lastSeen: IsoDate;
}

// ---------------------------------------------------------------------------------------------------
// Budgets

export const BUDGET_PERIODS = ['monthly', 'quarterly', 'yearly'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const BUDGET_SCOPES = [
  'tenant',
  'provider',
  'connection',
  'service',
  'tag',
  'business_unit',
  'project',
] as const;
export type BudgetScopeKind = (typeof BUDGET_SCOPES)[number];

export interface BudgetScope {
  kind: BudgetScopeKind;
  value?: string;
  tagKey?: string;
}

export interface BudgetThresholds {
  /** Percentages of the amount checked against the actual spend to date. */
  actual: number[];
  /** Percentages of the amount checked against the forecast spend at the period's end. */
  forecast: number[];
}

// ---------------------------------------------------------------------------------------------------
// Allocation

export interface AllocationPreview {
  currency: string;
  totalCost: DecimalString;
  coveredCost: DecimalString;
  coveragePercent: number;
  rules: Array<{ id: string | null; name: string; matchedCost: DecimalString; matchedResources: number }>;
}

// ---------------------------------------------------------------------------------------------------
// Reports

export const SECTION_KINDS = [
  'kpi',
  'spend_by_provider',
  'spend_by_service',
  'top_resources',
  'budgets',
  'anomalies',
  'recommendations',
  'balance_runway',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export const PERIOD_KINDS = ['previous_month', 'month_to_date', 'last_7_days', 'last_30_days', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type FileFormat = 'pdf' | 'xlsx' | 'csv';

export interface ReportScopeFilter {
  dimension: string;
  op: 'include' | 'exclude';
  values: string[];
}

export interface ReportDefinition {
  scope: { filters: ReportScopeFilter[] };
  period: { kind: PeriodKind; from?: string; to?: string };
  sections: SectionKind[];
  language: Language;
  currency: string | null;
}

export type DestinationKind = 'telegram' | 'email';

/** GET /report-destinations items: secret values never come back, only the names of the set ones. */
export interface Destination {
  id: string;
  name: string;
  kind: DestinationKind;
  settings: Record<string, unknown>;
  secretFields: string[];
  enabled: boolean;
}
