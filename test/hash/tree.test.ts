// Tree hash (src/hash/tree.ts) against an independent RFC 6962 reference written here on
// @noble/hashes (recursive split at the largest power of two < n); the Node worker pool against the
// calling thread; one-byte changes; argument checks.

import { sha3_256 as nobleSha3 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import {
  closeHashPool,
  hashRegion,
  treeHashRegion,
  treeHashRegionSync,
  treeLeafCount,
  treeLeafHash,
  treeNodeHash,
  treeRootFromMth,
} from '../../src/hash/index.js';
import { leavesOnThread, rootFromLeaves } from '../../src/hash/tree.js';
import { allEngines } from './_builds.js';

afterAll(() => closeHashPool());

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** RFC 6962 §2.1 MTH with SHA3-256, written independently of src/hash/_merkle.ts. */
function refMth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return nobleSha3(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nobleSha3(cat(Uint8Array.of(1), refMth(leaves.slice(0, k)), refMth(leaves.slice(k))));
}

function refRoot(bytes: Uint8Array, chunkBytes: number): Uint8Array {
  const leaves: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += chunkBytes) leaves.push(nobleSha3(cat(Uint8Array.of(0), bytes.subarray(o, o + chunkBytes))));
  const head = new Uint8Array(13);
  const dv = new DataView(head.buffer);
  head[0] = 2;
  dv.setBigUint64(1, BigInt(bytes.length), true);
  dv.setUint32(9, chunkBytes, true);
  return nobleSha3(cat(head, refMth(leaves)));
}

const pattern = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => ((i + seed) * 2654435761) >>> 24);

describe('tree hash construction', () => {
  it('small trees equal the independent reference on every engine (0..19 leaves, odd sizes)', () => {
    for (const { label, engine } of allEngines()) {
      for (const chunkBytes of [1, 3, 64, 136, 137, 300]) {
        for (let leaves = 0; leaves <= 19; leaves++) {
          for (const tail of leaves === 0 ? [0] : [0, -1]) {
            const len = Math.max(0, leaves * chunkBytes + (chunkBytes > 1 ? tail : 0));
            const bytes = pattern(len, leaves);
            const got = rootFromLeaves(engine, leavesOnThread(engine, bytes, chunkBytes), len, chunkBytes);
            expect(toHex(got), `${label} chunk ${chunkBytes} len ${len}`).toBe(toHex(refRoot(bytes, chunkBytes)));
          }
        }
      }
    }
  });

  it('the public sync and async functions equal the reference', async () => {
    const bytes = pattern(5 * 4096 + 17);
    const want = toHex(refRoot(bytes, 4096));
    expect(toHex(treeHashRegionSync(bytes, { chunkBytes: 4096 }))).toBe(want);
    expect(toHex(await treeHashRegion(bytes, { chunkBytes: 4096 }))).toBe(want);
    expect(toHex(treeHashRegionSync(new Uint8Array(0)))).toBe(toHex(refRoot(new Uint8Array(0), 1 << 20)));
    expect(toHex(hashRegion(bytes))).toBe(toHex(nobleSha3(bytes)));
  });

  it('leaf, node and root helpers compose to the same root', () => {
    const bytes = pattern(3 * 100);
    const [a, b, c] = [0, 1, 2].map((i) => treeLeafHash(bytes.subarray(100 * i, 100 * i + 100)));
    const mth = treeNodeHash(treeNodeHash(a!, b!), c!);
    expect(toHex(treeRootFromMth(mth, 300, 100))).toBe(toHex(treeHashRegionSync(bytes, { chunkBytes: 100 })));
    expect(treeLeafCount(300, 100)).toBe(3);
    expect(treeLeafCount(301, 100)).toBe(4);
    expect(treeLeafCount(0)).toBe(0);
  });

  it('changing one byte anywhere changes the root (law)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 400 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, chunkBytes, at, flip) => {
        const before = toHex(treeHashRegionSync(bytes, { chunkBytes }));
        const changed = bytes.slice();
        changed[at % bytes.length]! ^= flip;
        expect(toHex(treeHashRegionSync(changed, { chunkBytes }))).not.toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('binds chunk size and length: same bytes under another chunk size, or truncated, differ', () => {
    const bytes = pattern(1000);
    const r = toHex(treeHashRegionSync(bytes, { chunkBytes: 100 }));
    expect(toHex(treeHashRegionSync(bytes, { chunkBytes: 200 }))).not.toBe(r);
    expect(toHex(treeHashRegionSync(bytes.subarray(0, 999), { chunkBytes: 100 }))).not.toBe(r);
    // one chunk: the root is not the leaf, nor the plain hash
    const one = treeHashRegionSync(bytes, { chunkBytes: 1000 });
    expect(toHex(one)).not.toBe(toHex(treeLeafHash(bytes)));
    expect(toHex(one)).not.toBe(toHex(hashRegion(bytes)));
  });

  it('refuses bad arguments', async () => {
    expect(() => treeHashRegionSync('x' as never)).toThrow(TypeError);
    expect(() => hashRegion(null as never)).toThrow(TypeError);
    for (const chunkBytes of [0, -1, 2 ** 30 + 1]) expect(() => treeHashRegionSync(new Uint8Array(1), { chunkBytes })).toThrow(RangeError);
    expect(() => treeHashRegionSync(new Uint8Array(1), { chunkBytes: 1.5 })).toThrow(TypeError);
    expect(() => treeHashRegionSync(new Uint8Array(1), { onProgress: 3 as never })).toThrow(TypeError);
    await expect(treeHashRegion(new Uint8Array(1), { parallel: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(treeHashRegion(new Uint8Array(1), { workers: 0 })).rejects.toThrow(RangeError);
    expect(() => treeNodeHash(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
    expect(() => treeRootFromMth(new Uint8Array(32), -1, 1)).toThrow(RangeError);
  });
});

describe('worker pool (Node)', () => {
  const size = 40 * 1024 * 1024 + 12345; // three 16 MiB jobs, a short last chunk
  const plain = pattern(size, 7);

  it('pooled leaves equal the calling thread, for plain and SharedArrayBuffer regions', async () => {
    const want = toHex(treeHashRegionSync(plain));
    expect(toHex(await treeHashRegion(plain, { parallel: true, workers: 2 }))).toBe(want);
    const shared = new Uint8Array(new SharedArrayBuffer(size));
    shared.set(plain);
    expect(toHex(await treeHashRegion(shared, { parallel: true, workers: 2 }))).toBe(want);
    // a view into a larger buffer (non-zero byteOffset) with a small chunk size
    const inner = new Uint8Array(new SharedArrayBuffer(size + 100), 50, size);
    inner.set(plain);
    expect(toHex(await treeHashRegion(inner, { parallel: true, workers: 2, chunkBytes: 65_537 }))).toBe(
      toHex(treeHashRegionSync(plain, { chunkBytes: 65_537 })),
    );
    const sub = plain.subarray(1000, 1000 + 20 * 1024 * 1024);
    expect(toHex(await treeHashRegion(sub, { parallel: true }))).toBe(toHex(refRoot(sub, 1 << 20)));
  });

  it('reports progress monotonically up to the total', async () => {
    const seen: number[] = [];
    await treeHashRegion(plain, { parallel: true, workers: 2, onProgress: (done, total) => {
      expect(total).toBe(size);
      seen.push(done);
    } });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(size);
    const sync: number[] = [];
    treeHashRegionSync(plain, { onProgress: (d) => sync.push(d) });
    expect(sync.at(-1)).toBe(size);
    expect(sync.length).toBeGreaterThan(1);
  });
});
