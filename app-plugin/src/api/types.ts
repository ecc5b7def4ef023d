/**
 * Response and request shapes of the collector's management API, as the app plugin reads them. The query
 * API types (POST /query, /me, /freshness) come from the shared contract (`@infrazen/contract`); these
 * mirror the collector's zod schemas (collector/src/routes/api/v1/**) and the agreed management shapes.
 * Dates arrive as ISO 8601 strings; money as decimal strings next to their currency.
 */

import type { BudgetState, RecommendationKind, RecommendationStatus } from '@infrazen/contract';

export const PROVIDER_IDS = ['beget', 'selectel', 'yandex', 'cloudru', 'vkcloud', 'focus'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

import type {
  BudgetPeriod,
  BudgetScope,
  BudgetThresholds,
  DecimalString,
  IsoDate,
} from '@infrazen/contract/management';

export type { DecimalString, IsoDate } from '@infrazen/contract/management';

export interface List<T> {
  items: T[];
  total?: number;
}

// ---------------------------------------------------------------------------------------------------
// Providers and connections

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Array<string | number>;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  description?: string;
  additionalProperties?: boolean | JsonSchema;
}

/** GET /providers */
export interface ProviderDescription {
  provider: ProviderId;
  /** False for FOCUS: imported from files, nothing to test or sync. */
  syncs: boolean;
  defaultBackfillDays: number | null;
  credentials: JsonSchema;
  settings: JsonSchema;
}

export type ConnectionStatus = 'pending' | 'syncing' | 'ok' | 'error' | 'disabled' | string;

export interface AccountInfo {
  accountId?: string;
  name?: string;
  balance?: DecimalString;
  currency?: string;
  daysToBlock?: number | null;
  dailyRate?: DecimalString;
  details?: Record<string, unknown>;
}

