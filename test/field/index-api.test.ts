// The top-level wrappers of quorumkit/field (src/field/index.ts), called through the public index —
// never fieldApi() — and checked against the BigInt reference (src/field/reference.ts) on random
// inputs. Law: for every operation, index.op(x) == reference.op(x), including the errors thrown.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import {
  FIELD_ELEMENT_BYTES, P, allocElements, batch, combineBytes, fp, interpolateAt, lagrangeCoefficients, packElements, randomElements,
  reconstruct, reconstructMany, split, splitBytes, splitMany, unpackElements,
} from '../../src/field/index.js';
import * as ref from '../../src/field/reference.js';
import { element, nonCanonical, nonzero } from './_arb.js';

/** A deterministic byte source (xorshift32) so both implementations see the same coefficients. */
function seeded(seed: number): (bytes: Uint8Array) => void {
  let s = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      bytes[i] = s & 0xff;
    }
  };
}

/** Same value, or the same error class and code. */
function sameOutcome(a: () => unknown, b: () => unknown): void {
  let ra: unknown, rb: unknown, ea: unknown, eb: unknown;
  try { ra = a(); } catch (e) { ea = e; }
  try { rb = b(); } catch (e) { eb = e; }
  if (ea === undefined && eb === undefined) { expect(ra).toEqual(rb); return; }
  expect(ea, `index threw ${String(ea)}, reference threw ${String(eb)}`).toBeInstanceOf(Error);
  expect(eb).toBeInstanceOf(Error);
  expect((ea as Error).constructor).toBe((eb as Error).constructor);
  expect((ea as { code?: string }).code).toBe((eb as { code?: string }).code);
}

const kn = fc.integer({ min: 1, max: 6 }).chain((k) => fc.record({ k: fc.constant(k), n: fc.integer({ min: k, max: 8 }) }));

describe('constants', () => {
  it('FIELD_ELEMENT_BYTES is 16 and matches the reference; P = 2^127 − 1', () => {
    expect(FIELD_ELEMENT_BYTES).toBe(16);
    expect(FIELD_ELEMENT_BYTES).toBe(ref.FIELD_ELEMENT_BYTES);
    expect(P).toBe((1n << 127n) - 1n);
    expect(fp.toBytes(P - 1n)).toHaveLength(FIELD_ELEMENT_BYTES);
    expect(packElements([1n, 2n, 3n])).toHaveLength(3 * FIELD_ELEMENT_BYTES);
  });
});

describe('fp (public) == reference fp', () => {
  it('add, sub, neg, mul, square, inv, pow, bytes and string round trips', () => {
    fc.assert(fc.property(element, element, fc.bigInt({ min: 0n, max: (1n << 130n) }), (a, b, e) => {
      expect(fp.add(a, b)).toBe(ref.fp.add(a, b));
      expect(fp.sub(a, b)).toBe(ref.fp.sub(a, b));
      expect(fp.neg(a)).toBe(ref.fp.neg(a));
      expect(fp.mul(a, b)).toBe(ref.fp.mul(a, b));
      expect(fp.square(a)).toBe(ref.fp.square(a));
      sameOutcome(() => fp.inv(a), () => ref.fp.inv(a));
      sameOutcome(() => fp.pow(a, e), () => ref.fp.pow(a, e)); // e ≥ 2^128 → RangeError in both
      if (e < 1n << 128n) expect(fp.pow(a, e)).toBe(ref.fp.pow(a, e));
      expect(fp.toBytes(a)).toEqual(ref.fp.toBytes(a));
      expect(fp.fromBytes(fp.toBytes(a))).toBe(a);
      expect(fp.fromString(a.toString())).toBe(a);
    }), { numRuns: 300 });
  });

  it('garbage: same typed errors as the reference', () => {
    fc.assert(fc.property(nonCanonical, element, (bad, good) => {
      for (const op of ['add', 'sub', 'mul'] as const) sameOutcome(() => fp[op](bad, good), () => ref.fp[op](bad, good));
      sameOutcome(() => fp.neg(bad), () => ref.fp.neg(bad));
      sameOutcome(() => fp.inv(bad), () => ref.fp.inv(bad));
      sameOutcome(() => fp.toBytes(bad), () => ref.fp.toBytes(bad));
      sameOutcome(() => fp.fromString(bad.toString()), () => ref.fp.fromString(bad.toString()));
    }), { numRuns: 100 });
    let err: unknown;
    try { fp.inv(0n); } catch (e) { err = e; }
    expect(isQuorumkitError(err, 'ERR_FIELD_DIVISION_BY_ZERO')).toBe(true);
    for (const g of [1, '1', null, undefined, 1.5]) sameOutcome(() => fp.add(g as never, 1n), () => ref.fp.add(g as never, 1n));
    expect(() => fp.add(1 as never, 1n)).toThrow(TypeError);
    for (const s of ['', '-1', '1e3', ' 1', '0x10', 'abc', P.toString()]) sameOutcome(() => fp.fromString(s), () => ref.fp.fromString(s));
    for (const b of [new Uint8Array(15), new Uint8Array(17), new Uint8Array(16).fill(0xff)]) sameOutcome(() => fp.fromBytes(b), () => ref.fp.fromBytes(b));
  });
});

