// The triple dealer: any k custodians' shares reconstruct a, b and c with c = a·b, element by element
// (checkTripleShares); a and b differ between triples; the layout is per custodian x = 1..n, or at
// explicit abscissas (a rotated custodian set such as x = 1, 2, 4).
import { describe, expect, it } from 'vitest';
import { batch, reconstructMany, unpackElements } from '../../../src/field/index.js';
import { dealTriples, type TripleShares } from '../../../src/mpc/engine/index.js';

/** Law: for the k custodians given, reconstruct(c) = reconstruct(a)·reconstruct(b) for every triple. */
function checkTripleShares(shares: readonly TripleShares[]): boolean {
  const open = (key: 'a' | 'b' | 'c'): Uint8Array => reconstructMany(shares.map((s) => ({ x: s.x, y: s[key] })));
  const [a, b, c] = [open('a'), open('b'), open('c')];
  return unpackElements(batch.mul(a, b)).every((v, i) => v === unpackElements(c)[i]);
}

describe('dealTriples', () => {
  it('shares of c = a·b for every k-subset, 2-of-3 and 3-of-5', () => {
    const dealt = dealTriples(50, { k: 2, n: 3 });
    expect(dealt.map((d) => d.x)).toEqual([1n, 2n, 3n]);
    for (const d of dealt) for (const key of ['a', 'b', 'c'] as const) expect(d[key].length).toBe(50 * 16);
    expect(checkTripleShares([dealt[0]!, dealt[1]!])).toBe(true);
    expect(checkTripleShares([dealt[2]!, dealt[0]!])).toBe(true);
    const five = dealTriples(20, { k: 3, n: 5 });
    expect(checkTripleShares([five[4]!, five[1]!, five[2]!])).toBe(true);
    expect(checkTripleShares(five)).toBe(true);
  });

  it('triples are fresh: no two a values repeat', () => {
    const [d] = dealTriples(1000, { k: 1, n: 1 });
    expect(new Set(unpackElements(d!.a)).size).toBe(1000);
  });

  it('count 0 gives empty vectors; bad counts and thresholds are refused', () => {
    expect(dealTriples(0, { k: 2, n: 3 })[0]!.a.length).toBe(0);
    expect(() => dealTriples(-1, { k: 2, n: 3 })).toThrow(RangeError);
    expect(() => dealTriples(1.5, { k: 2, n: 3 })).toThrow(TypeError);
    expect(() => dealTriples(1, { k: 4, n: 3 })).toThrow(RangeError);
  });

  it('deals at explicit abscissas (after a rotation): x = 1, 2, 4 in the given order, any k reconstruct', () => {
    const dealt = dealTriples(30, { k: 2, n: 3, xs: [4n, 1n, 2n] });
    expect(dealt.map((d) => d.x)).toEqual([4n, 1n, 2n]);
    expect(checkTripleShares([dealt[0]!, dealt[1]!])).toBe(true);
    expect(checkTripleShares([dealt[0]!, dealt[2]!])).toBe(true);
    expect(checkTripleShares(dealt)).toBe(true);
    expect(() => dealTriples(1, { k: 2, n: 3, xs: [1n, 1n, 2n] })).toThrow(RangeError);
    expect(() => dealTriples(1, { k: 3, n: 3, xs: [1n, 2n] })).toThrow(RangeError);
    expect(() => dealTriples(1, { k: 2, n: 3, xs: [0n, 2n] })).toThrow(RangeError);
  });
});
