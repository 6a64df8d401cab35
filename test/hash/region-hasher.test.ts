// RegionHasher: incremental rehash equals a full recompute after random mutations (law); only listed
// chunks are trusted to have changed; argument checks.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { closeHashPool, RegionHasher, treeHashRegionSync, treeLeafHash } from '../../src/hash/index.js';

afterAll(() => closeHashPool());

describe('RegionHasher', () => {
  it('rehash(chunksOf(writes)) equals a full tree hash after random writes (law)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 900 })), { maxLength: 6 }),
        (len, chunkBytes, writes) => {
          const region = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
          const h = new RegionHasher(region, { chunkBytes });
          expect(toHex(h.root())).toBe(toHex(treeHashRegionSync(region, { chunkBytes })));
          if (len === 0) return;
          const dirty: number[] = [];
          for (const [at, data] of writes) {
            const off = at % len;
            const part = data.subarray(0, len - off);
            region.set(part, off);
            dirty.push(...h.chunksOf(off, part.length));
          }
          expect(toHex(h.rehash(dirty))).toBe(toHex(treeHashRegionSync(region, { chunkBytes })));
          expect(toHex(h.root())).toBe(toHex(treeHashRegionSync(region, { chunkBytes })));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps leaves; an unlisted write goes unseen until rehashAll', () => {
    const region = new Uint8Array(10_000).fill(1);
    const h = new RegionHasher(region, { chunkBytes: 1000 });
    expect(h.leafCount).toBe(10);
    expect(toHex(h.leaf(3))).toBe(toHex(treeLeafHash(region.subarray(3000, 4000))));
    const before = toHex(h.root());
    region[5500] = 9;
    expect(toHex(h.rehash([]))).toBe(before);
    expect(toHex(h.rehash([4]))).toBe(before);
    expect(toHex(h.rehash([5]))).toBe(toHex(treeHashRegionSync(region, { chunkBytes: 1000 })));
    region[0] = 9;
    expect(toHex(h.rehashAll())).toBe(toHex(treeHashRegionSync(region, { chunkBytes: 1000 })));
  });

  it('create() (worker pool) builds the same tree', async () => {
    const region = Uint8Array.from({ length: 9 * 1024 * 1024 }, (_, i) => i >>> 10);
    const a = await RegionHasher.create(region, { parallel: true, workers: 2 });
    const b = new RegionHasher(region);
    expect(toHex(a.root())).toBe(toHex(b.root()));
    region[5] = 77;
    expect(toHex(a.rehash(a.chunksOf(5, 1)))).toBe(toHex(b.rehashAll()));
  });

  it('concurrent create() calls over different regions each get their own tree', async () => {
    const chunkBytes = 4096;
    const regions = [40_000, 64 * 1024, 9_999, 50_001].map((len, r) =>
      Uint8Array.from({ length: len }, (_, i) => (i * (r + 3) + r) & 0xff),
    );
    // the pool for all but the last, so the creates overlap across their awaits
    const hashers = await Promise.all(
      regions.map((region, r) => RegionHasher.create(region, { chunkBytes, parallel: r < 3, workers: 2 })),
    );
    hashers.forEach((h, r) => {
      const region = regions[r]!;
      expect(h.region).toBe(region);
      expect(h.leafCount).toBe(Math.ceil(region.length / chunkBytes));
      expect(toHex(h.root()), `region ${r}`).toBe(toHex(treeHashRegionSync(region, { chunkBytes })));
      const last = h.leafCount - 1;
      expect(toHex(h.leaf(last))).toBe(toHex(treeLeafHash(region.subarray(last * chunkBytes))));
    });
  });

  it('the public constructor cannot be handed leaves: a third argument is ignored', () => {
    const region = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const forged = { leaves: new Uint8Array(32 * 5) };
    const Ctor = RegionHasher as unknown as new (r: Uint8Array, o: object, seed: unknown) => RegionHasher;
    const h = new Ctor(region, { chunkBytes: 1000 }, forged);
    expect(toHex(h.root())).toBe(toHex(treeHashRegionSync(region, { chunkBytes: 1000 })));
    expect(toHex(h.leaf(0))).toBe(toHex(treeLeafHash(region.subarray(0, 1000))));
  });

  it('refuses bad indexes and ranges without changing state', () => {
    const region = new Uint8Array(100);
    const h = new RegionHasher(region, { chunkBytes: 10 });
    const root = toHex(h.root());
    region[0] = 1;
    expect(() => h.rehash([0, 10])).toThrow(RangeError);
    expect(() => h.rehash([0, 1.5])).toThrow(TypeError);
    expect(() => h.rehash(null as never)).toThrow(TypeError);
    expect(() => h.rehash(5 as never)).toThrow(TypeError);
    expect(toHex(h.root())).toBe(root);
    expect(() => h.chunksOf(95, 6)).toThrow(RangeError);
    expect(() => h.leaf(10)).toThrow(RangeError);
    expect(h.chunksOf(9, 2)).toEqual([0, 1]);
    expect(h.chunksOf(50, 0)).toEqual([]);
    expect(() => new RegionHasher('x' as never)).toThrow(TypeError);
  });
});
