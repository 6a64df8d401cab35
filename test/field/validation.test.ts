// Bad input gets a typed error, never a silently wrong answer: non-canonical elements, inv(0),
// K < 1, K > N, fewer than K shares, x = 0, duplicate x, malformed packed arrays and garbage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuorumkitError, QuorumkitError } from '../../src/core/errors.js';
import * as field from '../../src/field/index.js';
import { P } from '../../src/field/constants.js';
import { referenceField } from '../../src/field/reference.js';
import type { FieldApi } from '../../src/field/types.js';
import { nonCanonical, packRaw } from './_arb.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof QuorumkitError) return err.code;
    if (err instanceof RangeError) return 'RangeError';
    if (err instanceof TypeError) return 'TypeError';
    throw err;
  }
  return 'no error';
}

const APIS: [string, FieldApi][] = [['wasm', field.fieldApi()], ['reference', referenceField]];

for (const [name, f] of APIS) {
  describe(`field validation (${name})`, () => {
    it('inv(0) is ERR_FIELD_DIVISION_BY_ZERO; batch inverse with a zero too', () => {
      expect(code(() => f.fp.inv(0n))).toBe('ERR_FIELD_DIVISION_BY_ZERO');
      expect(code(() => f.batch.inv(field.packElements([1n, 0n, 2n])))).toBe('ERR_FIELD_DIVISION_BY_ZERO');
    });

    it('non-canonical scalars are ERR_FIELD_NOT_CANONICAL; wrong types TypeError', () => {
      fc.assert(
        fc.property(nonCanonical, (x) => {
          expect(code(() => f.fp.mul(x, 1n))).toBe('ERR_FIELD_NOT_CANONICAL');
          expect(code(() => f.fp.add(1n, x))).toBe('ERR_FIELD_NOT_CANONICAL');
          expect(code(() => f.fp.inv(x))).toBe('ERR_FIELD_NOT_CANONICAL');
          expect(code(() => f.split(x, { k: 2, n: 3 }))).toBe('ERR_FIELD_NOT_CANONICAL');
        }),
        { numRuns: 100 },
      );
      expect(code(() => f.fp.mul(-1n, 1n))).toBe('ERR_FIELD_NOT_CANONICAL');
      expect(code(() => f.fp.mul(1 as unknown as bigint, 1n))).toBe('TypeError');
      expect(code(() => f.fp.pow(2n, -1n))).toBe('RangeError');
      expect(code(() => f.fp.pow(2n, 1n << 128n))).toBe('RangeError');
    });

    it('packed inputs with an element ≥ p are rejected by every batch op, naming the index', () => {
      fc.assert(
        fc.property(nonCanonical, fc.integer({ min: 0, max: 9 }), (bad, at) => {
          const vals = Array.from({ length: 10 }, (_, i) => (i === at ? bad : BigInt(i)));
          const a = packRaw(vals);
          const ok = field.packElements(Array(10).fill(3n));
          for (const fn of [
            () => f.batch.mul(a, ok), () => f.batch.mul(ok, a), () => f.batch.add(a, ok), () => f.batch.sub(ok, a),
            () => f.batch.scale(a, 2n), () => f.batch.dot(a, ok), () => f.batch.inv(a), () => f.batch.evalPoints(a, ok),
            () => f.batch.evalPoints(ok, a), () => f.batch.evalPolys(a, 5, 2n), () => f.splitMany(a, { k: 2, n: 3 }),
            () => f.reconstructMany([{ x: 1n, y: a }, { x: 2n, y: ok }]),
          ]) {
            expect(code(fn)).toBe('ERR_FIELD_NOT_CANONICAL');
          }
          expect(() => f.batch.mul(a, ok)).toThrow(`[${at}]`);
        }),
        { numRuns: 40 },
      );
    });

    it('malformed packed arrays: wrong type TypeError, bad length RangeError', () => {
      expect(code(() => f.batch.mul(new Uint8Array(15), new Uint8Array(15)))).toBe('RangeError');
      expect(code(() => f.batch.mul(new Uint8Array(16), new Uint8Array(32)))).toBe('RangeError');
      expect(code(() => f.batch.mul([1n] as unknown as Uint8Array, new Uint8Array(16)))).toBe('TypeError');
      expect(code(() => f.batch.add(new Uint8Array(16), new Uint8Array(16), new Uint8Array(8)))).toBe('RangeError');
      expect(code(() => f.batch.evalPoints(new Uint8Array(0), new Uint8Array(16)))).toBe('RangeError');
      expect(code(() => f.batch.evalPolys(new Uint8Array(48), 2, 1n))).toBe('RangeError');
    });

    it('K < 1, K > N, non-integers and N ≥ p are rejected', () => {
      expect(code(() => f.split(1n, { k: 0, n: 3 }))).toBe('RangeError');
      expect(code(() => f.split(1n, { k: 4, n: 3 }))).toBe('RangeError');
      expect(code(() => f.split(1n, { k: 1.5, n: 3 }))).toBe('TypeError');
      expect(code(() => f.split(1n, { k: 2, n: Number.MAX_SAFE_INTEGER + 1 }))).toBe('TypeError');
      expect(code(() => f.split(1n, null as unknown as { k: number; n: number }))).toBe('TypeError');
      expect(code(() => f.splitMany(new Uint8Array(16), { k: 3, n: 2 }))).toBe('RangeError');
    });

    it('fewer than K shares, x = 0, duplicate x, non-canonical y, x ≥ p are ERR_SHAMIR_INVALID / NOT_CANONICAL', () => {
      const shares = f.split(99n, { k: 3, n: 5 });
      expect(code(() => f.reconstruct(shares.slice(0, 2), { k: 3 }))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstruct([]))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstruct([{ x: 0n, y: 1n }, shares[1]!, shares[2]!]))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstruct([shares[1]!, shares[1]!, shares[2]!]))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstruct([{ x: P, y: 1n }, shares[1]!, shares[2]!]))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstruct([{ x: 1n, y: P }, shares[1]!, shares[2]!]))).toBe('ERR_FIELD_NOT_CANONICAL');
      expect(code(() => f.reconstruct([{ x: 1, y: 2n } as unknown as { x: bigint; y: bigint }]))).toBe('TypeError');
      expect(code(() => f.lagrangeCoefficients([1n, 2n, 1n]))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.lagrangeCoefficients([]))).toBe('ERR_SHAMIR_INVALID');
      const vectors = f.splitMany(field.packElements([1n, 2n]), { k: 2, n: 3 });
      expect(code(() => f.reconstructMany([vectors[0]!, { x: 2n, y: vectors[1]!.y.subarray(16) }]))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstructMany([vectors[0]!], { k: 2 }))).toBe('ERR_SHAMIR_INVALID');
    });

    it(`refuses more than MAX_SHARES (${field.MAX_SHARES}) shares with ERR_SHAMIR_INVALID before any work, in every share API`, () => {
      expect(field.MAX_SHARES).toBe(1024);
      // 20,000 distinct shares took ~17 s to interpolate (quadratic); refused now before any arithmetic.
      const many = Array.from({ length: 20_000 }, (_, i) => ({ x: BigInt(i + 1), y: BigInt(i) }));
      const vectors = many.map((s) => ({ x: s.x, y: field.packElements([s.y]) }));
      const t0 = performance.now();
      expect(code(() => f.reconstruct(many))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.interpolateAt(many, 5n))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.lagrangeCoefficients(many.map((s) => s.x)))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstructMany(vectors))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.combineBytes(vectors))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.reconstruct(many, { k: 2000 }))).toBe('ERR_SHAMIR_INVALID');
      expect(code(() => f.split(1n, { k: 2, n: 2000 }))).toBe('RangeError');
      expect(code(() => f.splitMany(field.packElements([1n]), { k: 2, n: 1025 }))).toBe('RangeError');
      expect(code(() => f.splitBytes(new Uint8Array(4), { k: 2, n: 1025 }))).toBe('RangeError');
      expect(performance.now() - t0).toBeLessThan(1000);
      // At the cap everything still works, and k picks the shares to use from a longer list.
      const shares = f.split(42n, { k: 3, n: field.MAX_SHARES });
      expect(f.reconstruct(shares)).toBe(42n);
      expect(f.reconstruct([...shares, ...shares.map((s) => ({ x: s.x + 2000n, y: s.y }))], { k: 3 })).toBe(42n);
      expect(f.lagrangeCoefficients(shares.map((s) => s.x)).length).toBe(field.MAX_SHARES);
    });

    it('object-valued counts (no callable toString) are a RangeError naming their type, not a conversion crash', () => {
      const odd = [Object.create(null)];
      expect(() => f.batch.evalPolys(new Uint8Array(16), odd as never, 1n)).toThrow(new RangeError('"k" expected a positive safe integer, got array of 1'));
      expect(() => f.allocElements({ toString: 0 } as never)).toThrow(new RangeError('"n" expected an integer in [0, 67108864], got object'));
      expect(code(() => f.reconstruct([], { k: { toString: 0 } } as never))).toBe('RangeError');
    });

    it('combineBytes of foreign or inconsistent shares fails with a typed error, not a wrong secret', () => {
      const a = f.splitBytes(new Uint8Array(32).fill(7), { k: 2, n: 3 });
      const b = f.splitBytes(new Uint8Array(32).fill(9), { k: 2, n: 3 });
      let wrongButAccepted = 0;
      for (let t = 0; t < 20; t++) {
        const c = t % 2 === 0 ? [a[0]!, b[1]!] : [b[0]!, a[2]!];
        try {
          f.combineBytes(c);
          wrongButAccepted++;
        } catch (err) {
          expect(isQuorumkitError(err, 'ERR_SHAMIR_INVALID')).toBe(true);
        }
      }
      expect(wrongButAccepted).toBe(0);
    });

    it('codec: fromBytes/toBytes/fromString round-trip and reject garbage', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: P - 1n }), (x) => {
          expect(f.fp.fromBytes(f.fp.toBytes(x))).toBe(x);
          expect(f.fp.fromString(x.toString())).toBe(x);
        }),
      );
      expect(code(() => f.fp.fromBytes(packRaw([P])))).toBe('ERR_FIELD_NOT_CANONICAL');
      expect(code(() => f.fp.fromBytes(new Uint8Array(15)))).toBe('RangeError');
      expect(code(() => f.fp.fromString(P.toString()))).toBe('ERR_FIELD_NOT_CANONICAL');
      fc.assert(
        fc.property(fc.string(), (s) => {
          const c = code(() => f.fp.fromString(s));
          if (/^(0|[1-9][0-9]*)$/.test(s) && BigInt(s) < P) expect(c).toBe('no error');
          else expect(['ERR_ENCODING', 'ERR_FIELD_NOT_CANONICAL']).toContain(c);
        }),
      );
      for (const s of ['', '-1', '01', ' 1', '1e3', '0x10', '1.0']) expect(code(() => f.fp.fromString(s))).toBe('ERR_ENCODING');
    });

    it('random garbage to the share APIs never returns silently wrong data', () => {
      fc.assert(
        fc.property(fc.anything(), (junk) => {
          for (const fn of [() => f.reconstruct(junk as never), () => f.reconstructMany(junk as never), () => f.split(junk as never, junk as never)]) {
            const c = code(fn);
            expect(c).not.toBe('no error');
          }
        }),
        { numRuns: 200 },
      );
    });
  });
}
