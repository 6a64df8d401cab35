// Every scalar and batch operation of the WASM engine agrees with the BigInt reference, on every
// embedded build (debug with assertions, release; scalar and SIMD), on random and edge elements.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFieldApi } from '../../src/field/_api.js';
import { wasmEngine } from '../../src/field/_wasm-engine.js';
import { packElements, unpackElements } from '../../src/field/codec.js';
import { P } from '../../src/field/constants.js';
import { referenceField as ref } from '../../src/field/reference.js';
import { _loadBuild } from '../../src/wasm/_instance.js';
import { EDGES, element, nonzero, VARIANTS } from './_arb.js';

const RUNS = 2000;

for (const v of VARIANTS) {
  describe(`field on WASM, ${v.build}${v.simd ? ' simd' : ''} build`, () => {
    const f = makeFieldApi(wasmEngine(_loadBuild(v.build, { simd: v.simd })));

    it('add, sub, neg, mul, square agree with BigInt (edge values × edge values)', () => {
      for (const a of EDGES) {
        for (const b of EDGES) {
          expect(f.fp.add(a, b)).toBe((a + b) % P);
          expect(f.fp.sub(a, b)).toBe((((a - b) % P) + P) % P);
          expect(f.fp.mul(a, b)).toBe((a * b) % P);
        }
        expect(f.fp.neg(a)).toBe((P - a) % P);
        expect(f.fp.square(a)).toBe((a * a) % P);
      }
    });

    it('scalar ops agree with the reference (random)', () => {
      fc.assert(
        fc.property(element, element, (a, b) => {
          expect(f.fp.add(a, b)).toBe(ref.fp.add(a, b));
          expect(f.fp.sub(a, b)).toBe(ref.fp.sub(a, b));
          expect(f.fp.neg(a)).toBe(ref.fp.neg(a));
          expect(f.fp.mul(a, b)).toBe(ref.fp.mul(a, b));
          expect(f.fp.square(a)).toBe(ref.fp.square(a));
        }),
        { numRuns: RUNS },
      );
    });

    it('x · x⁻¹ = 1 and inv agrees with extended Euclid', () => {
      fc.assert(
        fc.property(nonzero, (a) => {
          const i = f.fp.inv(a);
          expect(i).toBe(ref.fp.inv(a));
          expect(f.fp.mul(a, i)).toBe(1n);
        }),
        { numRuns: 500 },
      );
    });

    it('pow agrees with the reference, including e = 0, p − 1, p − 2 and 128-bit exponents', () => {
      fc.assert(
        fc.property(element, fc.oneof(fc.constantFrom(0n, 1n, 2n, P - 1n, P - 2n, P, (1n << 128n) - 1n), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n })), (a, e) => {
          expect(f.fp.pow(a, e)).toBe(ref.fp.pow(a, e));
        }),
        { numRuns: 300 },
      );
    });

    const vec = fc.array(element, { minLength: 0, maxLength: 40 });
    const pair = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(fc.array(element, { minLength: n, maxLength: n }), fc.array(element, { minLength: n, maxLength: n })));

    it('batch add/sub/mul/scale/dot agree with the reference', () => {
      fc.assert(
        fc.property(pair, element, ([xs, ys], s) => {
          const a = packElements(xs);
          const b = packElements(ys);
          expect(f.batch.add(a, b)).toEqual(ref.batch.add(a, b));
          expect(f.batch.sub(a, b)).toEqual(ref.batch.sub(a, b));
          expect(f.batch.mul(a, b)).toEqual(ref.batch.mul(a, b));
          expect(f.batch.scale(a, s)).toEqual(ref.batch.scale(a, s));
          expect(f.batch.dot(a, b)).toBe(ref.batch.dot(a, b));
        }),
        { numRuns: 500 },
      );
    });

    it('batch ops cross chunk boundaries (10 000 elements) and accept BigUint64Array', () => {
      const xs = Array.from({ length: 10_000 }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15f39cc0605cedc835n + EDGES[i % EDGES.length]!) % P);
      const ys = xs.map((x) => (x * 3n + 7n) % P);
      const a = packElements(xs);
      const b = packElements(ys);
      expect(unpackElements(f.batch.mul(a, b))).toEqual(xs.map((x, i) => (x * ys[i]!) % P));
      const a64 = new BigUint64Array(a.buffer.slice(0));
      expect(f.batch.add(a64, b)).toEqual(ref.batch.add(a, b));
      expect(f.batch.dot(a, b)).toBe(ref.batch.dot(a, b));
      const nz = packElements(xs.map((x) => (x === 0n ? 1n : x)));
      expect(f.batch.inv(nz)).toEqual(ref.batch.inv(nz));
    });

    it('batch inversion agrees and x · x⁻¹ = 1 elementwise', () => {
      fc.assert(
        fc.property(fc.array(nonzero, { maxLength: 40 }), (xs) => {
          const a = packElements(xs);
          const inv = f.batch.inv(a);
          expect(inv).toEqual(ref.batch.inv(a));
          expect(unpackElements(f.batch.mul(a, inv)).every((x) => x === 1n)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it('Horner: one polynomial at many points, many polynomials at one point', () => {
      fc.assert(
        fc.property(fc.array(element, { minLength: 1, maxLength: 12 }), vec, element, fc.integer({ min: 1, max: 6 }), (coeffs, xs, x, k) => {
          const c = packElements(coeffs);
          const p = packElements(xs);
          expect(f.batch.evalPoints(c, p)).toEqual(ref.batch.evalPoints(c, p));
          const many = packElements(coeffs.slice(0, coeffs.length - (coeffs.length % k)));
          expect(f.batch.evalPolys(many, k, x)).toEqual(ref.batch.evalPolys(many, k, x));
        }),
        { numRuns: 300 },
      );
    });

    it('dot product over more than 31 terms (lazy reduction boundary) with all-(p − 1) inputs', () => {
      for (const n of [30, 31, 32, 62, 63, 64, 200]) {
        const a = packElements(Array(n).fill(P - 1n));
        expect(f.batch.dot(a, a)).toBe(BigInt(n) % P);
      }
    });

    it('Lagrange coefficients and split/reconstruct agree with the reference', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.bigInt({ min: 1n, max: P - 1n }), { minLength: 1, maxLength: 12 }), element, (xs, at) => {
          expect(f.lagrangeCoefficients(xs, at)).toEqual(ref.lagrangeCoefficients(xs, at));
          expect(f.lagrangeCoefficients(xs)).toEqual(ref.lagrangeCoefficients(xs));
        }),
        { numRuns: 200 },
      );
    });

    it('split with a fixed rng gives the same shares as the reference', () => {
      fc.assert(
        fc.property(element, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (s, k, extra, seed) => {
          const rng = (b: Uint8Array): void => { for (let i = 0; i < b.length; i++) b[i] = seed[i % 32]! ^ (i * 131); };
          const opts = { k, n: k + extra, rng };
          expect(f.split(s, opts)).toEqual(ref.split(s, opts));
        }),
        { numRuns: 200 },
      );
    });
  });
}
