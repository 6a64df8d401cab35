// reconstructPacked (one secret from packed abscissas and share values) equals reconstruct on the
// same shares, on every embedded WASM build and on the BigInt reference, through the Lagrange
// cache's hits and misses and the engine's last-set fast path (never a stale λ when sets alternate);
// its argument checks throw the typed errors of the field API; linear memory keeps no share or secret.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumkitError } from '../../src/core/errors.js';
import { makeFieldApi } from '../../src/field/_api.js';
import { wasmEngine } from '../../src/field/_wasm-engine.js';
import { packElements, randomElements, unpackElements } from '../../src/field/codec.js';
import { MAX_SHARES, P } from '../../src/field/constants.js';
import * as field from '../../src/field/index.js';
import { referenceField } from '../../src/field/reference.js';
import type { FieldApi, Share } from '../../src/field/types.js';
import { _loadBuild } from '../../src/wasm/_instance.js';
import { element, nonCanonical, packRaw, VARIANTS } from './_arb.js';

const APIS: [string, FieldApi][] = [
  ...VARIANTS.map((v): [string, FieldApi] => [`wasm ${v.build}${v.simd ? ' simd' : ''}`, makeFieldApi(wasmEngine(_loadBuild(v.build, { simd: v.simd })))]),
  ['reference', referenceField],
];

/** Distinct nonzero abscissas and canonical values: k shares of an arbitrary polynomial. */
const shareSet = (maxK: number): fc.Arbitrary<Share[]> =>
  fc
    .uniqueArray(fc.oneof(fc.bigInt({ min: 1n, max: 40n }), fc.bigInt({ min: 1n, max: P - 1n })), { minLength: 1, maxLength: maxK })
    .chain((xs) => fc.tuple(fc.constant(xs), fc.array(element, { minLength: xs.length, maxLength: xs.length })))
    .map(([xs, ys]) => xs.map((x, i) => ({ x, y: ys[i]! })));

function packed(shares: readonly Share[]): [Uint8Array, Uint8Array] {
  return [packElements(shares.map((s) => s.x)), packElements(shares.map((s) => s.y))];
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof QuorumkitError ? e.code : (e as Error).name;
  }
  return 'no error';
}

