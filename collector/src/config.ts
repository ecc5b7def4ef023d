import path from 'node:path';
import { z } from 'zod';

/** Environment switches accept the usual spellings; anything else is a configuration error. */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of 1/0, true/false, yes/no, on/off',
  })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const port = z.coerce
  .number({ error: 'must be a whole number from 1 to 65535' })
  .int('must be a whole number from 1 to 65535')
  .min(1, 'must be a whole number from 1 to 65535')
  .max(65535, 'must be a whole number from 1 to 65535');

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const envSchema = z.object({
  INFRAZEN_HOST: z.string().min(1).default('127.0.0.1'),
  INFRAZEN_PORT: z.preprocess(emptyAsUndefined, port.default(8787)),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional()
  ),
  INFRAZEN_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  INFRAZEN_SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => decodeKey(value) !== undefined, {
        message: 'must be 32 bytes encoded as 64 hex characters or base64',
      })
      .optional()
  ),
  INFRAZEN_SECRET_KEY_PREVIOUS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => value.split(',').every((k) => decodeKey(k.trim()) !== undefined), {
        message: 'must be a comma-separated list of 32-byte keys (64 hex characters or base64)',
      })
      .optional()
  ),
  INFRAZEN_BOOTSTRAP_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters (use `openssl rand -hex 32`)').optional()
  ),
  INFRAZEN_DEMO: z.preprocess(emptyAsUndefined, booleanFlag.optional()),
  INFRAZEN_DB_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  INFRAZEN_SCHEDULER: z.preprocess(emptyAsUndefined, booleanFlag.default(true)),
  INFRAZEN_SYNC_TICK_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1, 'must be 1-59').max(59, 'must be 1-59').default(15)
  ),
  INFRAZEN_AUTH_FAILURE_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(20)),
  INFRAZEN_TELEGRAM_API_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL')
      .default('https://api.telegram.org')
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
  ),
});

export interface Config {
  host: string;
  port: number;
  databaseUrl?: string;
  /** Absolute path; the embedded database, key file and connection file live here. */
  dataDir: string;
  secretKey?: Buffer;
  /** Older keys still accepted for decryption (during a rotation with INFRAZEN_SECRET_KEY). */
  previousSecretKeys: Buffer[];
  bootstrapToken?: string;
  demo: boolean;
  dbPoolSize: number;
  scheduler: boolean;
  /** How often each replica looks for connections whose sync slot has come. */
  syncTickSeconds: number;
  authFailureLimit: number;
  /** Telegram Bot API base URL for report deliveries (a local Bot API server or proxy may stand in). */
  telegramApiUrl: string;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A 256-bit key given as 64 hex characters or as base64 of 32 bytes. */
export function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) {
    const buf = Buffer.from(value, 'base64');
    if (buf.length === 32) return buf;
  }
  return undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Values are never echoed: some of these variables are secrets.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    host: e.INFRAZEN_HOST,
    port: e.INFRAZEN_PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.INFRAZEN_DATA_DIR),
    secretKey: e.INFRAZEN_SECRET_KEY ? decodeKey(e.INFRAZEN_SECRET_KEY) : undefined,
    previousSecretKeys: (e.INFRAZEN_SECRET_KEY_PREVIOUS ?? '')
      .split(',')
      .filter((k) => k.trim() !== '')
      .map((k) => decodeKey(k.trim())!),
    bootstrapToken: e.INFRAZEN_BOOTSTRAP_TOKEN,
    // The demo (sandbox connections and data) is on by default only for the embedded database.
    demo: e.INFRAZEN_DEMO ?? e.DATABASE_URL === undefined,
    dbPoolSize: e.INFRAZEN_DB_POOL_SIZE,
    scheduler: e.INFRAZEN_SCHEDULER,
    syncTickSeconds: e.INFRAZEN_SYNC_TICK_SECONDS,
    authFailureLimit: e.INFRAZEN_AUTH_FAILURE_LIMIT,
    telegramApiUrl: e.INFRAZEN_TELEGRAM_API_URL,
    logLevel: e.LOG_LEVEL,
  };
}
