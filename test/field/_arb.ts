// Shared fast-check arbitraries for field tests: canonical elements with the edge values of the
// issue (0, 1, 2, p − 1, p − 2, 2^126, 2^64 ± 1, …) mixed into uniform ones.
import fc from 'fast-check';
import { P } from '../../src/field/constants.js';

export const EDGES: readonly bigint[] = [
  0n, 1n, 2n, P - 1n, P - 2n, 1n << 126n, (1n << 64n) - 1n, 1n << 64n, (1n << 64n) + 1n, (1n << 63n) - 1n, 1n << 63n,
  (1n << 104n) - 1n, 1n << 104n, (1n << 26n) - 1n, 1n << 26n, P >> 1n, (P >> 1n) + 1n,
];

/** A canonical element: an edge value or uniform in [0, p). */
export const element = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: P - 1n }) },
);

/** A nonzero canonical element. */
export const nonzero = element.filter((x) => x !== 0n);

/** A non-canonical 128-bit value (≥ p). */
export const nonCanonical = fc.oneof(fc.constantFrom(P, P + 1n, (1n << 128n) - 1n, 1n << 127n), fc.bigInt({ min: P, max: (1n << 128n) - 1n }));

/** Packs 128-bit values (canonical or not) without validation, for garbage inputs. */
export function packRaw(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(values.length * 16);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    dv.setBigUint64(i * 16, v & ((1n << 64n) - 1n), true);
    dv.setBigUint64(i * 16 + 8, v >> 64n, true);
  });
  return out;
}

export const VARIANTS = [
  { build: 'debug', simd: false },
  { build: 'release', simd: false },
  { build: 'debug', simd: true },
  { build: 'release', simd: true },
] as const;
