// Fuzzing quorumkit/hash's inputs: one-shot and streaming SHA3/SHAKE on random messages, chunkings
// and options (compared with @noble/hashes), batch digests, region tree hashes (compared with an
// independent RFC 6962 tree from quorumkit/log) and incremental rehashing after random writes with
// random — sometimes junk — dirty lists. Every call returns the reference's bytes or a typed error,
// and a refused rehash leaves the root unchanged.
import { sha3_224 as n224, sha3_256 as n256, sha3_384 as n384, sha3_512 as n512, shake128 as nShake128, shake256 as nShake256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSha3_256, createShake128, createShake256, RegionHasher, sha3_224, sha3_256, sha3_256Many, sha3_384, sha3_512, shake128, shake256,
  treeHashRegionSync, treeLeafCount, treeLeafHash, treeNodeHash, treeRootFromMth,
} from '../../src/hash/index.js';
import { leafHash, MemoryTree, treeHash } from '../../src/log/index.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import { anyValue, randomBytes } from './_inputs.js';

const T = fuzzTimeout(2000, 5);
/** Any value except numbers (a random number as a length could ask for gigabytes). */
const junk = anyValue.filter((v) => typeof v !== 'number');
const smallLength = fc.oneof(fc.integer({ min: -3, max: 600 }), fc.constantFrom(2 ** 30 + 1, 2 ** 53, NaN, Infinity, 1.5, -0), junk);

/** The region tree root computed independently: log's RFC 6962 tree over SHA3-256(0x00 ‖ chunk) leaves. */
function referenceRoot(bytes: Uint8Array, chunk: number): Uint8Array {
  const t = new MemoryTree();
  for (let o = 0; o < bytes.length; o += chunk) t.push(leafHash(bytes.subarray(o, o + chunk)));
  const bind = new Uint8Array(45);
  const dv = new DataView(bind.buffer);
  bind[0] = 0x02;
  dv.setBigUint64(1, BigInt(bytes.length), true);
  dv.setUint32(9, chunk, true);
  bind.set(treeHash(t, t.size), 13);
  return n256(bind);
}

describe('SHA3 / SHAKE under fuzzing', () => {
  const ONE_SHOT = [
    ['sha3_224', sha3_224, n224], ['sha3_256', sha3_256, n256], ['sha3_384', sha3_384, n384], ['sha3_512', sha3_512, n512],
  ] as const;

  it('one-shot digests equal @noble/hashes for any message, and refuse non-bytes with a TypeError', () => {
    fuzzSync('sha3_*(msg)', fc.tuple(fc.nat({ max: 3 }), fc.oneof(randomBytes, fc.uint8Array({ minLength: 130, maxLength: 300 }), junk)), ([i, msg]) => {
      const [, ours, noble] = ONE_SHOT[i]!;
      expect(ours(msg as Uint8Array)).toEqual(noble(msg as Uint8Array));
    });
  });

  it('shake128 / shake256 equal @noble/hashes for any message and output length, or refuse it typed', () => {
    fuzzSync('shake*(msg, { dkLen })', fc.tuple(fc.boolean(), randomBytes, fc.oneof(fc.constant(undefined), fc.record({ dkLen: smallLength }, { requiredKeys: [] }), junk)), ([is128, msg, opts]) => {
      const ours = is128 ? shake128(msg, opts as never) : shake256(msg, opts as never);
      const dkLen = (opts as { dkLen?: number } | undefined)?.dkLen;
      expect(ours).toEqual(is128 ? nShake128(msg, dkLen === undefined ? {} : { dkLen }) : nShake256(msg, dkLen === undefined ? {} : { dkLen }));
    });
  });

  it('streaming hashers equal the one-shot digest for any chunking; misuse is a typed error', () => {
    const script = fc.array(fc.oneof(randomBytes.map((b) => ({ op: 'update' as const, b })), fc.constant({ op: 'clone' as const }), fc.constant({ op: 'digest' as const }), junk.map((b) => ({ op: 'update' as const, b }))), { maxLength: 8 });
    fuzzSync('createSha3_256().update/clone/digest', script, (steps) => {
      const h = createSha3_256();
      const fed: Uint8Array[] = [];
      for (const s of steps) {
        if (s.op === 'update') {
          h.update(s.b as Uint8Array);
          fed.push(s.b as Uint8Array);
        } else if (s.op === 'clone') {
          h.clone().destroy();
        } else {
          expect(h.digest()).toEqual(n256(Buffer.concat(fed)));
        }
      }
      h.destroy();
    });
  });

  it('SHAKE xof() streams equal @noble/hashes output for any read lengths', () => {
    fuzzSync('createShake*().xof(n)', fc.tuple(fc.boolean(), randomBytes, fc.array(smallLength, { minLength: 1, maxLength: 5 })), ([is128, msg, reads]) => {
      const h = (is128 ? createShake128() : createShake256()).update(msg);
      let total = 0;
      const out: Uint8Array[] = [];
      try {
        for (const n of reads) {
          out.push(h.xof(n as number));
          total += n as number;
        }
      } finally {
        const got = Buffer.concat(out);
        expect(got).toEqual(Buffer.from((is128 ? nShake128 : nShake256)(msg, { dkLen: total })));
        h.destroy();
      }
    });
  });

  it('sha3_256Many equals per-message digests, or refuses a junk list with a TypeError', () => {
    fuzzSync('sha3_256Many(msgs)', fc.oneof(fc.array(randomBytes, { maxLength: 6 }), fc.array(fc.oneof(randomBytes, junk), { maxLength: 4 }), junk), (msgs) => {
      expect(sha3_256Many(msgs as Uint8Array[])).toEqual((msgs as Uint8Array[]).map((m) => n256(m)));
    });
  });
});

