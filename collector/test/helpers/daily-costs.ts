/**
 * Known daily cost series for the analytics tests: one billing line per (connection, service, day) at
 * noon Moscow time, written through the real repository and rolled up like a sync does.
 */
import { addDays } from '../../src/analytics/forecast.js';
import type { Database } from '../../src/storage/db.js';
import { upsertCostRecords, type CostRecordInput } from '../../src/storage/repositories/cost-records.js';
import { refreshCostDaily } from '../../src/storage/rollups.js';

export interface DailyLine {
  day: string;
  service: string;
  amount: string;
}

export async function insertConnection(
  db: Database,
  tenantId: string,
  name: string,
  provider = 'selectel'
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, $2, $3) RETURNING id`,
    [tenantId, name, provider]
  );
  return row!.id;
}

export async function writeDailyCosts(
  db: Database,
  target: { tenantId: string; connectionId: string; provider?: string; currency?: string },
  lines: DailyLine[]
): Promise<void> {
  if (lines.length === 0) return;
  const rows: CostRecordInput[] = lines.map((l) => {
    const start = new Date(`${l.day}T12:00:00+03:00`);
    return {
      tenantId: target.tenantId,
      connectionId: target.connectionId,
      resourceId: `res-${l.service.toLowerCase()}`,
      lineKey: 'usage',
      chargePeriodStart: start,
      chargePeriodEnd: new Date(start.getTime() + 3_600_000),
      provider: target.provider ?? 'selectel',
      billedCost: l.amount,
      effectiveCost: l.amount,
      billingCurrency: target.currency ?? 'RUB',
      serviceName: l.service,
      resourceType: 'server',
    };
  });
  await upsertCostRecords(db, rows);
  const days = lines.map((l) => l.day).sort();
  await refreshCostDaily(db, 'plain', {
    from: new Date(`${days[0]}T00:00:00+03:00`),
    to: new Date(`${addDays(days[days.length - 1]!, 1)}T00:00:00+03:00`),
  });
}

/** Days from `first` for `count` days. */
export const dayRange = (first: string, count: number) => Array.from({ length: count }, (_, i) => addDays(first, i));
