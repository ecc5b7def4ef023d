/**
 * Hourly consumption (`/v1/cloud_billing/statistic/consumption`), streamed. A large account bills tens of
 * thousands of (object, metric) rows per hour and the API has no pagination, so the window is read in
 * chunks sized from what the previous chunk returned: the first chunk is one hour, the next
 * clamp(floor(50 000 / rows per hour), 1, 24) hours, which keeps a response near 50k rows however big
 * the account is. Each response is handed on in batches of at most 10k lines and then dropped.
 */
import { ProviderError } from '../http/errors.js';
import type { BillingLine, EndpointError, TimeWindow } from '../types.js';
import { ConsumptionMapper } from './billing-mapper.js';
import { apiGet, type SelectelContext } from './context.js';
import { addHours, ceilHour, floorHour, HOUR_MS, toMoscowNaive } from './time.js';
import { asObject, str } from './values.js';

export const CONSUMPTION_ENDPOINT = 'consumption';
export const TARGET_ROWS_PER_CHUNK = 50_000;
export const MAX_CHUNK_HOURS = 24;
export const BATCH_SIZE = 10_000;
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
    for (const row of rows) {
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
    hours = nextChunkHours(rows.length, chunkHours);
    cursor = chunkEnd;
  }
}
