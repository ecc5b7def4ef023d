/**
 * The billing-first sync, one engine for every provider (reference §6.2, 8 phases):
 *   1 billing   — account facts, then billing lines streamed into cost_records
 *   2 grouping  — what was billed in the latest day, by normalized type
 *   3 servers   — inventory read; VMs enriched, zombies (billed, not in inventory) flagged; utilization
 *   4 volumes   — folded into VMs (attachment, billing parent, `disk-for-{VM}`), orphans flagged
 *   5 file storage, 6 generic services — every other billed line lands on a resource
 *   7 unification — VM cost = compute + its volumes
 *   8 completion — change detection, resources and states stored, balance, snapshot closed
 * Connectors fetch and map; everything stored is written here.
 */
import { Decimal } from 'decimal.js';
import { SYNC_PHASES } from '../contract/management.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HttpOptions } from '../providers/http/client.js';
import { describeProviderError } from '../providers/http/errors.js';
import type {
  AccountInfo,
  Connector,
  EndpointError,
  InventoryResult,
  ProviderSession,
  TimeWindow,
} from '../providers/types.js';
import type { Database } from '../storage/db.js';
import type { StorageMode } from '../storage/migrate.js';
import {
  insertBalance,
  loadSyncState,
  recordSyncResult,
  saveSyncState,
} from '../storage/repositories/connection-sync.js';
import {
  activeResources,
  billedObjects,
  deactivateResources,
  insertResourceStates,
  setParents,
  upsertResources,
  type StateRow,
} from '../storage/repositories/inventory.js';
import { upsertMetricSamples } from '../storage/repositories/resource-metrics.js';
import {
  completeSnapshot,
  lastGoodSnapshot,
  recordProgress,
  type PhaseRecord,
  type SnapshotOutcome,
  type SnapshotStatus,
} from '../storage/repositories/snapshots.js';
import { refreshCostDaily, refreshMetricsHourly } from '../storage/rollups.js';
import { BillingWriter } from './billing-writer.js';
import { money } from './cost-baseline.js';
import { compareStates, viewOf } from './diff.js';
import { groupByType, reconcile, type ReconciledResource } from './reconcile.js';

/** The phase list is shared with the app plugin through the management contract. */
export const PHASES = SYNC_PHASES;

export interface SyncDeps {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  http: HttpOptions;
  storageMode: () => StorageMode;
}

export interface SyncJob {
  tenantId: string;
  connectionId: string;
  provider: Connector['provider'];
  snapshotId: string;
  connector: Connector<unknown, unknown>;
  credentials: unknown;
  settings: { backfillDays?: number; collectMetrics?: boolean } & Record<string, unknown>;
  source: 'api' | 'demo';
  signal: AbortSignal;
  now: Date;
}

/** Later syncs re-read this much billing: providers restate recent hours and days. */
export const RESYNC_DAYS = 3;
/** Utilization history fetched on a first sync (and the cap for later ones). */
export const METRICS_BACKFILL_DAYS = 7;

const DAY = 86_400_000;
const MOSCOW_OFFSET = 3 * 3600_000;

/** Midnight in Moscow (UTC+3, no DST) at or before `t`: billing windows start on whole reporting days. */
export function moscowMidnight(t: number): Date {
  return new Date(Math.floor((t + MOSCOW_OFFSET) / DAY) * DAY - MOSCOW_OFFSET);
}

class PhaseTracker {
  readonly phases: PhaseRecord[] = [];
  private current?: { record: PhaseRecord; started: number };

  constructor(
    private readonly deps: SyncDeps,
    private readonly snapshotId: string
  ) {}

  async begin(index: number, window?: TimeWindow): Promise<void> {
    this.end();
    const record: PhaseRecord = {
      phase: index + 1,
      name: PHASES[index]!,
      status: 'running',
      startedAt: new Date().toISOString(),
    };
    this.phases.push(record);
    this.current = { record, started: Date.now() };
    await recordProgress(this.deps.db, this.snapshotId, {
      phase: index + 1,
      phaseName: record.name,
      phases: this.phases,
      window,
    });
  }

