// quorumkit/field — F_p with p = 2^127 − 1 on WebAssembly: constant-time scalar arithmetic on bigints,
// batch kernels over packed 16-byte little-endian elements, Shamir sharing (Shamir 1979) and
// Lagrange reconstruction. The engine is chosen by the shared selector of quorumkit/wasm
// (src/wasm/_select.ts): the first call initializes WASM (initSync); where WebAssembly cannot be
// instantiated synchronously the BigInt reference (quorumkit/field/reference) answers instead —
// call `await init()` from quorumkit/wasm first on a browser main thread to get the WASM engine.

import { createEngineSelector } from '../wasm/_select.js';
import { makeFieldApi } from './_api.js';
import { wasmEngine } from './_wasm-engine.js';
import { referenceField } from './reference.js';
import type {
  FieldApi, FieldBatchOps, FieldScalarOps, FieldVector, PackedElements, ReconstructOptions, Share, ShareVector, SplitOptions,
} from './types.js';

export { P, FIELD_ELEMENT_BYTES, SECRET_CHUNK_BYTES, MAX_SHARES } from './constants.js';
export { packElements, unpackElements, randomElements } from './codec.js';
export type * from './types.js';
export { FieldNotCanonicalError, FieldDivisionByZeroError, ShamirInvalidError, type FieldErrorCode } from './errors.js';

const fieldApis = createEngineSelector<FieldApi, 'reference'>({
  fallbackName: 'reference',
  wasm: (instance) => makeFieldApi(wasmEngine(instance)),
  fallback: () => referenceField,
});

/**
 * Returns the API in use: on the default WASM instance (initializing it with `initSync()` when
 * needed), or the BigInt reference when WebAssembly is unavailable. Follows a change of the
 * default instance.
 * @throws QuorumkitError `ERR_WASM_INTEGRITY` when the embedded bytes fail their digest check.
 * @example
 * fieldApi().backend; // 'wasm'
 */
export function fieldApi(): FieldApi {
  return fieldApis.current();
}

/**
 * Scalar operations on canonical bigints (`0 ≤ x < p`), in WASM, constant time in the values for
 * `mul`, `square`, `inv` and `pow`. Throws TypeError for non-bigints and QuorumkitError
 * `ERR_FIELD_NOT_CANONICAL` for values outside [0, p); `inv(0n)` throws `ERR_FIELD_DIVISION_BY_ZERO`.
 * @example
 * fp.mul(fp.inv(12345n), 12345n); // 1n
 */
export const fp: FieldScalarOps = {
  add: (a, b) => fieldApi().fp.add(a, b),
  sub: (a, b) => fieldApi().fp.sub(a, b),
  neg: (a) => fieldApi().fp.neg(a),
  mul: (a, b) => fieldApi().fp.mul(a, b),
  square: (a) => fieldApi().fp.square(a),
  inv: (a) => fieldApi().fp.inv(a),
  pow: (a, e) => fieldApi().fp.pow(a, e),
  fromBytes: (bytes) => fieldApi().fp.fromBytes(bytes),
  toBytes: (a) => fieldApi().fp.toBytes(a),
  fromString: (text) => fieldApi().fp.fromString(text),
};

/**
 * Batch operations over packed elements (16 bytes each, little-endian; `Uint8Array` or
 * `BigUint64Array`), one WASM call per chunk. Results are fresh `Uint8Array`s unless `out` is given.
 * Any element ≥ p throws `ERR_FIELD_NOT_CANONICAL` naming its index; lengths must match (RangeError).
 * @example
 * batch.mul(packElements([2n, 3n]), packElements([5n, 7n])); // packed [10n, 21n]
 */
export const batch: FieldBatchOps = {
  add: (a, b, out) => fieldApi().batch.add(a, b, out),
  sub: (a, b, out) => fieldApi().batch.sub(a, b, out),
  mul: (a, b, out) => fieldApi().batch.mul(a, b, out),
  scale: (a, s, out) => fieldApi().batch.scale(a, s, out),
  dot: (a, b) => fieldApi().batch.dot(a, b),
  inv: (a, out) => fieldApi().batch.inv(a, out),
  evalPoints: (coeffs, xs, out) => fieldApi().batch.evalPoints(coeffs, xs, out),
  evalPolys: (coeffs, k, x, out) => fieldApi().batch.evalPolys(coeffs, k, x, out),
};

/**
 * Allocates n zeroed elements in WASM linear memory for zero-copy batch calls: when the inputs and
 * `out` of a `batch.*` call are all FieldVector bytes, nothing is copied (only the in-place canonical
 * check runs). Memory growth detaches old views — read `v.bytes` again after each call. The region is
 * pinned; `v.free()` wipes it for reuse.
 * @throws RangeError unless 0 ≤ n ≤ 2^26.
 * @example
 * const a = allocElements(2), out = allocElements(2);
 * a.bytes.set(packElements([3n, 4n]));
 * batch.mul(a.bytes, a.bytes, out.bytes); // out holds 9n, 16n
 * a.free(); out.free();
 */
