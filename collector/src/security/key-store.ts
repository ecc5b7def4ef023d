/**
 * Where the encryption key comes from. INFRAZEN_SECRET_KEY wins; with DATABASE_URL it is required.
 * In embedded mode without it, a key file is generated in the data dir (0600) and retired keys are kept
 * under keys/ so values encrypted before a rotation remain readable until they are re-encrypted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { decodeKey } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { Keyring, generateKey, keyIdOf } from './crypto.js';

export const KEY_FILE = 'secret.key';
export const RETIRED_KEYS_DIR = 'keys';

export class MissingSecretKeyError extends Error {
  constructor() {
    super(
      'INFRAZEN_SECRET_KEY is required when DATABASE_URL is set (64 hex characters, e.g. `openssl rand -hex 32`): ' +
        'without it provider credentials could not be decrypted after a restart.'
    );
    this.name = 'MissingSecretKeyError';
  }
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const key = decodeKey(text.trim());
  if (!key) throw new Error(`${file} does not hold a 32-byte key (64 hex characters)`);
  return key;
}

async function writeKeyFile(file: string, key: Buffer) {
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, key.toString('hex') + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}

async function retiredKeys(dataDir: string): Promise<Buffer[]> {
  const dir = path.join(dataDir, RETIRED_KEYS_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const keys = await Promise.all(names.filter((n) => n.endsWith('.key')).map((n) => readKeyFile(path.join(dir, n))));
  return keys.filter((k): k is Buffer => k !== undefined);
}

export function keyFilePath(config: Config) {
  return path.join(config.dataDir, KEY_FILE);
}

/** Builds the keyring; generates the key file on first embedded start. */
export async function loadKeyring(config: Config, logger: Logger): Promise<Keyring> {
  const previous = [...config.previousSecretKeys];
  if (config.secretKey) {
    if (!config.databaseUrl) previous.push(...(await retiredKeys(config.dataDir)));
    return new Keyring(config.secretKey, previous);
  }
  if (config.databaseUrl) throw new MissingSecretKeyError();
  const file = keyFilePath(config);
  let key = await readKeyFile(file);
  if (!key) {
    await fs.mkdir(config.dataDir, { recursive: true });
    key = generateKey();
    await writeKeyFile(file, key);
    logger.warn(
      { file },
      'INFRAZEN_SECRET_KEY is not set: generated an encryption key file in the data dir. Back it up with the data; set INFRAZEN_SECRET_KEY in production.'
    );
  }
  return new Keyring(key, [...previous, ...(await retiredKeys(config.dataDir))]);
}

/**
 * Key-file rotation, step 1: the new key is stored as retired-but-known first, so any process that
 * reloads the keyring mid-rotation can read values under either key.
 */
export async function stageNewKeyFile(config: Config, key: Buffer): Promise<void> {
  const dir = path.join(config.dataDir, RETIRED_KEYS_DIR);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await writeKeyFile(path.join(dir, `${keyIdOf(key)}.key`), key);
}

/** Key-file rotation, step 2 (after every value is re-encrypted): the new key becomes current. */
export async function promoteKeyFile(config: Config, newKey: Buffer): Promise<void> {
  const file = keyFilePath(config);
  const old = await readKeyFile(file);
  const dir = path.join(config.dataDir, RETIRED_KEYS_DIR);
  if (old) await writeKeyFile(path.join(dir, `${keyIdOf(old)}.key`), old);
  await writeKeyFile(file, newKey);
  await fs.rm(path.join(dir, `${keyIdOf(newKey)}.key`), { force: true });
}
