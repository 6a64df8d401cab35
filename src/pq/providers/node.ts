// ML-DSA (FIPS 204) via node:crypto (OpenSSL ≥ 3.5, Node ≥ 24.6). Native and fast; reached only at
// run time through process.getBuiltinModule so the pq layer still bundles for browsers.
// Exposes: KeyGen (Algorithm 1) and KeyGen_internal(ξ) (Algorithm 6, through a seed-only PKCS#8
// import), hedged ML-DSA.Sign / ML-DSA.Verify (Algorithms 2, 3) with a context string. Node's
// crypto.sign has no deterministic flag, no rnd, no internal/μ entry and no HashML-DSA, so those
// are refused with ERR_UNSUPPORTED. Secret keys travel as FIPS 204 skEncode bytes and are imported
// as expandedKey-only PKCS#8; OpenSSL checks them on import (it recomputes t0 and tr).

import { constantTimeEqual } from '../../core/bytes.js';
import { KeyInvalidError, ProviderUnavailableError } from '../errors.js';
import type { MlDsaKeyPair, MlDsaLevel, ProviderSupports } from '../provider.js';
import type { ProviderSignOptions, SignatureProvider } from '../signature-provider.js';
import { assertLevel, checkSeed } from '../params.js';
import { checkSignInputs, checkVerifyInputs, unsupported } from './_common.js';
import { expandedFromPkcs8, pkcs8FromExpanded, pkcs8FromSeed, publicKeyFromSpki, spkiFromPublicKey } from './_pkcs8.js';

/** The slice of node:crypto this provider uses (typed structurally: no static node:* import). */
interface KeyObjectLike {
  export(options: { format: 'der'; type: 'pkcs8' | 'spki' }): Uint8Array;
}
interface NodeCryptoLike {
  generateKeyPairSync(type: string): { publicKey: KeyObjectLike; privateKey: KeyObjectLike };
  createPrivateKey(options: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): KeyObjectLike;
  createPublicKey(options: { key: Uint8Array; format: 'der'; type: 'spki' } | KeyObjectLike): KeyObjectLike;
  sign(algorithm: null, data: Uint8Array, key: KeyObjectLike | { key: KeyObjectLike; context: Uint8Array }): Uint8Array;
  verify(algorithm: null, data: Uint8Array, key: KeyObjectLike | { key: KeyObjectLike; context: Uint8Array }, signature: Uint8Array): boolean;
}

const SUPPORTS: ProviderSupports = Object.freeze({
  context: true, seedKeygen: true, deterministic: false, internal: false, preHash: false, externalMu: false,
});

function nodeCrypto(): NodeCryptoLike | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as NodeCryptoLike | undefined;
}

let reason: string | undefined | null = null; // null = not probed yet

function probe(): string | undefined {
  if (reason !== null) return reason;
  const c = nodeCrypto();
  if (c === undefined) {
    reason = 'node:crypto is not reachable (needs Node ≥ 22.3 with process.getBuiltinModule)';
  } else {
    try {
      c.generateKeyPairSync('ml-dsa-44');
      reason = undefined;
    } catch {
      reason = 'node:crypto has no ML-DSA (needs Node ≥ 24.6 built with OpenSSL ≥ 3.5)';
    }
  }
  return reason;
}

function cryptoOrThrow(): NodeCryptoLike {
  const why = probe();
  const c = nodeCrypto();
  if (why !== undefined || c === undefined) throw new ProviderUnavailableError(`ML-DSA provider "node" is unavailable: ${why ?? 'unknown reason'}`);
  return c;
}

// KeyObject caches keyed by the caller's Uint8Array object. A hit also requires equal bytes, so a
// caller that mutates its array after first use gets a fresh import, never a stale key.
interface CacheEntry { readonly bytes: Uint8Array; readonly level: MlDsaLevel; readonly key: KeyObjectLike }
const privateCache = new WeakMap<Uint8Array, CacheEntry>();
const publicCache = new WeakMap<Uint8Array, CacheEntry>();

