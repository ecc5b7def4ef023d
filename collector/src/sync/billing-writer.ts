/**
 * Streams billing lines into cost_records. Each stretch of time a sync re-reads is cleared once and then
 * written with COPY, in one transaction per batch: re-syncing a window or receiving a restated bill
 * replaces the old lines (never doubles them), and a batch that fails leaves the previous data intact.
 */
import type { BillingLine } from '../providers/types.js';
import type { Database } from '../storage/db.js';
import {
  deleteCostWindow,
  insertCostRecords,
  upsertCostRecords,
  type CostRecordInput,
} from '../storage/repositories/cost-records.js';

type Interval = [number, number];

export interface BillingWriterContext {
  tenantId: string;
  connectionId: string;
  provider: string;
  source: 'api' | 'demo';
}

export class BillingWriter {
  private readonly cleared: Interval[] = [];
  written = 0;
  from?: Date;
  to?: Date;

  constructor(
    private readonly db: Database,
    private readonly ctx: BillingWriterContext
  ) {}

  async write(lines: BillingLine[]): Promise<void> {
    if (lines.length === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const line of lines) {
      const t = line.periodStart.getTime();
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const rows = lines.map((line) => this.toRecord(line));
    const gaps = uncovered([min, max], this.cleared);
    const writeWith = async (insert: typeof insertCostRecords) =>
      this.db.transaction(async (tx) => {
        for (const [from, to] of gaps) await deleteCostWindow(tx, this.ctx, new Date(from), new Date(to));
        return insert(tx, rows);
      });
    let result;
    try {
      result = await writeWith(insertCostRecords);
    } catch (err) {
      // The same key in two batches of one window (a provider repeating a line across pages): the
      // batch is rewritten as keyed upserts, which replace instead of colliding.
      if ((err as { code?: string }).code !== '23505') throw err;
      result = await writeWith(upsertCostRecords);
    }
    this.cleared.push([min, max]);
    this.written += result.written;
    if (!this.from || min < this.from.getTime()) this.from = new Date(min);
    if (!this.to || max > this.to.getTime()) this.to = new Date(max);
  }

  private toRecord(line: BillingLine): CostRecordInput {
    const tags: Record<string, string> = { ...line.tags };
    if (line.parentResourceId) tags.parent_resource_id = line.parentResourceId;
    return {
      tenantId: this.ctx.tenantId,
      connectionId: this.ctx.connectionId,
      resourceId: line.resourceId,
      lineKey: line.lineKey,
      chargePeriodStart: line.periodStart,
      chargePeriodEnd: line.periodEnd,
      provider: this.ctx.provider,
      billedCost: line.amount,
      effectiveCost: line.amount,
      billingCurrency: line.currency,
      serviceName: line.serviceName ?? null,
      serviceCategory: line.serviceCategory ?? null,
      regionId: line.region ?? null,
      resourceName: line.resourceName ?? null,
      resourceType: line.resourceType,
      chargeCategory: line.chargeCategory ?? 'Usage',
      chargeDescription: line.chargeDescription ?? null,
      subAccountId: line.subAccountId ?? null,
      consumedQuantity: line.consumedQuantity ?? null,
      consumedUnit: line.consumedUnit ?? null,
      pricingUnit: line.pricingUnit ?? null,
      tags,
      source: this.ctx.source,
    };
  }
}

/** Parts of [from, to] not yet inside any cleared interval (batches arrive roughly in time order). */
export function uncovered([from, to]: Interval, cleared: Interval[]): Interval[] {
  let pieces: Interval[] = [[from, to]];
  for (const [a, b] of cleared) {
    const next: Interval[] = [];
    for (const [x, y] of pieces) {
      if (b < x || a > y) {
        next.push([x, y]);
        continue;
      }
      if (x < a) next.push([x, a - 1]);
      if (y > b) next.push([b + 1, y]);
    }
    pieces = next;
  }
  return pieces;
}
