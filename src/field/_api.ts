// The quorumkit/field API over an engine (internal): validation once at the boundary, Shamir sharing
// (Shamir 1979) and Lagrange interpolation built on the engine's batch primitives, and a small cache
// of Lagrange coefficients (abscissas are public, so caching them leaks nothing).

import { assertBytes, assertOptions, describeType, describeValue, optionKeys } from '../core/assert.js';
import { FIELD_ELEMENT_BYTES, P } from './constants.js';
import {
  defaultRandomFill, elementFromBytes, elementFromString, elementToBytes, elementsToSecretBytes, packElements,
  randomElements, secretBytesToElements,
} from './codec.js';
import type { FieldEngine } from './_engine.js';
import {
  assertAbscissas, assertElement, assertShareCount, assertThreshold, outBuffer, packedBytes, sharesToUse, throwNonCanonical,
} from './_validate.js';
import { FieldDivisionByZeroError, FieldNotCanonicalError, ShamirInvalidError } from './errors.js';
import type {
  FieldApi, FieldBatchOps, FieldScalarOps, PackedElements, ReconstructOptions, Share, ShareVector, SplitOptions,
} from './types.js';

const MAX_EXPONENT = 1n << 128n;
const LAGRANGE_CACHE_SIZE = 16;
/** Largest FieldVector: 2^26 elements (1 GiB), well inside wasm32's 4 GiB. */
const MAX_VECTOR = 2 ** 26;

interface CachedLagrange {
  readonly xs: readonly bigint[];
  /** The same abscissas packed (16-byte LE each): the key of `reconstructPacked`'s lookup. */
  readonly packed: Uint8Array;
  readonly at: bigint;
  readonly lambdas: Uint8Array;
}

function sameXs(a: readonly bigint[], b: readonly bigint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Byte equality with an early exit: only for public data (abscissas). Both lengths are multiples of
 * 16 (packed elements); one test per element instead of one per byte (a third faster on V8).
 */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 16) {
    const d = (a[i]! ^ b[i]!) | (a[i + 1]! ^ b[i + 1]!) | (a[i + 2]! ^ b[i + 2]!) | (a[i + 3]! ^ b[i + 3]!)
      | (a[i + 4]! ^ b[i + 4]!) | (a[i + 5]! ^ b[i + 5]!) | (a[i + 6]! ^ b[i + 6]!) | (a[i + 7]! ^ b[i + 7]!)
      | (a[i + 8]! ^ b[i + 8]!) | (a[i + 9]! ^ b[i + 9]!) | (a[i + 10]! ^ b[i + 10]!) | (a[i + 11]! ^ b[i + 11]!)
      | (a[i + 12]! ^ b[i + 12]!) | (a[i + 13]! ^ b[i + 13]!) | (a[i + 14]! ^ b[i + 14]!) | (a[i + 15]! ^ b[i + 15]!);
    if (d !== 0) return false;
  }
  return true;
}

