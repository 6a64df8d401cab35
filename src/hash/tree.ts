// Region hashing for attestation: the plain SHA3-256 content hash and a chunked Merkle tree hash.
//
// Tree hash construction (RFC 6962 §2.1 with SHA3-256 as HASH, domain-separated, bound to its shape):
//   chunks  C_0 … C_{n−1}: the region split every `chunkBytes` bytes (the last may be shorter;
//           n = 0 for an empty region)
//   leaf    L_i  = SHA3-256(0x00 ‖ C_i)
//   node         = SHA3-256(0x01 ‖ left ‖ right)
//   MTH          = RFC 6962 Merkle tree hash over L_0 … L_{n−1}: for n > 1 the left subtree holds
//                  the first k leaves, k the largest power of two < n (so an odd node is never
//                  duplicated, it moves up a level); MTH of one leaf is the leaf; of none, SHA3-256()
//   root         = SHA3-256(0x02 ‖ u64le(totalLength) ‖ u32le(chunkBytes) ‖ MTH)
// The 0x02 prefix keeps roots apart from leaves and nodes; binding the length and the chunk size
// means the same bytes hashed with another chunk size, or a truncated region, give another root.

import { wasmInfo } from '../wasm/loader.js';
import { defaultEngine, type KeccakEngine } from './_engine.js';
import { buildLevels, merkleRootOf, NODE_PREFIX } from './_merkle.js';
import { defaultPoolSize, poolAvailable, poolTreeLeaves } from './_pool.js';
import { assertBytes, assertInt, assertOptions, describeType, optionKeys } from '../core/assert.js';
import { SHA3_256 } from './_spec.js';

/** Default chunk size of {@link treeHashRegion}: 1 MiB. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Largest chunk size accepted (1 GiB; the root encodes it as a u32). */
export const MAX_CHUNK_BYTES = 2 ** 30;
/** Leaf prefix (RFC 6962 §2.1). */
export const TREE_LEAF_PREFIX = 0x00;
/** Interior-node prefix (RFC 6962 §2.1). */
export const TREE_NODE_PREFIX = NODE_PREFIX;
/** Root-binding prefix (quorumkit). */
export const TREE_ROOT_PREFIX = 0x02;
/** Regions smaller than this are hashed on the calling thread even when a pool is available. */
export const POOL_MIN_BYTES = 8 * 1024 * 1024;

