// sha256Hex (src/hash/sha256.ts) is SHA-256: the FIPS 180-4 examples, and @noble/hashes and node:crypto
// on random inputs of every length across the one- and two-block padding boundaries and beyond.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toHex, utf8Encode } from '../../src/core/bytes.js';
import { sha256Hex } from '../../src/hash/sha256.js';

describe('sha256Hex', () => {
  it('FIPS 180-4 examples: "abc", the 448-bit message, the empty string, a million "a"', () => {
    expect(sha256Hex(utf8Encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(utf8Encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('equals @noble/hashes and node:crypto for every length 0..300 and random inputs; a prefix length hashes the prefix', () => {
    for (let n = 0; n <= 300; n++) {
      const m = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(sha256Hex(m), String(n)).toBe(toHex(sha256(m)));
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), (m, k) => {
      const len = m.length === 0 ? 0 : k % (m.length + 1);
      expect(sha256Hex(m)).toBe(createHash('sha256').update(m).digest('hex'));
      expect(sha256Hex(m, len)).toBe(toHex(sha256(m.subarray(0, len))));
    }), { numRuns: 500 });
  });

  it('refuses a length outside the message', () => {
    expect(() => sha256Hex(new Uint8Array(3), 4)).toThrow(RangeError);
    expect(() => sha256Hex(new Uint8Array(3), -1)).toThrow(RangeError);
    expect(() => sha256Hex(new Uint8Array(3), 1.5)).toThrow(RangeError);
  });
});
