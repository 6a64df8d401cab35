// Fuzzing quorumkit/field's decoders and share APIs: element codecs (bytes, decimal strings, packed
// arrays), reconstruct / reconstructPacked / interpolateAt / lagrangeCoefficients / reconstructMany / combineBytes on
// junk, duplicated, non-canonical, mutated and over-the-cap share lists, split options, and the
// batch kernels on arbitrary bytes. The WASM engine and the BigInt reference must agree on every
// input: the same value, or the same typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumkitError } from '../../src/core/errors.js';
import * as field from '../../src/field/index.js';
import { MAX_SHARES, P } from '../../src/field/constants.js';
import { elementFromBytes, elementFromString, unpackElements } from '../../src/field/codec.js';
import { referenceField } from '../../src/field/reference.js';
import type { FieldApi } from '../../src/field/types.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, hostileObject, mutateBytes, mutateString, randomBytes, trickyString } from './_inputs.js';
import { packRaw } from '../field/_arb.js';

const T = fuzzTimeout(2000, 5);
const wasm: FieldApi = field.fieldApi();
const ref: FieldApi = referenceField;

/** The outcome of `f` as comparable data: its value, or its error's class and code. */
function outcome(f: () => unknown): { ok: unknown } | { err: string } {
  try {
    const v = f();
    return { ok: v instanceof Uint8Array ? [...v] : v };
  } catch (e) {
    if (e instanceof QuorumkitError) return { err: e.code };
    if (e instanceof TypeError || e instanceof RangeError) return { err: e.name };
    throw e;
  }
}

/** Runs `call` on both engines, requires the same outcome, and rethrows the error (for the tally). */
function agree(call: (api: FieldApi) => unknown): void {
  const a = outcome(() => call(wasm));
  const b = outcome(() => call(ref));
  expect(a, 'wasm and reference disagree').toEqual(b);
  if ('err' in a) call(wasm); // rethrow the typed error so the tally counts it
}

const element = fc.oneof(
  fc.bigInt({ min: 0n, max: P - 1n }),
  fc.constantFrom(0n, 1n, P - 1n, P, P + 1n, -1n, 1n << 127n, 1n << 128n, 1n << 200n),
  fc.bigInt({ min: 1n, max: 40n }),
);
const share = fc.oneof(
  { weight: 6, arbitrary: fc.record({ x: element, y: element }) },
  { weight: 1, arbitrary: fc.record({ x: fc.oneof(element, anyValue), y: fc.oneof(element, anyValue) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.oneof(anyValue, hostileObject) },
);
const shares = fc.oneof(
  { weight: 8, arbitrary: fc.array(share, { maxLength: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: 2, max: 12 }).map((k) => wasm.split(12345n, { k, n: 12 })).chain((s) => fc.shuffledSubarray(s, { minLength: 1 })) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_SHARES + 1, max: 3 * MAX_SHARES }).map((n) => Array.from({ length: n }, (_, i) => ({ x: BigInt(i + 1), y: BigInt(i) }))) },
  { weight: 1, arbitrary: anyValue },
);
const kOption = fc.oneof(fc.constant(undefined), fc.record({ k: fc.oneof(fc.integer({ min: -1, max: 14 }), fc.constant(MAX_SHARES + 1), anyValue) }, { requiredKeys: [] }), anyValue);

describe('field element codecs under fuzzing', () => {
  it('elementFromBytes accepts exactly the canonical 16-byte encodings', () => {
    const bytes = fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), randomBytes, fc.bigInt({ min: 0n, max: P - 1n }).map((x) => wasm.fp.toBytes(x)).chain(mutateBytes), anyValue);
    fuzzSync('elementFromBytes(bytes)', bytes, (b) => {
      expect(wasm.fp.toBytes(elementFromBytes(b as Uint8Array))).toEqual(b);
    });
  });

  it('elementFromString accepts exactly the canonical decimal strings below p', () => {
    const text = fc.oneof(fc.bigInt({ min: 0n, max: P + 5n }).map(String), fc.bigInt({ min: 0n, max: P }).map(String).chain(mutateString), trickyString, anyValue);
    fuzzSync('elementFromString(text)', text, (t) => {
      expect(elementFromString(t as string).toString()).toBe(t);
    });
  });

  it('unpackElements accepts exactly packed canonical elements', () => {
    fuzzSync('unpackElements(bytes)', fc.oneof(randomBytes, fc.array(element.filter((x) => x >= 0n && x < P)).map((xs) => field.packElements(xs)).chain(mutateBytes), anyValue), (b) => {
      expect(field.packElements(unpackElements(b as Uint8Array))).toEqual(b);
    });
  });
});

