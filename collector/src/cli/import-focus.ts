/**
 * `infrazen import-focus FILE… --connection ID`: the same import as the API, from local files, with a
 * progress bar on stderr (stdout carries only the result, for scripts). Several files are the parts of
 * one export and are imported together, in one transaction.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { FocusError } from '../focus/errors.js';
import { importFocus, type FocusImportResult, type FocusSourceInput } from '../focus/import.js';
import { findConnection } from '../storage/repositories/connections.js';
import { CliError, withRuntime, type Out } from './commands.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opens each file only when the import reaches it, and closes it once the import moves on. */
function* fileSources(files: string[]): Generator<FocusSourceInput> {
  for (const file of files) {
    const stream: ReadStream = createReadStream(file, { highWaterMark: 1024 * 1024 });
    try {
      yield { name: path.basename(file), stream };
    } finally {
      stream.destroy();
    }
  }
}

function report(out: Out, connectionId: string, r: FocusImportResult) {
  out(`imported ${r.rowsImported} of ${r.rowsRead} rows into connection ${connectionId} (import ${r.importId})`);
  if (r.billingPeriods.length > 0) {
    out(`billing periods: ${r.billingPeriods.join(', ')} (replaced ${r.replacedRows} rows of earlier imports)`);
  }
  out(`resources in the inventory: ${r.resources}`);
  if (r.rowsRejected > 0) {
    out(
      `rejected ${r.rowsRejected} rows${r.rowsRejected > r.errors.length ? ` (first ${r.errors.length} shown)` : ''}:`
    );
    for (const e of r.errors) out(`  ${e.file ? `${e.file}: ` : ''}line ${e.line}: ${e.reason}`);
  }
  for (const notice of r.notices) out(`note: ${notice}`);
}

export async function importFocusCommand(
  config: Config,
  out: Out,
  files: string[],
  opts: { connection: string; json?: boolean }
) {
  if (!UUID.test(opts.connection)) throw new CliError('--connection must be a connection id (a UUID)');
  const sizes: number[] = [];
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new CliError(`${file}: no such file`);
    sizes.push(info.size);
  }
  await withRuntime(config, async (runtime) => {
    const db = runtime.connection.db;
    // The CLI runs as the database owner: the connection names its tenant.
    const connection = await findConnection(db, opts.connection);
    if (!connection) throw new CliError(`No connection ${opts.connection}`);

    const bar = new cliProgress.SingleBar(
      {
        format: 'import-focus {bar} {percentage}% | {file} | {rows} rows | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    bar.start(Math.max(total, 1), 0, { file: path.basename(files[0] ?? ''), rows: 0 });
    let bytesBefore = 0;
    let rowsBefore = 0;
    let currentFile = 0;
    let lastRows = 0;
    let result: FocusImportResult;
    try {
      result = await importFocus(
        { db, storageMode: runtime.dbState.migration?.mode ?? 'plain', logger: runtime.logger },
        {
          tenantId: connection.tenantId,
          connectionId: connection.id,
          actor: { actor: `cli:${os.userInfo().username}`, actorKind: 'cli' },
          sources: fileSources(files),
          onProgress: (p) => {
            if (p.file !== currentFile) {
              // A new file: the previous ones are done.
              bytesBefore = sizes.slice(0, p.file - 1).reduce((a, b) => a + b, 0);
              rowsBefore += lastRows;
              currentFile = p.file;
            }
            lastRows = p.rows;
            bar.update(bytesBefore + p.bytes, { file: p.name ?? '', rows: rowsBefore + p.rows });
          },
        }
      );
      bar.update(Math.max(total, 1));
    } catch (err) {
      if (err instanceof FocusError) throw new CliError(err.message);
      throw err;
    } finally {
      bar.stop();
    }
    if (opts.json) out(JSON.stringify(result, null, 2));
    else report(out, connection.id, result);
  });
}