/** Abscissas from packed bytes, checked as `assertAbscissas` does (ERR_SHAMIR_INVALID for ≥ p, 0, repeats). */
function abscissasFromBytes(xs: Uint8Array): bigint[] {
  const dv = new DataView(xs.buffer, xs.byteOffset, xs.byteLength);
  const out: bigint[] = new Array(xs.length / FIELD_ELEMENT_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = dv.getBigUint64(i * 16, true) | (dv.getBigUint64(i * 16 + 8, true) << 64n);
  assertAbscissas(out);
  return out;
}

/** Checks the two packed arguments of `reconstructPacked`: Uint8Arrays of k ≥ 1 elements each (k ≤ MAX_SHARES). */
function assertPackedShares(xs: unknown, ys: unknown): asserts xs is Uint8Array {
  assertBytes('xs', xs);
  assertBytes('ys', ys);
  if (xs.length % FIELD_ELEMENT_BYTES !== 0) {
    throw new RangeError(`"xs" expected a multiple of ${FIELD_ELEMENT_BYTES} bytes, got ${xs.length}`);
  }
  if (xs.length === 0) throw new RangeError('"xs" expected at least 1 element, got 0 bytes');
  if (ys.length !== xs.length) throw new RangeError(`"ys" expected ${xs.length} bytes like "xs", got ${ys.length}`);
  assertShareCount('xs', xs.length / FIELD_ELEMENT_BYTES);
}

const SPLIT_OPTION_KEYS = optionKeys<SplitOptions>({ k: true, n: true, rng: true });
const RECONSTRUCT_OPTION_KEYS = optionKeys<ReconstructOptions>({ k: true });

function splitOptions(options: SplitOptions | undefined): { k: number; n: number; rng: (b: Uint8Array) => void } {
  if (options === undefined) throw new TypeError('"options" expected { k, n }, got undefined');
  const { k, n, rng } = assertOptions('options', options, SPLIT_OPTION_KEYS);
  assertThreshold(k, n);
  if (rng !== undefined && typeof rng !== 'function') throw new TypeError(`"rng" expected a function, got ${describeType(rng)}`);
  return { k, n, rng: rng ?? defaultRandomFill };
}

function reconstructK(options: ReconstructOptions | undefined): number | undefined {
  return assertOptions('options', options, RECONSTRUCT_OPTION_KEYS).k;
}

/** Builds the full API on `engine`. */
export function makeFieldApi(engine: FieldEngine): FieldApi {
  const cache: CachedLagrange[] = [];

  /** λ of cache entry i, moved to the front (most recently used). */
  function cacheHit(i: number): Uint8Array {
    if (i > 0) cache.splice(0, 0, ...cache.splice(i, 1));
    return cache[0]!.lambdas;
  }

  /** Computes and caches λ_i(at) for validated abscissas `xs` (packed: `packed`, owned by the cache). */
  function cacheMiss(xs: readonly bigint[], packed: Uint8Array, at: bigint): Uint8Array {
    const lambdas = engine.lagrange(packed, at);
    if (lambdas === null) throw new ShamirInvalidError('share abscissas are not distinct');
    cache.unshift({ xs: xs.slice(), packed, at, lambdas });
    if (cache.length > LAGRANGE_CACHE_SIZE) cache.pop();
    return lambdas;
  }

  /** Packed λ_i(at) for validated abscissas, from the MRU cache when possible. */
  function lambdasFor(xs: readonly bigint[], at: bigint): Uint8Array {
    for (let i = 0; i < cache.length; i++) {
      const c = cache[i]!;
      if (c.at === at && sameXs(c.xs, xs)) return cacheHit(i);
    }
    return cacheMiss(xs, packElements(xs), at);
  }

  /**
   * Packed λ_i(0) for packed abscissas, found by comparing bytes with the cached keys (no BigInt on
   * a hit). A key only enters the cache after its abscissas were checked, and equal bytes are equal
   * values, so a hit needs no check; a miss decodes and checks them first.
   */
  function lambdasForPacked(xs: Uint8Array): Uint8Array {
    for (let i = 0; i < cache.length; i++) {
      const c = cache[i]!;
      if (c.at === 0n && sameBytes(c.packed, xs)) return cacheHit(i);
    }
    return cacheMiss(abscissasFromBytes(xs), xs.slice(), 0n);
  }

  function sharesXsYs(shares: readonly Share[]): { xs: bigint[]; ys: bigint[] } {
    const xs: bigint[] = new Array(shares.length);
    const ys: bigint[] = new Array(shares.length);
    for (let i = 0; i < shares.length; i++) {
      const s = shares[i];
      if (typeof s !== 'object' || s === null) throw new TypeError(`"shares[${i}]" expected { x, y }, got ${describeType(s)}`);
      xs[i] = s.x;
      if (typeof s.y !== 'bigint') throw new TypeError(`"shares[${i}].y" expected bigint, got ${describeType(s.y)}`);
      if (s.y < 0n || s.y >= P) throw new FieldNotCanonicalError(`"shares[${i}].y" expected a canonical field element`);
      ys[i] = s.y;
    }
    assertAbscissas(xs);
    return { xs, ys };
  }

  function vectorsXsRows(vectors: readonly ShareVector[]): { xs: bigint[]; rows: Uint8Array[]; m: number } {
    const xs: bigint[] = [];
    const rows: Uint8Array[] = [];
    let len = -1;
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i];
      if (typeof v !== 'object' || v === null) throw new TypeError(`"shares[${i}]" expected { x, y }, got ${describeType(v)}`);
      const y = packedBytes(`shares[${i}].y`, v.y);
      if (len < 0) len = y.length;
      else if (y.length !== len) throw new ShamirInvalidError(`"shares[${i}].y" holds ${y.length / 16} values, shares[0] holds ${len / 16}`);
      xs.push(v.x);
      rows.push(y);
    }
    assertAbscissas(xs);
    return { xs, rows, m: Math.max(0, len) / FIELD_ELEMENT_BYTES };
  }

  const fp: FieldScalarOps = {
    add(a, b) { assertElement('a', a); assertElement('b', b); return engine.add(a, b); },
    sub(a, b) { assertElement('a', a); assertElement('b', b); return engine.sub(a, b); },
    neg(a) { assertElement('a', a); return engine.neg(a); },
    mul(a, b) { assertElement('a', a); assertElement('b', b); return engine.mul(a, b); },
    square(a) { assertElement('a', a); return engine.square(a); },
    inv(a) {
      assertElement('a', a);
      if (a === 0n) throw new FieldDivisionByZeroError('0 has no inverse in F_p');
      return engine.inv(a);
    },
    pow(a, e) {
      assertElement('a', a);
      if (typeof e !== 'bigint') throw new TypeError(`"e" expected bigint, got ${describeType(e)}`);
      if (e < 0n || e >= MAX_EXPONENT) throw new RangeError('"e" expected 0 ≤ e < 2^128');
      return engine.pow(a, e);
    },
    fromBytes: elementFromBytes,
    toBytes: elementToBytes,
    fromString: elementFromString,
  };

  function binary(name: 'addBatch' | 'subBatch' | 'mulBatch', a: PackedElements, b: PackedElements, out?: Uint8Array): Uint8Array {
    const x = packedBytes('a', a);
    const y = packedBytes('b', b);
    if (x.length !== y.length) throw new RangeError(`"b" expected ${x.length} bytes like "a", got ${y.length}`);
    const o = outBuffer(out, x.length);
    if (!engine[name](x, y, o)) throwNonCanonical({ a: x, b: y });
    return o;
  }

  const batch: FieldBatchOps = {
    add: (a, b, out) => binary('addBatch', a, b, out),
    sub: (a, b, out) => binary('subBatch', a, b, out),
    mul: (a, b, out) => binary('mulBatch', a, b, out),
    scale(a, s, out) {
      const x = packedBytes('a', a);
      assertElement('s', s);
      const o = outBuffer(out, x.length);
      if (!engine.scaleBatch(x, s, o)) throwNonCanonical({ a: x });
      return o;
    },
    dot(a, b) {
      const x = packedBytes('a', a);
      const y = packedBytes('b', b);
      if (x.length !== y.length) throw new RangeError(`"b" expected ${x.length} bytes like "a", got ${y.length}`);
      const r = engine.dot(x, y);
      if (r === null) throwNonCanonical({ a: x, b: y });
      return r;
    },
    inv(a, out) {
      const x = packedBytes('a', a);
      const o = outBuffer(out, x.length);
      const r = engine.invBatch(x, o);
      if (r < 0) throwNonCanonical({ a: x });
      if (r > 0) {
        o.fill(0);
        throw new FieldDivisionByZeroError(`"a" holds ${r} zero element(s), which have no inverse`);
      }
      return o;
    },
    evalPoints(coeffs, xs, out) {
      const c = packedBytes('coeffs', coeffs);
      const x = packedBytes('xs', xs);
      if (c.length === 0) throw new RangeError('"coeffs" expected at least 1 item, got 0');
      const o = outBuffer(out, x.length);
      if (!engine.evalPoints(c, x, o)) throwNonCanonical({ coeffs: c, xs: x });
      return o;
    },
    evalPolys(coeffs, k, x, out) {
      const c = packedBytes('coeffs', coeffs);
      if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1) throw new RangeError(`"k" expected a positive safe integer, got ${describeValue(k)}`);
      if ((c.length / 16) % k !== 0) throw new RangeError(`"coeffs" expected a multiple of k = ${k} elements, got ${c.length / 16}`);
      assertElement('x', x);
      const o = outBuffer(out, c.length / k);
      if (!engine.evalPolys(c, k, x, o)) throwNonCanonical({ coeffs: c });
      return o;
    },
  };

  let xsCache = new Uint8Array(0);
  /** Packed 1..n (little-endian, so only the low bytes are set); grown and reused across calls. */
  function abscissas(n: number): Uint8Array {
    if (xsCache.length < n * 16) {
      xsCache = new Uint8Array(n * 16);
      const dv = new DataView(xsCache.buffer);
      for (let i = 0; i < n; i++) dv.setBigUint64(i * 16, BigInt(i + 1), true);
    }
    return xsCache.subarray(0, n * 16);
  }

  function splitPacked(secrets: Uint8Array, options: SplitOptions | undefined): ShareVector[] {
    const { k, n, rng } = splitOptions(options);
    const m = secrets.length / FIELD_ELEMENT_BYTES;
    const coeffs = randomElements(m * (k - 1), rng);
    const out = new Uint8Array(n * secrets.length);
    try {
      if (!engine.splitBatch(secrets, coeffs, k, abscissas(n), out)) throwNonCanonical({ secrets });
      return Array.from({ length: n }, (_, i) => ({ x: BigInt(i + 1), y: out.slice(i * secrets.length, (i + 1) * secrets.length) }));
    } finally {
      coeffs.fill(0);
      out.fill(0);
    }
  }

  function reconstructPacked(shares: readonly ShareVector[], options: ReconstructOptions | undefined): Uint8Array {
    const use = sharesToUse(shares, reconstructK(options));
    const { xs, rows, m } = vectorsXsRows(use);
    const lambdas = lambdasFor(xs, 0n);
    const out = new Uint8Array(m * FIELD_ELEMENT_BYTES);
    if (!engine.combine(rows, lambdas, out)) {
      throwNonCanonical(Object.fromEntries(rows.map((r, i) => [`shares[${i}].y`, r])));
    }
    return out;
  }

  return {
    backend: engine.kind,
    fp,
    batch,
    allocElements(n) {
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > MAX_VECTOR) {
        throw new RangeError(`"n" expected an integer in [0, ${MAX_VECTOR}], got ${describeValue(n)}`);
      }
      return engine.allocVector(n);
    },
    split(secret, options) {
      assertElement('secret', secret);
      const vectors = splitPacked(packElements([secret]), options);
      return vectors.map((v) => ({ x: v.x, y: elementFromBytes(v.y) }));
    },
    reconstruct(shares, options) {
      const use = sharesToUse(shares, reconstructK(options));
      const { xs, ys } = sharesXsYs(use);
      return engine.combineScalars(ys, lambdasFor(xs, 0n));
    },
    lagrangeCoefficients(xs, at = 0n) {
      if (!Array.isArray(xs)) throw new TypeError(`"xs" expected an array, got ${describeType(xs)}`);
      if (xs.length === 0) throw new ShamirInvalidError('"xs" expected at least 1 items, got 0');
      assertShareCount('xs', xs.length);
      assertAbscissas(xs);
      assertElement('at', at);
      const l = lambdasFor(xs, at);
      const dv = new DataView(l.buffer, l.byteOffset, l.byteLength);
      return xs.map((_, i) => dv.getBigUint64(i * 16, true) | (dv.getBigUint64(i * 16 + 8, true) << 64n));
    },
    reconstructPacked(xs, ys) {
      assertPackedShares(xs, ys);
      // the engine's last set first: it entered through lambdasForPacked, so its abscissas were
      // checked, and equal bytes are equal values; a repeated set is checked and looked up no further
      let secret = engine.combinePackedLast(xs, ys);
      if (secret === undefined) secret = engine.combinePacked(xs, ys, lambdasForPacked(xs));
      if (secret === null) throwNonCanonical({ ys });
      return secret;
    },
    interpolateAt(shares, x) {
      const use = sharesToUse(shares, undefined);
      assertElement('x', x);
      const { xs, ys } = sharesXsYs(use);
      return engine.combineScalars(ys, lambdasFor(xs, x));
    },
    splitMany(secrets, options) {
      return splitPacked(packedBytes('secrets', secrets), options);
    },
    reconstructMany: reconstructPacked,
    splitBytes(secret, options) {
      assertBytes('secret', secret);
      const elements = secretBytesToElements(secret);
      try {
        return splitPacked(elements, options);
      } finally {
        elements.fill(0);
      }
    },
    combineBytes(shares, options) {
      const elements = reconstructPacked(shares, options);
      try {
        return elementsToSecretBytes(elements);
      } finally {
        elements.fill(0);
      }
    },
  };
}
