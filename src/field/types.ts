// Types of the quorumkit/field API, shared by the WASM-backed module and the BigInt reference.

/** Packed field elements: 16 bytes each, little-endian, canonical (< p). */
export type PackedElements = Uint8Array | BigUint64Array;

/** One Shamir share of a single secret: the party's abscissa `x` (≠ 0) and `y = f(x)`. */
export interface Share {
  readonly x: bigint;
  readonly y: bigint;
}

/** One party's shares of a batch of secrets: its abscissa and the packed values, one per secret. */
export interface ShareVector {
  readonly x: bigint;
  readonly y: Uint8Array;
}

/** A source of uniform random bytes: fills the array in place (like `crypto.getRandomValues`). */
export type RandomFill = (bytes: Uint8Array) => void;

/** Options of `split` / `splitMany` / `splitBytes`. */
export interface SplitOptions {
  /** Threshold: any `k` shares reconstruct; fewer reveal nothing. 1 ≤ k ≤ n. */
  readonly k: number;
  /** Number of shares, issued at x = 1, 2, …, n. */
  readonly n: number;
  /** Random source for the polynomial coefficients; defaults to `crypto.getRandomValues`. */
  readonly rng?: RandomFill;
}

/** Options of `reconstruct` / `reconstructMany`. */
export interface ReconstructOptions {
  /** When given, fewer than `k` shares is an error and only the first `k` are used. */
  readonly k?: number;
}

/**
 * n field elements (16 bytes each, little-endian) that the batch kernels read and write in place:
 * with the WASM backend `bytes` views the module's linear memory, so `batch.*` calls whose inputs
 * and `out` are all FieldVector bytes copy nothing. Any quorumkit call may grow linear memory, which
 * detaches earlier views: read `bytes` again after each call instead of keeping it. The region is
 * pinned for the life of the instance; `free()` zeroes it and lets a later `allocElements` reuse it.
 */
export interface FieldVector {
  /** Number of elements. */
  readonly length: number;
  /** The elements (a fresh view whenever memory has grown); RangeError after `free()`. */
  readonly bytes: Uint8Array;
  /** Zeroes the elements and returns the region for reuse; idempotent. */
  free(): void;
}

/** Scalar operations on canonical bigints (`0 ≤ x < p`); every result is canonical. */
export interface FieldScalarOps {
  /** a + b mod p. */
  add(a: bigint, b: bigint): bigint;
  /** a − b mod p. */
  sub(a: bigint, b: bigint): bigint;
  /** −a mod p. */
  neg(a: bigint): bigint;
  /** a·b mod p. */
  mul(a: bigint, b: bigint): bigint;
  /** a² mod p. */
  square(a: bigint): bigint;
  /** a⁻¹ mod p; throws `ERR_FIELD_DIVISION_BY_ZERO` for 0. */
  inv(a: bigint): bigint;
  /** a^e mod p for 0 ≤ e < 2^128 (0^0 = 1). */
  pow(a: bigint, e: bigint): bigint;
  /** Decodes 16 little-endian bytes; throws `ERR_FIELD_NOT_CANONICAL` when the value is ≥ p. */
  fromBytes(bytes: Uint8Array): bigint;
  /** Encodes a canonical element as 16 little-endian bytes. */
  toBytes(a: bigint): Uint8Array;
  /** Parses a decimal string (DESIGN.md: big integers travel as decimal strings); must be < p. */
  fromString(text: string): bigint;
}

/** Batch operations over packed elements; each returns a fresh Uint8Array unless `out` is given. */
export interface FieldBatchOps {
  /** out[i] = a[i] + b[i]. */
  add(a: PackedElements, b: PackedElements, out?: Uint8Array): Uint8Array;
  /** out[i] = a[i] − b[i]. */
  sub(a: PackedElements, b: PackedElements, out?: Uint8Array): Uint8Array;
  /** out[i] = a[i]·b[i]. */
  mul(a: PackedElements, b: PackedElements, out?: Uint8Array): Uint8Array;
  /** out[i] = s·a[i]. */
  scale(a: PackedElements, s: bigint, out?: Uint8Array): Uint8Array;
  /** Σ a[i]·b[i]. */
  dot(a: PackedElements, b: PackedElements): bigint;
  /** out[i] = a[i]⁻¹ (one inversion, Montgomery's trick); any zero throws `ERR_FIELD_DIVISION_BY_ZERO`. */
  inv(a: PackedElements, out?: Uint8Array): Uint8Array;
  /** One polynomial (coefficients, constant term first) at many points. */
  evalPoints(coeffs: PackedElements, xs: PackedElements, out?: Uint8Array): Uint8Array;
  /** Many polynomials of `k` coefficients each (contiguous, constant term first) at one point. */
  evalPolys(coeffs: PackedElements, k: number, x: bigint, out?: Uint8Array): Uint8Array;
}

/** The whole quorumkit/field API; `quorumkit/field` (WASM) and `quorumkit/field/reference` (BigInt). */
export interface FieldApi {
  /** Which implementation answers: `wasm`, or `reference` (pure BigInt). */
  readonly backend: 'wasm' | 'reference';
  readonly fp: FieldScalarOps;
  readonly batch: FieldBatchOps;
  /** Allocates a zeroed {@link FieldVector} of n elements (zero-copy batch I/O). */
  allocElements(n: number): FieldVector;
  split(secret: bigint, options: SplitOptions): Share[];
  reconstruct(shares: readonly Share[], options?: ReconstructOptions): bigint;
  /** One secret from k packed abscissas and k packed share values (16-byte LE each); the secret packed. */
  reconstructPacked(xs: Uint8Array, ys: Uint8Array): Uint8Array;
  lagrangeCoefficients(xs: readonly bigint[], at?: bigint): bigint[];
  splitMany(secrets: PackedElements, options: SplitOptions): ShareVector[];
  reconstructMany(shares: readonly ShareVector[], options?: ReconstructOptions): Uint8Array;
  interpolateAt(shares: readonly Share[], x: bigint): bigint;
  splitBytes(secret: Uint8Array, options: SplitOptions): ShareVector[];
  combineBytes(shares: readonly ShareVector[], options?: ReconstructOptions): Uint8Array;
}
