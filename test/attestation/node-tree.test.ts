// Tree snapshots in the Node backends: a weight file and a live child's buffer (through
// /proc/<pid>/mem) read in bounded windows onto the worker pool give exactly treeSnapshotOf of the
// same bytes (several windows, a chunk size that does not divide the window, an empty file);
// progress reaches the total; a bad chunk size, a region of too many chunks, a missing file, an
// unmapped range and a vanished process are typed errors, after which the backend still works.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryRegion, treeSnapshotOf, type RegionSnapshot } from '../../src/attestation/index.js';
import { FileBackend, MAX_BACKEND_CHUNK_BYTES, MAX_TREE_LEAVES, ProcessMemoryBackend, TREE_WINDOW_BYTES } from '../../src/attestation/node/index.js';
import { closeHashPool } from '../../src/hash/index.js';

const MIB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'qk-node-tree-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeHashPool();
});

const hashOnly = (s: RegionSnapshot) => ({ content_hash: s.content_hash, size: s.size, hash_alg: s.hash_alg, chunk_bytes: s.chunk_bytes });

describe('FileBackend with tree', () => {
  const big = new Uint8Array(TREE_WINDOW_BYTES + 3 * MIB + 5);
  for (let i = 0; i < big.length; i += 4096) big[i] = (i >>> 12) & 0xff;
  big[big.length - 1] = 7;
  beforeAll(() => {
    writeFileSync(join(dir, 'w.bin'), big);
    writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0));
  });

  it.each([MIB, 3_000_000])('a file over several windows, chunks of %i, equals treeSnapshotOf of its bytes', async (chunkBytes) => {
    let last = [0, 0];
    const b = new FileBackend({ w: join(dir, 'w.bin') }, { tree: { chunkBytes }, onProgress: (_id, d, t) => { last = [d, t]; } });
    const [region] = b.listRegions('m');
    const snap = await b.snapshot(region!);
    expect(hashOnly(snap)).toEqual(hashOnly(await treeSnapshotOf('w', big, { chunkBytes })));
    expect(snap).toMatchObject({ region_id: 'w', hash_alg: 'sha3-256-tree', chunk_bytes: chunkBytes });
    expect(last).toEqual([big.length, big.length]);
  }, 60_000);

  it('the default chunk size and an empty file', async () => {
    const b = new FileBackend([join(dir, 'empty.bin')], { tree: {} });
    const snap = await b.snapshot(b.listRegions('m')[0]!);
    expect(hashOnly(snap)).toEqual(hashOnly(await treeSnapshotOf('e', new Uint8Array(0))));
    expect(snap.chunk_bytes).toBe(MIB);
  });

  it('bad chunk sizes, too many chunks and a missing file are typed errors; the backend works after', async () => {
    for (const chunkBytes of [0, 1.5, MAX_BACKEND_CHUNK_BYTES + 1]) {
      expect(() => new FileBackend([join(dir, 'w.bin')], { tree: { chunkBytes } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REGION' }));
    }
    const small = new Uint8Array(MAX_TREE_LEAVES + 1).fill(1);
    writeFileSync(join(dir, 'many.bin'), small);
    const b = new FileBackend([join(dir, 'many.bin')], { tree: { chunkBytes: 1 } });
    const region = b.listRegions('m')[0]!;
    await expect(b.snapshot(region)).rejects.toMatchObject({ code: 'ERR_INVALID_REGION' });
    const ok = new FileBackend([join(dir, 'many.bin')], { tree: { chunkBytes: 4096 } });
    expect(hashOnly(await ok.snapshot(region))).toEqual(hashOnly(await treeSnapshotOf('m', small, { chunkBytes: 4096 })));
    await expect(new FileBackend({ x: join(dir, 'missing.bin') }, { tree: {} }).snapshot(memoryRegion({ region_id: 'x', address: 0, size: 1 }))).rejects.toMatchObject({ code: 'ERR_ATTESTATION_BACKEND' });
    await expect(ok.snapshot(memoryRegion({ region_id: 'other', address: 0, size: 1 }))).rejects.toThrow(expect.objectContaining({ code: 'ERR_INVALID_REGION' }));
  });
});

const SIZE = 20 * MIB + 17; // above the pool's 8 MiB threshold
const CHILD = `
import ctypes, sys
n = ${SIZE}
buf = ctypes.create_string_buffer((bytes(range(251)) * (n // 251 + 1))[:n], n)
print(ctypes.addressof(buf), flush=True)
sys.stdin.readline()
`;
const pattern = Uint8Array.from({ length: SIZE }, (_, i) => i % 251);

describe('ProcessMemoryBackend with tree', () => {
  let child: ChildProcess;
  let address: number;
  beforeAll(async () => {
    child = spawn('python3', ['-c', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    address = await new Promise<number>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
    });
  });
  afterAll(() => { child.kill('SIGKILL'); });

  it("the tree snapshot of a live child's buffer equals treeSnapshotOf of the same bytes", async () => {
    let done = 0;
    const b = new ProcessMemoryBackend({ pid: child.pid!, tree: { chunkBytes: 256 * 1024 }, onProgress: (_id, d) => { done = d; } });
    const snap = await b.snapshot(memoryRegion({ region_id: 'weights', address, size: SIZE }));
    expect(hashOnly(snap)).toEqual(hashOnly(await treeSnapshotOf('weights', pattern, { chunkBytes: 256 * 1024 })));
    expect(done).toBe(SIZE);
  }, 60_000);

  it('an unmapped range, too many chunks, a bad chunk size and a vanished process are typed errors', async () => {
    const b = new ProcessMemoryBackend({ pid: child.pid!, tree: { chunkBytes: 4096 } });
    await expect(b.snapshot(memoryRegion({ region_id: 'nothing', address: 4096, size: 4096 }))).rejects.toMatchObject({ code: 'ERR_ATTESTATION_BACKEND', message: expect.stringMatching(/no longer mapped/) });
    const one = new ProcessMemoryBackend({ pid: child.pid!, tree: { chunkBytes: 1 } });
    await expect(one.snapshot(memoryRegion({ region_id: 'w', address, size: MAX_TREE_LEAVES + 1 }))).rejects.toMatchObject({ code: 'ERR_INVALID_REGION' });
    expect(() => new ProcessMemoryBackend({ pid: child.pid!, tree: { chunkBytes: 0 } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REGION' }));
    const small = await b.snapshot(memoryRegion({ region_id: 'w', address, size: 10_000 }));
    expect(small.content_hash).toBe((await treeSnapshotOf('w', pattern.subarray(0, 10_000), { chunkBytes: 4096 })).content_hash);
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    await expect(new ProcessMemoryBackend({ pid: gone.pid!, tree: {} }).snapshot(memoryRegion({ region_id: 'x', address: 4096, size: 1 }))).rejects.toThrow(/is gone/);
  });
});
