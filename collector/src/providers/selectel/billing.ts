/**
 * Hourly consumption (`/v1/cloud_billing/statistic/consumption`), streamed. A large account bills tens of
 * thousands of (object, metric) rows per hour and the API has no pagination, so the window is read in
 * chunks sized from what the previous chunk returned: the first chunk is one hour, the next
 * clamp(floor(20 000 / rows per hour), 1, 24) hours, which keeps a response near 20k rows however big
 * the account is. Each response is handed on in batches of at most 5k lines and then dropped.
 *
 * Those sizes bound the sync's memory: a response is held three ways at once while it is decoded (bytes,
 * text, parsed rows), and V8 lets the heap grow to about four times what is live at its last full GC.
 * Measured on a 20k-rows-per-hour account (5,000 VMs, 10,000 volumes; `npm run bench`): 50k-row chunks
 * and 10k batches peaked at ~530 MB RSS, 20k and 5k at ~350–390 MB.
 */
import { setImmediate } from 'node:timers/promises';
import { ProviderError } from '../http/errors.js';
import type { BillingLine, EndpointError, TimeWindow } from '../types.js';
import { ConsumptionMapper } from './billing-mapper.js';
import { apiGet, type SelectelContext } from './context.js';
import { addHours, ceilHour, floorHour, HOUR_MS, toMoscowNaive } from './time.js';
import { asObject, str } from './values.js';

export const CONSUMPTION_ENDPOINT = 'consumption';
export const TARGET_ROWS_PER_CHUNK = 20_000;
export const MAX_CHUNK_HOURS = 24;
export const BATCH_SIZE = 5_000;
/** Rows mapped between two turns of the event loop (~1 ms of work). */
const YIELD_EVERY_ROWS = 1_000;
/**
 * After this many chunks in a row fail (each already retried by the HTTP client), the API is down, not
 * flaky: the rest of the window is reported once instead of spending hours on doomed requests.
 */
export const MAX_CONSECUTIVE_FAILURES = 3;

/** Hours for the next chunk, from the rows the last one returned. */
export function nextChunkHours(rows: number, hours: number): number {
  const perHour = rows / Math.max(hours, 1);
  if (perHour <= 0) return MAX_CHUNK_HOURS;
  return Math.min(MAX_CHUNK_HOURS, Math.max(1, Math.floor(TARGET_ROWS_PER_CHUNK / perHour)));
}

const utc = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The rows of one chunk [from, to): `end` is the chunk's last second, so a boundary hour is never asked twice. */
async function fetchChunk(c: SelectelContext, from: Date, to: Date): Promise<unknown[]> {
  const body = await apiGet(c, CONSUMPTION_ENDPOINT, '/v1/cloud_billing/statistic/consumption', {
    provider_keys: c.settings.providerKeys,
    start: toMoscowNaive(from),
    end: toMoscowNaive(new Date(to.getTime() - 1000)),
    group_type: 'project_object_region_metric',
    period_group_type: 'hour',
    locale: 'ru',
  });
  const root = asObject(body);
  const status = str(root.status);
  if (status !== undefined && status !== 'success') {
    throw new ProviderError(
      'provider',
      CONSUMPTION_ENDPOINT,
      `Selectel consumption: the API answered status "${status}"`
    );
  }
  if (!Array.isArray(root.data)) {
    throw new ProviderError(
      'bad_response',
      CONSUMPTION_ENDPOINT,
      'Selectel consumption: the response has no data list'
    );
  }
  return root.data;
}

/**
 * Billing lines for every hour whose start lies in [floor-to-hour(window.start), window.end). A chunk
 * that still fails after the client's retries is recorded in `errors` and skipped; bad credentials end
 * the iteration (every other chunk would fail the same way).
 */
export async function* fetchBilling(
  c: SelectelContext,
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<BillingLine[]> {
  const last = ceilHour(window.end);
  let cursor = floorHour(window.start);
  let hours = 1;
  let failures = 0;
  const mapper = new ConsumptionMapper();
  while (cursor < last) {
    const chunkEnd = new Date(Math.min(addHours(cursor, hours).getTime(), last.getTime()));
    const chunkHours = (chunkEnd.getTime() - cursor.getTime()) / HOUR_MS;
    let rows: unknown[];
    try {
      rows = await fetchChunk(c, cursor, chunkEnd);
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind === 'auth' || err.kind === 'forbidden') throw err;
      failures++;
      if (failures >= MAX_CONSECUTIVE_FAILURES && chunkEnd < last) {
        errors.push({
          endpoint: CONSUMPTION_ENDPOINT,
          kind: err.kind,
          message: `${err.message}; ${failures} chunks in a row failed, billing from ${utc(cursor)} to ${utc(last)} UTC was not read`,
        });
        return;
      }
      errors.push({
        endpoint: CONSUMPTION_ENDPOINT,
        kind: err.kind,
        message: `${err.message}; billing from ${utc(cursor)} to ${utc(chunkEnd)} UTC was not read`,
      });
      c.logger.warn(
        { provider: 'selectel', endpoint: CONSUMPTION_ENDPOINT, kind: err.kind, from: cursor, to: chunkEnd },
        'consumption chunk skipped'
      );
      cursor = chunkEnd;
      continue;
    }
    failures = 0;

    let batch: BillingLine[] = [];
    let unusable = 0;
    const rowCount = rows.length;
    for (let i = 0; i < rowCount; i++) {
      const row = rows[i];
      // Dropped once mapped: the chunk's parsed JSON shrinks while its lines are being written.
      rows[i] = undefined;
      // The sync writes the previous batch while this one is mapped (it prefetches); giving the event
      // loop a turn now and then lets the mapping fill the time spent waiting on the database instead
      // of running ahead of the write in one block.
      if (i % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await setImmediate();
      const line = mapper.map(row);
      if (line === undefined) {
        unusable++;
        continue;
      }
      // The API may return an hour that merely overlaps the range; keep each hour in exactly one chunk.
      if (line.periodStart < cursor || line.periodStart >= chunkEnd || line.periodStart >= window.end) continue;
      batch.push(line);
      if (batch.length >= BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    if (unusable > 0) {
      errors.push({
        endpoint: CONSUMPTION_ENDPOINT,
        kind: 'bad_response',
        message: `Selectel consumption: ${unusable} rows from ${utc(cursor)} to ${utc(chunkEnd)} UTC had no usable amount or period and were skipped`,
      });
    }
    hours = nextChunkHours(rowCount, chunkHours);
    cursor = chunkEnd;
  }
}
