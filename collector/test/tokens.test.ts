import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bearerToken,
  displayPrefix,
  generateToken,
  hashToken,
  looksLikeGeneratedToken,
} from '../src/security/tokens.js';

describe('API tokens', () => {
  it('are 256-bit random values with a recognizable prefix', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    assert.equal(tokens.size, 1000);
    for (const t of tokens) assert.ok(looksLikeGeneratedToken(t), t);
  });

  it('are stored as a SHA-256 digest that cannot be read back', () => {
    const token = generateToken();
    const hash = hashToken(token);
    assert.equal(hash.length, 32);
    assert.deepEqual(hashToken(token), hash, 'deterministic, so it can be looked up');
    assert.notDeepEqual(hashToken(generateToken()), hash);
    assert.ok(!hash.toString('hex').includes(Buffer.from(token).toString('hex')));
  });

  it('show only a short prefix after creation', () => {
    const token = generateToken();
    assert.equal(displayPrefix(token).length, 10);
    assert.ok(token.startsWith(displayPrefix(token)));
  });

  it('are read from a Bearer header only', () => {
    const token = generateToken();
    assert.equal(bearerToken(`Bearer ${token}`), token);
    assert.equal(bearerToken(`bearer ${token}`), token);
    assert.equal(bearerToken(undefined), undefined);
    assert.equal(bearerToken(`Basic ${token}`), undefined);
    assert.equal(bearerToken('Bearer '), undefined);
    assert.equal(bearerToken('Bearer short'), undefined);
  });
});
