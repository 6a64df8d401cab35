// quorumkit/hash — SHA3 / SHAKE (FIPS 202) on the WASM Keccak kernels with an @noble/hashes fallback,
// batch digests, and region hashing for attestation (plain and RFC 6962-style tree hashes, a Node
// worker pool, incremental rehash). Public surface only; `_`-prefixed modules are internal.

export {
  sha3_224,
  sha3_256,
  sha3_384,
  sha3_512,
  shake128,
  shake256,
  sha3_256Many,
  createSha3_224,
  createSha3_256,
  createSha3_384,
  createSha3_512,
  createShake128,
  createShake256,
  hashBackend,
} from './sha3.js';
export type { Sha3Hasher, ShakeHasher, ShakeOptions } from './sha3.js';
export {
  hashRegion,
  treeHashRegion,
  treeHashRegionSync,
  treeLeafCount,
  treeLeafHash,
  treeNodeHash,
  treeRootFromMth,
  DEFAULT_CHUNK_BYTES,
  MAX_CHUNK_BYTES,
  POOL_MIN_BYTES,
  TREE_LEAF_PREFIX,
  TREE_NODE_PREFIX,
  TREE_ROOT_PREFIX,
} from './tree.js';
export type { TreeHashOptions, TreeHashAsyncOptions } from './tree.js';
export { RegionHasher } from './region-hasher.js';
export { sha256Hex } from './sha256.js';
export { closeHashPool } from './_pool.js';