export interface Connection {
  id: string;
  name: string;
  provider: ProviderId;
  /** Names of the credential fields that hold a value; values are never returned. */
  credentialFields: string[];
  settings: Record<string, unknown>;
  schedule: string | null;
  enabled: boolean;
  status: ConnectionStatus;
  account: AccountInfo;
  lastSyncAt: IsoDate | null;
  lastSyncStatus: string | null;
  lastError: string | null;
  nextSyncAt: IsoDate | null;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

export interface ConnectionInput {
  name: string;
  provider: ProviderId;
  credentials: Record<string, unknown>;
  settings?: Record<string, unknown>;
  schedule?: string | null;
  enabled?: boolean;
}

export interface ConnectionPatch {
  name?: string;
  /** Merged: omitted fields are kept, null removes one. */
  credentials?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  schedule?: string | null;
  enabled?: boolean;
}

export type ConnectionTestResult =
  { ok: true; account: AccountInfo } | { ok: false; error: { kind: string; message: string } };

// ---------------------------------------------------------------------------------------------------
// Sync history

export type SnapshotStatus = 'running' | 'success' | 'partial' | 'error' | 'interrupted' | 'cancelled' | 'queued';

export interface SnapshotPhase {
  phase: number;
  name: string;
  status: 'running' | 'done' | 'failed' | 'skipped';
  startedAt: IsoDate;
  durationMs?: number;
  counts?: Record<string, number>;
  message?: string;
}

export interface EndpointError {
  endpoint: string;
  region?: string;
  kind: string;
  message: string;
}

export interface Snapshot {
  id: string;
  connectionId: string;
  trigger: string;
  status: SnapshotStatus;
  phase: number;
  phaseName: string | null;
  phases: SnapshotPhase[];
  startedAt: IsoDate;
  completedAt: IsoDate | null;
  durationMs: number | null;
  counts: { found: number; created: number; updated: number; deleted: number; unchanged: number };
  totalDailyCost: DecimalString | null;
  totalMonthlyCost: DecimalString | null;
  currency: string | null;
  resourcesByType: Record<string, number>;
  resourcesByStatus: Record<string, number>;
  endpointErrors: EndpointError[];
  errorMessage: string | null;
}

export interface ResourceState {
  resourceId: string | null;
  providerResourceId: string;
  resourceType: string;
  resourceName: string;
  action: 'created' | 'updated' | 'deleted' | 'unchanged';
  changes: Record<string, { from?: unknown; to?: unknown } | unknown>;
  previousState: Record<string, unknown> | null;
  currentState: Record<string, unknown> | null;
  status: string | null;
  dailyCost: DecimalString | null;
  currency: string | null;
  hasCostChange: boolean;
  hasStatusChange: boolean;
  hasConfigChange: boolean;
}

export interface SnapshotWithStates extends Snapshot {
  states: { items: ResourceState[]; total: number };
}

// ---------------------------------------------------------------------------------------------------
// Resources

/** Resources, budget scopes and allocation preview are the management contract's shapes. */
export type { Resource } from '@infrazen/contract/management';

export interface ResourceFilter {
  provider?: string;
  connection?: string;
  type?: string;
  status?: string;
  flag?: 'zombie' | 'orphan';
  q?: string;
  limit?: number;
  offset?: number;
}

// ---------------------------------------------------------------------------------------------------
// Recommendations

/** Kinds and statuses are the query contract's lists (one source of truth with the collector). */
export { RECOMMENDATION_KINDS, RECOMMENDATION_STATUSES } from '@infrazen/contract';
export type { RecommendationKind, RecommendationStatus } from '@infrazen/contract';

export interface Recommendation {
  id: string;
  kind: RecommendationKind | string;
  title: string;
  action: string;
  status: RecommendationStatus;
  statusReason: string | null;
  snoozedUntil: IsoDate | null;
  connectionId: string | null;
  connectionName: string | null;
  provider: string | null;
  resourceId: string | null;
  resourceName: string | null;
  currentMonthlyCost: DecimalString | null;
  estimatedMonthlySavings: DecimalString | null;
  currency: string | null;
  /** 0..1 */
  confidence: number;
  evidence: Record<string, unknown>;
  firstDetectedAt: IsoDate;
  lastDetectedAt: IsoDate;
  resolvedAt: IsoDate | null;
}

export interface CountAndSavings {
  count: number;
  monthlySavings: DecimalString;
}

export interface RecommendationTotals {
  currency: string;
  potentialMonthlySavings: DecimalString;
  realizedMonthlySavings: DecimalString;
  byStatus: Partial<Record<RecommendationStatus, CountAndSavings>>;
  byKind: Partial<Record<string, CountAndSavings>>;
}

export interface RecommendationList {
  items: Recommendation[];
  totals: RecommendationTotals;
}

export interface RecommendationFilter {
  status?: RecommendationStatus[];
  kind?: string[];
  connection?: string;
  limit?: number;
}

export type RecommendationPatch =
  | { status: 'open' | 'accepted' | 'done' }
  | { status: 'dismissed'; reason: string }
  | { status: 'snoozed'; snoozedUntil: IsoDate; reason?: string };

// ---------------------------------------------------------------------------------------------------
// Budgets

export { BUDGET_PERIODS, BUDGET_SCOPES } from '@infrazen/contract/management';
export type { BudgetPeriod, BudgetScope, BudgetScopeKind, BudgetThresholds } from '@infrazen/contract/management';

export type { BudgetState } from '@infrazen/contract';

export interface BudgetStatus {
  periodStart: IsoDate;
  periodEnd: IsoDate;
  actual: DecimalString;
  forecast: DecimalString | null;
  usedPercent: number;
  forecastPercent: number | null;
  burnRatePerDay: DecimalString | null;
  state: BudgetState;
  crossed: Array<{ kind: 'actual' | 'forecast'; threshold: number }>;
}

export interface BudgetInput {
  name: string;
  amount: DecimalString;
  currency: string;
  period: BudgetPeriod;
  scope: BudgetScope;
  thresholds: BudgetThresholds;
}

export interface Budget extends BudgetInput {
  id: string;
  status: BudgetStatus;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

// ---------------------------------------------------------------------------------------------------
// Allocation

export interface RuleMatch {
  namePattern?: string;
  provider?: string;
  connectionId?: string;
  service?: string;
  project?: string;
  tag?: { key: string; value: string };
}

export interface RuleAssign {
  businessUnit?: string;
  project?: string;
  environment?: string;
  costCenter?: string;
}

export interface RuleSplit {
  mode: 'even' | 'proportional';
  targets: string[];
}

export interface AllocationRuleInput {
  name: string;
  priority: number;
  enabled: boolean;
  match: RuleMatch;
  assign: RuleAssign;
  split?: RuleSplit;
}

export interface AllocationRule extends AllocationRuleInput {
  id: string;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

export type { AllocationPreview } from '@infrazen/contract/management';

// ---------------------------------------------------------------------------------------------------
// Admin and audit

export interface SchedulerJob {
  name: string;
  schedule?: string;
  running?: boolean;
  lastRunAt?: IsoDate | null;
  lastStatus?: 'ok' | 'error' | null;
  lastError?: string | null;
  nextRunAt?: IsoDate | null;
}

export interface AdminStatus {
  version: string;
  database: { mode: string | null; embedded: boolean; migrations: { applied: number; latest: number } };
  scheduler: { jobs: SchedulerJob[] };
  syncs: { running: number };
  lastErrors: Array<{ at: IsoDate; connectionId: string | null; connectionName: string | null; message: string }>;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: IsoDate;
  createdBy: string | null;
  lastUsedAt: IsoDate | null;
  revokedAt: IsoDate | null;
  expiresAt: IsoDate | null;
}

export interface CreatedToken {
  id: string;
  name: string;
  prefix: string;
  /** Shown once; the collector keeps only a hash. */
  token: string;
}

export interface Tenant {
  id: string;
  grafanaOrgId: number;
  name: string;
  createdAt: IsoDate;
  connections: number;
  monthToDateCost: DecimalString;
  currency: string;
}

export interface AuditEntry {
  id: string;
  at: IsoDate;
  actor: string;
  actorKind: string;
  action: string;
  targetKind: string;
  targetId: string | null;
  summary: string;
  sourceAddress: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  targetKind?: string;
  limit?: number;
  before?: string;
}
