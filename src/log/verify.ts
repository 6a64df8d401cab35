// Offline proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), over the
// RFC 6962 tree with SHA3-256 (see _hash.ts). Pure functions of their inputs; browser-safe.
// As in RFC 9162, an index or size only shapes the path the proof is folded along: the claim is
// bound to a tree through its root, so take each size and its root together from one verified
// checkpoint (verifyCheckpoint). With a root of another size, a proof of matching shape still folds.

import { constantTimeEqual } from '../core/bytes.js';
import { EMPTY_TREE_HASH, LOG_HASH_BYTES, nodeHash } from './_hash.js';

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === LOG_HASH_BYTES;
}

function isIndex(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

/**
 * Recomputes the root from a leaf hash and its audit path (RFC 9162 §2.1.3.2).
 * @returns the root, or null when the path cannot belong to leaf `index` of a tree of `size`.
 */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array | null {
  if (!isHash(leaf) || !isIndex(index) || !isIndex(size) || index >= size || !Array.isArray(proof)) return null;
  // fn/sn exceed 2^31 in large logs: halve with Math.floor, never with bit shifts.
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (!isHash(p) || sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/**
 * True when `proof` shows leaf hash `leaf` at `index` in the tree of `size` leaves with `root`;
 * `size` and `root` must come from one verified checkpoint (see the module header).
 */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const r = rootFromInclusionProof(leaf, index, size, proof);
  return r !== null && isHash(root) && constantTimeEqual(r, root);
}

/**
 * True when `proof` shows the tree of `oldSize` leaves with `oldRoot` is a prefix of the tree of
 * `newSize` leaves with `newRoot` (RFC 9162 §2.1.4.2). Equal sizes need equal roots and an empty proof;
 * `oldSize` 0 needs an empty proof and `oldRoot` equal to the empty tree's hash. Each size must come
 * with its root from one verified checkpoint (see the module header).
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isIndex(oldSize) || !isIndex(newSize) || oldSize > newSize || !isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof)) return false;
  // An index loop, not every(): every() skips the holes of a sparse array.
  for (let i = 0; i < proof.length; i++) if (!isHash(proof[i])) return false;
  if (oldSize === newSize) return proof.length === 0 && constantTimeEqual(oldRoot, newRoot);
  // The empty tree is a prefix of every tree, but only the empty tree's root is its root.
  if (oldSize === 0) return proof.length === 0 && constantTimeEqual(oldRoot, EMPTY_TREE_HASH);
  if (proof.length === 0) return false;
  let path = proof;
  if (isPowerOfTwo(oldSize)) path = [oldRoot, ...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && constantTimeEqual(fr, oldRoot) && constantTimeEqual(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