describe('share APIs under fuzzing (wasm and reference agree)', () => {
  it('reconstruct returns a value or a typed error for any share list and options', () => {
    fuzzSync('reconstruct(shares, options)', fc.tuple(shares, kOption), ([s, o]) => agree((f) => f.reconstruct(s as never, o as never)));
  }, T);

  it('interpolateAt returns a value or a typed error for any share list and point', () => {
    fuzzSync('interpolateAt(shares, x)', fc.tuple(shares, fc.oneof(element, anyValue)), ([s, x]) => agree((f) => f.interpolateAt(s as never, x as bigint)));
  }, T);

  it('lagrangeCoefficients returns coefficients or a typed error for any abscissas', () => {
    const xs = fc.oneof(fc.array(fc.oneof(element, anyValue), { maxLength: 12 }), fc.integer({ min: MAX_SHARES + 1, max: 2 * MAX_SHARES }).map((n) => Array.from({ length: n }, (_, i) => BigInt(i + 1))), anyValue);
    fuzzSync('lagrangeCoefficients(xs, at)', fc.tuple(xs, fc.oneof(fc.constant(undefined), element, anyValue)), ([x, at]) => agree((f) => f.lagrangeCoefficients(x as never, at as bigint)));
  }, T);

  it('reconstructMany / combineBytes return packed values or a typed error for junk and mutated share vectors', () => {
    const vectors = fc.oneof(
      fc.integer({ min: 2, max: 6 }).map((k) => wasm.splitBytes(new TextEncoder().encode('a 32-byte secret for the fuzzer!'), { k, n: 6 })).chain((v) => fc.tuple(fc.shuffledSubarray(v, { minLength: 1 }), fc.nat(), fc.nat())).chain(([v, i, j]) => mutateBytes(v[i % v.length]!.y).map((y) => v.map((s, t) => (t === i % v.length && j % 2 === 0 ? { x: s.x, y } : s)))),
      fc.array(fc.record({ x: fc.oneof(element, anyValue), y: fc.oneof(randomBytes, anyValue) }, { requiredKeys: [] }), { maxLength: 6 }),
      fc.integer({ min: MAX_SHARES + 1, max: 2 * MAX_SHARES }).map((n) => Array.from({ length: n }, (_, i) => ({ x: BigInt(i + 1), y: new Uint8Array(16) }))),
      anyValue,
    );
    fuzzSync('reconstructMany / combineBytes(vectors, options)', fc.tuple(vectors, kOption, fc.boolean()), ([v, o, bytes]) =>
      agree((f) => (bytes ? f.combineBytes(v as never, o as never) : f.reconstructMany(v as never, o as never))));
  }, T);

  it('reconstructPacked returns one packed element or a typed error for any xs and ys bytes', () => {
    // valid packed share sets (then mutated), raw bytes of any length, abscissa lists with 0, p,
    // repeats and over-the-cap counts, and non-bytes
    const valid = fc.integer({ min: 1, max: 8 }).map((k) => wasm.split(424242n, { k, n: 8 })).chain((s) => fc.shuffledSubarray(s, { minLength: 1 }))
      .map((s) => [field.packElements(s.map((v) => v.x)), field.packElements(s.map((v) => v.y))] as const);
    const mutated = valid.chain(([x, y]) => fc.tuple(fc.oneof(fc.constant(x), mutateBytes(x)), fc.oneof(fc.constant(y), mutateBytes(y))));
    const rawXs = fc.oneof(
      fc.array(element.filter((x) => x >= 0n && x < 1n << 128n), { maxLength: 8 }).map(packRaw),
      fc.integer({ min: MAX_SHARES + 1, max: 2 * MAX_SHARES }).map((n) => packRaw(Array.from({ length: n }, (_, i) => BigInt(i + 1)))),
      randomBytes,
      anyValue,
    );
    const rawYs = fc.oneof(fc.array(element.filter((y) => y >= 0n && y < 1n << 128n), { maxLength: 8 }).map(packRaw), randomBytes, anyValue);
    const args = fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: mutated }, { weight: 3, arbitrary: fc.tuple(rawXs, rawYs) });
    fuzzSync('reconstructPacked(xs, ys)', args, ([x, y]) => {
      agree((f) => {
        const r = f.reconstructPacked(x as Uint8Array, y as Uint8Array);
        expect(r).toBeInstanceOf(Uint8Array);
        expect(r.length).toBe(16);
        return r;
      });
    });
  }, T);

  it('split / splitMany / splitBytes refuse any bad secret or options with a typed error', () => {
    const options = fc.oneof(fc.record({ k: fc.oneof(fc.integer({ min: -1, max: 6 }), anyValue), n: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.constantFrom(MAX_SHARES, MAX_SHARES + 1, 2 ** 53), anyValue), rng: fc.oneof(fc.constant(undefined), anyValue) }, { requiredKeys: [] }), anyValue);
    fuzzSync('split / splitMany / splitBytes(secret, options)', fc.tuple(fc.oneof(element, randomBytes, anyValue), options, fc.nat({ max: 2 })), ([secret, o, which]) => {
      const n = (o as { n?: unknown } | null)?.n;
      if (typeof n === 'number' && n === MAX_SHARES && typeof (o as { k?: unknown }).k === 'number') (o as { k: number }).k = 2; // keep a full-size split cheap
      const f = which === 0 ? wasm.split : which === 1 ? wasm.splitMany : wasm.splitBytes;
      f(secret as never, o as never);
    }, fuzzRuns(1000));
  }, T);

  it('batch kernels return results or a typed error for arbitrary bytes (agreeing engines)', () => {
    const packed = fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 * 4 }).map((b) => b.subarray(0, b.length - (b.length % 16))), randomBytes, anyValue);
    fuzzSync('batch.*(bytes)', fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'dot', 'inv', 'scale', 'evalPoints', 'evalPolys'), packed, packed, fc.oneof(element, fc.integer({ min: 0, max: 4 }), anyValue)), ([op, a, b, s]) => {
      agree((f) => {
        const bt = f.batch;
        switch (op) {
          case 'scale': return bt.scale(a as Uint8Array, s as bigint);
          case 'inv': return bt.inv(a as Uint8Array);
          case 'evalPolys': return bt.evalPolys(a as Uint8Array, s as number, 3n);
          case 'evalPoints': return bt.evalPoints(a as Uint8Array, b as Uint8Array);
          default: return bt[op as 'add' | 'sub' | 'mul' | 'dot'](a as Uint8Array, b as Uint8Array);
        }
      });
    });
  }, T);
});
