/**
 * FOCUS import: one or more CSV files (the parts of one export) into a `focus` connection, atomically.
 *
 * Everything happens in one transaction, streamed end to end (upload → csv-parse → COPY text → COPY
 * FROM STDIN), so memory stays flat whatever the file size and a fatal error (database failure, aborted
 * upload, unreadable file) leaves the database as it was.
 *
 * Re-import semantics: a file replaces the connection's imported lines of every billing period it
 * contains (BillingPeriodStart). When a row of a billing period not yet seen in this import arrives, the
 * COPY is paused, that period's old lines are deleted, and copying goes on. Importing the same file again
 * therefore leaves the totals unchanged; a restated export of a month replaces the month. Corrections
 * (ChargeClass = Correction) belong to the billing period that invoices them, so they adjust earlier
 * charge periods without touching — or doubling — the lines they correct. An export split into several
 * files must be imported in one request (several multipart files, or several CLI arguments): importing
 * the parts one by one would let each part replace the previous one.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Logger } from '../observability/logger.js';
import type { Database, Queryable } from '../storage/db.js';
import type { StorageMode } from '../storage/migrate.js';
import { appendAudit } from '../storage/repositories/audit-log.js';
import { recordSyncResult } from '../storage/repositories/connection-sync.js';
import { findConnection } from '../storage/repositories/connections.js';
import {
  completeImportSnapshot,
  copyCostRecordLines,
  deleteFocusBillingPeriod,
  importedResources,
  insertImportSnapshot,
  refreshFocusBaselines,
  tryLockFocusImport,
  upsertFocusResources,
} from '../storage/repositories/focus.js';
import { refreshCostDaily } from '../storage/rollups.js';
import { FocusError, badFile } from './errors.js';
import { resourceTypeOf } from './resource-types.js';
import { COPY_COLUMNS, resolveHeader, toCopyLine, type HeaderLayout, type RowOutcome } from './rows.js';
import { openSource, type CsvItem } from './source.js';
import type { Timestamp } from './values.js';

/**
 * Which collector process ran the import (host:pid), as sync snapshots record it. Not imported from the
 * sync service, whose module graph (every connector) would only add to the importer's memory.
 */
const INSTANCE_ID = `${hostname()}:${process.pid}`;

/** Uploads are streamed, so the limit is about disk and time, not memory. */
export const FOCUS_MAX_FILE_BYTES = 2 * 1024 ** 3;
/** The response lists this many rejected rows; the count covers them all. */
export const MAX_REPORTED_ERRORS = 100;
/** COPY data is sent in chunks of about this many characters. */
const COPY_CHUNK = 256 * 1024;

export interface FocusSourceInput {
  /** File name, for messages (multipart filename, CLI path). */
  name?: string;
  stream: Readable;
}

export interface FocusImportActor {
  actor: string;
  actorKind: 'user' | 'token' | 'cli';
  sourceIp?: string;
  tokenId?: string;
}

export interface FocusImportProgress {
  file: number;
  name?: string;
  bytes: number;
  rows: number;
}

export interface FocusImportRequest {
  tenantId: string;
  connectionId: string;
  actor: FocusImportActor;
  sources: AsyncIterable<FocusSourceInput> | Iterable<FocusSourceInput>;
  onProgress?: (progress: FocusImportProgress) => void;
  maxFileBytes?: number;
}

export interface FocusImportDeps {
  db: Database;
  storageMode: StorageMode;
  logger?: Logger;
}

export interface RowError {
  line: number;
  reason: string;
  file?: string;
}

export interface FocusFileSummary {
  name?: string;
  bytes: number;
  sha256: string;
  gzip: boolean;
  focusVersion: '1.0' | '1.1+';
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  ignoredColumns: string[];
  unstoredColumns: string[];
}

export interface FocusImportResult {
  importId: string;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  errors: RowError[];
  files: FocusFileSummary[];
  /** BillingPeriodStart of every period the import replaced, ISO. */
  billingPeriods: string[];
  /** Lines of earlier imports that the replaced periods held. */
  replacedRows: number;
  /** ChargePeriodStart range of the imported and replaced lines. */
  window: { from: string; to: string } | null;
  resources: number;
  notices: string[];
}

/** Running totals of one import. */
class ImportState {
  rowsRead = 0;
  rowsImported = 0;
  rowsRejected = 0;
  replacedRows = 0;
  readonly errors: RowError[] = [];
  readonly periods = new Set<string>();
  first?: Timestamp;
  last?: Timestamp;
  deletedFrom?: Date;
  deletedTo?: Date;

