// The performance paths agree with the BigInt reference on every embedded build: the SIMD pair +
// scalar interleave of batch mul and batch combine (lengths not multiples of 3, k on both sides of
// the 31-term lazy-reduction bound), the SIMD canonical check, zero-copy FieldVectors (in-place and
// aliased out, memory growth between calls) and the pinned single-reconstruction slab.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFieldApi } from '../../src/field/_api.js';
import { wasmEngine } from '../../src/field/_wasm-engine.js';
import { packElements, unpackElements } from '../../src/field/codec.js';
import { P } from '../../src/field/constants.js';
import { referenceField as ref } from '../../src/field/reference.js';
import { _loadBuild } from '../../src/wasm/_instance.js';
import { element, nonCanonical, packRaw, VARIANTS } from './_arb.js';

for (const v of VARIANTS) {
  describe(`fast paths, ${v.build}${v.simd ? ' simd' : ''} build`, () => {
    const inst = _loadBuild(v.build, { simd: v.simd });
    const f = makeFieldApi(wasmEngine(inst));

    it('batch.mul (pair + scalar interleave) equals elementwise BigInt products for every length 0..13', () => {
      fc.assert(fc.property(fc.array(fc.tuple(element, element), { maxLength: 13 }), (pairs) => {
        const a = packElements(pairs.map((p) => p[0]));
        const b = packElements(pairs.map((p) => p[1]));
        expect(unpackElements(f.batch.mul(a, b))).toEqual(pairs.map(([x, y]) => (x * y) % P));
      }), { numRuns: 500 });
    });

    it('non-canonical input at any index of any length is rejected (SIMD check, odd lengths)', () => {
      fc.assert(fc.property(fc.array(element, { minLength: 1, maxLength: 9 }), fc.nat(), nonCanonical, (xs, at, bad) => {
        const i = at % xs.length;
        const raw = xs.slice() as bigint[];
        raw[i] = bad;
        expect(() => f.batch.mul(packRaw(raw), packElements(xs))).toThrow(/\[/);
      }), { numRuns: 300 });
    });

    it('reconstructMany agrees with the reference for k in {1, 2, 3, 31, 32, 33} and m = 0..7', () => {
      for (const k of [1, 2, 3, 31, 32, 33]) {
        for (let m = 0; m <= 7; m++) {
          const secrets = Array.from({ length: m }, (_, j) => (P - 1n - BigInt(j) * 0x1234567890abcdef1n) % P);
          const shares = ref.splitMany(packElements(secrets), { k, n: k + 1 }).slice(1);
          expect(unpackElements(f.reconstructMany(shares))).toEqual(secrets);
        }
      }
    });

    it('reconstruct (pinned slab for k ≤ 16, scratch above) equals the reference; slab keeps no share', () => {
      fc.assert(fc.property(element, fc.integer({ min: 1, max: 20 }), (s, k) => {
        const shares = ref.split(s, { k, n: k + 2 }).slice(2);
        expect(f.reconstruct(shares)).toBe(s);
        expect(f.reconstruct(shares.slice().reverse())).toBe(s);
      }), { numRuns: 300 });
    });

    it('FieldVector: zero-copy mul/add/scale in place and aliased, survives memory growth, free wipes', () => {
      fc.assert(fc.property(fc.array(fc.tuple(element, element), { minLength: 1, maxLength: 11 }), element, (pairs, s) => {
        const n = pairs.length;
        const a = f.allocElements(n), b = f.allocElements(n), o = f.allocElements(n);
        try {
          a.bytes.set(packElements(pairs.map((p) => p[0])));
          b.bytes.set(packElements(pairs.map((p) => p[1])));
          expect(f.batch.mul(a.bytes, b.bytes, o.bytes)).toBe(o.bytes);
          expect(unpackElements(o.bytes)).toEqual(pairs.map(([x, y]) => (x * y) % P));
          f.batch.scale(a.bytes, s, o.bytes);
          expect(unpackElements(o.bytes)).toEqual(pairs.map(([x]) => (x * s) % P));
          f.batch.add(a.bytes, b.bytes, a.bytes); // out aliases a exactly
          expect(unpackElements(a.bytes)).toEqual(pairs.map(([x, y]) => (x + y) % P));
        } finally {
          a.free(); b.free(); o.free();
        }
      }), { numRuns: 200 });
      const v = f.allocElements(4);
      v.bytes.set(packElements([1n, 2n, 3n, 4n]));
      const before = inst.exports.memory.buffer.byteLength;
      f.batch.mul(new Uint8Array(16 * 300_000), new Uint8Array(16 * 300_000)); // grows linear memory
      expect(inst.exports.memory.buffer.byteLength).toBeGreaterThan(before);
      expect(unpackElements(v.bytes)).toEqual([1n, 2n, 3n, 4n]);
      const bytes = v.bytes;
      v.free();
      expect(bytes.every((x) => x === 0)).toBe(true);
      expect(() => v.bytes).toThrow(RangeError);
      expect(() => f.allocElements(-1)).toThrow(RangeError);
    });

    it('partially overlapping out falls back to copying and stays correct', () => {
      const v = f.allocElements(5);
      try {
        v.bytes.set(packElements([2n, 3n, 5n, 7n, 11n]));
        const a = v.bytes.subarray(0, 64), out = v.bytes.subarray(16, 80);
        f.batch.mul(a, a, out);
        expect(unpackElements(v.bytes)).toEqual([2n, 4n, 9n, 25n, 49n]);
      } finally {
        v.free();
      }
    });
  });
}
