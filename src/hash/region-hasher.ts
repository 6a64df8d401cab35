// Incremental tree hashing of a live memory region (the construction of tree.ts): the hasher keeps
// every level of the RFC 6962 tree, so after writes to some chunks `rehash(dirty)` recomputes those
// leaves and only the nodes on their paths to the root — O(d·(chunkBytes + log n)) instead of a
// full pass over the region.

import { defaultEngine, type KeccakEngine } from './_engine.js';
import { buildLevels, merkleRootOf, updateLevels } from './_merkle.js';
import { assertBytes, assertInt, describeType } from '../core/assert.js';
import {
  bindRoot,
  checkTreeAsyncOptions,
  checkTreeOptions,
  leavesAuto,
  leavesOnThread,
  readChunkBytes,
  type TreeHashAsyncOptions,
  type TreeHashOptions,
} from './tree.js';

/**
 * Leaf digests {@link RegionHasher.create} computed, passed to the constructor as an explicit third
 * argument. The class is not exported, so nothing outside this module can hand a hasher its leaves.
 */
class PrecomputedLeaves {
  constructor(readonly leaves: Uint8Array) {}
}

/** The constructor as create() calls it (the public signature has no third parameter). */
type SeededConstructor = new (region: Uint8Array, opts: TreeHashOptions, seed: PrecomputedLeaves) => RegionHasher;

/**
 * Keeps the tree hash of a region and updates it after partial writes. The hasher holds a reference
 * to `region` (no copy): write into the region, then call {@link RegionHasher.rehash} with the
 * indexes of the chunks you touched ({@link RegionHasher.chunksOf} maps a byte range to them).
 * @example
 * const h = new RegionHasher(kvCache, { chunkBytes: 1 << 20 });
 * kvCache.set(update, offset);
 * const root = h.rehash(h.chunksOf(offset, update.length));
 */
export class RegionHasher {
  /** The region (by reference). */
  readonly region: Uint8Array;
  /** Chunk size in bytes. */
  readonly chunkBytes: number;
  readonly #engine: KeccakEngine;
  #levels: Uint8Array[] | null = null;
  #root: Uint8Array;

  /**
   * Hashes the whole region on the calling thread. For large regions in Node prefer
   * {@link RegionHasher.create}, which uses the worker pool.
   * @throws TypeError / RangeError on bad arguments.
   */
  constructor(region: Uint8Array, opts?: TreeHashOptions);
  constructor(region: Uint8Array, opts?: TreeHashOptions, seed?: unknown) {
    assertBytes('region', region);
    const o = checkTreeOptions(opts);
    this.region = region;
    this.chunkBytes = readChunkBytes(o);
    this.#engine = defaultEngine();
    const leaves = seed instanceof PrecomputedLeaves ? seed.leaves : leavesOnThread(this.#engine, region, this.chunkBytes, o.onProgress);
    this.#root = this.#setLeaves(leaves);
  }

  /**
   * Builds a hasher whose first full pass may run on the worker pool (see treeHashRegion).
   * @throws (rejects with) the errors of treeHashRegion.
   */
  static async create(region: Uint8Array, opts?: TreeHashAsyncOptions): Promise<RegionHasher> {
    assertBytes('region', region);
    const o = checkTreeAsyncOptions(opts);
    const chunkBytes = readChunkBytes(o);
    const leaves = await leavesAuto(region, chunkBytes, o);
    return new (RegionHasher as unknown as SeededConstructor)(region, { chunkBytes }, new PrecomputedLeaves(leaves));
  }

  #setLeaves(leaves: Uint8Array): Uint8Array {
    this.#levels = leaves.length === 0 ? null : buildLevels(this.#engine, leaves);
    return this.#currentRoot();
  }

  #currentRoot(): Uint8Array {
    return bindRoot(this.#engine, merkleRootOf(this.#engine, this.#levels), this.region.length, this.chunkBytes);
  }

  /** Number of chunks (leaves). */
  get leafCount(): number {
    return Math.ceil(this.region.length / this.chunkBytes);
  }

  /** The tree-hash root as of the last full hash or {@link rehash} (a copy). */
  root(): Uint8Array {
    return this.#root.slice();
  }

  /**
   * The leaf digest SHA3-256(0x00 ‖ chunk_i) as of the last (re)hash (a copy).
   * @throws RangeError when `i` is not a chunk index.
   */
  leaf(i: number): Uint8Array {
    assertInt('i', i, 0, this.leafCount - 1);
    return this.#levels![0]!.slice(32 * i, 32 * i + 32);
  }

  /**
   * Indexes of the chunks that bytes [offset, offset + length) touch (empty for length 0).
   * @throws RangeError when the range leaves the region.
   */
  chunksOf(offset: number, length: number): number[] {
    assertInt('offset', offset, 0, this.region.length);
    assertInt('length', length, 0, this.region.length - offset);
    if (length === 0) return [];
    const first = Math.floor(offset / this.chunkBytes);
    const last = Math.floor((offset + length - 1) / this.chunkBytes);
    return Array.from({ length: last - first + 1 }, (_, k) => first + k);
  }

  /**
   * Recomputes the leaves at `dirtyChunkIndexes` from the region's current bytes and the nodes above
   * them; returns the new root. Chunks not listed are trusted unchanged — list every chunk written.
   * @throws TypeError / RangeError when an index is not an integer chunk index (nothing changes then).
   */
  rehash(dirtyChunkIndexes: Iterable<number>): Uint8Array {
    if (dirtyChunkIndexes === null || typeof (dirtyChunkIndexes as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') {
      throw new TypeError(`"dirtyChunkIndexes" expected an iterable of chunk indexes, got ${describeType(dirtyChunkIndexes)}`);
    }
    const n = this.leafCount;
    const dirty = [...new Set(dirtyChunkIndexes)];
    for (const i of dirty) assertInt('dirtyChunkIndexes[]', i, 0, n - 1);
    if (dirty.length === 0) return this.root();
    const levels = this.#levels!;
    const one = new Uint8Array(32);
    for (const i of dirty) {
      const start = i * this.chunkBytes;
      this.#engine.treeLeaves(this.region.subarray(start, Math.min(start + this.chunkBytes, this.region.length)), this.chunkBytes, one);
      levels[0]!.set(one, 32 * i);
    }
    updateLevels(this.#engine, levels, dirty);
    this.#root = this.#currentRoot();
    return this.root();
  }

  /** Recomputes every leaf and node (after writes you did not track); returns the new root. */
  rehashAll(): Uint8Array {
    this.#root = this.#setLeaves(leavesOnThread(this.#engine, this.region, this.chunkBytes));
    return this.root();
  }
}
