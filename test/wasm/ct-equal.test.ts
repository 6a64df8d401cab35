// ctEqual kernel vs a pure reference, on every embedded build (debug with assertions, release;
// scalar and SIMD), with random inputs: law `ctEqual(a, b) == (a and b hold the same bytes)`.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumkitError } from '../../src/core/errors.js';
import { _loadBuild, type WasmInstance } from '../../src/wasm/_instance.js';
import { ctEqualOn } from '../../src/wasm/ct-equal.js';
import { ctEqualWasm, initSync } from '../../src/wasm/index.js';

function reference(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

const VARIANTS = [
  { build: 'debug', simd: false },
  { build: 'release', simd: false },
  { build: 'debug', simd: true },
  { build: 'release', simd: true },
] as const;

for (const v of VARIANTS) {
  describe(`ctEqual kernel, ${v.build}${v.simd ? ' simd' : ''} build`, () => {
    const inst: WasmInstance = _loadBuild(v.build, { simd: v.simd });

    it('equal pairs compare equal (lengths 0..300)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (a) => {
          expect(ctEqualOn(inst, a, a.slice())).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it('pairs differing in exactly one bit/byte compare unequal', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          (a, pos, flip) => {
            const b = a.slice();
            const i = pos % a.length;
            b[i]! ^= flip;
            expect(ctEqualOn(inst, a, b)).toBe(false);
            expect(ctEqualOn(inst, b, a)).toBe(false);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('agrees with the reference on random same-length pairs', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 300 }).chain((n) =>
            fc.tuple(fc.uint8Array({ minLength: n, maxLength: n }), fc.uint8Array({ minLength: n, maxLength: n })),
          ),
          ([a, b]) => {
            expect(ctEqualOn(inst, a, b)).toBe(reference(a, b));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('handles ~1 MiB inputs: equal, and one byte off at the start, middle and end', () => {
      const n = (1 << 20) + 13; // not a multiple of 8 or 16, so the tail loop runs too
      const a = randomBytes(n);
      expect(ctEqualOn(inst, a, a.slice())).toBe(true);
      for (const i of [0, 7, 8, 15, 16, n >> 1, n - 14, n - 13, n - 1]) {
        const b = a.slice();
        b[i]! ^= 0x80;
        expect(ctEqualOn(inst, a, b), `differs at ${i}`).toBe(false);
      }
    });

    it('reads unaligned subarray views at their offset', () => {
      const base = randomBytes(100);
      const a = base.subarray(3, 90);
      const b = base.slice(3, 90);
      expect(ctEqualOn(inst, a, b)).toBe(true);
      expect(ctEqualOn(inst, base.subarray(4, 91), b)).toBe(reference(base.subarray(4, 91), b));
    });

    it('wipes and releases its scratch after every call', () => {
      const a = randomBytes(4096);
      expect(ctEqualOn(inst, a, a.slice())).toBe(true);
      expect(inst.scratch.mark()).toBe(inst.scratch.base);
      const mem = new Uint8Array(inst.exports.memory.buffer);
      expect(mem.subarray(inst.scratch.base).every((x) => x === 0)).toBe(true);
    });
  });
}

describe('ctEqual kernel boundary', () => {
  it('the debug build traps (RangeError via env.abort) on a region that wraps the address space', () => {
    const dbg = _loadBuild('debug', { simd: false });
    expect(() => dbg.exports.ctEqual(0xfffffff0, 0, 0x20)).toThrow(/WASM assertion failed: ctEqual: region wraps/);
  });

  it('the release build traps on out-of-bounds memory instead of reading garbage', () => {
    const rel = _loadBuild('release', { simd: false });
    const size = rel.exports.memory.buffer.byteLength;
    expect(() => rel.exports.ctEqual(size, 0, 8)).toThrow(WebAssembly.RuntimeError);
  });
});

describe('ctEqualWasm (public)', () => {
  it('checks argument types and lengths', () => {
    initSync();
    expect(() => ctEqualWasm('ab' as unknown as Uint8Array, new Uint8Array(2))).toThrow(TypeError);
    expect(() => ctEqualWasm(new Uint8Array(2), [1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(ctEqualWasm(new Uint8Array(3), new Uint8Array(4))).toBe(false);
    expect(ctEqualWasm(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('agrees with the reference on arbitrary pairs, Buffers included', () => {
    initSync();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        expect(ctEqualWasm(a, b)).toBe(reference(a, b));
        expect(ctEqualWasm(Buffer.from(a), a)).toBe(true);
      }),
    );
  });

  it('is a QuorumkitError-free path once initialized', () => {
    initSync();
    expect(() => ctEqualWasm(new Uint8Array(8), new Uint8Array(8))).not.toThrow(QuorumkitError);
  });
});
