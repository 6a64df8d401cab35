// DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES and the TREE_*_PREFIX bytes, checked against the documented
// construction (src/hash/tree.ts header) rebuilt here from @noble/hashes SHA3-256:
//   leaf = H(0x00 ‖ chunk), node = H(0x01 ‖ l ‖ r), root = H(0x02 ‖ u64le(len) ‖ u32le(chunkBytes) ‖ MTH).
import { sha3_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES, TREE_LEAF_PREFIX, TREE_NODE_PREFIX, TREE_ROOT_PREFIX, treeHashRegion, treeHashRegionSync,
  treeLeafCount, treeLeafHash, treeNodeHash, treeRootFromMth,
} from '../../src/hash/index.js';

const cat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const leaf = (c: Uint8Array): Uint8Array => sha3_256(cat([0x00], c));
const node = (l: Uint8Array, r: Uint8Array): Uint8Array => sha3_256(cat([0x01], l, r));
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha3_256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function expectedRoot(data: Uint8Array, chunkBytes: number): Uint8Array {
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += chunkBytes) leaves.push(leaf(data.subarray(off, off + chunkBytes)));
  const head = new Uint8Array(13);
  const dv = new DataView(head.buffer);
  head[0] = 0x02;
  dv.setBigUint64(1, BigInt(data.length), true);
  dv.setUint32(9, chunkBytes, true);
  return sha3_256(cat(head, mth(leaves)));
}
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

describe('tree prefixes', () => {
  it('are 0x00 (leaf), 0x01 (node), 0x02 (root) — RFC 6962 §2.1 plus the root binding', () => {
    expect([TREE_LEAF_PREFIX, TREE_NODE_PREFIX, TREE_ROOT_PREFIX]).toEqual([0x00, 0x01, 0x02]);
    const c = bytes(100);
    expect(treeLeafHash(c)).toEqual(sha3_256(cat([TREE_LEAF_PREFIX], c)));
    const [l, r] = [leaf(c), leaf(bytes(3))];
    expect(treeNodeHash(l, r)).toEqual(sha3_256(cat([TREE_NODE_PREFIX], l, r)));
    expect(treeRootFromMth(l, 100, 4096)).toEqual(expectedRoot(c, 4096));
  });

  it('the whole construction matches, for 0..9 chunks and a ragged last chunk', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9]) {
      for (const extra of [0, 5]) {
        const data = bytes(n * 16 + (n > 0 ? extra : 0));
        expect(treeHashRegionSync(data, { chunkBytes: 16 }), `${data.length} bytes`).toEqual(expectedRoot(data, 16));
      }
    }
  });
});

describe('DEFAULT_CHUNK_BYTES / MAX_CHUNK_BYTES', () => {
  it('DEFAULT_CHUNK_BYTES is 1 MiB and is what an omitted chunkBytes means', async () => {
    expect(DEFAULT_CHUNK_BYTES).toBe(1024 * 1024);
    const data = bytes(DEFAULT_CHUNK_BYTES + 3); // two leaves at the default size
    expect(treeLeafCount(data.length)).toBe(2);
    const want = expectedRoot(data, DEFAULT_CHUNK_BYTES);
    expect(treeHashRegionSync(data)).toEqual(want);
    expect(treeHashRegionSync(data, {})).toEqual(want);
    expect(treeHashRegionSync(data, { chunkBytes: DEFAULT_CHUNK_BYTES })).toEqual(want);
    expect(await treeHashRegion(data, { parallel: false })).toEqual(want);
  });

  it('MAX_CHUNK_BYTES (2^30) is accepted everywhere; MAX+1 and other bad sizes → RangeError', async () => {
    expect(MAX_CHUNK_BYTES).toBe(2 ** 30);
    const data = bytes(1000);
    expect(treeHashRegionSync(data, { chunkBytes: MAX_CHUNK_BYTES })).toEqual(expectedRoot(data, MAX_CHUNK_BYTES));
    expect(await treeHashRegion(data, { chunkBytes: MAX_CHUNK_BYTES, parallel: false })).toEqual(expectedRoot(data, MAX_CHUNK_BYTES));
    expect(treeLeafCount(2 ** 31, MAX_CHUNK_BYTES)).toBe(2);
    expect(treeRootFromMth(new Uint8Array(32), 0, MAX_CHUNK_BYTES)).toHaveLength(32);
    for (const bad of [MAX_CHUNK_BYTES + 1, 0, -1, 2 ** 32]) {
      expect(() => treeHashRegionSync(data, { chunkBytes: bad }), String(bad)).toThrow(RangeError);
      await expect(treeHashRegion(data, { chunkBytes: bad })).rejects.toThrow(RangeError);
      expect(() => treeLeafCount(10, bad)).toThrow(RangeError);
      expect(() => treeRootFromMth(new Uint8Array(32), 10, bad)).toThrow(RangeError);
    }
    // a non-integer is a wrong type, not a wrong range
    expect(() => treeHashRegionSync(data, { chunkBytes: 1.5 })).toThrow(TypeError);
    expect(() => treeHashRegionSync(data, { chunkBytes: '16' as never })).toThrow(TypeError);
    // the chunk size is bound into the root: same bytes, another size, another root
    expect(treeHashRegionSync(data, { chunkBytes: MAX_CHUNK_BYTES })).not.toEqual(treeHashRegionSync(data, { chunkBytes: DEFAULT_CHUNK_BYTES }));
  });
});
