// Fuzzing quorumkit/log's verifiers: checkpoint bodies and signed checkpoints (a mutated checkpoint
// never verifies), and RFC 9162 inclusion / consistency proofs (random and mutated proofs, indexes
// and sizes, sparse arrays and junk never verify and never throw).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import type { Envelope } from '../../src/envelope/types.js';
import {
  checkCheckpointBody, consistencyPath, inclusionPath, leafHash, MemoryTree, rootFromInclusionProof, signCheckpoint, treeHash, verifyCheckpoint,
  verifyConsistency, verifyInclusion,
} from '../../src/log/index.js';
import { Identity } from '../../src/pq/identity.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, jsonValue, mutateBytes, mutateEnvelope, mutateValue, sameBytes, sameJson } from './_inputs.js';

const T = fuzzTimeout(2000, 10);
const SIZE = 37;
const tree = new MemoryTree();
const leaves: Uint8Array[] = [];
for (let i = 0; i < SIZE; i++) {
  leaves.push(leafHash(new TextEncoder().encode(`entry ${i}`)));
  tree.push(leaves[i]!);
}
const roots = Array.from({ length: SIZE + 1 }, (_, n) => treeHash(tree, n));

let signer: Identity;
let checkpoint: Envelope;
const BODY = { origin: 'quorumkit/fuzz-log', treeSize: SIZE, rootHash: Buffer.from(roots[SIZE]!).toString('hex'), timestamp: '2026-04-20T12:00:00Z' };

beforeAll(async () => {
  signer = await Identity.create('log', { level: 44 });
  checkpoint = await signCheckpoint(BODY.origin, SIZE, roots[SIZE]!, [signer], fixedClock(BODY.timestamp));
});

/** A proof list as an attacker could hand it over: mutated hashes, junk items, holes. */
function mutateProof(proof: readonly Uint8Array[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.nat().chain((i): fc.Arbitrary<Uint8Array[]> => (proof.length === 0 ? fc.constant([new Uint8Array(32)]) : mutateBytes(proof[i % proof.length]!).map((h) => proof.map((p, j) => (j === i % proof.length ? h : p))))),
    fc.nat({ max: proof.length }).map((n) => proof.slice(0, n)),
    fc.constant([...proof, proof[0] ?? new Uint8Array(32)]),
    fc.constant([...proof].reverse()),
    fc.array(fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), anyValue), { maxLength: 8 }),
    fc.sparseArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 8 }),
    anyValue,
  );
}

/** Sizes beyond the tree are clamped to it (the tree only has SIZE leaves); other junk passes through. */
function clamp(v: unknown): number {
  return (typeof v === 'number' && v > SIZE ? SIZE : v) as number;
}

const index = fc.oneof(fc.integer({ min: -2, max: SIZE + 2 }), fc.constantFrom(2 ** 31, 2 ** 53, -0, 0.5, NaN, Infinity), anyValue);

describe('checkpoints under fuzzing', () => {
  it('checkCheckpointBody returns a reason or null for any value, null only for a well-formed body', () => {
    fuzzSync('checkCheckpointBody(any)', fc.oneof(anyValue, jsonValue({ hostile: true }), mutateValue(BODY)), (v) => {
      const r = checkCheckpointBody(v);
      expect(r === null || typeof r === 'string').toBe(true);
    });
  });

  it('verifyCheckpoint returns invalid for any value and for every mutated checkpoint, never throwing', async () => {
    const inputs = fc.oneof(anyValue, fc.constant(null).chain(() => mutateEnvelope(checkpoint)).map((m) => m.env));
    await fuzzAsync('verifyCheckpoint(mutated or any)', inputs, async (env, tally) => {
      if (sameJson(env, checkpoint)) return void tally.note('unchanged');
      const v = await verifyCheckpoint(env, { trusted: [signer.did], origin: BODY.origin });
      if (v.valid) {
        // Only a checkpoint re-assembled from the genuine parts may pass (e.g. a duplicated signature).
        expect((env as Envelope).payload).toBe(checkpoint.payload);
        expect((env as Envelope).payloadType).toBe(checkpoint.payloadType);
        tally.note('accepted with the genuine payload');
      }
    }, fuzzRuns(1500));
  }, T);

  it('verifyCheckpoint gives a verdict or a typed error for any options', async () => {
    const options = fc.record({ trusted: fc.oneof(fc.constant([signer?.did ?? '']), anyValue), threshold: fc.oneof(fc.integer({ min: -1, max: 3 }), anyValue), origin: anyValue }, { requiredKeys: [] });
    await fuzzAsync('verifyCheckpoint(checkpoint, any options)', options, async (opts) => {
      await verifyCheckpoint(checkpoint, opts as never);
    }, fuzzRuns(1000));
  }, T);
});

