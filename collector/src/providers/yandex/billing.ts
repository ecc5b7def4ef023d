/**
 * Billing from the detailed export (PROVIDERS.md): one CSV per Moscow day in the bucket, rewritten hourly
 * and restated "in any daily file within a month". Each sync lists the bucket and reads only the days
 * with a new or re-exported file (ExportState), oldest first. All lines of a day are handed to the
 * engine together, in batches that hold that day only, so the engine's clear-then-write replaces exactly
 * that day. The day still in progress is left for later: its file is incomplete, and a partial day would
 * read as a cheap day to the engine's cost baseline.
 *
 * Streaming: a file is parsed as it downloads (csv-parse, BOM and CRLF tolerated); memory holds the
 * lines of one day, not the file's text. A file that fails after the retries costs its day only (the
 * stored day stays as it was and is read again next sync); after three failed days in a row the rest
 * is reported unread at once.
 */
import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ProviderError } from '../http/errors.js';
import type { BillingLine, EndpointError, TimeWindow } from '../types.js';
import { foldDay, mapExportRow, REQUIRED_COLUMNS, type ExportRow } from './billing-mapper.js';
import type { YandexContext } from './context.js';
import type { ExportState } from './export-state.js';
import { EXPORT_GET_ENDPOINT, EXPORT_LIST_ENDPOINT, ExportStore, type ExportObject } from './export-store.js';
import { DAY_MS, moscowDayOf, moscowDayStart } from './time.js';

export const BATCH_SIZE = 10_000;
export const MAX_CONSECUTIVE_FAILURES = 3;
export const DEFAULT_BACKFILL_DAYS = 90;

export function createExportStore(c: YandexContext): ExportStore | undefined {
  const { exportBucket } = c.settings;
  const { exportAccessKeyId, exportSecretAccessKey } = c.credentials;
  if (!exportBucket || !exportAccessKeyId || !exportSecretAccessKey) return undefined;
  return new ExportStore({
    endpoint: c.settings.storageUrl,
    bucket: exportBucket,
    prefix: c.settings.exportPrefix,
    accessKeyId: exportAccessKeyId,
    secretAccessKey: exportSecretAccessKey,
    http: c.http,
    logger: c.logger,
    signal: c.signal,
  });
}

/** What one file gave: its lines by day, and rows that could not be used (with the first reason). */
interface FileContent {
  byDay: Map<string, BillingLine[]>;
  unusable: number;
  firstReason?: string;
}

/**
 * Streams one CSV into lines. The header is checked before any row: a wrong file fails as a whole, as
 * does a file that is not CSV at all (a ragged or cut record), with a bad_response the caller retries.
 */
export async function parseExport(
  body: AsyncIterable<Uint8Array>,
  key: string,
  billingAccountId: string | undefined
): Promise<FileContent> {
  try {
    return await parseRows(body, key, billingAccountId);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('CSV_')) throw err;
    throw new ProviderError(
      'bad_response',
      EXPORT_GET_ENDPOINT,
      `yandex export.get: the export file ${key} is not valid CSV (${(err as Error).message})`
    );
  }
}

async function parseRows(
  body: AsyncIterable<Uint8Array>,
  key: string,
  billingAccountId: string | undefined
): Promise<FileContent> {
  const content: FileContent = { byDay: new Map(), unusable: 0 };
  const parser = pipeline(
    Readable.from(body),
    parse({ bom: true, skip_empty_lines: true, relax_column_count: false }),
    () => undefined // errors surface through the iteration below
  );
  let header: string[] | undefined;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record.map((h) => h.trim());
      const missing = REQUIRED_COLUMNS.filter((col) => !header!.includes(col));
      if (missing.length > 0) {
        throw new ProviderError(
          'bad_response',
          EXPORT_GET_ENDPOINT,
          `yandex export.get: the export file ${key} is not a Yandex detailed billing export (missing columns: ${missing.join(', ')})`
        );
      }
      continue;
    }
    const row: ExportRow = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = record[i];
    if (billingAccountId && row.billing_account_id && row.billing_account_id !== billingAccountId) continue;
    const mapped = mapExportRow(row, 'RUB');
    if (!mapped.ok) {
      content.unusable++;
      content.firstReason ??= mapped.reason;
      continue;
    }
    const list = content.byDay.get(mapped.day) ?? [];
    for (const line of mapped.lines) list.push(line);
    content.byDay.set(mapped.day, list);
  }
  return content;
}

const isFatal = (err: ProviderError) => err.kind === 'auth' || err.kind === 'forbidden';