describe('region tree hashes under fuzzing', () => {
  const region = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 300, maxLength: 3000 }));
  const chunk = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.constantFrom(1, 2, 31, 32, 33, 1 << 20));

  it('treeHashRegionSync equals an independent RFC 6962 tree for any region and chunk size; bad options are typed', () => {
    fuzzSync('treeHashRegionSync(region, { chunkBytes })', fc.tuple(fc.oneof(region, junk), fc.oneof(chunk.map((c) => ({ chunkBytes: c })), fc.record({ chunkBytes: smallLength, onProgress: fc.oneof(fc.constant(undefined), junk) }, { requiredKeys: [] }), junk)), ([r, opts]) => {
      const root = treeHashRegionSync(r as Uint8Array, opts as never);
      expect(root).toEqual(referenceRoot(r as Uint8Array, (opts as { chunkBytes?: number } | undefined)?.chunkBytes ?? 1 << 20));
    });
  }, T);

  it('RegionHasher.rehash after random writes equals a fresh tree hash; junk dirty lists are refused and change nothing', () => {
    const writes = fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 40 })), { maxLength: 5 });
    const dirtyJunk = fc.oneof(fc.array(fc.oneof(fc.integer({ min: -2, max: 200 }), junk, fc.constantFrom(NaN, 0.5, 2 ** 53)), { maxLength: 4 }), junk);
    fuzzSync('RegionHasher.rehash(dirty)', fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.integer({ min: 1, max: 64 }), writes, fc.option(dirtyJunk)), ([bytes, c, ws, bad]) => {
      const region = bytes.slice();
      const h = new RegionHasher(region, { chunkBytes: c });
      const dirty = new Set<number>();
      for (const [at, data] of ws) {
        const off = at % region.length;
        const part = data.subarray(0, region.length - off);
        region.set(part, off);
        for (const i of h.chunksOf(off, part.length)) dirty.add(i);
      }
      const before = h.root();
      if (bad !== null) {
        try {
          h.rehash(bad as Iterable<number>);
        } catch (e) {
          expect(h.root(), 'a refused rehash changed the root').toEqual(before);
          throw e;
        }
      }
      expect(h.rehash(dirty)).toEqual(referenceRoot(region, c));
    });
  }, T);

  it('the tree helpers return digests or a typed error for any arguments', () => {
    fuzzSync('treeLeafHash / treeNodeHash / treeRootFromMth / treeLeafCount(any)', fc.tuple(fc.oneof(randomBytes, fc.uint8Array({ minLength: 32, maxLength: 32 }), junk), fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), junk), smallLength, smallLength), ([a, b, n, c]) => {
      expect(treeLeafHash(a as Uint8Array)).toEqual(leafHash(a as Uint8Array));
      expect(treeNodeHash(a as Uint8Array, b as Uint8Array).length).toBe(32);
      expect(treeRootFromMth(a as Uint8Array, n as number, c as number).length).toBe(32);
      expect(treeLeafCount(n as number, c as number)).toBe(Math.ceil((n as number) / (c as number)));
    }, fuzzRuns(2000));
  });
});
