// RFC 6962 §2.1 Merkle tree hash over leaf digests, kept level by level so a RegionHasher can redo
// only the paths above changed leaves (internal). With SHA3-256 as HASH:
//   MTH({})      = SHA3-256()                                  (empty input)
//   MTH({d0})    = leaf digest (computed by the caller as SHA3-256(0x00 ‖ d0))
//   MTH(D[n])    = SHA3-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])),  k the largest power of two < n
// Built bottom-up: pair nodes (2i, 2i+1) of each level; an odd last node moves up unchanged. That is
// exactly RFC 6962's split rule (the left subtree is always the complete one of 2^j leaves).

import type { KeccakEngine } from './_engine.js';
import { SHA3_256 } from './_spec.js';

/** RFC 6962 §2.1 interior-node prefix. */
export const NODE_PREFIX = 0x01;
const D = 32;

function nodeMsg(level: Uint8Array, i: number): Uint8Array {
  const m = new Uint8Array(1 + 2 * D);
  m[0] = NODE_PREFIX;
  m.set(level.subarray(2 * i * D, (2 * i + 2) * D), 1);
  return m;
}

/** Number of nodes on the level above one of `n` nodes. */
function parentCount(n: number): number {
  return (n + 1) >>> 1;
}

/**
 * All levels of the tree over `leaves` (32-byte digests back to back, at least one): levels[0] is
 * the leaves, the last level holds the single root. Each level's pairs are hashed in one batch.
 */
export function buildLevels(engine: KeccakEngine, leaves: Uint8Array): Uint8Array[] {
  const levels = [leaves];
  let cur = leaves;
  while (cur.length > D) {
    const n = cur.length / D;
    const up = new Uint8Array(parentCount(n) * D);
    const pairs = n >>> 1;
    const msgs: Uint8Array[] = [];
    for (let i = 0; i < pairs; i++) msgs.push(nodeMsg(cur, i));
    const ds = engine.hashMany(SHA3_256, msgs, D);
    for (let i = 0; i < pairs; i++) up.set(ds[i]!, i * D);
    if (n & 1) up.set(cur.subarray((n - 1) * D), pairs * D);
    levels.push(up);
    cur = up;
  }
  return levels;
}

/**
 * Recomputes the nodes above the leaves at `dirty` (indexes whose leaf digests in levels[0] were
 * already replaced), level by level; untouched subtrees are not rehashed.
 */
export function updateLevels(engine: KeccakEngine, levels: Uint8Array[], dirty: Iterable<number>): void {
  let idx = [...new Set(dirty)].sort((a, b) => a - b);
  for (let k = 0; k + 1 < levels.length; k++) {
    const cur = levels[k]!;
    const up = levels[k + 1]!;
    const n = cur.length / D;
    const parents = [...new Set(idx.map((i) => i >>> 1))];
    const paired = parents.filter((p) => 2 * p + 1 < n);
    const ds = engine.hashMany(SHA3_256, paired.map((p) => nodeMsg(cur, p)), D);
    paired.forEach((p, j) => up.set(ds[j]!, p * D));
    for (const p of parents) if (2 * p + 1 >= n) up.set(cur.subarray(2 * p * D, 2 * p * D + D), p * D);
    idx = parents;
  }
}

/** MTH of a tree built by {@link buildLevels}, or SHA3-256() for zero leaves (`levels` null). */
export function merkleRootOf(engine: KeccakEngine, levels: Uint8Array[] | null): Uint8Array {
  if (levels === null) return engine.hash(SHA3_256, new Uint8Array(0), D);
  return levels[levels.length - 1]!.slice();
}
