/**
 * FOCUS 1.2 export of a tenant's normalized costs — every connection, Russian providers included — as a
 * CSV stream. The rows come through a server-side cursor inside withTenant (row-level security scopes
 * them), a page at a time, and csv-stringify's backpressure paces the cursor to the client, so memory
 * stays flat for any size. Values are built in SQL (repositories/focus.ts): decimals are numeric text,
 * never JS numbers; timestamps are UTC ISO 8601 with a Z; null is an empty field.
 */
import type { Readable } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import type { Logger } from '../observability/logger.js';
import type { Database } from '../storage/db.js';
import {
  connectionExists,
  declareFocusExport,
  fetchFocusExport,
  type FocusExportFilter,
} from '../storage/repositories/focus.js';
import { EXPORT_COLUMNS } from './columns.js';
import { FocusError } from './errors.js';
import { FOCUS_PROVIDER_NAMES } from './provider-names.js';

export type { FocusExportFilter } from '../storage/repositories/focus.js';

const PAGE_SIZE = 2_000;

class ExportAborted extends Error {
  constructor() {
    super('the client stopped reading the export');
    this.name = 'ExportAborted';
  }
}

/** Resolves when the stringifier can take more rows, or when it is gone (the client went away). */
function writable(csv: Stringifier): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      csv.off('drain', done);
      csv.off('close', done);
      resolve();
    };
    csv.on('drain', done);
    csv.on('close', done);
  });
}

/**
 * Opens the export. Resolves once the first page is read, so a bad filter or an unknown connection is
 * an error answer (404) rather than a CSV cut short; failures after that end the stream with the error.
 */
export async function openFocusExport(
  db: Database,
  tenantId: string,
  filter: FocusExportFilter,
  logger?: Logger
): Promise<Readable> {
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS] });
  let isOpen = false;
  let opened!: () => void;
  let failed!: (err: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    opened = () => {
      isOpen = true;
      resolve();
    };
    failed = reject;
  });

  const run = db.withTenant(tenantId, async (tx) => {
    if (filter.connectionId && !(await connectionExists(tx, filter.connectionId))) {
      throw new FocusError(404, 'Connection not found');
    }
    await declareFocusExport(tx, filter, FOCUS_PROVIDER_NAMES);
    let page = await fetchFocusExport(tx, PAGE_SIZE);
    opened();
    while (page.length > 0) {
      for (const row of page) {
        if (csv.destroyed) throw new ExportAborted();
        if (!csv.write(EXPORT_COLUMNS.map((c) => row[c] ?? null))) await writable(csv);
      }
      page = await fetchFocusExport(tx, PAGE_SIZE);
    }
  });
  run.then(
    () => csv.end(),
    (err: unknown) => {
      failed(err);
      if (err instanceof ExportAborted) {
        logger?.info({ tenantId }, 'FOCUS export stopped: the client went away');
        return;
      }
      // Before the first page nobody reads the stream yet (an 'error' event would go unheard): the caller
      // gets the error from `ready` instead.
      if (!isOpen) {
        csv.destroy();
        return;
      }
      logger?.error({ err, tenantId }, 'FOCUS export failed midway');
      if (!csv.destroyed) csv.destroy(err as Error);
    }
  );
  await ready;
  return csv;
}
