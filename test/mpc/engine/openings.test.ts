// Checked public openings: values from the first k responses; every further response must lie on the
// same degree k − 1 polynomial, else no values (fail closed). A custodian flipping one byte of its ε
// share is caught with N = 3, K = 2 (no culprit: 3 = k + 1 points can't say which is wrong) and named
// with N = 4, K = 2. With exactly K responses nothing can be checked: the opening is then as good as
// those custodians, and a wrong share silently gives a wrong value.
import { describe, expect, it } from 'vitest';
import { P } from '../../../src/field/constants.js';
import { ShamirInvalidError } from '../../../src/field/errors.js';
import { packElements, splitMany, unpackElements } from '../../../src/field/index.js';
import { MpcOpeningInconsistentError, openShares, openSharesOrThrow } from '../../../src/mpc/engine/index.js';
import { simulate, SQUARE_IR } from './_harness.js';

const flipByte = (custodian: number) => (i: number, step: { epsilonShares: Uint8Array }) => {
  if (i === custodian) step.epsilonShares[3]! ^= 0x01;
};
const XS = [1n, 2n, 3n, 4n];

describe('openShares', () => {
  it('reconstructs from k of n consistent responses', () => {
    const shares = splitMany(packElements([5n, P - 1n, 0n]), { k: 3, n: 5 });
    const r = openShares(shares, 3);
    expect(r.ok && unpackElements(r.values)).toEqual([5n, P - 1n, 0n]);
    expect(unpackElements(openSharesOrThrow(shares.slice(1, 4), 3))).toEqual([5n, P - 1n, 0n]);
  });

  it('a byte flipped in one ε share, N = 3, K = 2: inconsistent, no culprit', () => {
    const r = simulate(SQUARE_IR, { k: 2, n: 3, inputs: { x: XS }, tamper: flipByte(1) });
    expect(r.outputs).toEqual([]);
    expect(r.failure).toEqual({ ok: false, reason: 'inconsistent' });
  });

  it('a byte flipped in one ε share, N = 4, K = 2: the culprit is named, whichever custodian it is', () => {
    for (let c = 0; c < 4; c++) {
      const r = simulate(SQUARE_IR, { k: 2, n: 4, inputs: { x: XS }, tamper: flipByte(c) });
      expect(r.failure).toEqual({ ok: false, reason: 'inconsistent', culprit: BigInt(c + 1) });
    }
  });

  it('two wrong custodians of 5 (K = 2): inconsistent, no culprit named', () => {
    const shares = splitMany(packElements([1n, 2n]), { k: 2, n: 5 });
    const bad = shares.map((s, i) => ({ x: s.x, y: i < 2 ? packElements([7n + BigInt(i), 2n]) : s.y }));
    expect(openShares(bad, 2)).toEqual({ ok: false, reason: 'inconsistent' });
  });

  it('exactly K responses are not checked: a wrong share opens a wrong value (documented limit)', () => {
    const shares = splitMany(packElements([42n]), { k: 2, n: 3 });
    const wrong = [shares[0]!, { x: shares[1]!.x, y: packElements([0n]) }];
    const r = openShares(wrong, 2);
    expect(r.ok).toBe(true);
    expect(r.ok && unpackElements(r.values)).not.toEqual([42n]);
  });

  it('fewer than K responses: insufficient; the throwing form raises a typed error with the culprit', () => {
    const shares = splitMany(packElements([42n]), { k: 2, n: 4 });
    expect(openShares(shares.slice(0, 1), 2)).toEqual({ ok: false, reason: 'insufficient' });
    expect(() => openSharesOrThrow(shares.slice(0, 1), 2)).toThrow(MpcOpeningInconsistentError);
    const bad = shares.map((s, i) => (i === 2 ? { x: s.x, y: packElements([1n]) } : s));
    try {
      openSharesOrThrow(bad, 2);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MpcOpeningInconsistentError);
      expect((err as MpcOpeningInconsistentError).details).toEqual({ culprit: '3' });
      expect((err as Error).message).not.toMatch(/\d{5,}/);
    }
  });

  it('refuses bad shapes: k, abscissas, lengths, repeats', () => {
    const [a, b] = splitMany(packElements([1n, 2n]), { k: 2, n: 2 });
    expect(() => openShares([a!, b!], 0)).toThrow(RangeError);
    expect(() => openShares([a!, { x: 0n, y: b!.y }], 2)).toThrow(RangeError);
    expect(() => openShares([a!, { x: b!.x, y: b!.y.subarray(16) }], 2)).toThrow(RangeError);
    expect(() => openShares([a!, { x: b!.x, y: new Uint8Array(31) }], 2)).toThrow(RangeError);
    expect(() => openShares([a!, { x: a!.x, y: b!.y }], 2)).toThrow(ShamirInvalidError);
    expect(() => openShares([a!, { x: 2, y: b!.y } as never], 2)).toThrow(TypeError);
  });
});
