import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { expandedFromPkcs8, pkcs8FromExpanded, pkcs8FromSeed, publicKeyFromSpki, spkiFromPublicKey } from '../../src/pq/providers/_pkcs8.js';
import { getProvider } from '../../src/pq/registry.js';
import { PUBLIC_KEY_BYTES, SECRET_KEY_BYTES } from '../../src/pq/params.js';

const LEVELS = [44, 65, 87] as const;

describe('ML-DSA PKCS#8 / SPKI codecs (draft-ietf-lamps-dilithium-certificates)', () => {
  it('round-trips and is accepted by node:crypto (OpenSSL) for every level', async () => {
    for (const level of LEVELS) {
      const seed = new Uint8Array(32).fill(level);
      const { publicKey, secretKey } = await getProvider('noble').keygen(level, seed);
      const exp = pkcs8FromExpanded(level, secretKey);
      expect(expandedFromPkcs8(level, exp)).toEqual(secretKey);
      expect(publicKeyFromSpki(level, spkiFromPublicKey(level, publicKey))).toEqual(publicKey);
      expect(expandedFromPkcs8(level, pkcs8FromSeed(level, seed))).toBe('seed-only');
      // OpenSSL reads all three and they are the same key: export the "both" form and compare.
      for (const der of [exp, pkcs8FromSeed(level, seed)]) {
        const k = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
        expect(publicKeyFromSpki(level, new Uint8Array(createPublicKey(k).export({ format: 'der', type: 'spki' })))).toEqual(publicKey);
      }
      const both = new Uint8Array(createPrivateKey({ key: Buffer.from(pkcs8FromSeed(level, seed)), format: 'der', type: 'pkcs8' }).export({ format: 'der', type: 'pkcs8' }));
      expect(expandedFromPkcs8(level, both)).toEqual(secretKey);
      expect(expandedFromPkcs8(level === 44 ? 65 : 44, both)).toBeNull(); // OID of another level
    }
  });

  it('garbage and truncations never throw: null (or seed-only) only', () => {
    const exp = pkcs8FromExpanded(65, new Uint8Array(SECRET_KEY_BYTES[65]).fill(7));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), fc.nat(), (junk, cut, at) => {
      for (const level of LEVELS) {
        const r = expandedFromPkcs8(level, junk);
        expect(r === null || r === 'seed-only' || r.length === SECRET_KEY_BYTES[level]).toBe(true);
        expect(publicKeyFromSpki(level, junk)).toBeNull();
      }
      expect(expandedFromPkcs8(65, exp.subarray(0, cut % exp.length))).toBeNull();
      const flipped = exp.slice();
      flipped[at % 30]! ^= 0x80; // header bytes: tag/length/OID
      const r = expandedFromPkcs8(65, flipped);
      expect(r === null || r instanceof Uint8Array).toBe(true);
    }), { numRuns: 200 });
    expect(publicKeyFromSpki(65, spkiFromPublicKey(65, new Uint8Array(PUBLIC_KEY_BYTES[65])).subarray(1))).toBeNull();
  });
});
