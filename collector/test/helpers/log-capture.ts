/**
 * The collector's logger as production configures it (same redaction), at the most verbose level,
 * writing into memory: tests read every line the app, the sync engine and the connectors logged.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions, type Logger } from '../../src/observability/logger.js';

export interface LogCapture {
  logger: Logger;
  /** Every line so far, as written (JSON text). */
  lines(): string[];
}

export function captureLogs(level = 'trace'): LogCapture {
  const lines: string[] = [];
  let partial = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l !== ''));
      callback();
    },
  });
  // Synchronous writes: a line is readable as soon as the call that logged it returns.
  const logger = pino(loggerOptions(level), sink);
  return { logger, lines: () => (partial ? [...lines, partial] : [...lines]) };
}