  count(counts: Record<string, number>): void {
    if (this.current) this.current.record.counts = { ...this.current.record.counts, ...counts };
  }

  end(status: PhaseRecord['status'] = 'done', message?: string): void {
    if (!this.current) return;
    this.current.record.status = status;
    this.current.record.durationMs = Date.now() - this.current.started;
    if (message) this.current.record.message = message;
    this.current = undefined;
  }
}

export async function runSync(deps: SyncDeps, job: SyncJob): Promise<SnapshotOutcome> {
  const log = deps.logger.child({ connectionId: job.connectionId, snapshotId: job.snapshotId, provider: job.provider });
  const tracker = new PhaseTracker(deps, job.snapshotId);
  const errors: EndpointError[] = [];
  const started = Date.now();
  const outcome: SnapshotOutcome = {
    status: 'running' as SnapshotStatus,
    phases: tracker.phases,
    counts: { found: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 },
    totalDailyCost: null,
    totalMonthlyCost: null,
    currency: null,
    resourcesByType: {},
    resourcesByStatus: {},
    endpointErrors: errors,
    errorMessage: null,
    linesWritten: 0,
    metricsWritten: 0,
    stats: {},
  };
  let account: AccountInfo | undefined;
  try {
    const ctx = {
      credentials: job.credentials,
      settings: job.settings,
      logger: log,
      http: deps.http,
      signal: job.signal,
      now: job.now,
      state: await loadSyncState(deps.db, job.connectionId),
    };
    const window = await billingWindow(deps.db, job);

    // Phase 1: billing first.
    await tracker.begin(0, window);
    const session = await job.connector.open(ctx);
    account = await session.account().catch((err: unknown) => {
      errors.push({ endpoint: 'account', ...describeProviderError(err) });
      return undefined;
    });
    const writer = new BillingWriter(deps.db, {
      tenantId: job.tenantId,
      connectionId: job.connectionId,
      provider: job.provider,
      source: job.source,
    });
    const errorsBefore = session.errors.length;
    for await (const batch of prefetch(session.billing(window))) {
      job.signal.throwIfAborted();
      await writer.write(batch);
    }
    const billingComplete = session.errors.length === errorsBefore;
    outcome.linesWritten = writer.written;
    deps.metrics.rowsWritten.inc({ table: 'cost_records' }, writer.written);
    tracker.count({ lines: writer.written });
    if (writer.from && writer.to) {
      await refreshCostDaily(deps.db, deps.storageMode(), {
        from: writer.from,
        to: new Date(writer.to.getTime() + DAY),
      });
    }

    // Phase 2: what is billed now, grouped by normalized type.
    await tracker.begin(1);
    const billed = await billedObjects(deps.db, job.connectionId, window.start);
    const groups = groupByType(billed);
    tracker.count(Object.fromEntries([...groups].map(([type, list]) => [type, list.length])));

    // Phase 3: inventory and VM enrichment (utilization included).
    await tracker.begin(2);
    const inventory = await readInventory(session, errors);
    tracker.count({ inventory: inventory.resources.length });
    if (job.settings.collectMetrics !== false) {
      outcome.metricsWritten = await collectMetrics(deps, job, session, inventory, window);
      tracker.count({ metricSamples: outcome.metricsWritten });
    }
    const result = reconcile({ billed, inventory });
    tracker.count({
      servers: result.phaseCounts.servers,
      zombies: result.resources.filter((r) => r.type === 'server' && r.zombie).length,
    });

    await tracker.begin(3);
    tracker.count({
      volumes: result.phaseCounts.volumes,
      folded: result.resources.filter((r) => r.type === 'volume' && r.parentProviderId).length,
      orphans: result.resources.filter((r) => r.orphan).length,
    });
    await tracker.begin(4);
    tracker.count({ fileStorage: result.phaseCounts.fileStorage });
    await tracker.begin(5);
    tracker.count({ services: result.phaseCounts.generic });
    await tracker.begin(6);
    tracker.count({ unifiedServers: result.phaseCounts.unified });

    // Phase 8: store, compare, close.
    await tracker.begin(7);
    errors.push(...session.errors.filter((e) => !errors.includes(e)));
    const inventoryTrusted = inventory.complete && billingComplete;
    await storeInventory(deps, job, result.resources, inventoryTrusted, outcome);
    summarize(result.resources, outcome);
    if (account) {
      await insertBalance(deps.db, {
        tenantId: job.tenantId,
        connectionId: job.connectionId,
        ts: job.now,
        account,
        dailySpend: outcome.totalDailyCost,
        daysToBlock: account.daysToBlock ?? runway(account.balance, outcome.totalDailyCost),
      });
    }
    outcome.stats = {
      zombies: result.resources.filter((r) => r.zombie).length,
      orphans: result.resources.filter((r) => r.orphan).length,
      billingComplete,
      inventoryComplete: inventory.complete,
      windowDays: Math.round((window.end.getTime() - window.start.getTime()) / DAY),
    };
    if (session.nextState) await saveSyncState(deps.db, job.connectionId, session.nextState());
    tracker.end();
    outcome.status = errors.length > 0 ? 'partial' : 'success';
  } catch (err) {
    tracker.end('failed', describeProviderError(err).message);
    outcome.status = job.signal.aborted ? 'interrupted' : 'error';
    outcome.errorMessage = job.signal.aborted
      ? 'the collector stopped during the sync'
      : describeProviderError(err).message;
    if (!job.signal.aborted && !(err as { kind?: string }).kind) log.error({ err }, 'sync failed');
    else log.warn({ reason: outcome.errorMessage }, 'sync failed');
  }
  outcome.endpointErrors = errors;
  await completeSnapshot(deps.db, job.snapshotId, outcome);
  await recordSyncResult(deps.db, job.connectionId, {
    status: outcome.status,
    error:
      outcome.errorMessage ??
      (errors.length ? `${errors.length} endpoint(s) failed: ${errors.map((e) => e.endpoint).join(', ')}` : null),
    account: account ? accountJson(account) : undefined,
  });
  deps.metrics.syncRuns.inc({ provider: job.provider, status: outcome.status });
  deps.metrics.syncDuration.observe({ provider: job.provider }, (Date.now() - started) / 1000);
  log.info(
    { status: outcome.status, lines: outcome.linesWritten, resources: outcome.counts.found, ms: Date.now() - started },
    'sync finished'
  );
  return outcome;
}

