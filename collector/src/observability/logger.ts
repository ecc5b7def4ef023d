import pino, { type LoggerOptions } from 'pino';

/**
 * Every place a secret can sit in a log object. Redaction is configuration, so a new log line that
 * carries one of these keys is covered without anyone remembering to scrub it.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  'password',
  'token',
  'secret',
  'credentials',
  'apiKey',
  'api_key',
  'secretKey',
  'bootstrapToken',
  'connectionString',
  'databaseUrl',
  '*.password',
  '*.token',
  '*.secret',
  '*.credentials',
  '*.apiKey',
  '*.api_key',
  '*.secretKey',
  '*.bootstrapToken',
  '*.connectionString',
  '*.databaseUrl',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'infrazen-collector' },
  };
}

export function createLogger(level: string) {
  return pino(loggerOptions(level));
}

export type Logger = pino.Logger;