for (const [name, f] of APIS) {
  describe(`reconstructPacked (${name})`, () => {
    it('equals reconstruct on random share sets (k ≤ 40: the slab and the scratch paths, carries past 31 terms)', () => {
      fc.assert(
        fc.property(shareSet(40), (shares) => {
          const [xs, ys] = packed(shares);
          expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([f.reconstruct(shares)]);
        }),
        { numRuns: 300 },
      );
    });

    it('recovers split secrets, again on a cache hit, and after the λ slot held another set', () => {
      const s = 0x1234_5678_9abc_def0_1122_3344_5566n;
      const all = f.split(s, { k: 3, n: 6 });
      for (const pick of [[0, 1, 2], [3, 4, 5], [0, 1, 2], [5, 1, 3]]) {
        const [xs, ys] = packed(pick.map((i) => all[i]!));
        expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([s]);
        expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([s]);
      }
    });

    it('reads views at an offset and does not keep the caller’s xs (mutating them afterwards changes nothing)', () => {
      const shares = f.split(99n, { k: 2, n: 3 }).slice(1);
      const [xs, ys] = packed(shares);
      const bx = new Uint8Array(xs.length + 3), by = new Uint8Array(ys.length + 5);
      bx.set(xs, 3);
      by.set(ys, 5);
      const vx = bx.subarray(3), vy = by.subarray(5);
      expect(unpackElements(f.reconstructPacked(vx, vy))).toEqual([99n]);
      vx[0] = 7; // abscissa 2 → 7: a different set, not a stale cache hit
      expect(unpackElements(f.reconstructPacked(vx, vy))).toEqual([f.reconstruct([{ x: 7n, y: shares[0]!.y }, shares[1]!])]);
    });

    it('alternating abscissa sets never get stale λ (same k, reordered, overlapping, other k): equals the BigInt reference', () => {
      const sameK = fc.integer({ min: 1, max: 5 }).chain((k) =>
        fc.array(fc.uniqueArray(fc.bigInt({ min: 1n, max: 7n }), { minLength: k, maxLength: k }), { minLength: 2, maxLength: 5 }));
      fc.assert(
        fc.property(sameK, shareSet(6), fc.array(element, { minLength: 5, maxLength: 5 }), fc.array(fc.nat(), { minLength: 2, maxLength: 24 }), (xsSets, other, ysPool, picks) => {
          const sets = [...xsSets.map((xs) => xs.map((x, i) => ({ x, y: ysPool[i]! }))), other];
          for (const pick of picks) {
            const shares = sets[pick % sets.length]!;
            const [xs, ys] = packed(shares);
            expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([referenceField.reconstruct(shares)]);
          }
        }),
        { numRuns: 200 },
      );
    });

    it('a set one byte away from the last one is another set, at every byte of every abscissa (k = 1, 3, 16, 17)', () => {
      for (const k of [1, 3, 16, 17]) {
        // top byte 0x3a: flipping bit 0 of any byte stays in [1, p); x_i ⊕ x_j = (3i ⊕ 3j)·2^8 is never
        // one bit (3i − 3j is no power of 2), so no flip turns one abscissa into another
        const shares = Array.from({ length: k }, (_, i) => ({ x: 0x3a5c_7e91_d2b4_06f8_1337_c0de_9a8b_7c6dn ^ (BigInt(3 * i) << 8n), y: (0x51ed_270b_9f3c_e6a4n * BigInt(i + 3) * 0x1_0000_0001n) % P }));
        const [xs, ys] = packed(shares);
        const expected = referenceField.reconstruct(shares);
        for (let j = 0; j < xs.length; j++) {
          const near = xs.slice();
          near[j]! ^= 1;
          const nearShares = unpackElements(near).map((x, i) => ({ x, y: shares[i]!.y }));
          expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([expected]);
          expect(unpackElements(f.reconstructPacked(near, ys))).toEqual([referenceField.reconstruct(nearShares)]);
        }
      }
    });

    it('a share ≥ p or a refused set leaves the last set answering correctly', () => {
      const shares = f.split(123n, { k: 3, n: 5 }).slice(1, 4);
      const [xs, ys] = packed(shares);
      expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([123n]);
      const bad = ys.slice();
      bad.set(packRaw([P]), 16);
      expect(code(() => f.reconstructPacked(xs, bad))).toBe('ERR_FIELD_NOT_CANONICAL');
      expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([123n]);
      expect(code(() => f.reconstructPacked(packRaw([1n, 1n, 3n]), ys))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstructPacked(packRaw([shares[0]!.x, 0n, shares[2]!.x]), ys))).toBe('ERR_SHAMIR_INVALID');
      expect(unpackElements(f.reconstructPacked(xs, ys))).toEqual([123n]);
    });

    it('refuses bad lengths (RangeError), bad abscissas (ERR_SHAMIR_INVALID), non-canonical values (ERR_FIELD_NOT_CANONICAL)', () => {
      const [xs, ys] = packed(f.split(5n, { k: 3, n: 3 }));
      expect(code(() => f.reconstructPacked(xs.subarray(1), ys.subarray(1)))).toBe('RangeError');
      expect(code(() => f.reconstructPacked(xs, ys.subarray(16)))).toBe('RangeError');
      expect(code(() => f.reconstructPacked(new Uint8Array(0), new Uint8Array(0)))).toBe('RangeError');
      expect(code(() => f.reconstructPacked([1] as unknown as Uint8Array, ys))).toBe('TypeError');
      expect(code(() => f.reconstructPacked(xs, null as unknown as Uint8Array))).toBe('TypeError');
      expect(code(() => f.reconstructPacked(packRaw([0n, 2n, 3n]), ys))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstructPacked(packRaw([1n, 2n, 1n]), ys))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstructPacked(packRaw([1n, P, 3n]), ys))).toBe('ERR_SHAMIR_INVALID');
      const many = MAX_SHARES + 1;
      expect(code(() => f.reconstructPacked(packRaw(Array.from({ length: many }, (_, i) => BigInt(i + 1))), new Uint8Array(16 * many)))).toBe('ERR_SHAMIR_INVALID');
      fc.assert(
        fc.property(nonCanonical, fc.nat({ max: 2 }), (bad, at) => {
          const y = packRaw([1n, 2n, 3n].map((v, i) => (i === at ? bad : v)));
          expect(code(() => f.reconstructPacked(xs, y))).toBe('ERR_FIELD_NOT_CANONICAL');
        }),
        { numRuns: 50 },
      );
    });
  });
}

/** Whether `needle` occurs anywhere in `haystack`. */
function holds(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) >= 0;
}

for (const v of VARIANTS) {
  describe(`reconstructPacked in linear memory (wasm ${v.build}${v.simd ? ' simd' : ''})`, () => {
    it('keeps no copy of a share or of the secret after a miss, a hit or a refused share (k = 3, 16, 17)', () => {
      const inst = _loadBuild(v.build, { simd: v.simd });
      const f = makeFieldApi(wasmEngine(inst));
      for (const k of [3, 16, 17]) {
        const [secretValue] = unpackElements(randomElements(1));
        const shares = referenceField.split(secretValue!, { k, n: k });
        const [xs, ys] = packed(shares);
        const secret = f.reconstructPacked(xs, ys); // miss: λ computed and kept
        expect(f.reconstructPacked(xs, ys)).toEqual(secret); // hit
        const bad = ys.slice();
        bad.set(packRaw([P]), 0);
        expect(code(() => f.reconstructPacked(xs, bad))).toBe('ERR_FIELD_NOT_CANONICAL');
        const mem = new Uint8Array(inst.exports.memory.buffer);
        expect(holds(mem, secret)).toBe(false);
        for (let i = 0; i < k; i++) expect(holds(mem, ys.subarray(16 * i, 16 * i + 16))).toBe(false);
      }
      // the search finds a share that does sit in linear memory
      const [, ys] = packed(referenceField.split(5n, { k: 2, n: 2 }));
      const vec = f.allocElements(2);
      vec.bytes.set(ys);
      expect(holds(new Uint8Array(inst.exports.memory.buffer), ys.subarray(16))).toBe(true);
      vec.free();
    });
  });
}

describe('reconstructPacked on quorumkit/field', () => {
  it('is exported and answers like the reference', () => {
    const shares = field.split(77n, { k: 3, n: 5 }).slice(2);
    const [xs, ys] = packed(shares);
    expect(field.reconstructPacked(xs, ys)).toEqual(referenceField.reconstructPacked(xs, ys));
    expect(unpackElements(field.reconstructPacked(xs, ys))).toEqual([77n]);
  });
});
