// Argument checks of quorumkit/field, done once at the public boundary (STYLE.md). Messages name the
// argument and its shape, never an element's value: elements may be secrets or shares.

import { assertBytes, describeType, describeValue } from '../core/assert.js';
import { FIELD_ELEMENT_BYTES, MAX_SHARES, P } from './constants.js';
import { FieldNotCanonicalError, ShamirInvalidError } from './errors.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Throws unless `v` is a canonical element: TypeError for a non-bigint, `ERR_FIELD_NOT_CANONICAL` for v ∉ [0, p). */
export function assertElement(name: string, v: unknown): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`"${name}" expected bigint, got ${describeType(v)}`);
  if (v < 0n || v >= P) {
    throw new FieldNotCanonicalError(`"${name}" expected a canonical field element (0 ≤ ${name} < 2^127 − 1)`);
  }
}

/** Returns a byte view of packed elements; TypeError for other types, RangeError for a length not a multiple of 16. */
export function packedBytes(name: string, v: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (v instanceof Uint8Array) bytes = v;
  else if (v instanceof BigUint64Array) {
    if (!LITTLE_ENDIAN) throw new TypeError(`"${name}" as BigUint64Array needs a little-endian host; pass a Uint8Array`);
    bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  } else throw new TypeError(`"${name}" expected Uint8Array or BigUint64Array, got ${describeType(v)}`);
  if (bytes.length % FIELD_ELEMENT_BYTES !== 0) {
    throw new RangeError(`"${name}" expected a multiple of ${FIELD_ELEMENT_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Checks an optional output buffer of `len` bytes, or allocates one. */
export function outBuffer(out: unknown, len: number): Uint8Array {
  if (out === undefined) return new Uint8Array(len);
  assertBytes('out', out, len);
  return out;
}

/**
 * Index of the first element ≥ p in packed bytes, or −1: byte 15 ≥ 0x80, or the value is p itself
 * (bytes 0..14 = 0xff, byte 15 = 0x7f). Byte tests only, no BigInt allocation.
 */
export function firstNonCanonical(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i += FIELD_ELEMENT_BYTES) {
    const top = bytes[i + 15]!;
    if (top >= 0x80) return i / FIELD_ELEMENT_BYTES;
    if (top === 0x7f) {
      let all = 0xff;
      for (let j = 0; j < 15; j++) all &= bytes[i + j]!;
      if (all === 0xff) return i / FIELD_ELEMENT_BYTES;
    }
  }
  return -1;
}

/** Throws `ERR_FIELD_NOT_CANONICAL` naming the first offending element of each input. */
export function throwNonCanonical(inputs: Record<string, Uint8Array>): never {
  for (const [name, bytes] of Object.entries(inputs)) {
    const i = firstNonCanonical(bytes);
    if (i >= 0) throw new FieldNotCanonicalError(`"${name}[${i}]" expected a canonical field element (< 2^127 − 1)`);
  }
  throw new FieldNotCanonicalError(`inputs ${Object.keys(inputs).join(', ')} hold a non-canonical field element`);
}

/** Checks the Shamir parameters: integers with 1 ≤ k ≤ n ≤ MAX_SHARES. */
export function assertThreshold(k: unknown, n: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isSafeInteger(k)) throw new TypeError(`"k" expected a safe integer, got ${describeType(k)}`);
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`"n" expected a safe integer, got ${describeType(n)}`);
  if (k < 1) throw new RangeError(`"k" expected at least 1, got ${k}`);
  if (n < k) throw new RangeError(`"k" expected at most n = ${n}, got ${k}`);
  if (n > MAX_SHARES) throw new RangeError(`"n" expected at most ${MAX_SHARES} shares, got ${n}`);
}

/** Refuses more than MAX_SHARES shares or abscissas (`ERR_SHAMIR_INVALID`), before any arithmetic on them. */
export function assertShareCount(name: string, count: number): void {
  if (count > MAX_SHARES) throw new ShamirInvalidError(`"${name}" expected at most ${MAX_SHARES} items, got ${count}`);
}

/** Checks share abscissas: canonical, nonzero, pairwise distinct (QuorumkitError `ERR_SHAMIR_INVALID`). */
export function assertAbscissas(xs: readonly bigint[]): void {
  // small sets (the usual k) compare pairwise; a Set costs more than it saves below ~16 items
  const seen = xs.length > 16 ? new Set<bigint>() : null;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'bigint') throw new TypeError(`"x" of share ${i} expected bigint, got ${describeType(x)}`);
    if (x < 0n || x >= P) throw new ShamirInvalidError(`share ${i} has an abscissa outside [1, p)`);
    if (x === 0n) throw new ShamirInvalidError(`share ${i} has abscissa x = 0 (that point is the secret)`);
    let dup = false;
    if (seen !== null) {
      dup = seen.has(x);
      seen.add(x);
    } else {
      for (let j = 0; j < i; j++) if (xs[j] === x) dup = true;
    }
    if (dup) throw new ShamirInvalidError(`share ${i} repeats abscissa x = ${x}`);
  }
}

/**
 * Checks a share list and returns the prefix to use: at least 1 share, at least `k` when given, and
 * at most MAX_SHARES used (all of them, or the first `k`).
 */
export function sharesToUse<T>(shares: readonly T[], k: unknown): readonly T[] {
  if (!Array.isArray(shares)) throw new TypeError(`"shares" expected an array, got ${describeType(shares)}`);
  if (k !== undefined && (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1)) {
    throw new RangeError(`"k" expected a positive safe integer, got ${describeValue(k)}`);
  }
  const need = k ?? 1;
  if (shares.length < need) {
    throw new ShamirInvalidError(`"shares" expected at least ${need} items, got ${shares.length}`);
  }
  assertShareCount('shares', k ?? shares.length);
  return k === undefined ? shares : shares.slice(0, k);
}
