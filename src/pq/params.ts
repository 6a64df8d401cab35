// FIPS 204 Table 1 / Table 2: ML-DSA parameter sets and the byte sizes of keys and signatures,
// plus the ML-DSA-specific argument checks (level, key and seed sizes, context) every public entry
// point of `quorumkit/pq` shares; generic checks come from core (assert.ts).

import { assertBytes, assertString, describeValue } from '../core/assert.js';
import { KeyInvalidError, UnknownAlgError } from './errors.js';
import type { MlDsaAlg, MlDsaLevel } from './provider.js';

/** Public key sizes in bytes, FIPS 204 Table 2 (pkEncode, Algorithm 22). */
export const PUBLIC_KEY_BYTES: Readonly<Record<MlDsaLevel, number>> = Object.freeze({ 44: 1312, 65: 1952, 87: 2592 });

/** Secret key sizes in bytes, FIPS 204 Table 2 (skEncode, Algorithm 24). */
export const SECRET_KEY_BYTES: Readonly<Record<MlDsaLevel, number>> = Object.freeze({ 44: 2560, 65: 4032, 87: 4896 });

/** Signature sizes in bytes, FIPS 204 Table 2 (sigEncode, Algorithm 26). */
export const SIGNATURE_BYTES: Readonly<Record<MlDsaLevel, number>> = Object.freeze({ 44: 2420, 65: 3309, 87: 4627 });

/** Size of the key-generation seed ξ (FIPS 204 Algorithm 1, line 1). */
export const SEED_BYTES = 32;

/** Size of the signing randomness rnd (FIPS 204 Algorithm 2, line 5). */
export const RND_BYTES = 32;

/** Largest context string ctx, FIPS 204 §5.2 (its length is encoded in one byte). */
export const MAX_CONTEXT_BYTES = 255;

/** Size of the message representative μ (FIPS 204 Algorithm 7, line 6). */
export const MU_BYTES = 64;

/** The three parameter sets, in increasing strength. */
export const ML_DSA_LEVELS: readonly MlDsaLevel[] = Object.freeze([44, 65, 87] as const);

const EMPTY = new Uint8Array(0);

/**
 * The wire name of a parameter set: `algFromLevel(65) === 'ML-DSA-65'`.
 * @throws RangeError when `level` is not 44, 65 or 87.
 */
export function algFromLevel(level: MlDsaLevel): MlDsaAlg {
  assertLevel(level);
  return `ML-DSA-${level}`;
}

/**
 * The parameter set named by a wire `alg` string (exact spelling, e.g. `'ML-DSA-87'`).
 * @throws QuorumkitError `ERR_UNKNOWN_ALG` for any other string; TypeError when `alg` is not a string.
 */
export function levelFromAlg(alg: string): MlDsaLevel {
  assertString('alg', alg);
  switch (alg) {
    case 'ML-DSA-44':
      return 44;
    case 'ML-DSA-65':
      return 65;
    case 'ML-DSA-87':
      return 87;
    default:
      throw new UnknownAlgError(`unknown signature algorithm "${alg.slice(0, 64)}", expected ML-DSA-44, ML-DSA-65 or ML-DSA-87`);
  }
}

/** @throws RangeError when `level` is not a FIPS 204 parameter set. */
export function assertLevel(level: unknown): asserts level is MlDsaLevel {
  if (level !== 44 && level !== 65 && level !== 87) {
    throw new RangeError(`"level" expected 44, 65 or 87, got ${describeValue(level)}`);
  }
}

/**
 * Checks an optional context string (FIPS 204 §5.2: |ctx| ≤ 255) and returns it, empty when absent.
 * @throws TypeError when not a Uint8Array; RangeError when longer than 255 bytes.
 */
export function checkContext(context: unknown): Uint8Array {
  if (context === undefined) return EMPTY;
  assertBytes('context', context);
  if (context.length > MAX_CONTEXT_BYTES) {
    throw new RangeError(`"context" expected at most ${MAX_CONTEXT_BYTES} bytes, got ${context.length}`);
  }
  return context;
}

/** @throws QuorumkitError `ERR_KEY_INVALID` when the secret key has the wrong size for `level`. */
export function checkSecretKey(level: MlDsaLevel, secretKey: unknown): asserts secretKey is Uint8Array {
  assertBytes('secretKey', secretKey);
  if (secretKey.length !== SECRET_KEY_BYTES[level]) {
    throw new KeyInvalidError(`ML-DSA-${level} secret key expected ${SECRET_KEY_BYTES[level]} bytes, got ${secretKey.length}`);
  }
}

/** @throws QuorumkitError `ERR_KEY_INVALID` when the public key has the wrong size for `level`. */
export function checkPublicKey(level: MlDsaLevel, publicKey: unknown): asserts publicKey is Uint8Array {
  assertBytes('publicKey', publicKey);
  if (publicKey.length !== PUBLIC_KEY_BYTES[level]) {
    throw new KeyInvalidError(`ML-DSA-${level} public key expected ${PUBLIC_KEY_BYTES[level]} bytes, got ${publicKey.length}`);
  }
}

/** @throws TypeError / RangeError when `seed` is not 32 bytes. */
export function checkSeed(seed: unknown): asserts seed is Uint8Array {
  assertBytes('seed', seed, SEED_BYTES);
}

/** @throws TypeError / RangeError when `rnd` is not 32 bytes. */
export function checkRnd(rnd: unknown): asserts rnd is Uint8Array {
  assertBytes('rnd', rnd, RND_BYTES);
}

/** True when `sig` has exactly the FIPS 204 signature size for `level` (a wrong size never verifies). */
export function hasSignatureSize(level: MlDsaLevel, sig: Uint8Array): boolean {
  return sig.length === SIGNATURE_BYTES[level];
}
