/**
 * Consumption (`GET {billing}/v2/consumption`) over a sync window, read in chunks of complete Moscow days,
 * each paged with `page_filter.page_token`. A chunk is read completely before any of its lines is
 * handed to the engine, so a chunk that fails half-way replaces nothing; it is recorded in the
 * session's errors and skipped, and after three failing chunks in a row the rest of the window is
 * reported unread (the API is down, not flaky). A rejected key or a missing role ends the read with
 * the reason. Rows repeating a (resource, SKU, period) are summed, never dropped.
 */
import { Decimal } from 'decimal.js';
import { ProviderError } from '../http/errors.js';
import type { BillingLine, EndpointError, TimeWindow } from '../types.js';
import { asObject, str } from '../values.js';
import { mapConsumptionRow } from './billing-mapper.js';
import { apiError, type CloudruContext } from './context.js';
import { DAY_MS, moscowDate, moscowDayStart, parseUseDate, periodOf, requestDate, type UseDate } from './usedate.js';

export const CONSUMPTION_ENDPOINT = 'consumption';
export const BATCH_SIZE = 10_000;
export const PAGE_SIZE = 1000;
const MAX_PAGES = 100_000;
const MAX_CHUNK_DAYS = 7;
/** Rows a chunk aims at: its lines are held in memory until the chunk is complete. */
const TARGET_CHUNK_ROWS = 20_000;
const MAX_FAILED_CHUNKS = 3;

/** Days in the next chunk from the rows per day seen: 1 … 7. */
export function nextChunkDays(rows: number, days: number): number {
  const perDay = rows / Math.max(1, days);
  if (perDay <= 0) return MAX_CHUNK_DAYS;
  return Math.max(1, Math.min(MAX_CHUNK_DAYS, Math.floor(TARGET_CHUNK_ROWS / perDay)));
}

/** Every row of [from, to) by Moscow date, page by page (`maxPages` bounds a probe). */
export async function readConsumption(
  c: CloudruContext,
  from: Date,
  to: Date,
  { pageSize = PAGE_SIZE, maxPages = MAX_PAGES }: { pageSize?: number; maxPages?: number } = {}
): Promise<unknown[]> {
  const rows: unknown[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  const url = `${c.settings.billingUrl}/v2/consumption`;
  for (let page = 0; page < maxPages; page++) {
    let body: unknown;
    try {
      const res = await c.http.request({
        endpoint: CONSUMPTION_ENDPOINT,
        url,
        query: {
          project_ids: c.settings.projectIds,
          start_date: requestDate(from),
          end_date: requestDate(to),
          'page_filter.page_size': pageSize,
          'page_filter.page_token': token,
        },
      });
      body = res.body;
    } catch (err) {
      throw apiError(
        err,
        url,
        'the Cloud.ru service account may not read consumption (HTTP 403); give it a role that can view billing of the organization'
      );
    }
    const answer = asObject(body);
    if (!Array.isArray(answer.consumptions)) {
      throw new ProviderError(
        'bad_response',
        CONSUMPTION_ENDPOINT,
        `Cloud.ru ${CONSUMPTION_ENDPOINT}: the response has no "consumptions" list`
      );
    }
    for (const row of answer.consumptions) rows.push(row);
    const next = str(answer.next_page_token);
    if (!next || seen.has(next)) return rows;
    seen.add(next);
    token = next;
  }
  if (maxPages === MAX_PAGES) {
    c.logger.warn({ provider: 'cloudru', endpoint: CONSUMPTION_ENDPOINT }, 'pagination stopped at the page limit');
  }
  return rows;
}

/**
 * Rows → lines whose period lies inside `keep`, summed per (resource, line key, period start).
 * `hourly` says whether timestamps seen so far carried times of day (it sticks once true).
 */
export function linesOfChunk(
  rows: unknown[],
  keep: TimeWindow,
  options: { includeVat: boolean; defaultProjectId?: string; hourly: boolean }
): { lines: BillingLine[]; hourly: boolean; skipped: number } {
  const parsed = rows.map((row) => ({ row, use: parseUseDate(asObject(row).usedate) }));
  const hourly = options.hourly || parsed.some((p) => p.use?.timeOfDay === true);
  const byKey = new Map<string, BillingLine>();
  let skipped = 0;
  for (const { row, use } of parsed) {
    if (!use) {
      skipped++;
      continue;
    }
    const period = periodOf(use as UseDate, hourly);
    if (period.start < keep.start || period.end > keep.end) continue;
    const lines = mapConsumptionRow(row, period, options);
    if (lines.length === 0) skipped++;
    for (const line of lines) {
      const key = `${line.resourceId}\u0000${line.lineKey}\u0000${line.periodStart.getTime()}`;
      const seen = byKey.get(key);
      if (!seen) byKey.set(key, line);
      else {
        seen.amount = new Decimal(seen.amount).plus(line.amount).toFixed();
        if (seen.consumedQuantity !== undefined && line.consumedQuantity !== undefined) {
          seen.consumedQuantity = new Decimal(seen.consumedQuantity).plus(line.consumedQuantity).toFixed();
        }
      }
    }
  }
  return { lines: [...byKey.values()], hourly, skipped };
}

/**
 * Complete Moscow days only: the current day is still being metered, and a partial day read as a whole
 * one would understate the resource's daily cost. It is read once over (later syncs re-read 3 days).
 */
export async function* fetchBilling(
  c: CloudruContext,
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<BillingLine[]> {
  const end = moscowDayStart(new Date(Math.min(window.end.getTime(), c.now.getTime()))).getTime();
  const defaultProjectId = c.settings.projectIds.length === 1 ? c.settings.projectIds[0] : undefined;
  let day = moscowDayStart(window.start).getTime();
  let chunkDays = 1;
  let failedInRow = 0;
  let hourly = false;
  while (day < end) {
    const chunkEnd = Math.min(day + chunkDays * DAY_MS, end);
    const days = Math.round((chunkEnd - day) / DAY_MS);
    let rows: unknown[];
    try {
      rows = await readConsumption(c, new Date(day), new Date(chunkEnd));
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind === 'auth' || err.kind === 'forbidden') throw err;
      failedInRow++;
      const range = `${moscowDate(new Date(day))} … ${moscowDate(new Date(chunkEnd - DAY_MS))}`;
      errors.push({ endpoint: CONSUMPTION_ENDPOINT, kind: err.kind, message: `${err.message} (days ${range})` });
      c.logger.warn({ provider: 'cloudru', kind: err.kind, range }, 'consumption chunk failed; skipped');
      day = chunkEnd;
      if (failedInRow >= MAX_FAILED_CHUNKS && day < end) {
        errors.push({
          endpoint: CONSUMPTION_ENDPOINT,
          kind: err.kind,
          message: `${MAX_FAILED_CHUNKS} chunks in a row failed; consumption from ${moscowDate(new Date(day))} on was not read`,
        });
        return;
      }
      continue;
    }
    failedInRow = 0;
    const keep = { start: new Date(Math.max(day, window.start.getTime())), end: new Date(chunkEnd) };
    const chunk = linesOfChunk(rows, keep, { includeVat: c.settings.includeVat, defaultProjectId, hourly });
    hourly = chunk.hourly;
    if (chunk.skipped > 0) {
      c.logger.warn(
        { provider: 'cloudru', skipped: chunk.skipped },
        'consumption rows without a date or amount skipped'
      );
    }
    for (let i = 0; i < chunk.lines.length; i += BATCH_SIZE) yield chunk.lines.slice(i, i + BATCH_SIZE);
    chunkDays = nextChunkDays(rows.length, days);
    day = chunkEnd;
  }
}