  reject(line: number, reason: string, file?: string) {
    this.rowsRejected++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ line, reason, ...(file ? { file } : {}) });
  }

  accept(chargeStart: Timestamp) {
    this.rowsImported++;
    if (!this.first || chargeStart.seconds < this.first.seconds) this.first = chargeStart;
    if (!this.last || chargeStart.seconds > this.last.seconds) this.last = chargeStart;
  }

  replaced(r: { deleted: number; from: Date | null; to: Date | null }) {
    this.replacedRows += r.deleted;
    if (r.from && (!this.deletedFrom || r.from < this.deletedFrom)) this.deletedFrom = r.from;
    if (r.to && (!this.deletedTo || r.to > this.deletedTo)) this.deletedTo = r.to;
  }

  /** What the rollups must rebuild: every charge period written or cleared. */
  window(): { from: Date; to: Date } | undefined {
    const starts = [this.first && new Date(this.first.seconds * 1000), this.deletedFrom].filter((d): d is Date => !!d);
    const ends = [this.last && new Date(this.last.seconds * 1000), this.deletedTo].filter((d): d is Date => !!d);
    if (starts.length === 0 || ends.length === 0) return undefined;
    return {
      from: new Date(Math.min(...starts.map((d) => d.getTime()))),
      to: new Date(Math.max(...ends.map((d) => d.getTime()))),
    };
  }
}

type Accepted = Extract<RowOutcome, { ok: true }>;

interface FileContext {
  tx: Queryable;
  connectionId: string;
  copyPrefix: string;
  fallbackProvider?: string;
  state: ImportState;
}

