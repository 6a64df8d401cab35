// publicKeyFromText: the did of a base64 public key (remembered per exact text, bounded LRU) equals
// didFromPublicKey of its bytes on every call; bad base64 is ERR_ENCODING; the bytes returned are
// the caller's own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/core/bytes.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { PUBLIC_KEY_CACHE_SIZE, publicKeyFromText } from '../../src/pq/_public-key-cache.js';
import { didFromPublicKey } from '../../src/pq/did.js';

describe('publicKeyFromText', () => {
  it('names the same did as didFromPublicKey, first call or remembered (law: did(text) == did(decode(text)))', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 2600 }), (bytes) => {
      const text = base64Encode(bytes);
      for (let k = 0; k < 2; k++) {
        const r = publicKeyFromText(text);
        expect(r.did).toBe(didFromPublicKey(bytes));
        expect(r.publicKey).toEqual(bytes);
      }
    }), { numRuns: 200 });
  });

  it('stays right past its bound (oldest entries evicted, none served stale)', () => {
    const keys = Array.from({ length: PUBLIC_KEY_CACHE_SIZE + 50 }, (_, i) => new Uint8Array(64).fill(i % 256).map((b, j) => (j === 0 ? i >> 8 : b)));
    for (const k of keys) publicKeyFromText(base64Encode(k));
    for (const k of keys) expect(publicKeyFromText(base64Encode(k)).did).toBe(didFromPublicKey(k));
  });

  it('returns bytes the caller may change without affecting later answers', () => {
    const bytes = new Uint8Array(1952).fill(9);
    const text = base64Encode(bytes);
    publicKeyFromText(text).publicKey.fill(0);
    expect(publicKeyFromText(text).publicKey).toEqual(bytes);
    expect(publicKeyFromText(text).did).toBe(didFromPublicKey(bytes));
  });

  it('refuses text that is not strict base64 with ERR_ENCODING', () => {
    for (const bad of ['Zg', 'Zm9v\n', `${base64Encode(new Uint8Array(100))}=`]) {
      let err: unknown;
      try {
        publicKeyFromText(bad);
      } catch (e) {
        err = e;
      }
      expect(isQuorumkitError(err, 'ERR_ENCODING'), bad).toBe(true);
    }
  });
});
