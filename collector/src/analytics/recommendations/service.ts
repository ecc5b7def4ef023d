/**
 * What the recommendations API does: the list with savings totals, a status change by a person
 * (validated, audited), and an on-demand engine run (audited). Foreign and unknown ids are 404.
 */
import type { RecommendationStatus } from '../../contract/query.js';
import type { AuditActor } from '../../services/connections.js';
import type { Database, Queryable } from '../../storage/db.js';
import { appendAudit } from '../../storage/repositories/audit-log.js';
import {
  getRecommendation,
  listRecommendations,
  recommendationTotals,
  setRecommendationStatus,
  type Recommendation,
  type RecommendationFilter,
} from '../../storage/repositories/recommendations.js';
import { refreshTenant, type RecommendationRunResult } from './engine.js';
import { Decimal } from 'decimal.js';

export class RecommendationError extends Error {
  constructor(
    readonly statusCode: 400 | 404,
    message: string,
    readonly details?: { path: string; message: string }[]
  ) {
    super(message);
    this.name = 'RecommendationError';
  }
}

export interface Totals {
  currency: string;
  potentialMonthlySavings: string;
  realizedMonthlySavings: string;
  byStatus: Record<string, { count: number; monthlySavings: string }>;
  byKind: Record<string, { count: number; monthlySavings: string }>;
  /** Recommendations in a currency without a rate to `currency`, left out of the sums. */
  unconverted: number;
}

/** Potential: what open and accepted recommendations would save. Realized: what done ones saved. */
const POTENTIAL = new Set<RecommendationStatus>(['open', 'accepted']);

export async function listWithTotals(
  tx: Queryable,
  filter: RecommendationFilter
): Promise<{ items: Recommendation[]; totals: Totals }> {
  const [tenant] = await tx.query<{ currency: string }>(`SELECT reporting_currency AS currency FROM tenants`);
  const currency = tenant?.currency ?? 'RUB';
  const items = await listRecommendations(tx, filter);
  // Totals cover every status (the page shows them side by side), within the kind and connection filter.
  const rows = await recommendationTotals(tx, { ...filter, statuses: undefined }, currency);
  const zero = () => ({ count: 0, sum: new Decimal(0) });
  const byStatus = new Map<string, ReturnType<typeof zero>>();
  const byKind = new Map<string, ReturnType<typeof zero>>();
  let potential = new Decimal(0);
  let realized = new Decimal(0);
  let unconverted = 0;
  for (const row of rows) {
    const savings = new Decimal(row.savings ?? 0);
    for (const [map, key] of [
      [byStatus, row.status],
      [byKind, row.kind],
    ] as const) {
      const entry = map.get(key) ?? zero();
      entry.count += row.count;
      entry.sum = entry.sum.plus(savings);
      map.set(key, entry);
    }
    if (POTENTIAL.has(row.status)) potential = potential.plus(savings);
    if (row.status === 'done') realized = realized.plus(savings);
    unconverted += row.unconverted;
  }
  const out = (map: Map<string, ReturnType<typeof zero>>) =>
    Object.fromEntries([...map].map(([k, v]) => [k, { count: v.count, monthlySavings: v.sum.toFixed(2) }]));
  return {
    items,
    totals: {
      currency,
      potentialMonthlySavings: potential.toFixed(2),
      realizedMonthlySavings: realized.toFixed(2),
      byStatus: out(byStatus),
      byKind: out(byKind),
      unconverted,
    },
  };
}

export interface StatusChange {
  status: Exclude<RecommendationStatus, 'resolved'>;
  reason?: string | null;
  snoozedUntil?: Date | null;
}

export async function changeStatus(
  db: Database,
  tenantId: string,
  id: string,
  change: StatusChange,
  who: AuditActor,
  now: Date
): Promise<Recommendation> {
  const reason = change.reason?.trim() || null;
  if (change.status === 'dismissed' && !reason)
    throw new RecommendationError(400, 'Invalid body: /reason is required to dismiss a recommendation', [
      { path: '/reason', message: 'is required to dismiss a recommendation' },
    ]);
  if (change.status === 'snoozed' && !(change.snoozedUntil && change.snoozedUntil > now))
    throw new RecommendationError(400, 'Invalid body: /snoozedUntil must be a future time to snooze', [
      { path: '/snoozedUntil', message: 'must be a future time to snooze' },
    ]);
  if (change.status !== 'snoozed' && change.snoozedUntil)
    throw new RecommendationError(400, 'Invalid body: /snoozedUntil is only for status snoozed', [
      { path: '/snoozedUntil', message: 'is only for status snoozed' },
    ]);
  return db.withTenant(tenantId, async (tx) => {
    const before = await getRecommendation(tx, id);
    if (!before) throw new RecommendationError(404, 'Recommendation not found');
    await setRecommendationStatus(tx, id, now, {
      status: change.status,
      reason,
      snoozedUntil: change.status === 'snoozed' ? change.snoozedUntil! : null,
    });
    await appendAudit(tx, {
      tenantId,
      actor: who.actor,
      actorKind: who.actorKind,
      action: 'recommendation.status',
      targetKind: 'recommendation',
      targetId: id,
      sourceIp: who.sourceIp,
      details: {
        kind: before.kind,
        title: before.title,
        from: before.status,
        to: change.status,
        ...(reason ? { reason } : {}),
        ...(change.status === 'snoozed' ? { snoozedUntil: change.snoozedUntil!.toISOString() } : {}),
        tokenId: who.tokenId,
      },
    });
    return (await getRecommendation(tx, id))!;
  });
}

export async function refreshRecommendations(
  db: Database,
  tenantId: string,
  who: AuditActor,
  now: Date
): Promise<RecommendationRunResult> {
  return db.withTenant(tenantId, async (tx) => {
    const result = await refreshTenant(tx, tenantId, now);
    await appendAudit(tx, {
      tenantId,
      actor: who.actor,
      actorKind: who.actorKind,
      action: 'recommendations.refresh',
      targetKind: 'recommendation',
      sourceIp: who.sourceIp,
      details: { ...result, tokenId: who.tokenId },
    });
    return result;
  });
}
