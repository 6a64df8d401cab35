// Tree snapshot of a byte range of a file descriptor (a weights file, /proc/<pid>/mem) with
// bounded memory: the range is read in windows of whole chunks into two reused SharedArrayBuffers
// — one is read into while the worker pool hashes the other in place — and only the leaf digests
// (32 bytes a chunk) are kept; the root is then bound as quorumkit/hash's tree hash binds it
// (src/hash/tree.ts: RFC 6962 tree over SHA3-256(0x00 ‖ chunk) leaves, length and chunk size in
// the root), so the result equals treeHashRegion (and treeSnapshotOf) of the same bytes. Memory:
// 2 windows (≤ 2 × 64 MiB) plus the leaves (capped at MAX_TREE_LEAVES). Node-only. Internal.

import { readSync } from 'node:fs';
import { toHex } from '../../core/bytes.js';
import { defaultEngine } from '../../hash/_engine.js';
import { DEFAULT_CHUNK_BYTES, leavesAuto, rootFromLeaves } from '../../hash/tree.js';
import { InvalidRegionError } from '../errors.js';

/** Bytes read and handed to the pool per window (rounded down to whole chunks). */
export const TREE_WINDOW_BYTES = 64 * 1024 * 1024;
/** Largest chunk a backend tree snapshot accepts (one window). */
export const MAX_BACKEND_CHUNK_BYTES = TREE_WINDOW_BYTES;
/** Most chunks (leaves) a region may have: 2^20 leaves are 32 MiB of digests. */
export const MAX_TREE_LEAVES = 2 ** 20;

/** What a backend's `tree` option holds. */
export interface TreeSnapshotOption {
  /** Chunk size in bytes: an integer in [1, 64 MiB]; default 1 MiB (quorumkit/hash's default). */
  readonly chunkBytes?: number;
}

/**
 * The chunk size of a `tree` option, checked against the region size.
 * @throws InvalidRegionError for a chunk size outside [1, 64 MiB] or a region of more than 2^20 chunks.
 */
export function treeChunkBytes(o: TreeSnapshotOption, size: number): number {
  const c = o.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(c) || c < 1 || c > MAX_BACKEND_CHUNK_BYTES) throw new InvalidRegionError(`"chunkBytes" expected an integer in [1, ${MAX_BACKEND_CHUNK_BYTES}]`);
  const leaves = Math.ceil(size / c);
  if (leaves > MAX_TREE_LEAVES) throw new InvalidRegionError(`a region of ${size} bytes is ${leaves} chunks of ${c} bytes; at most ${MAX_TREE_LEAVES} (use larger chunks)`);
  return c;
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let got = 0;
  while (got < into.length) {
    const n = readSync(fd, into, got, into.length - got, position + got);
    if (n <= 0) throw new Error(`short read at offset ${position + got}`);
    got += n;
  }
}

/**
 * Tree root (hex) of `size` bytes of `fd` from `position`, in chunks of `chunkBytes` (checked
 * by {@link treeChunkBytes}). Throws what readSync throws (EIO for an unmapped page of
 * /proc/<pid>/mem); a short read is an Error("short read at …"). Both windows are zeroed after.
 */
export async function treeHashRange(fd: number, position: number, size: number, chunkBytes: number, onProgress?: (done: number, total: number) => void): Promise<string> {
  const perWindow = Math.max(chunkBytes, Math.floor(TREE_WINDOW_BYTES / chunkBytes) * chunkBytes);
  const windowLen = Math.min(perWindow, size);
  const windows = [new Uint8Array(new SharedArrayBuffer(Math.max(windowLen, 1))), new Uint8Array(new SharedArrayBuffer(size > perWindow ? windowLen : 1))];
  const leaves = new Uint8Array(32 * Math.ceil(size / chunkBytes));
  let done = 0;
  const hashWindow = async (bytes: Uint8Array, offset: number): Promise<void> => {
    const l = await leavesAuto(bytes, chunkBytes, {});
    leaves.set(l, (32 * offset) / chunkBytes);
    done += bytes.length;
    onProgress?.(done, size);
  };
  let pending: Promise<void> | null = null;
  try {
    for (let off = 0, w = 0; off < size; off += perWindow, w ^= 1) {
      const win = windows[w]!.subarray(0, Math.min(perWindow, size - off));
      readFully(fd, win, position + off); // the pool hashes the other window meanwhile
      if (pending !== null) await pending;
      pending = hashWindow(win, off);
    }
    if (pending !== null) await pending;
    if (size === 0) onProgress?.(0, 0);
  } catch (e) {
    await pending?.catch(() => undefined); // the pool must be done with a window before it is zeroed
    throw e;
  } finally {
    for (const w of windows) w.fill(0);
  }
  return toHex(rootFromLeaves(defaultEngine(), leaves, size, chunkBytes));
}