describe('Merkle proofs under fuzzing', () => {
  const cases = fc.tuple(fc.integer({ min: 0, max: SIZE - 1 }), fc.integer({ min: 1, max: SIZE })).filter(([i, n]) => i < n);

  it('the genuine proofs verify (the properties below can fail)', () => {
    for (let n = 1; n <= SIZE; n++) {
      for (let i = 0; i < n; i++) expect(verifyInclusion(leaves[i]!, i, n, inclusionPath(tree, i, n), roots[n]!)).toBe(true);
      for (let m = 0; m <= n; m++) expect(verifyConsistency(m, n, roots[m]!, roots[n]!, consistencyPath(tree, m, n))).toBe(true);
    }
  });

  it('verifyInclusion is false for any mutated proof, index, size, leaf or root, and never throws', () => {
    const arb = cases.chain(([i, n]) => {
      const proof = inclusionPath(tree, i, n);
      return fc.record({
        i: fc.oneof(fc.constant(i), index), n: fc.oneof(fc.constant(n), index), proof: fc.oneof(fc.constant(proof), mutateProof(proof)),
        leaf: fc.oneof(fc.constant(leaves[i]!), mutateBytes(leaves[i]!), anyValue), root: fc.oneof(fc.constant(roots[n]!), mutateBytes(roots[n]!), anyValue),
        orig: fc.constant({ i, n, proof }),
      });
    });
    fuzzSync('verifyInclusion / rootFromInclusionProof(mutated)', arb, (c, tally) => {
      const ok = verifyInclusion(c.leaf as Uint8Array, c.i as number, c.n as number, c.proof as Uint8Array[], c.root as Uint8Array);
      const r = rootFromInclusionProof(c.leaf as Uint8Array, c.i as number, c.n as number, c.proof as Uint8Array[]);
      expect(r === null || r instanceof Uint8Array).toBe(true);
      const genuine = sameBytes(c.leaf, leaves[c.orig.i]!) && c.i === c.orig.i && Object.is(c.n, c.orig.n) && c.proof === c.orig.proof && sameBytes(c.root, roots[c.orig.n]!);
      if (ok) {
        // Accepted: the leaf and the root must be real. RFC 9162 verification uses index and size
        // only to shape the path; they mean something together with the root they were signed with
        // (one checkpoint), so the leaf must be leaf i whenever the root is the real root of size n.
        const i = c.i as number;
        const n = c.n as number;
        expect(Number.isSafeInteger(i) && Number.isSafeInteger(n) && i < n, 'accepted an impossible position').toBe(true);
        expect(leaves.some((l) => sameBytes(c.leaf, l)), 'accepted a leaf that is in no position').toBe(true);
        expect(roots.some((r) => sameBytes(c.root, r)), 'accepted a root of no tree').toBe(true);
        const pairGenuine = n <= SIZE && sameBytes(c.root, roots[n]!);
        if (pairGenuine) expect(sameBytes(c.leaf, leaves[i]!), `accepted a leaf that is not leaf ${i} under the real root of size ${n}`).toBe(true);
        if (!genuine) tally.note(pairGenuine ? 'accepted, true for another position' : 'accepted for a (size, root) pair no checkpoint signs (size only shapes the path)');
      }
    });
  });

  it('verifyConsistency is false for any mutated proof, sizes or roots, and never throws', () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: SIZE }), fc.integer({ min: 0, max: SIZE })).filter(([m, n]) => m <= n).chain(([m, n]) => {
      const proof = consistencyPath(tree, m, n);
      return fc.record({
        m: fc.oneof(fc.constant(m), index), n: fc.oneof(fc.constant(n), index), proof: fc.oneof(fc.constant(proof), mutateProof(proof)),
        a: fc.oneof(fc.constant(roots[m]!), mutateBytes(roots[m]!), anyValue), b: fc.oneof(fc.constant(roots[n]!), mutateBytes(roots[n]!), anyValue),
      });
    });
    fuzzSync('verifyConsistency(mutated)', arb, (c, tally) => {
      const ok = verifyConsistency(c.m as number, c.n as number, c.a as Uint8Array, c.b as Uint8Array, c.proof as Uint8Array[]);
      if (ok) {
        // As for inclusion: sizes only shape the path, so the claims bind through (size, root) pairs.
        // Both roots must be real roots of this tree (or the empty tree's), and when the old pair is
        // genuine the new root must be a real tree extending the old one.
        const m = c.m as number;
        const n = c.n as number;
        expect(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m <= n, 'accepted impossible sizes').toBe(true);
        expect(roots.some((r) => sameBytes(c.a, r)), 'accepted an old root of no tree').toBe(true);
        const oldGenuine = sameBytes(c.a, roots[m] ?? new Uint8Array());
        // From the empty tree every tree is an extension: nothing binds the new root then.
        if (m > 0 && oldGenuine) expect(roots.slice(m).some((r) => sameBytes(c.b, r)), 'accepted a new root of no tree extending the old one').toBe(true);
        const newGenuine = sameBytes(c.b, roots[n] ?? new Uint8Array());
        tally.note(m === 0 || (oldGenuine && newGenuine) ? 'accepted (true statements)' : 'accepted for (size, root) pairs no checkpoint signs (sizes only shape the path)');
      }
    });
  });

  it('the proof builders refuse bad sizes with a RangeError', () => {
    fuzzSync('inclusionPath / consistencyPath / treeHash(any sizes)', fc.tuple(index, index), ([a, b]) => {
      treeHash(tree, clamp(a));
      inclusionPath(tree, a as number, clamp(b));
      consistencyPath(tree, a as number, clamp(b));
    }, fuzzRuns(1000));
  });
});