async function billingWindow(db: Database, job: SyncJob): Promise<TimeWindow> {
  const now = job.now.getTime();
  const last = await lastGoodSnapshot(db, job.connectionId);
  const backfill = job.settings.backfillDays ?? job.connector.defaultBackfillDays;
  if (!last) return { start: moscowMidnight(now - backfill * DAY), end: job.now };
  // Re-read recent days (restatements) and everything since the last good sync if it was long ago.
  const since = Math.min(now - RESYNC_DAYS * DAY, last.startedAt.getTime() - DAY);
  return { start: moscowMidnight(Math.max(since, now - backfill * DAY)), end: job.now };
}

async function readInventory(session: ProviderSession, errors: EndpointError[]): Promise<InventoryResult> {
  try {
    const inventory = await session.inventory();
    errors.push(...inventory.errors);
    return inventory;
  } catch (err) {
    errors.push({ endpoint: 'inventory', ...describeProviderError(err) });
    return { resources: [], errors: [], complete: false };
  }
}

async function collectMetrics(
  deps: SyncDeps,
  job: SyncJob,
  session: ProviderSession,
  inventory: InventoryResult,
  billingWindow: TimeWindow
): Promise<number> {
  const start = Math.max(billingWindow.start.getTime(), job.now.getTime() - METRICS_BACKFILL_DAYS * DAY);
  const window = { start: new Date(start), end: job.now };
  let written = 0;
  let from = Infinity;
  let to = -Infinity;
  for await (const batch of session.metrics(inventory.resources, window)) {
    job.signal.throwIfAborted();
    const rows = batch.map((s) => ({ tenantId: job.tenantId, connectionId: job.connectionId, ...s }));
    const result = await upsertMetricSamples(deps.db, rows);
    written += result.written;
    if (result.window) {
      from = Math.min(from, result.window.from.getTime());
      to = Math.max(to, result.window.to.getTime());
    }
  }
  deps.metrics.rowsWritten.inc({ table: 'resource_metrics' }, written);
  if (written > 0)
    await refreshMetricsHourly(deps.db, deps.storageMode(), { from: new Date(from), to: new Date(to + 3600_000) });
  return written;
}

