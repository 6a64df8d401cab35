// RFC 6962 §2.1 Merkle tree hash, audit paths (§2.1.1) and consistency proofs (§2.1.2), computed
// over any store of complete subtree hashes. A complete subtree is (level, index): the 2^level
// leaves starting at index·2^level. Every left branch in the RFC's recursion is such a subtree, so
// a store that keeps them answers any root or proof with O(log n) lookups. Browser-safe.

import { assertInt } from '../core/assert.js';
import { EMPTY_TREE_HASH, nodeHash } from './_hash.js';

/** Where complete subtree hashes come from (a database, an in-memory tree). */
export interface SubtreeSource {
  /** Hash of the complete subtree (level, index); level 0 is a leaf hash. */
  subtree(level: number, index: number): Uint8Array;
}

/** Largest power of two strictly less than n (n ≥ 2): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two (n ≤ 2^53), else -1. Multiplication, not bit ops: sizes pass 2^31. */
function exactLog2(n: number): number {
  let p = 1;
  let e = 0;
  while (p < n) {
    p *= 2;
    e++;
  }
  return p === n ? e : -1;
}

/** Computes MTH(D[a:b]) with memoisation; every complete aligned range is one lookup. */
class TreeView {
  readonly #src: SubtreeSource;
  readonly #memo = new Map<string, Uint8Array>();
  constructor(src: SubtreeSource) {
    this.#src = src;
  }

  mth(a: number, b: number): Uint8Array {
    const n = b - a;
    if (n === 0) return EMPTY_TREE_HASH;
    const level = exactLog2(n);
    if (level >= 0 && a % n === 0) return this.#src.subtree(level, a / n);
    const key = `${a}:${b}`;
    const hit = this.#memo.get(key);
    if (hit) return hit;
    const k = splitPoint(n);
    const h = nodeHash(this.mth(a, a + k), this.mth(a + k, b));
    this.#memo.set(key, h);
    return h;
  }

  /** RFC 6962 §2.1.1 PATH(m, D[a:b]), bottom-up order. */
  path(m: number, a: number, b: number): Uint8Array[] {
    const n = b - a;
    if (n <= 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...this.path(m, a, a + k), this.mth(a + k, b)];
    return [...this.path(m - k, a + k, b), this.mth(a, a + k)];
  }

  /** RFC 6962 §2.1.2 SUBPROOF(m, D[a:b], complete). */
  subproof(m: number, a: number, b: number, complete: boolean): Uint8Array[] {
    const n = b - a;
    if (m === n) return complete ? [] : [this.mth(a, b)];
    const k = splitPoint(n);
    if (m <= k) return [...this.subproof(m, a, a + k, complete), this.mth(a + k, b)];
    return [...this.subproof(m - k, a + k, b, false), this.mth(a, a + k)];
  }
}

/** MTH of the first `size` leaves (RFC 6962 §2.1). @throws TypeError unless `size` is an integer; RangeError when negative. */
export function treeHash(src: SubtreeSource, size: number): Uint8Array {
  assertInt('size', size, 0, Number.MAX_SAFE_INTEGER);
  return new TreeView(src).mth(0, size);
}

/**
 * Audit path for leaf `index` in the tree of `size` leaves (RFC 6962 §2.1.1), leaf-to-root order.
 * @throws RangeError unless 0 ≤ index < size; TypeError for a non-integer.
 */
export function inclusionPath(src: SubtreeSource, index: number, size: number): Uint8Array[] {
  assertInt('index', index, 0, Number.MAX_SAFE_INTEGER);
  assertInt('size', size, 0, Number.MAX_SAFE_INTEGER);
  if (index >= size) throw new RangeError(`"index" expected < tree size ${size}, got ${index}`);
  return new TreeView(src).path(index, 0, size);
}

/**
 * Consistency proof between the trees of `oldSize` and `newSize` leaves (RFC 6962 §2.1.2).
 * Empty when the sizes are equal or the old tree is empty.
 * @throws RangeError unless 0 ≤ oldSize ≤ newSize; TypeError for a non-integer.
 */
export function consistencyPath(src: SubtreeSource, oldSize: number, newSize: number): Uint8Array[] {
  assertInt('oldSize', oldSize, 0, Number.MAX_SAFE_INTEGER);
  assertInt('newSize', newSize, 0, Number.MAX_SAFE_INTEGER);
  if (oldSize > newSize) throw new RangeError(`"oldSize" expected ≤ newSize ${newSize}, got ${oldSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  return new TreeView(src).subproof(oldSize, 0, newSize, true);
}

/**
 * An in-memory complete-subtree store over a list of leaf hashes (reference and small logs).
 * Builds every level once: O(n) hashes, O(n) memory.
 */
export class MemoryTree implements SubtreeSource {
  readonly #levels: Uint8Array[][] = [[]];

  /** Appends one leaf hash and completes every subtree it closes. */
  push(leaf: Uint8Array): void {
    this.#levels[0]!.push(leaf);
    let level = 0;
    let idx = this.#levels[0]!.length - 1;
    while (idx % 2 === 1) {
      const row = this.#levels[level]!;
      const parent = nodeHash(row[idx - 1]!, row[idx]!);
      level++;
      (this.#levels[level] ??= []).push(parent);
      idx = (idx - 1) / 2;
    }
  }

  get size(): number {
    return this.#levels[0]!.length;
  }

  subtree(level: number, index: number): Uint8Array {
    const h = this.#levels[level]?.[index];
    if (!h) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return h;
  }
}
