// The CA certificate cache: the same DER bytes give the same decoding (decoded once), other bytes
// their own; a failed decoding is not kept; the least recently used entry goes past the bound.
import { describe, expect, it } from 'vitest';
import { CA_CACHE_ENTRIES, CaCertificateCache } from '../../src/tee/_ca-cache.js';

describe('CaCertificateCache', () => {
  it('decodes each distinct DER once and keeps at most CA_CACHE_ENTRIES, evicting the least recently used', () => {
    let calls = 0;
    const decode = (d: Uint8Array) => ({ n: ++calls, first: d[0] });
    const c = new CaCertificateCache<{ n: number; first: number | undefined }>();
    const a = c.get(Uint8Array.of(1, 2), decode);
    expect(c.get(Uint8Array.of(1, 2), decode)).toBe(a);
    expect(c.get(Uint8Array.of(1, 3), decode)).not.toBe(a);
    expect(calls).toBe(2);
    for (let i = 0; i < CA_CACHE_ENTRIES; i++) {
      c.get(Uint8Array.of(1, 2), decode); // keeps [1,2] the most recently used
      c.get(Uint8Array.of(9, i), decode);
    }
    expect(c.size).toBe(CA_CACHE_ENTRIES);
    expect(c.get(Uint8Array.of(1, 2), decode)).toBe(a);
    const before = calls;
    c.get(Uint8Array.of(1, 3), decode); // evicted: decoded again
    expect(calls).toBe(before + 1);
  });

  it('does not keep a failed decoding', () => {
    const c = new CaCertificateCache<number>();
    expect(() => c.get(Uint8Array.of(7), () => { throw new Error('bad'); })).toThrow('bad');
    expect(c.size).toBe(0);
    expect(c.get(Uint8Array.of(7), () => 5)).toBe(5);
  });
});