/** Days to read: complete, not older than the horizon, with a file this connection has not read as is. */
export function planDays(
  objects: ExportObject[],
  state: Pick<ExportState, 'unchanged'>,
  horizonDay: string,
  lastCompleteDay: string
): { day: string | undefined; objects: ExportObject[] }[] {
  const groups = new Map<string | undefined, ExportObject[]>();
  for (const object of objects) {
    if (object.day !== undefined && (object.day < horizonDay || object.day > lastCompleteDay)) continue;
    const list = groups.get(object.day) ?? [];
    list.push(object);
    groups.set(object.day, list);
  }
  return [...groups.entries()]
    .filter(([, list]) => list.some((o) => !state.unchanged(o)))
    .map(([day, list]) => ({ day, objects: list.sort((a, b) => a.key.localeCompare(b.key)) }))
    .sort((a, b) => (a.day ?? '\uffff').localeCompare(b.day ?? '\uffff'));
}

export async function* fetchBilling(
  c: YandexContext,
  store: ExportStore | undefined,
  state: ExportState,
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<BillingLine[]> {
  try {
    yield* readExport(c, store, state, window, errors);
  } finally {
    store?.destroy();
  }
}

async function* readExport(
  c: YandexContext,
  store: ExportStore | undefined,
  state: ExportState,
  window: TimeWindow,
  errors: EndpointError[]
): AsyncGenerator<BillingLine[]> {
  if (!store) {
    if (c.settings.exportBucket) {
      errors.push({
        endpoint: EXPORT_LIST_ENDPOINT,
        kind: 'auth',
        message: `the billing export in bucket ${c.settings.exportBucket} needs exportAccessKeyId and exportSecretAccessKey; no costs were read`,
      });
    } else c.logger.info({ provider: 'yandex' }, 'no billing export configured: costs are not read');
    return;
  }
  const backfill = c.settings.backfillDays ?? DEFAULT_BACKFILL_DAYS;
  const horizonDay = [moscowDayOf(window.start), moscowDayOf(new Date(c.now.getTime() - backfill * DAY_MS))].sort()[0]!;
  // The last Moscow day that has ended by the window's end.
  const lastCompleteDay = moscowDayOf(new Date(moscowDayStart(moscowDayOf(window.end)).getTime() - 1));

  let objects: ExportObject[];
  try {
    objects = await store.list();
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    errors.push({ endpoint: EXPORT_LIST_ENDPOINT, kind: err.kind, message: `${err.message}; no costs were read` });
    return;
  }
  state.setListing(objects, horizonDay);
  const plan = planDays(objects, state, horizonDay, lastCompleteDay);
  c.logger.debug({ provider: 'yandex', listed: objects.length, days: plan.length }, 'billing export plan');

  let failures = 0;
  for (const [index, group] of plan.entries()) {
    const label = group.day ?? 'undated files';
    const files: { object: ExportObject; etag: string; content: FileContent }[] = [];
    let failed: ProviderError | undefined;
    for (const object of group.objects) {
      try {
        const { etag, value } = await store.read(object.key, (body) =>
          parseExport(body, object.key, c.settings.billingAccountId)
        );
        files.push({ object, etag: etag || object.etag, content: value });
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        failed = err;
        break;
      }
    }
    if (failed) {
      failures++;
      const rest = plan.length - index - 1;
      const giveUp = isFatal(failed) || (failures >= MAX_CONSECUTIVE_FAILURES && rest > 0);
      errors.push({
        endpoint: EXPORT_GET_ENDPOINT,
        kind: failed.kind,
        message: giveUp
          ? `${failed.message}; ${label} and ${rest} later day(s) were not read`
          : `${failed.message}; ${label} was not read`,
      });
      if (giveUp) return;
      continue;
    }
    failures = 0;

    // A dated file holds its own day: lines dated otherwise would make the engine clear a day whose
    // other lines this sync never read, so they are reported instead of written.
    const byDay = new Map<string, BillingLine[]>();
    let misplaced = 0;
    for (const { object, content } of files) {
      for (const [day, lines] of content.byDay) {
        if (object.day !== undefined && day !== object.day) {
          misplaced += lines.length;
          continue;
        }
        if (day < horizonDay || day > lastCompleteDay) continue;
        const list = byDay.get(day) ?? [];
        for (const line of lines) list.push(line);
        byDay.set(day, list);
      }
      if (content.unusable > 0) {
        errors.push({
          endpoint: EXPORT_GET_ENDPOINT,
          kind: 'bad_response',
          message: `yandex export.get: ${content.unusable} row(s) of ${object.key} were skipped (${content.firstReason})`,
        });
      }
    }
    if (misplaced > 0) {
      errors.push({
        endpoint: EXPORT_GET_ENDPOINT,
        kind: 'bad_response',
        message: `yandex export.get: ${misplaced} line(s) in the files of ${label} carry another date and were skipped`,
      });
    }
    for (const day of [...byDay.keys()].sort()) {
      const lines = foldDay(byDay.get(day)!);
      byDay.delete(day);
      for (let i = 0; i < lines.length; i += BATCH_SIZE) yield lines.slice(i, i + BATCH_SIZE);
    }
    for (const { object, etag } of files) state.markRead(object.key, etag);
  }
}
