// The worker pool never leaves a caller waiting: a pool replaced by a differently sized one
// finishes the jobs it accepted, and closing it rejects in-flight jobs instead of dropping them.
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { closeHashPool, treeHashRegion, treeHashRegionSync } from '../../src/hash/index.js';

afterAll(() => closeHashPool());

const region = new Uint8Array(24 * 1024 * 1024);
for (let i = 0; i < region.length; i += 4096) region[i] = (i * 2654435761) >>> 24;
const want = toHex(treeHashRegionSync(region, { chunkBytes: 65536 }));

describe('hash worker pool lifecycle', () => {
  it('two concurrent calls with different pool sizes both finish with the right root', async () => {
    const [a, b] = await Promise.all([
      treeHashRegion(region, { parallel: true, workers: 2, chunkBytes: 65536 }),
      treeHashRegion(region, { parallel: true, workers: 1, chunkBytes: 65536 }),
    ]);
    expect(toHex(a)).toBe(want);
    expect(toHex(b)).toBe(want);
  });

  it('closing the pool mid-hash rejects the pending call (it never hangs)', async () => {
    // Handle the outcome up front: the rejection may land while closeHashPool() is still awaited.
    const pending = treeHashRegion(region, { parallel: true, workers: 2, chunkBytes: 65536 }).then((root) => toHex(root), (err: unknown) => err);
    await new Promise((r) => setTimeout(r, 0));
    await closeHashPool();
    const outcome = await pending;
    // Either the jobs had all finished (right root) or the call was rejected with a typed error.
    if (typeof outcome === 'string') expect(outcome).toBe(want);
    else expect(outcome).toMatchObject({ code: 'ERR_WASM_UNAVAILABLE' });
    expect(toHex(await treeHashRegion(region, { parallel: true, workers: 2, chunkBytes: 65536 }))).toBe(want);
  });
});
