/**
 * The contract between connectors and the sync engine. A connector fetches and maps; it returns
 * normalized billing lines, inventory, metrics and account facts, and never touches the database
 * (DESIGN.md §8). Money travels as decimal strings, never as JS numbers.
 */
import type { z } from 'zod';
import type { Provider } from '../domain/providers.js';
import type { Logger } from '../observability/logger.js';
import type { HttpOptions } from './http/client.js';
import type { ProviderErrorKind } from './http/errors.js';

export const RESOURCE_TYPES = [
  'server',
  'volume',
  'bucket',
  'database',
  'ip',
  'domain',
  'k8s',
  'file_storage',
  'network',
  'load_balancer',
  'other',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const RESOURCE_STATUSES = ['RUNNING', 'STOPPED', 'ERROR', 'DELETED', 'UNKNOWN'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export type CostPeriod = 'hourly' | 'daily' | 'monthly' | 'yearly';

/** A price the provider states for a resource (Beget price_day/price_month, Selectel list prices). */
export interface StatedPrice {
  amount: string;
  period: CostPeriod;
  currency: string;
}

/** One billing line: what the provider charged for one resource (or the account) over one period. */
export interface BillingLine {
  /** Provider's object id; '' for account-level charges that belong to no resource. */
  resourceId: string;
  resourceName?: string;
  /** Normalized type of the billed object. */
  resourceType: ResourceType;
  /** The object this one belongs to (Selectel `parent_id`: the VM of a disk). */
  parentResourceId?: string;
  /** Stable id of the line within (resource, period): metric id, plan id… */
  lineKey: string;
  periodStart: Date;
  periodEnd: Date;
  /** Decimal string in `currency` (already converted from kopecks etc.). */
  amount: string;
  currency: string;
  serviceName?: string;
  serviceCategory?: string;
  region?: string;
  consumedQuantity?: string;
  consumedUnit?: string;
  pricingUnit?: string;
  chargeDescription?: string;
  chargeCategory?: 'Usage' | 'Purchase' | 'Tax' | 'Credit' | 'Adjustment';
  subAccountId?: string;
  subAccountName?: string;
  tags?: Record<string, string>;
}

/** A resource as the provider's inventory APIs describe it right now. */
export interface InventoryResource {
  providerResourceId: string;
  name: string;
  type: ResourceType;
  /** Already normalized (ACTIVE → RUNNING, SHUTOFF → STOPPED …). */
  status: ResourceStatus;
  region?: string;
  serviceName?: string;
  /** cpu, ramMb, diskGb, flavor, ips, sizeGb, volumeType, bootable, hostname … */
  specs: Record<string, unknown>;
  /** For volumes: provider ids of the servers they are attached to. */
  attachedTo?: string[];
  /** Price stated by the provider, used when no billing line exists (or the provider bills by plan). */
  price?: StatedPrice;
  createdAt?: string;
  tags?: Record<string, string>;
  /**
   * Waste the provider's own data proves (Yandex: a reserved static IP that nothing uses). Reconcile
   * honours it for any type; volumes are judged by their attachments as well.
   */
  flags?: { orphan?: boolean };
}

export type MetricName = 'cpu_utilization' | 'memory_utilization' | 'memory_usage_mb';

export interface MetricSample {
  resourceId: string;
  metric: MetricName;
  ts: Date;
  value: number;
  unit?: string;
}

/** Account facts: balance and runway go to account_balances, the rest to connections.account. */
export interface AccountInfo {
  accountId?: string;
  name?: string;
  balance?: string;
  currency?: string;
  /** Provider's own prediction of days until the account is blocked. */
  daysToBlock?: number | null;
  /** What the account is charged per day for its plan (Beget). */
  dailyRate?: string;
  details: Record<string, unknown>;
}

/** One endpoint that failed during a sync; the rest of the sync goes on. */
export interface EndpointError {
  endpoint: string;
  region?: string;
  kind: ProviderErrorKind;
  message: string;
}

export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface InventoryResult {
  resources: InventoryResource[];
  errors: EndpointError[];
  /** True when the inventory could not be read at all: the engine then flags no zombies. */
  complete: boolean;
  /**
   * Types this inventory lists completely (default: server and volume). Only a billed object of a
   * covered type that the inventory lacks is a zombie; other billed types just land on a resource.
   */
  coveredTypes?: readonly ResourceType[];
}

/** One sync's live link to a provider account (authenticated once, tokens refreshed inside). */
export interface ProviderSession {
  account(): Promise<AccountInfo>;
  /** Billing lines for the window, in batches (a large account is never held in memory at once). */
  billing(window: TimeWindow): AsyncIterable<BillingLine[]>;
  inventory(): Promise<InventoryResult>;
  metrics(resources: InventoryResource[], window: TimeWindow): AsyncIterable<MetricSample[]>;
  /** Endpoint failures met inside billing/metrics iteration (the iterators keep going past them). */
  readonly errors: EndpointError[];
  /**
   * State to hand to the next sync's `ctx.state` (incremental reads: export objects already seen…).
   * Saved only when the sync stores its results; omit for stateless connectors.
   */
  nextState?(): Record<string, unknown>;
}

export interface ConnectorContext<C, S> {
  credentials: C;
  settings: S;
  logger: Logger;
  http: HttpOptions;
  signal?: AbortSignal;
  /** The sync's clock (tests and the sandbox pin it). */
  now: Date;
  /** What the previous successful sync's session returned from `nextState()` ({} at first). */
  state?: Record<string, unknown>;
}

export interface Connector<C = unknown, S = unknown> {
  provider: Provider;
  /** Validates credentials on create/patch; every field is encrypted at rest. */
  credentialsSchema: z.ZodType<C>;
  settingsSchema: z.ZodType<S>;
  /** How much billing history the first sync backfills. */
  defaultBackfillDays: number;
  /** Authenticates and reads account facts; throws ProviderError with a human-readable reason. */
  test(ctx: ConnectorContext<C, S>): Promise<AccountInfo>;
  open(ctx: ConnectorContext<C, S>): Promise<ProviderSession>;
}
