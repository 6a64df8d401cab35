import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TREE_HASH,
  consistencyPath,
  inclusionPath,
  leafHash,
  MemoryTree,
  rootFromInclusionProof,
  splitPoint,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/log/verifier.js';
import { entries, naiveConsistency, naiveMth, naivePath } from './_naive.js';

function tree(data: Uint8Array[]): MemoryTree {
  const t = new MemoryTree();
  for (const d of data) t.push(leafHash(d));
  return t;
}

const hex = (a: Uint8Array[]): string[] => a.map((x) => Buffer.from(x).toString('hex'));
const flip = (h: Uint8Array): Uint8Array => {
  const c = h.slice();
  c[0]! ^= 1;
  return c;
};

describe('RFC 6962 tree hash and proofs against a naive implementation of the RFC', () => {
  const data = entries(70);
  const t = tree(data);

  it('splitPoint is the largest power of two below n', () => {
    expect([2, 3, 4, 5, 8, 9, 1025].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 1024]);
  });

  it('MTH matches for every size 0..70 (empty tree = SHA3-256 of "")', () => {
    expect(Buffer.from(EMPTY_TREE_HASH).toString('hex')).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
    for (let n = 0; n <= 70; n++) expect(Buffer.from(treeHash(t, n)).toString('hex'), `n=${n}`).toBe(Buffer.from(naiveMth(data.slice(0, n))).toString('hex'));
  });

  it('every inclusion path matches and verifies; any change is rejected', () => {
    for (let n = 1; n <= 40; n++) {
      const root = treeHash(t, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionPath(t, m, n);
        expect(hex(proof)).toEqual(hex(naivePath(m, data.slice(0, n))));
        const leaf = leafHash(data[m]!);
        expect(verifyInclusion(leaf, m, n, proof, root)).toBe(true);
        expect(verifyInclusion(flip(leaf), m, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaf, (m + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, m, n + 1, proof, treeHash(t, n + 1))).toBe(false);
        for (let i = 0; i < proof.length; i++) {
          const bad = proof.map((p, j) => (j === i ? flip(p) : p));
          expect(verifyInclusion(leaf, m, n, bad, root)).toBe(false);
        }
        if (proof.length > 0) expect(verifyInclusion(leaf, m, n, proof.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(leaf, m, n, [...proof, root], root)).toBe(false);
      }
    }
  });

  it('every consistency proof matches and verifies; any change is rejected', () => {
    for (let n = 1; n <= 36; n++) {
      const newRoot = treeHash(t, n);
      for (let m = 0; m <= n; m++) {
        const oldRoot = treeHash(t, m);
        const proof = consistencyPath(t, m, n);
        expect(hex(proof)).toEqual(hex(naiveConsistency(m, data.slice(0, n))));
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof), `${m}->${n}`).toBe(true);
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, flip(oldRoot), newRoot, proof)).toBe(false);
          expect(verifyConsistency(m, n, oldRoot, flip(newRoot), proof)).toBe(false);
          for (let i = 0; i < proof.length; i++) {
            expect(verifyConsistency(m, n, oldRoot, newRoot, proof.map((p, j) => (j === i ? flip(p) : p)))).toBe(false);
          }
          expect(verifyConsistency(m, n, oldRoot, newRoot, [])).toBe(false);
          if (m + 1 < n) expect(verifyConsistency(m + 1, n, oldRoot, newRoot, proof)).toBe(false);
        }
      }
    }
    // A forked log is not consistent with the original.
    const fork = tree([...data.slice(0, 5), new TextEncoder().encode('forged'), ...data.slice(6, 12)]);
    expect(verifyConsistency(8, 12, treeHash(t, 8), treeHash(fork, 12), consistencyPath(fork, 8, 12))).toBe(false);
  });

  it('rejects bad arguments with RangeError (TypeError for a non-integer) and garbage proofs with false', () => {
    expect(() => inclusionPath(t, 5, 5)).toThrow(RangeError);
    expect(() => inclusionPath(t, -1, 5)).toThrow(RangeError);
    expect(() => consistencyPath(t, 6, 5)).toThrow(RangeError);
    expect(() => treeHash(t, 1.5)).toThrow(TypeError);
    expect(() => t.subtree(9, 0)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.anything(), fc.integer(), fc.integer(), fc.anything(), (leaf, i, n, proof) => {
        expect(verifyInclusion(leaf as Uint8Array, i, n, proof as Uint8Array[], treeHash(t, 4))).toBe(false);
        expect(rootFromInclusionProof(leaf as Uint8Array, i, n, proof as Uint8Array[])).toBeNull();
        expect(verifyConsistency(i, n, leaf as Uint8Array, leaf as Uint8Array, proof as Uint8Array[])).toBe(i === n && false);
      }),
      { numRuns: 500 },
    );
  });

  it('a consistency proof from the empty tree needs the empty tree\'s root as the old root', () => {
    const t = tree(entries(9));
    expect(verifyConsistency(0, 9, EMPTY_TREE_HASH, treeHash(t, 9), [])).toBe(true);
    expect(verifyConsistency(0, 9, treeHash(t, 9), treeHash(t, 9), [])).toBe(false);
    expect(verifyConsistency(0, 9, flip(EMPTY_TREE_HASH), treeHash(t, 9), [])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_TREE_HASH, EMPTY_TREE_HASH, [])).toBe(true);
  });

  it('sparse proof arrays (holes) are false, never a crash', () => {
    const t = tree(entries(9));
    const sparse = new Array<Uint8Array>(1);
    expect(verifyConsistency(1, 4, treeHash(t, 1), treeHash(t, 4), sparse)).toBe(false);
    expect(verifyConsistency(3, 9, treeHash(t, 3), treeHash(t, 9), [...consistencyPath(t, 3, 9).slice(0, 1), ...new Array<Uint8Array>(2)])).toBe(false);
    expect(verifyInclusion(leafHash(entries(9)[1]!), 1, 9, new Array<Uint8Array>(4), treeHash(t, 9))).toBe(false);
  });

  it('sizes that are not numbers are a TypeError naming their type, not a conversion crash', () => {
    const t = tree(entries(4));
    expect(() => treeHash(t, { toString: 0 } as never)).toThrow(new TypeError('"size" expected an integer, got object'));
    expect(() => inclusionPath(t, 1n as never, 4)).toThrow(TypeError);
    expect(() => consistencyPath(t, 1, Symbol('s') as never)).toThrow(TypeError);
  });
});
