import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, decodeKey, loadConfig } from '../src/config.js';

const collectorDir = fileURLToPath(new URL('..', import.meta.url));

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, '/srv/app');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8787);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.dataDir, path.resolve('/srv/app', './data'));
    assert.equal(c.demo, true, 'demo is on by default with the embedded database');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.secretKey, undefined);
  });

  it('turns the demo off by default when DATABASE_URL is set, and honours an explicit value', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' }).demo, false);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', INFRAZEN_DEMO: 'on' }).demo, true);
    assert.equal(loadConfig({ INFRAZEN_DEMO: 'false' }).demo, false);
  });

  for (const [name, value, expected] of [
    ['INFRAZEN_PORT', 'abc', /INFRAZEN_PORT: must be a whole number from 1 to 65535/],
    ['INFRAZEN_PORT', '70000', /INFRAZEN_PORT/],
    ['INFRAZEN_PORT', '80.5', /INFRAZEN_PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: must be a postgres/],
    ['INFRAZEN_SECRET_KEY', 'short', /INFRAZEN_SECRET_KEY: must be 32 bytes/],
    ['INFRAZEN_BOOTSTRAP_TOKEN', 'tooshort', /INFRAZEN_BOOTSTRAP_TOKEN: must be at least 32/],
    ['INFRAZEN_DEMO', 'maybe', /INFRAZEN_DEMO/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
  ] as const) {
    it(`rejects ${name}=${value} with a clear message`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => err instanceof ConfigError && expected.test(err.message)
      );
    });
  }

  it('never echoes a rejected secret value', () => {
    const secret = 'not-a-key-but-secret-material';
    assert.throws(
      () => loadConfig({ INFRAZEN_SECRET_KEY: secret }),
      (err: unknown) => err instanceof ConfigError && !err.message.includes(secret)
    );
  });

  it('accepts 32-byte keys as hex or base64, nothing else', () => {
    const hex = 'ab'.repeat(32);
    assert.equal(decodeKey(hex)?.length, 32);
    assert.equal(decodeKey(Buffer.alloc(32, 7).toString('base64'))?.length, 32);
    assert.equal(decodeKey('ab'.repeat(16)), undefined);
    assert.equal(decodeKey(Buffer.alloc(31).toString('base64')), undefined);
    const c = loadConfig({
      INFRAZEN_SECRET_KEY: hex,
      INFRAZEN_SECRET_KEY_PREVIOUS: `${'cd'.repeat(32)}, ${'ef'.repeat(32)}`,
    });
    assert.equal(c.previousSecretKeys.length, 2);
  });

  it('stops the process with a non-zero exit and the reason on a bad value', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: collectorDir,
      env: { ...process.env, INFRAZEN_PORT: 'abc' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Invalid configuration/);
    assert.match(result.stderr, /INFRAZEN_PORT: must be a whole number/);
  });
});
