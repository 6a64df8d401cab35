// Large regions: snapshots by quorumkit/hash's chunked tree hash (RFC 6962-style over SHA3-256
// leaves, chunk size and length bound into the root), computed on the worker pool, and
// re-attestation that re-hashes only the chunks written since (RegionHasher): a tracked region
// costs a full pass once, then work proportional to what changed. Browser-safe (the pool is Node's;
// elsewhere the calling thread hashes).

import { toHex } from '../core/bytes.js';
import { DEFAULT_CHUNK_BYTES, RegionHasher, treeHashRegion } from '../hash/index.js';
import { pythonIsoformat } from './_time.js';
import { InvalidRegionError } from './errors.js';
import type { RegionSnapshot } from './region.js';

/** A tree snapshot of `content` (see region.ts RegionSnapshot). */
export async function treeSnapshotOf(regionId: string, content: Uint8Array, o: { chunkBytes?: number; at?: Date; onProgress?: (done: number) => void } = {}): Promise<RegionSnapshot> {
  if (!(content instanceof Uint8Array)) throw new InvalidRegionError('"content" expected a Uint8Array');
  const chunkBytes = o.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const at = o.at ?? new Date();
  const root = await treeHashRegion(content, { chunkBytes, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  return { region_id: regionId, content_hash: toHex(root), size: content.length, taken_at: pythonIsoformat(at), hash_alg: 'sha3-256-tree', chunk_bytes: chunkBytes };
}

/**
 * A region whose writes are tracked: `write` (or `touched` after writing into `bytes` yourself)
 * marks chunks dirty; `snapshot` re-hashes only those (the first one hashes everything).
 */
export class TrackedRegion {
  readonly regionId: string;
  /** The region's bytes (held, not copied). */
  readonly bytes: Uint8Array;
  readonly chunkBytes: number;
  #hasher: RegionHasher | undefined;
  readonly #dirty = new Set<number>();

  constructor(regionId: string, bytes: Uint8Array, o: { chunkBytes?: number } = {}) {
    if (!(bytes instanceof Uint8Array)) throw new InvalidRegionError('"bytes" expected a Uint8Array');
    this.regionId = regionId;
    this.bytes = bytes;
    this.chunkBytes = o.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  /** Copies `data` into the region at `offset` and marks the chunks it touched. @throws RangeError outside the region. */
  write(offset: number, data: Uint8Array): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + data.length > this.bytes.length) throw new RangeError('write outside the region');
    this.bytes.set(data, offset);
    this.touched(offset, data.length);
  }

  /** Marks [offset, offset + length) as written. */
  touched(offset: number, length: number): void {
    if (length <= 0) return;
    const first = Math.floor(offset / this.chunkBytes), last = Math.floor((offset + length - 1) / this.chunkBytes);
    for (let i = first; i <= last; i++) this.#dirty.add(i);
  }

  /** Chunks re-hashed at the next snapshot (all of them before the first). */
  get dirtyChunks(): number {
    return this.#hasher === undefined ? Math.ceil(this.bytes.length / this.chunkBytes) : this.#dirty.size;
  }

  /** The current tree snapshot. */
  async snapshot(at: Date = new Date()): Promise<RegionSnapshot> {
    let root: Uint8Array;
    if (this.#hasher === undefined) {
      this.#hasher = await RegionHasher.create(this.bytes, { chunkBytes: this.chunkBytes });
      root = this.#hasher.root();
    } else {
      root = this.#hasher.rehash(this.#dirty);
    }
    this.#dirty.clear();
    return { region_id: this.regionId, content_hash: toHex(root), size: this.bytes.length, taken_at: pythonIsoformat(at), hash_alg: 'sha3-256-tree', chunk_bytes: this.chunkBytes };
  }
}