export function allocElements(n: number): FieldVector {
  return fieldApi().allocElements(n);
}

/**
 * Splits `secret` into `n` Shamir shares at x = 1..n, any `k` of which reconstruct it. Coefficients
 * are uniform below p (rejection-sampled from `rng`, default `crypto.getRandomValues`).
 * @throws TypeError/RangeError for bad k, n (need 1 ≤ k ≤ n < p); `ERR_FIELD_NOT_CANONICAL` for a secret ∉ [0, p).
 * @example
 * const shares = split(42n, { k: 3, n: 5 });
 * reconstruct(shares.slice(2)); // 42n
 */
export function split(secret: bigint, options: SplitOptions): Share[] {
  return fieldApi().split(secret, options);
}

/**
 * Reconstructs the secret from shares by Lagrange interpolation at 0 (coefficients cached per set
 * of abscissas). With `{ k }`, fewer than k shares is an error and only the first k are used.
 * @throws QuorumkitError `ERR_SHAMIR_INVALID` for too few shares, x = 0, duplicate x;
 * `ERR_FIELD_NOT_CANONICAL` for a y ∉ [0, p).
 */
export function reconstruct(shares: readonly Share[], options?: ReconstructOptions): bigint {
  return fieldApi().reconstruct(shares, options);
}

/**
 * Reconstructs one secret from k shares given packed: `xs` holds the k abscissas and `ys` the k
 * share values, 16 bytes little-endian each, in the same order; returns the secret f(0) as one
 * fresh packed 16-byte element (Lagrange interpolation at 0, Shamir 1979). λ is cached per set of
 * abscissas (compared as bytes), and the last set used stays in WASM memory with its λ: repeating it
 * costs a copy of `xs` and `ys` and one WASM call that compares the abscissas and sums, with no
 * BigInt and no check beyond lengths (the set was checked when it entered). The copy of the shares
 * in WASM memory is wiped inside that call, the secret's copy before returning.
 * @throws TypeError for non-Uint8Array arguments; RangeError when a length is not a multiple of
 * 16, is 0, or differs between `xs` and `ys`; QuorumkitError `ERR_SHAMIR_INVALID` for more than
 * MAX_SHARES shares or an abscissa that is 0, ≥ p or repeated; `ERR_FIELD_NOT_CANONICAL` for a
 * share value ≥ p.
 * @example
 * const [s1, , s3] = split(42n, { k: 2, n: 3 });
 * const secret = reconstructPacked(packElements([s1.x, s3.x]), packElements([s1.y, s3.y]));
 * unpackElements(secret); // [42n]
 */
export function reconstructPacked(xs: Uint8Array, ys: Uint8Array): Uint8Array {
  return fieldApi().reconstructPacked(xs, ys);
}

/**
 * Lagrange coefficients λ_i(at) = Π_{j≠i} (at − x_j)/(x_i − x_j) for distinct nonzero abscissas
 * (one batched inversion). `at` defaults to 0 (reconstruction).
 * @throws `ERR_SHAMIR_INVALID` for an empty list, x = 0 or duplicates.
 */
export function lagrangeCoefficients(xs: readonly bigint[], at?: bigint): bigint[] {
  return fieldApi().lagrangeCoefficients(xs, at);
}

/**
 * Evaluates the shared polynomial at `x` from shares (resharing: f(x) = Σ λ_i(x)·y_i). Uses every
 * share given, so pass exactly the k shares to use.
 */
export function interpolateAt(shares: readonly Share[], x: bigint): bigint {
  return fieldApi().interpolateAt(shares, x);
}

/**
 * Shares a batch of packed secrets: returns n share vectors, party i's `y` holding its share of every
 * secret (packed, same order). One WASM call for the whole batch.
 */
export function splitMany(secrets: PackedElements, options: SplitOptions): ShareVector[] {
  return fieldApi().splitMany(secrets, options);
}

/**
 * Reconstructs a batch of secrets from share vectors (all the same length) into packed elements.
 * Same errors as {@link reconstruct}, plus `ERR_SHAMIR_INVALID` for vectors of different lengths.
 */
export function reconstructMany(shares: readonly ShareVector[], options?: ReconstructOptions): Uint8Array {
  return fieldApi().reconstructMany(shares, options);
}

/**
 * Shares a byte secret of any length: 15-byte chunks (after 0x80 padding) become field elements,
 * shared with {@link splitMany}. Recombine with {@link combineBytes}.
 */
export function splitBytes(secret: Uint8Array, options: SplitOptions): ShareVector[] {
  return fieldApi().splitBytes(secret, options);
}

/**
 * Recombines a byte secret from shares made by {@link splitBytes}.
 * @throws `ERR_SHAMIR_INVALID` also when the result's padding is malformed (inconsistent shares).
 */
export function combineBytes(shares: readonly ShareVector[], options?: ReconstructOptions): Uint8Array {
  return fieldApi().combineBytes(shares, options);
}