/** Options of {@link treeHashRegionSync}. */
export interface TreeHashOptions {
  /** Chunk size in bytes, an integer in [1, 2^30]; default 1 MiB. */
  chunkBytes?: number;
  /** Called as input is hashed with (bytes done, total bytes); last call has done === total. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

/** Options of {@link treeHashRegion}. */
export interface TreeHashAsyncOptions extends TreeHashOptions {
  /**
   * `'auto'` (default): a worker pool in Node for regions of at least 8 MiB, else the calling
   * thread; `true`: the pool whenever the runtime has one; `false`: always the calling thread.
   */
  parallel?: boolean | 'auto';
  /** Pool size (workers); default the available cores. */
  workers?: number;
}

const TREE_OPTION_KEYS = optionKeys<TreeHashOptions>({ chunkBytes: true, onProgress: true });
const TREE_ASYNC_OPTION_KEYS = optionKeys<TreeHashAsyncOptions>({ chunkBytes: true, onProgress: true, parallel: true, workers: true });

/** Checks options of the synchronous tree hash (unknown keys refused). @internal */
export function checkTreeOptions(opts: TreeHashOptions | undefined): TreeHashOptions {
  return assertOptions('opts', opts, TREE_OPTION_KEYS);
}

/** Checks options of the asynchronous tree hash (unknown keys refused). @internal */
export function checkTreeAsyncOptions(opts: TreeHashAsyncOptions | undefined): TreeHashAsyncOptions {
  return assertOptions('opts', opts, TREE_ASYNC_OPTION_KEYS);
}

/** The chunk size of checked options. @internal */
export function readChunkBytes(opts: TreeHashOptions): number {
  const c = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  assertInt('chunkBytes', c, 1, MAX_CHUNK_BYTES);
  return c;
}

function readProgress(opts: TreeHashOptions): TreeHashOptions['onProgress'] {
  const f = opts.onProgress;
  if (f !== undefined && typeof f !== 'function') throw new TypeError(`"onProgress" expected a function, got ${describeType(f)}`);
  return f;
}

/** Number of chunks (leaves) of a region of `length` bytes. */
export function treeLeafCount(length: number, chunkBytes: number = DEFAULT_CHUNK_BYTES): number {
  assertInt('length', length, 0, Number.MAX_SAFE_INTEGER);
  assertInt('chunkBytes', chunkBytes, 1, MAX_CHUNK_BYTES);
  return Math.ceil(length / chunkBytes);
}

/**
 * The root binding: SHA3-256(0x02 ‖ u64le(totalLength) ‖ u32le(chunkBytes) ‖ mth).
 * Exposed so a verifier holding the leaf digests (or an inclusion proof) can finish the root.
 * @throws TypeError / RangeError on bad arguments (mth must be 32 bytes).
 */
export function treeRootFromMth(mth: Uint8Array, totalLength: number, chunkBytes: number): Uint8Array {
  assertBytes('mth', mth, 32);
  assertInt('totalLength', totalLength, 0, Number.MAX_SAFE_INTEGER);
  assertInt('chunkBytes', chunkBytes, 1, MAX_CHUNK_BYTES);
  return bindRoot(defaultEngine(), mth, totalLength, chunkBytes);
}

/** @internal */
export function bindRoot(engine: KeccakEngine, mth: Uint8Array, totalLength: number, chunkBytes: number): Uint8Array {
  const m = new Uint8Array(1 + 8 + 4 + 32);
  const dv = new DataView(m.buffer);
  m[0] = TREE_ROOT_PREFIX;
  dv.setBigUint64(1, BigInt(totalLength), true);
  dv.setUint32(9, chunkBytes, true);
  m.set(mth, 13);
  return engine.hash(SHA3_256, m, 32);
}

/** @internal Root of a region from its leaf digests (32·n bytes). */
export function rootFromLeaves(engine: KeccakEngine, leaves: Uint8Array, totalLength: number, chunkBytes: number): Uint8Array {
  const mth = merkleRootOf(engine, leaves.length === 0 ? null : buildLevels(engine, leaves));
  return bindRoot(engine, mth, totalLength, chunkBytes);
}

/** @internal Leaf digests of `bytes` on the calling thread. */
export function leavesOnThread(engine: KeccakEngine, bytes: Uint8Array, chunkBytes: number, onProgress?: TreeHashOptions['onProgress']): Uint8Array {
  const leaves = new Uint8Array(32 * Math.ceil(bytes.length / chunkBytes));
  let done = 0;
  if (bytes.length > 0) {
    engine.treeLeaves(bytes, chunkBytes, leaves, (n) => {
      done += n;
      onProgress?.(done, bytes.length);
    });
  }
  if (bytes.length === 0) onProgress?.(0, 0);
  return leaves;
}

/**
 * The content hash of a memory region: plain SHA3-256 of its bytes (the seed projects' region hash).
 * @throws TypeError when `bytes` is not a Uint8Array.
 */
export function hashRegion(bytes: Uint8Array): Uint8Array {
  assertBytes('bytes', bytes);
  return defaultEngine().hash(SHA3_256, bytes, 32);
}

/**
 * Tree hash of a region on the calling thread (see the module comment for the construction).
 * @throws TypeError / RangeError on bad arguments.
 * @example
 * const root = treeHashRegionSync(weights, { chunkBytes: 1 << 20 });
 */
export function treeHashRegionSync(bytes: Uint8Array, opts?: TreeHashOptions): Uint8Array {
  assertBytes('bytes', bytes);
  const o = checkTreeOptions(opts);
  const chunkBytes = readChunkBytes(o);
  const onProgress = readProgress(o);
  const engine = defaultEngine();
  return rootFromLeaves(engine, leavesOnThread(engine, bytes, chunkBytes, onProgress), bytes.length, chunkBytes);
}

/** @internal Leaf digests, through the pool when the options and runtime allow it. */
export async function leavesAuto(bytes: Uint8Array, chunkBytes: number, opts: TreeHashAsyncOptions): Promise<Uint8Array> {
  const onProgress = readProgress(opts);
  const parallel = opts.parallel ?? 'auto';
  if (parallel !== 'auto' && typeof parallel !== 'boolean') throw new TypeError(`"parallel" expected a boolean or 'auto', got ${describeType(parallel)}`);
  if (opts.workers !== undefined) assertInt('workers', opts.workers, 1, 256);
  const engine = defaultEngine();
  const info = wasmInfo();
  const usePool =
    engine.name === 'wasm' &&
    info.build !== null &&
    poolAvailable() &&
    bytes.length > chunkBytes &&
    (parallel === true || (parallel === 'auto' && bytes.length >= POOL_MIN_BYTES));
  if (!usePool) return leavesOnThread(engine, bytes, chunkBytes, onProgress);
  let done = 0;
  return poolTreeLeaves(bytes, chunkBytes, {
    build: info.build!,
    simd: info.simd,
    size: opts.workers ?? defaultPoolSize(),
    onBytes: (n) => {
      done += n;
      onProgress?.(done, bytes.length);
    },
  });
}

/**
 * Tree hash of a region (see the module comment for the construction). In Node the leaves of
 * regions ≥ 8 MiB are hashed by a worker pool (one worker per core) that reads a
 * SharedArrayBuffer-backed region in place, or slices any other region once per job; elsewhere, or
 * with `parallel: false`, it runs on the calling thread. Same root either way.
 * @throws (rejects with) TypeError / RangeError on bad arguments; QuorumkitError
 * `ERR_WASM_UNAVAILABLE` when a pool worker fails.
 * @example
 * const root = await treeHashRegion(weights, { onProgress: (done, total) => bar.update(done / total) });
 */
export async function treeHashRegion(bytes: Uint8Array, opts?: TreeHashAsyncOptions): Promise<Uint8Array> {
  assertBytes('bytes', bytes);
  const o = checkTreeAsyncOptions(opts);
  const chunkBytes = readChunkBytes(o);
  const leaves = await leavesAuto(bytes, chunkBytes, o);
  return rootFromLeaves(defaultEngine(), leaves, bytes.length, chunkBytes);
}

/**
 * SHA3-256(0x00 ‖ chunk): one leaf digest of the tree hash.
 * @throws TypeError when `chunk` is not a Uint8Array.
 */
export function treeLeafHash(chunk: Uint8Array): Uint8Array {
  assertBytes('chunk', chunk);
  const s = defaultEngine().createState(SHA3_256);
  try {
    s.update(new Uint8Array([TREE_LEAF_PREFIX]));
    s.update(chunk);
    s.pad();
    return s.squeeze(32);
  } finally {
    s.destroy();
  }
}

/**
 * SHA3-256(0x01 ‖ left ‖ right): one interior node of the tree hash.
 * @throws TypeError / RangeError unless both are 32-byte Uint8Arrays.
 */
export function treeNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertBytes('left', left);
  assertBytes('right', right);
  if (left.length !== 32 || right.length !== 32) throw new RangeError(`"left" and "right" expected 32 bytes each, got ${left.length} and ${right.length}`);
  const m = new Uint8Array(65);
  m[0] = TREE_NODE_PREFIX;
  m.set(left, 1);
  m.set(right, 33);
  return defaultEngine().hash(SHA3_256, m, 32);
}