describe('batch (public) == reference batch', () => {
  it('add, sub, mul, scale, dot, inv, evalPoints, evalPolys', () => {
    fc.assert(fc.property(fc.array(element, { minLength: 0, maxLength: 20 }), fc.array(element, { minLength: 20, maxLength: 20 }), element, (as, bsFull, s) => {
      const a = packElements(as);
      const b = packElements(bsFull.slice(0, as.length));
      for (const op of ['add', 'sub', 'mul'] as const) expect(batch[op](a, b)).toEqual(ref.batch[op](a, b));
      expect(batch.scale(a, s)).toEqual(ref.batch.scale(a, s));
      expect(batch.dot(a, b)).toBe(ref.batch.dot(a, b));
      sameOutcome(() => batch.inv(a), () => ref.batch.inv(a));
      if (as.length > 0) {
        const xs = packElements(bsFull.slice(0, 5));
        expect(batch.evalPoints(a, xs)).toEqual(ref.batch.evalPoints(a, xs));
        const k = as.length % 4 + 1;
        const polys = Math.floor(as.length / k);
        if (polys > 0) {
          const coeffs = a.subarray(0, polys * k * 16);
          expect(batch.evalPolys(coeffs, k, s)).toEqual(ref.batch.evalPolys(coeffs, k, s));
        }
      }
    }), { numRuns: 200 });
  });

  it('`out` is written in place; mismatched lengths and non-canonical elements fail like the reference', () => {
    const a = packElements([1n, 2n, 3n]);
    const out = new Uint8Array(48);
    expect(batch.mul(a, a, out)).toBe(out);
    expect(unpackElements(out)).toEqual([1n, 4n, 9n]);
    sameOutcome(() => batch.add(a, packElements([1n])), () => ref.batch.add(a, packElements([1n])));
    expect(() => batch.add(a, packElements([1n]))).toThrow(RangeError);
    const bad = new Uint8Array(48);
    bad.set(new Uint8Array(16).fill(0xff), 16);
    sameOutcome(() => batch.mul(a, bad), () => ref.batch.mul(a, bad));
    sameOutcome(() => batch.add(new Uint8Array(15), new Uint8Array(15)), () => ref.batch.add(new Uint8Array(15), new Uint8Array(15)));
  });
});

describe('Shamir wrappers (public) == reference', () => {
  it('split with the same rng gives the same shares; reconstruct / interpolateAt / lagrangeCoefficients agree', () => {
    fc.assert(fc.property(element, kn, fc.integer(), fc.bigInt({ min: 1n, max: 1000n }), (secret, { k, n }, seed, at) => {
      const shares = split(secret, { k, n, rng: seeded(seed) });
      expect(shares).toEqual(ref.split(secret, { k, n, rng: seeded(seed) }));
      expect(shares.map((s) => s.x)).toEqual(Array.from({ length: n }, (_, i) => BigInt(i + 1)));
      const some = shares.slice(n - k);
      expect(reconstruct(some)).toBe(secret);
      expect(reconstruct(shares, { k })).toBe(ref.reconstruct(shares, { k }));
      expect(lagrangeCoefficients(some.map((s) => s.x))).toEqual(ref.lagrangeCoefficients(some.map((s) => s.x)));
      expect(lagrangeCoefficients(some.map((s) => s.x), at)).toEqual(ref.lagrangeCoefficients(some.map((s) => s.x), at));
      expect(interpolateAt(some, at)).toBe(ref.interpolateAt(some, at));
      expect(interpolateAt(some, 0n)).toBe(secret);
    }), { numRuns: 100 });
  });

  it('splitMany / reconstructMany agree with the reference and with per-secret split', () => {
    fc.assert(fc.property(fc.array(element, { minLength: 0, maxLength: 10 }), kn, fc.integer(), (secrets, { k, n }, seed) => {
      const packed = packElements(secrets);
      const vecs = splitMany(packed, { k, n, rng: seeded(seed) });
      expect(vecs).toEqual(ref.splitMany(packed, { k, n, rng: seeded(seed) }));
      expect(vecs).toHaveLength(n);
      expect(reconstructMany(vecs.slice(0, k))).toEqual(packed);
      expect(reconstructMany(vecs, { k })).toEqual(ref.reconstructMany(vecs, { k }));
    }), { numRuns: 100 });
  });

  it('splitBytes / combineBytes round-trip any bytes and agree with the reference', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), kn, fc.integer(), (secret, { k, n }, seed) => {
      const vecs = splitBytes(secret, { k, n, rng: seeded(seed) });
      expect(vecs).toEqual(ref.splitBytes(secret, { k, n, rng: seeded(seed) }));
      expect(combineBytes(vecs.slice(n - k))).toEqual(secret);
      expect(combineBytes(vecs, { k })).toEqual(ref.combineBytes(vecs, { k }));
    }), { numRuns: 100 });
  });

  it('garbage: same typed errors as the reference', () => {
    fc.assert(fc.property(fc.integer({ min: -2, max: 4 }), fc.integer({ min: -2, max: 4 }), nonCanonical, (k, n, bad) => {
      sameOutcome(() => split(1n, { k, n, rng: seeded(1) }), () => ref.split(1n, { k, n, rng: seeded(1) }));
      sameOutcome(() => split(bad, { k: 1, n: 1 }), () => ref.split(bad, { k: 1, n: 1 }));
      sameOutcome(() => splitMany(packElements([1n]), { k, n, rng: seeded(1) }), () => ref.splitMany(packElements([1n]), { k, n, rng: seeded(1) }));
    }), { numRuns: 60 });
    const shares = split(7n, { k: 2, n: 3 });
    const cases: unknown[] = [[], [shares[0]], [shares[0], shares[0]], [{ x: 0n, y: 1n }, shares[1]], [shares[0], { x: 2n, y: P }], 'x', null];
    for (const c of cases) {
      sameOutcome(() => reconstruct(c as never, { k: 2 }), () => ref.reconstruct(c as never, { k: 2 }));
      sameOutcome(() => interpolateAt(c as never, 5n), () => ref.interpolateAt(c as never, 5n));
    }
    let err: unknown;
    try { reconstruct([shares[0]!], { k: 2 }); } catch (e) { err = e; }
    expect(isQuorumkitError(err, 'ERR_SHAMIR_INVALID')).toBe(true);
    for (const xs of [[], [0n], [1n, 1n], [1n, P]]) sameOutcome(() => lagrangeCoefficients(xs), () => ref.lagrangeCoefficients(xs));
    const vecs = splitMany(packElements([1n, 2n]), { k: 2, n: 2 });
    const short = [vecs[0]!, { x: vecs[1]!.x, y: vecs[1]!.y.subarray(16) }];
    sameOutcome(() => reconstructMany(short), () => ref.reconstructMany(short));
    const bv = splitBytes(new Uint8Array([1, 2, 3]), { k: 2, n: 2 });
    const wrong = [bv[0]!, { x: bv[1]!.x, y: fp.toBytes(fp.add(fp.fromBytes(bv[1]!.y), 1n)) }];
    sameOutcome(() => combineBytes(wrong), () => ref.combineBytes(wrong));
  });
});

