/**
 * Scheduled syncs. Every replica ticks (node-cron); each tick claims the connections whose slot has
 * come with `FOR UPDATE SKIP LOCKED` and moves their `next_sync_at` to the following slot in the same
 * transaction, so a slot is claimed by exactly one replica. The snapshot's unique (connection, slot)
 * index and the per-connection advisory lock back this up. No in-process state decides anything.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Logger } from '../observability/logger.js';
import { PROVIDERS } from '../domain/providers.js';
import { connectorFor } from '../providers/registry.js';
import type { Database } from '../storage/db.js';
import { dueConnections, setNextSync } from '../storage/repositories/connection-sync.js';
import { SyncError, type SyncService } from './service.js';

export const SCHEDULE_TIME_ZONE = 'Europe/Moscow';
const CLAIM_LIMIT = 20;

/** Hourly, at a minute derived from the connection id: many connections do not all start at :00. */
export function defaultSchedule(connectionId: string): string {
  return `${Number.parseInt(connectionId.replace(/-/g, '').slice(0, 8), 16) % 60} * * * *`;
}

export function nextSlot(schedule: string | null, connectionId: string, after: Date): Date {
  return CronExpressionParser.parse(schedule ?? defaultSchedule(connectionId), {
    currentDate: after,
    tz: SCHEDULE_TIME_ZONE,
  })
    .next()
    .toDate();
}

export interface TickResult {
  claimed: number;
  started: number;
}

export class SyncScheduler {
  lastTickAt: Date | null = null;

  constructor(
    private readonly db: Database,
    private readonly syncs: SyncService,
    private readonly logger: Logger
  ) {}

  async tick(now = new Date()): Promise<TickResult> {
    this.lastTickAt = now;
    const providers = PROVIDERS.filter((p) => connectorFor(p));
    const claimed = await this.db.transaction(async (tx) => {
      const due = await dueConnections(tx, providers, CLAIM_LIMIT);
      for (const c of due) await setNextSync(tx, c.id, nextSlot(c.schedule, c.id, now));
      // A never-scheduled connection's first slot is now; otherwise the slot it was due for.
      return due.map((c) => ({ ...c, slot: c.nextSyncAt ?? new Date(Math.floor(now.getTime() / 1000) * 1000) }));
    });
    let started = 0;
    for (const c of claimed) {
      try {
        await this.syncs.start(c.tenantId, c.id, 'scheduled', { scheduledFor: c.slot });
        started++;
      } catch (err) {
        if (err instanceof SyncError)
          this.logger.debug({ connectionId: c.id, reason: err.code }, 'scheduled sync skipped');
        else this.logger.error({ err, connectionId: c.id }, 'scheduled sync failed to start');
      }
    }
    return { claimed: claimed.length, started };
  }
}
