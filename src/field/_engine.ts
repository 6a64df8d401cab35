// The arithmetic engine behind quorumkit/field (internal): the WASM kernels (_wasm-engine.ts) or
// pure BigInt (reference.ts). The API layer (_api.ts) validates arguments once; an engine trusts
// shapes and lengths but reports non-canonical packed inputs (returns false / null / −1) so the API
// can throw a typed error instead of answering wrongly.

import type { FieldVector } from './types.js';

/** Low-level field operations; scalar inputs are canonical bigints, packed inputs have valid lengths. */
export interface FieldEngine {
  readonly kind: 'wasm' | 'reference';
  /** n zeroed elements the batch kernels read and write in place (WASM: in linear memory). */
  allocVector(n: number): FieldVector;
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  square(a: bigint): bigint;
  /** a⁻¹ for a ≠ 0 (constant time in the WASM engine); 0 for a = 0. */
  inv(a: bigint): bigint;
  /** a^e for 0 ≤ e < 2^128. */
  pow(a: bigint, e: bigint): bigint;
  /** Elementwise op into `out` (same length); false when an input element is ≥ p. */
  addBatch(a: Uint8Array, b: Uint8Array, out: Uint8Array): boolean;
  subBatch(a: Uint8Array, b: Uint8Array, out: Uint8Array): boolean;
  mulBatch(a: Uint8Array, b: Uint8Array, out: Uint8Array): boolean;
  scaleBatch(a: Uint8Array, s: bigint, out: Uint8Array): boolean;
  /** Σ a[i]·b[i], or null when an input element is ≥ p. */
  dot(a: Uint8Array, b: Uint8Array): bigint | null;
  /** Inverses into `out`; −1 when an input is ≥ p, else the number of zero inputs (out invalid if > 0). */
  invBatch(a: Uint8Array, out: Uint8Array): number;
  evalPoints(coeffs: Uint8Array, xs: Uint8Array, out: Uint8Array): boolean;
  evalPolys(coeffs: Uint8Array, k: number, x: bigint, out: Uint8Array): boolean;
  /** Share-major shares of m secrets (coeffs: m·(k−1) canonical elements, xs: n distinct nonzero). */
  splitBatch(secrets: Uint8Array, coeffs: Uint8Array, k: number, xs: Uint8Array, out: Uint8Array): boolean;
  /** λ_i(at) for distinct xs (packed); null when two abscissas coincide. */
  lagrange(xs: Uint8Array, at: bigint): Uint8Array | null;
  /** out[j] = Σ_i λ_i·rows[i][j]; false when a row element is ≥ p. */
  combine(rows: readonly Uint8Array[], lambdas: Uint8Array, out: Uint8Array): boolean;
  /** Σ λ_i·ys[i] for canonical bigints ys (the single-secret fast path). */
  combineScalars(ys: readonly bigint[], lambdas: Uint8Array): bigint;
  /**
   * Σ λ_i·ys[i] for k packed ys (k = λ count ≥ 1) as a fresh packed element, λ being the Lagrange
   * coefficients at 0 of the checked, distinct abscissas `xs` (packed, k of them); null when a y is
   * ≥ p. The engine may keep the pair (xs, λ) for {@link combinePackedLast}.
   */
  combinePacked(xs: Uint8Array, ys: Uint8Array, lambdas: Uint8Array): Uint8Array | null;
  /**
   * The same sum with the λ the engine kept from its last {@link combinePacked}, when `xs` equals that
   * call's abscissas byte for byte; undefined (nothing computed) when it does not or the engine kept
   * none; null when a y is ≥ p. Lengths as for combinePacked.
   */
  combinePackedLast(xs: Uint8Array, ys: Uint8Array): Uint8Array | null | undefined;
}
