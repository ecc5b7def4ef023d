/**
 * Reading one uploaded file as a stream of CSV records with their line numbers, in bounded memory:
 * bytes are counted and hashed as they pass, gzip is recognised by its magic bytes and inflated on the
 * fly (AWS and others deliver `.csv.gz`), and csv-parse yields records one at a time (BOM, CRLF, quoted
 * newlines). Malformed records come out as rejections with their line; a file that cannot be read as
 * CSV at all (truncated quote, a record over 1 MiB, Parquet, UTF-16) is a FocusError (400).
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, finished, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type CsvError, type Info } from 'csv-parse';
import { FocusError, badFile } from './errors.js';

/** A FOCUS row is a few KB at most; anything this long is not a cost line and would only eat memory. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export type CsvItem =
  { kind: 'record'; fields: string[]; line: number } | { kind: 'rejected'; line: number; reason: string };

export interface SourceStats {
  /** Bytes read from the upload (compressed size for gzip). */
  bytes: number;
  sha256: string;
  gzip: boolean;
}

/** Counts and hashes the raw bytes and enforces the upload size limit. */
class ByteTap extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly maxBytes: number,
    private readonly onBytes?: (bytes: number) => void
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new FocusError(413, `The file is larger than the ${Math.round(this.maxBytes / 1024 ** 2)} MiB limit`));
      return;
    }
    this.hash.update(chunk);
    this.onBytes?.(this.bytes);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * The first bytes of a stream, pushed back so the stream still starts at byte 0; null if it is empty.
 * `finished` also covers a stream that already failed or closed early before we got to it (a multipart
 * part cut off while the previous file was being imported): it answers at once instead of never.
 */
function peek(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('readable', onReadable);
      stop();
    };
    const onReadable = () => {
      const chunk = stream.read() as Buffer | string | null;
      if (chunk === null) return;
      cleanup();
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stream.unshift(buffer);
      resolve(buffer);
    };
    const stop = finished(stream, { writable: false }, (err) => {
      cleanup();
      if (err) reject(err);
      else resolve(null);
    });
    stream.on('readable', onReadable);
  });
}

function refuseFormat(head: Buffer): void {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') {
    throw new FocusError(415, 'This is a Parquet file; export the FOCUS dataset as CSV (optionally gzip-compressed)');
  }
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') {
    throw new FocusError(415, 'This is a ZIP or Excel file; upload the FOCUS CSV itself (optionally gzip-compressed)');
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw badFile('The file is UTF-16 encoded; save it as UTF-8 CSV');
  }
}

/** Errors while reading the upload are the client's (aborted, malformed body) unless they say otherwise. */
function asUploadError(err: unknown): Error {
  if (err instanceof FocusError) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return err as Error;
  return badFile(`The upload could not be read: ${(err as Error).message ?? String(err)}`);
}

/** csv-parse errors that spoil only one record; anything else means the rest of the file is unreadable. */
const RECORD_LEVEL = new Set([
  'CSV_INVALID_CLOSING_QUOTE',
  'INVALID_OPENING_QUOTE',
  'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH',
]);

function describeFatal(err: CsvError, line: number): FocusError {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    return badFile(`Line ${line}: a quoted field is never closed; the file is truncated or not valid CSV`);
  }
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    return badFile(
      `Line ${line}: a record is longer than ${MAX_RECORD_BYTES / 1024} KiB; this is not a FOCUS cost row`
    );
  }
  return badFile(`Line ${line}: ${err.message}`);
}

/** Line breaks inside a record's fields, and how many of them are CRLF pairs. */
function breaksIn(fields: string[]): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (const field of fields) {
    let i = field.indexOf('\n');
    while (i !== -1) {
      breaks++;
      if (i > 0 && field.charCodeAt(i - 1) === 13) crlf++;
      i = field.indexOf('\n', i + 1);
    }
  }
  return { breaks, crlf };
}

export interface OpenedSource {
  items: AsyncGenerator<CsvItem>;
  /** Final once `items` is exhausted. */
  stats(): SourceStats;
}

/**
 * Opens one file. `items` yields the header record first (kind 'record', line 1 unless blank lines lead),
 * then data records and rejections in file order. Throws FocusError for an empty file or one that is not
 * CSV. The input stream is never destroyed here: for an HTTP upload that would close the socket before
 * the answer is sent. The caller owns it.
 */
export async function openSource(
  input: Readable,
  options: { maxBytes: number; onBytes?: (bytes: number) => void }
): Promise<OpenedSource> {
  let head: Buffer | null;
  try {
    head = await peek(input);
  } catch (err) {
    throw asUploadError(err);
  }
  if (head === null) throw badFile('The file is empty');
  refuseFormat(head);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;

  const tap = new ByteTap(options.maxBytes, options.onBytes);
  const skipped: CsvItem[] = [];
  let fatal: FocusError | undefined;
  // Line numbers: csv-parse counts a CRLF inside a quoted field as two lines, so its `lines` drifts by one
  // per such pair; `drift` undoes that (see breaksIn).
  let drift = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_RECORD_BYTES,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (!err) return;
      const line = Math.max(1, Number(err.lines ?? 0) - drift);
      if (RECORD_LEVEL.has(err.code)) skipped.push({ kind: 'rejected', line, reason: err.message });
      else fatal ??= describeFatal(err, line);
    },
  });

  // Wired by hand rather than with pipeline(): pipeline would destroy the input on any failure.
  let readError: Error | undefined;
  const fail = (err: unknown) => {
    readError ??= asUploadError(err);
    parser.destroy(readError);
  };
  input.on('error', fail);
  // An input that closes without ending (client gone, multipart part cut off) would otherwise leave the
  // parser waiting forever.
  finished(input, { writable: false }, (err) => {
    if (err) fail(err);
  });
  tap.on('error', fail);
  input.pipe(tap);
  if (gzip) {
    const gunzip = createGunzip();
    gunzip.on('error', (err) => fail(badFile(`The gzip data is corrupt: ${err.message}`)));
    tap.pipe(gunzip).pipe(parser);
  } else {
    tap.pipe(parser);
  }

  async function* items(): AsyncGenerator<CsvItem> {
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        while (skipped.length > 0) yield skipped.shift()!;
        if (fatal) break;
        const { breaks, crlf } = breaksIn(item.record);
        drift += crlf;
        yield { kind: 'record', fields: item.record, line: item.info.lines - drift - breaks };
      }
    } catch (err) {
      throw readError ?? asUploadError(err);
    } finally {
      // Harmless after a normal end; after an early stop (a fatal record, the consumer failing) it detaches
      // the input so nothing more is parsed.
      // The error listener stays: an input that errors later must not crash the process.
      input.unpipe(tap);
      parser.destroy();
    }
    if (fatal) throw fatal;
    if (readError) throw readError;
    while (skipped.length > 0) yield skipped.shift()!;
  }

  let digest: string | undefined;
  return {
    items: items(),
    stats: () => ({ bytes: tap.bytes, sha256: (digest ??= tap.digest()), gzip }),
  };
}
