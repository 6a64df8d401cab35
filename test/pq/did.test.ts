import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { describeVectors, readVectorJson } from '../_vectors.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { didFromPublicKey, isPqaidDid } from '../../src/pq/did.js';

describeVectors('did:pqaid — QuantumShield seed vectors', () => {
  it('reproduces every did_vectors.json example', () => {
    const v = readVectorJson<{ examples: { public_key_hex: string; did: string }[] }>('seeds/quantumshield/did_vectors.json');
    expect(v.examples.length).toBeGreaterThan(0);
    for (const e of v.examples) {
      expect(didFromPublicKey(fromHex(e.public_key_hex))).toBe(e.did);
      expect(isPqaidDid(e.did)).toBe(true);
    }
    console.log(`[vectors] did:pqaid ${v.examples.length}/${v.examples.length}`);
  });
});

describe('did:pqaid', () => {
  it('is "did:pqaid:" + hex sha3-256 of the key (property, against @noble/hashes directly)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (pk) => {
      const did = didFromPublicKey(pk);
      expect(did).toBe('did:pqaid:' + toHex(sha3_256(pk)));
      expect(isPqaidDid(did)).toBe(true);
    }), { numRuns: 50 });
  });

  it('rejects malformed ids and non-bytes', () => {
    const good = didFromPublicKey(new Uint8Array(32));
    for (const bad of [good.toUpperCase(), good + '0', good.slice(0, -1), good.replace('pqaid', 'key'), ` ${good}`, 42, null, undefined, {}]) {
      expect(isPqaidDid(bad)).toBe(false);
    }
    expect(() => didFromPublicKey('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