async function storeInventory(
  deps: SyncDeps,
  job: SyncJob,
  resources: ReconciledResource[],
  trusted: boolean,
  outcome: SnapshotOutcome
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const previous = await activeResources(tx, job.connectionId);
    const ids = await upsertResources(
      tx,
      { tenantId: job.tenantId, connectionId: job.connectionId, provider: job.provider, snapshotId: job.snapshotId },
      resources
    );
    await setParents(tx, job.connectionId, resources);
    const states: StateRow[] = [];
    for (const r of resources) {
      const current = viewOf(r);
      const prev = previous.get(r.providerResourceId)?.view;
      const change = compareStates(prev, current);
      outcome.counts[change.action]++;
      states.push({
        resourceId: ids.get(r.providerResourceId) ?? null,
        providerResourceId: r.providerResourceId,
        previous: prev,
        current,
        change,
        serviceName: r.serviceName,
      });
    }
    // Only a complete read may conclude that something is gone; otherwise it stays as it was.
    if (trusted) {
      const seen = new Set(resources.map((r) => r.providerResourceId));
      const gone = [...previous.values()].filter((p) => !seen.has(p.providerResourceId));
      await deactivateResources(
        tx,
        job.connectionId,
        job.snapshotId,
        gone.map((g) => g.providerResourceId)
      );
      for (const g of gone) {
        outcome.counts.deleted++;
        states.push({
          resourceId: g.id,
          providerResourceId: g.providerResourceId,
          previous: g.view,
          change: compareStates(g.view, undefined),
          serviceName: null,
        });
      }
    }
    await insertResourceStates(tx, job.tenantId, job.snapshotId, states);
  });
  outcome.counts.found = resources.length;
}

function summarize(resources: ReconciledResource[], outcome: SnapshotOutcome): void {
  let total = new Decimal(0);
  const currencies = new Set<string>();
  for (const r of resources) {
    outcome.resourcesByType[r.type] = (outcome.resourcesByType[r.type] ?? 0) + 1;
    outcome.resourcesByStatus[r.status] = (outcome.resourcesByStatus[r.status] ?? 0) + 1;
    // Children are inside their parent's unified cost: count each money figure once.
    if (r.parentProviderId || !r.baseline) continue;
    total = total.plus(r.baseline.daily);
    currencies.add(r.baseline.currency);
  }
  if (currencies.size === 1) {
    outcome.currency = [...currencies][0]!;
    outcome.totalDailyCost = money(total);
    outcome.totalMonthlyCost = money(total.mul(30));
  }
}

/** Days the balance lasts at the current daily spend, when the provider does not say. */
function runway(balance: string | undefined, daily: string | null): number | null {
  if (balance === undefined || daily === null || new Decimal(daily).lte(0)) return null;
  return new Decimal(balance).div(daily).floor().toNumber();
}

function accountJson(a: AccountInfo): Record<string, unknown> {
  return {
    accountId: a.accountId ?? null,
    name: a.name ?? null,
    balance: a.balance ?? null,
    currency: a.currency ?? null,
    daysToBlock: a.daysToBlock ?? null,
    dailyRate: a.dailyRate ?? null,
    details: a.details,
    updatedAt: new Date().toISOString(),
  };
}

/** Fetches the next batch while the current one is written: provider latency and COPY overlap. */
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  while (true) {
    const current = await next;
    if (current.done) return;
    next = it.next();
    // An error from the prefetched call surfaces on the next await; keep it from being "unhandled".
    next.catch(() => undefined);
    yield current.value;
  }
}