describe('allocElements / randomElements', () => {
  it('allocElements: zeroed FieldVector usable with batch.*; free() wipes; bounds → RangeError', () => {
    const a = allocElements(3);
    const out = allocElements(3);
    expect(a.length).toBe(3);
    expect(a.bytes).toHaveLength(3 * FIELD_ELEMENT_BYTES);
    expect(a.bytes.every((x) => x === 0)).toBe(true);
    a.bytes.set(packElements([3n, 4n, P - 1n]));
    batch.mul(a.bytes, a.bytes, out.bytes);
    expect(unpackElements(out.bytes)).toEqual([9n, 16n, 1n]);
    expect(unpackElements(out.bytes)).toEqual(unpackElements(ref.batch.mul(a.bytes, a.bytes)));
    a.free();
    a.free(); // idempotent
    expect(() => a.bytes).toThrow(RangeError);
    out.free();
    expect(allocElements(0).length).toBe(0);
    for (const n of [-1, 1.5, 2 ** 26 + 1, NaN]) {
      expect(() => allocElements(n)).toThrow(RangeError);
      expect(() => ref.allocElements(n)).toThrow(RangeError);
    }
  });

  it('randomElements: canonical, top bit cleared, exactly the rng bytes otherwise; p is redrawn', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), fc.integer(), (count, seed) => {
      const got = randomElements(count, seeded(seed));
      expect(got).toHaveLength(count * FIELD_ELEMENT_BYTES);
      const raw = new Uint8Array(count * 16);
      seeded(seed)(raw);
      for (let i = 15; i < raw.length; i += 16) raw[i]! &= 0x7f;
      expect(got).toEqual(raw);
      for (const v of unpackElements(got)) expect(v < P).toBe(true);
    }));
    // An rng stuck on 0xff always yields p itself: redrawn 64 times, then a typed error.
    let err: unknown;
    try { randomElements(1, (b) => void b.fill(0xff)); } catch (e) { err = e; }
    expect(isQuorumkitError(err, 'ERR_INVALID_ARGUMENT')).toBe(true);
    // One draw of p, then a good value: the element is redrawn.
    let calls = 0;
    const r = randomElements(1, (b) => void b.fill(calls++ === 0 ? 0xff : 0x01));
    expect(unpackElements(r)).toEqual([unpackElements(new Uint8Array(16).fill(1))[0]]);
    expect(() => randomElements(1, 'x' as never)).toThrow(TypeError);
    expect(randomElements(64)).not.toEqual(randomElements(64)); // default source is random
  });
});
