// Region hashing for attestation (README "hash"): plain content hash, tree hash on the worker pool
// with progress, and incremental rehash after a write.
// Run: npm run example -- examples/hash-region.ts
import { toHex } from 'quorumkit/core';
import { closeHashPool, hashRegion, RegionHasher, treeHashRegion, treeHashRegionSync } from 'quorumkit/hash';

// model weights loaded into shared memory: pool workers read it in place, no copy
const weights = new Uint8Array(new SharedArrayBuffer(32 * 1024 * 1024)).fill(7);

const content = hashRegion(weights); // plain SHA3-256 of the bytes
const root = await treeHashRegion(weights, {
  chunkBytes: 1024 * 1024,
  onProgress: (done, total) => process.stdout.write(`\rhashed ${Math.round((100 * done) / total)}%`),
});
console.log();
console.log(toHex(root) === toHex(treeHashRegionSync(weights))); // true: same root on one thread

const hasher = await RegionHasher.create(weights);
weights.set([1, 2, 3], 5_000_000);
const updated = hasher.rehash(hasher.chunksOf(5_000_000, 3)); // rehashes 1 chunk + its path
console.log(toHex(updated) === toHex(treeHashRegionSync(weights)), content.length === 32); // true true
await closeHashPool();