function cached(cache: WeakMap<Uint8Array, CacheEntry>, level: MlDsaLevel, bytes: Uint8Array, make: () => KeyObjectLike): KeyObjectLike {
  const hit = cache.get(bytes);
  if (hit !== undefined && hit.level === level && constantTimeEqual(hit.bytes, bytes)) return hit.key;
  const key = make();
  cache.set(bytes, { bytes: bytes.slice(), level, key });
  return key;
}

function privateKeyObject(c: NodeCryptoLike, level: MlDsaLevel, secretKey: Uint8Array): KeyObjectLike {
  return cached(privateCache, level, secretKey, () => {
    const der = pkcs8FromExpanded(level, secretKey);
    try {
      return c.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch (cause) {
      throw new KeyInvalidError(`ML-DSA-${level} secret key is malformed (rejected by node:crypto)`, { cause });
    } finally {
      der.fill(0);
    }
  });
}

function publicKeyObject(c: NodeCryptoLike, level: MlDsaLevel, publicKey: Uint8Array): KeyObjectLike {
  return cached(publicCache, level, publicKey, () =>
    c.createPublicKey({ key: spkiFromPublicKey(level, publicKey), format: 'der', type: 'spki' }));
}

function exportPair(c: NodeCryptoLike, level: MlDsaLevel, privateKey: KeyObjectLike): MlDsaKeyPair {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    const secretKey = expandedFromPkcs8(level, der);
    if (secretKey === 'seed-only') throw unsupported('node', 'exporting expanded keys (OpenSSL is configured to write seed-only PKCS#8)');
    const publicKey = publicKeyFromSpki(level, c.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
    if (secretKey === null || publicKey === null) {
      throw new ProviderUnavailableError(`node:crypto exported an unexpected ML-DSA-${level} key encoding`);
    }
    return { publicKey, secretKey };
  } finally {
    der.fill(0);
  }
}

/** The node:crypto provider: context and seed keygen, hedged signing only. */
export const nodeProvider: SignatureProvider = Object.freeze({
  name: 'node' as const,
  supports: SUPPORTS,
  async isAvailable(): Promise<boolean> {
    return probe() === undefined;
  },
  knownAvailable(): boolean | undefined {
    return probe() === undefined; // the probe is synchronous, so this is always definite
  },
  async unavailableReason(): Promise<string | undefined> {
    return probe();
  },
  async keygen(level: MlDsaLevel, seed?: Uint8Array): Promise<MlDsaKeyPair> {
    assertLevel(level);
    if (seed !== undefined) checkSeed(seed);
    const c = cryptoOrThrow();
    if (seed === undefined) return exportPair(c, level, c.generateKeyPairSync(`ml-dsa-${level}`).privateKey);
    const der = pkcs8FromSeed(level, seed);
    try {
      return exportPair(c, level, c.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    } finally {
      der.fill(0);
    }
  },
  async sign(level: MlDsaLevel, msg: Uint8Array, secretKey: Uint8Array, opts?: ProviderSignOptions): Promise<Uint8Array> {
    const inp = checkSignInputs(level, msg, secretKey, opts);
    if (inp.deterministic) throw unsupported('node', 'deterministic signing');
    if (inp.rnd !== undefined) throw unsupported('node', 'caller-supplied signing randomness');
    const c = cryptoOrThrow();
    const key = privateKeyObject(c, level, secretKey);
    const sig = c.sign(null, msg, inp.context.length > 0 ? { key, context: inp.context } : key);
    return new Uint8Array(sig); // a plain copy, detached from any Buffer pool
  },
  async verify(level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { readonly context?: Uint8Array }): Promise<boolean> {
    const { context, sizeOk } = checkVerifyInputs(level, sig, msg, publicKey, opts);
    if (!sizeOk) return false;
    const c = cryptoOrThrow();
    try {
      const key = publicKeyObject(c, level, publicKey);
      return c.verify(null, msg, context.length > 0 ? { key, context } : key, sig);
    } catch {
      return false;
    }
  },
});