async function importFile(
  ctx: FileContext,
  source: FocusSourceInput,
  fileIndex: number,
  options: { maxBytes: number; onProgress?: (p: FocusImportProgress) => void }
): Promise<FocusFileSummary> {
  const { state } = ctx;
  const name = source.name;
  const where = (message: string) => (name ? `${name}: ${message}` : message);
  let rows = 0;
  const opened = await openSource(source.stream, {
    maxBytes: options.maxBytes,
    onBytes: options.onProgress ? (bytes) => options.onProgress!({ file: fileIndex, name, bytes, rows }) : undefined,
  }).catch((err: unknown) => {
    if (err instanceof FocusError && name) err.message = where(err.message);
    throw err;
  });
  const items = opened.items;
  const failWith = (err: unknown): never => {
    if (err instanceof FocusError && name && !err.message.startsWith(`${name}:`)) err.message = where(err.message);
    throw err;
  };

  let header: CsvItem | undefined;
  try {
    // Lines of nothing but whitespace before the header (a stray CR) are not the header.
    do {
      const first = await items.next();
      header = first.done ? undefined : first.value;
    } while (header?.kind === 'record' && header.fields.every((f) => f.trim() === ''));
  } catch (err) {
    failWith(err);
  }
  if (!header) throw badFile(where('The file is empty'));
  if (header.kind === 'rejected')
    throw badFile(where(`Line ${header.line}: the header cannot be read: ${header.reason}`));
  let layout: HeaderLayout;
  try {
    layout = resolveHeader(header.fields);
  } catch (err) {
    return failWith(err);
  }

  const rowContext = { copyPrefix: ctx.copyPrefix, fileIndex, fallbackProvider: ctx.fallbackProvider };
  const before = { read: state.rowsRead, imported: state.rowsImported, rejected: state.rowsRejected };

  /** The next row that goes to the database; rejected rows are counted on the way. */
  async function nextAccepted(): Promise<Accepted | undefined> {
    for (;;) {
      const next = await items.next();
      if (next.done) return undefined;
      const item = next.value;
      state.rowsRead++;
      rows++;
      if (item.kind === 'rejected') {
        state.reject(item.line, item.reason, name);
        continue;
      }
      const out = toCopyLine(item.fields, layout, rowContext, item.line);
      if (out.ok) return out;
      state.reject(item.line, out.reason, name);
    }
  }

  try {
    const cursor: { row: Accepted | undefined } = { row: await nextAccepted() };
    while (cursor.row) {
      const first = cursor.row;
      cursor.row = undefined;
      if (!state.periods.has(first.billingPeriodStart)) {
        // A billing period this import has not written yet: clear what earlier imports stored for it.
        state.replaced(await deleteFocusBillingPeriod(ctx.tx, ctx.connectionId, first.billingPeriodStart));
        state.periods.add(first.billingPeriodStart);
      }
      // One COPY per run of rows whose billing periods are already cleared; a new period ends the run.
      const lines = async function* (): AsyncGenerator<string> {
        let chunk = first.copyLine;
        state.accept(first.chargeStart);
        for (;;) {
          const row = await nextAccepted();
          if (!row) break;
          if (!state.periods.has(row.billingPeriodStart)) {
            cursor.row = row;
            break;
          }
          chunk += row.copyLine;
          state.accept(row.chargeStart);
          if (chunk.length >= COPY_CHUNK) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      };
      await copyCostRecordLines(ctx.tx, COPY_COLUMNS, lines());
    }
  } catch (err) {
    failWith(err);
  }

  const stats = opened.stats();
  return {
    ...(name ? { name } : {}),
    bytes: stats.bytes,
    sha256: stats.sha256,
    gzip: stats.gzip,
    focusVersion: layout.version,
    rowsRead: state.rowsRead - before.read,
    rowsImported: state.rowsImported - before.imported,
    rowsRejected: state.rowsRejected - before.rejected,
    ignoredColumns: layout.ignored,
    unstoredColumns: layout.unstored,
  };
}

/** Puts the resources the import named into the inventory, then recomputes the connection's baselines. */
async function updateInventory(
  tx: Queryable,
  ctx: { tenantId: string; connectionId: string; snapshotId: string },
  phase: (name: string) => void
): Promise<{ count: number; byType: Record<string, number> }> {
  let count = 0;
  const byType: Record<string, number> = {};
  for await (const page of importedResources(tx, ctx.connectionId, ctx.snapshotId)) {
    const rows = page.map((r) => {
      const type = resourceTypeOf(r);
      byType[type] = (byType[type] ?? 0) + 1;
      return {
        providerResourceId: r.resourceId,
        provider: r.provider,
        name: r.name ?? r.resourceId,
        type,
        serviceName: r.serviceName,
        serviceCategory: r.serviceCategory,
        region: r.region,
        currency: r.currency,
        specs: r.resourceType ? { focusResourceType: r.resourceType } : {},
        tags: r.tags,
      };
    });
    count += rows.length;
    await upsertFocusResources(tx, ctx, rows);
  }
  phase('resourcesMs');
  await refreshFocusBaselines(tx, ctx.tenantId, ctx.connectionId);
  phase('baselinesMs');
  return { count, byType };
}

function summaryNotices(files: FocusFileSummary[]): string[] {
  const notices: string[] = [];
  const ignored = [...new Set(files.flatMap((f) => f.ignoredColumns))];
  if (ignored.length > 0) {
    notices.push(`Columns that are not FOCUS columns were ignored: ${ignored.join(', ')}`);
  }
  const unstored = [...new Set(files.flatMap((f) => f.unstoredColumns))];
  if (unstored.length > 0) {
    notices.push(`FOCUS columns InfraZen does not store were read but not kept: ${unstored.join(', ')}`);
  }
  return notices;
}

/**
 * Every value is validated before it is sent, so PostgreSQL refusing one (a data exception, class 22; a
 * constraint, class 23; a size limit, class 54) means a case the validation missed. It is still the
 * file's fault, not the server's: a 400 naming the database's reason, and the transaction rolls back as
 * for any failure.
 */
function refusedByDatabase(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^(22|23|54)/.test(code) && !(err instanceof FocusError)) {
    return badFile(`The database refused a row of the file: ${(err as Error).message}`);
  }
  return err;
}

