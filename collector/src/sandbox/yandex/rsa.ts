/**
 * A deterministic RSA key pair from the sandbox seed. The fake's service-account key must survive a
 * restart: the demo stores the key file (encrypted) in its connection once and only re-points the
 * settings on later starts, so a key drawn at random on each start would stop matching. Node cannot
 * seed its key generator, so the primes are searched here with BigInt (sieve + Miller–Rabin) from the
 * seeded stream and the key is assembled as a JWK. Sandbox only: the stream is not cryptographic.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { hashSeed, seededRandom, type Random } from '../random.js';

const E = 65537n;
const SMALL_PRIMES = (() => {
  const primes: bigint[] = [];
  for (let n = 3; primes.length < 300; n += 2) {
    if (primes.every((p) => BigInt(n) % p !== 0n)) primes.push(BigInt(n));
  }
  return primes;
})();

function randomBits(random: Random, bits: number): bigint {
  let value = 0n;
  for (let i = 0; i < bits; i += 32) value = (value << 32n) | BigInt(Math.floor(random() * 4294967296));
  return value & ((1n << BigInt(bits)) - 1n);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function isProbablePrime(n: bigint, random: Random): boolean {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  witness: for (let round = 0; round < 24; round++) {
    const a = 2n + (randomBits(random, 64) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

function prime(random: Random, bits: number): bigint {
  for (;;) {
    // Top two bits set so that p·q has exactly 2·bits bits; odd.
    const candidate = randomBits(random, bits) | (3n << BigInt(bits - 2)) | 1n;
    if ((candidate - 1n) % E !== 0n && isProbablePrime(candidate, random)) return candidate;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function b64url(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

export interface SandboxKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM, the format of `private_key` in a Yandex authorized key file. */
  privateKeyPem: string;
  publicKeyPem: string;
}

const cache = new Map<number, SandboxKeyPair>();

/** A 2048-bit RSA key pair, the same for the same seed (cached: tests start many sandboxes). */
export function seededRsaKeyPair(seed: number): SandboxKeyPair {
  const cached = cache.get(seed);
  if (cached) return cached;
  const random = seededRandom(hashSeed(seed, 'yandex-rsa'));
  let p = prime(random, 1024);
  let q = prime(random, 1024);
  while (p === q) q = prime(random, 1024);
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const d = modInverse(E, phi);
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: b64url(n),
      e: b64url(E),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(modInverse(q, p)),
    },
  });
  const publicKey = createPublicKey(privateKey);
  const pair: SandboxKeyPair = {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  cache.set(seed, pair);
  return pair;
}
