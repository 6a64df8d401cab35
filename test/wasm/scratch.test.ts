// ScratchArena over a real WebAssembly.Memory: alignment, no overlap, growth, wipe on release.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScratchArena, WASM_PAGE_BYTES } from '../../src/wasm/_scratch.js';

describe('ScratchArena', () => {
  it('allocations are 16-aligned, disjoint, inside memory; release wipes them (law)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 12 }), (sizes) => {
        const memory = new WebAssembly.Memory({ initial: 0 });
        const arena = new ScratchArena(memory, 1024);
        const mark = arena.mark();
        let prevEnd = arena.base;
        for (const n of sizes) {
          const p = arena.alloc(n);
          expect(p % 16).toBe(0);
          expect(p).toBeGreaterThanOrEqual(prevEnd);
          expect(p + n).toBeLessThanOrEqual(memory.buffer.byteLength);
          arena.view(p, n).fill(0xee);
          prevEnd = p + n;
        }
        arena.release(mark);
        expect(arena.mark()).toBe(mark);
        expect(new Uint8Array(memory.buffer).every((x) => x === 0)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('grows memory by whole pages and keeps earlier contents', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new ScratchArena(memory, 16);
    const p1 = arena.write(new Uint8Array([1, 2, 3]));
    const p2 = arena.alloc(3 * WASM_PAGE_BYTES);
    expect(memory.buffer.byteLength % WASM_PAGE_BYTES).toBe(0);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(p2 + 3 * WASM_PAGE_BYTES);
    expect([...arena.view(p1, 3)]).toEqual([1, 2, 3]);
  });

  it('refuses regions past 4 GiB and reports a refused grow as RangeError', () => {
    const capped = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const arena = new ScratchArena(capped, 0);
    expect(() => arena.alloc(2 ** 32)).toThrow(RangeError);
    expect(() => arena.alloc(3 * WASM_PAGE_BYTES)).toThrow(/cannot grow/);
    expect(arena.mark()).toBe(0); // a failed alloc reserves nothing
  });
});
