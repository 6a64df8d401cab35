// The browser-safe half of quorumkit/log: hashing, proofs over any subtree source, offline
// verification and checkpoints. No node:* imports (the browser bundle re-exports this file).
export { EMPTY_TREE_HASH, LOG_HASH_BYTES, leafHash, nodeHash } from './_hash.js';
export { consistencyPath, inclusionPath, MemoryTree, splitPoint, treeHash, type SubtreeSource } from './merkle.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';
export {
  CHECKPOINT_PAYLOAD_TYPE,
  checkCheckpointBody,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointVerification,
  type VerifyCheckpointOptions,
} from './checkpoint.js';
