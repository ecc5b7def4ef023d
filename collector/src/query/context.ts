import type { Queryable } from '../storage/db.js';

/** What every query executor gets: a tenant-scoped transaction and the request's range and currency. */
export interface QueryContext {
  tx: Queryable;
  tenantId: string;
  from: Date;
  to: Date;
  currency: string;
  now: Date;
  intervalMs?: number;
  maxDataPoints?: number;
}