export async function importFocus(deps: FocusImportDeps, req: FocusImportRequest): Promise<FocusImportResult> {
  const state = new ImportState();
  const files: FocusFileSummary[] = [];
  const maxBytes = req.maxFileBytes ?? FOCUS_MAX_FILE_BYTES;
  // Phase durations for the log line: where a slow import spends its time.
  const phases: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };

  async function importInTransaction(tx: Queryable) {
    // As the owner with the tenant named explicitly (like the sync engine): the connection must be the
    // tenant's, and every row written carries its tenant id.
    const connection = await findConnection(tx, req.connectionId, { tenantId: req.tenantId });
    if (!connection) throw new FocusError(404, 'Connection not found');
    if (connection.provider !== 'focus') {
      throw new FocusError(
        409,
        `"${connection.name}" is a ${connection.provider} connection; FOCUS files go into a connection with provider "focus"`
      );
    }
    if (!(await tryLockFocusImport(tx, connection.id))) {
      throw new FocusError(409, 'Another FOCUS import into this connection is running; try again when it has finished');
    }
    const snapshotId = await insertImportSnapshot(tx, {
      tenantId: req.tenantId,
      connectionId: connection.id,
      instance: INSTANCE_ID,
    });
    const sourceProvider = connection.settings.sourceProvider;
    const ctx: FileContext = {
      tx,
      connectionId: connection.id,
      copyPrefix: `${req.tenantId}\t${connection.id}\t${snapshotId}\tfocus\t`,
      fallbackProvider: typeof sourceProvider === 'string' && sourceProvider ? sourceProvider : undefined,
      state,
    };

    let fileIndex = 0;
    for await (const source of req.sources) {
      fileIndex++;
      files.push(await importFile(ctx, source, fileIndex, { maxBytes, onProgress: req.onProgress }));
    }
    if (fileIndex === 0) throw badFile('The upload holds no file');
    phase('copyMs');

    const inventory = await updateInventory(
      tx,
      {
        tenantId: req.tenantId,
        connectionId: connection.id,
        snapshotId,
      },
      phase
    );
    const window = state.window();
    const status = state.rowsRejected > 0 ? 'partial' : 'success';
    const billingPeriods = [...state.periods].sort();
    const fileStats = files.map(({ ignoredColumns: _i, unstoredColumns: _u, ...f }) => f);
    await completeImportSnapshot(tx, snapshotId, {
      status,
      linesWritten: state.rowsImported,
      window,
      resourcesFound: inventory.count,
      resourcesByType: inventory.byType,
      stats: {
        rowsRead: state.rowsRead,
        rowsRejected: state.rowsRejected,
        replacedRows: state.replacedRows,
        billingPeriods,
        files: fileStats,
      },
    });
    await recordSyncResult(tx, connection.id, {
      status,
      error: state.rowsRejected > 0 ? `${state.rowsRejected} rows of the last FOCUS import were rejected` : null,
    });
    await appendAudit(tx, {
      tenantId: req.tenantId,
      actor: req.actor.actor,
      actorKind: req.actor.actorKind,
      action: 'connection.focus_import',
      targetKind: 'connection',
      targetId: connection.id,
      sourceIp: req.actor.sourceIp,
      details: {
        importId: snapshotId,
        rowsRead: state.rowsRead,
        rowsImported: state.rowsImported,
        rowsRejected: state.rowsRejected,
        replacedRows: state.replacedRows,
        billingPeriods,
        files: fileStats.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
        ...(req.actor.tokenId ? { tokenId: req.actor.tokenId } : {}),
      },
    });
    return { snapshotId, window, billingPeriods, resources: inventory.count };
  }

  const committed = await deps.db.transaction(async (tx) => {
    try {
      return await importInTransaction(tx);
    } catch (err) {
      throw refusedByDatabase(err);
    }
  });

  phase('commitMs');
  const notices = summaryNotices(files);
  if (committed.window) {
    // After the commit (a continuous aggregate cannot be refreshed inside a transaction). The import
    // stands either way; a failed refresh is reported, and re-importing the file repairs it.
    try {
      await refreshCostDaily(deps.db, deps.storageMode, committed.window);
    } catch (err) {
      deps.logger?.error({ err, connectionId: req.connectionId }, 'cost_daily refresh after a FOCUS import failed');
      notices.push('The daily rollups could not be refreshed; dashboards may lag until the file is imported again');
    }
    phase('rollupsMs');
  }
  deps.logger?.info(
    { connectionId: req.connectionId, importId: committed.snapshotId, rows: state.rowsImported, ...phases },
    'FOCUS import done'
  );
  return {
    importId: committed.snapshotId,
    rowsRead: state.rowsRead,
    rowsImported: state.rowsImported,
    rowsRejected: state.rowsRejected,
    // In file order: csv-parse's own rejections are queued and come out before the next record.
    errors: state.errors,
    files,
    billingPeriods: committed.billingPeriods,
    replacedRows: state.replacedRows,
    window: committed.window
      ? { from: committed.window.from.toISOString(), to: committed.window.to.toISOString() }
      : null,
    resources: committed.resources,
    notices,
  };
}
