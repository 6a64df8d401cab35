// Proactive resharing and rotation on packed vectors: after every custodian adds the shares of zero it
// received, any k new shares reconstruct the same secrets; one old and one new share (k = 2) do not;
// k custodians' Lagrange terms give a new custodian (x = 4) a share that works with the others.
import { describe, expect, it } from 'vitest';
import { P } from '../../../src/field/constants.js';
import { batch, packElements, randomElements, reconstructMany, splitMany, unpackElements } from '../../../src/field/index.js';
import { applySubShares, lagrangePartial, zeroSubShares } from '../../../src/mpc/engine/index.js';

const SECRETS = [0n, 1n, 42n, P - 1n, 123456789123456789n];

/** Every custodian of `xs` deals shares of zero to all; each adds what it received. */
function reshare(shares: { x: bigint; y: Uint8Array }[], k: number): { x: bigint; y: Uint8Array }[] {
  const xs = shares.map((s) => s.x);
  const dealt = shares.map(() => zeroSubShares(SECRETS.length, k, xs));
  return shares.map((s) => ({ x: s.x, y: applySubShares(s.y, dealt.map((d) => d.get(s.x)!)) }));
}

describe('resharing', () => {
  it('shares of zero: constant term 0, degree k − 1', () => {
    const z = zeroSubShares(SECRETS.length, 3, [1n, 2n, 3n, 9n]);
    expect([...z.keys()]).toEqual([1n, 2n, 3n, 9n]);
    expect(unpackElements(reconstructMany([1n, 2n, 3n].map((x) => ({ x, y: z.get(x)! }))))).toEqual(SECRETS.map(() => 0n));
    expect(unpackElements(reconstructMany([9n, 3n, 1n].map((x) => ({ x, y: z.get(x)! }))))).toEqual(SECRETS.map(() => 0n));
    expect(unpackElements(z.get(1n)!).some((v) => v !== 0n)).toBe(true);
  });

  it('after resharing any k new shares reconstruct the secrets; old and new mixed do not (k = 2)', () => {
    const old = splitMany(packElements(SECRETS), { k: 2, n: 3 });
    const fresh = reshare(old, 2);
    for (const pair of [[0, 1], [1, 2], [2, 0]] as const) {
      expect(unpackElements(reconstructMany(pair.map((i) => fresh[i]!)))).toEqual(SECRETS);
    }
    expect(fresh[0]!.y).not.toEqual(old[0]!.y);
    const mixed = unpackElements(reconstructMany([old[0]!, fresh[1]!]));
    mixed.forEach((v, i) => expect(v).not.toBe(SECRETS[i]));
  });

  it('3-of-5 resharing keeps the secrets for any 3', () => {
    const fresh = reshare(splitMany(packElements(SECRETS), { k: 3, n: 5 }), 3);
    expect(unpackElements(reconstructMany([fresh[4]!, fresh[0]!, fresh[2]!]))).toEqual(SECRETS);
  });

  it('rotation: custodians 1 and 2 give a new custodian x = 4 its shares; {4, 3} reconstructs', () => {
    const shares = splitMany(packElements(SECRETS), { k: 2, n: 3 });
    const participants = [1n, 2n];
    const y4 = batch.add(
      lagrangePartial(1n, shares[0]!.y, participants, 4n),
      lagrangePartial(2n, shares[1]!.y, participants, 4n),
    );
    expect(unpackElements(reconstructMany([{ x: 4n, y: y4 }, shares[2]!]))).toEqual(SECRETS);
    // at a participant's own abscissa its term is its share: λ_i(x_i) = 1
    expect(lagrangePartial(2n, shares[1]!.y, participants, 2n)).toEqual(shares[1]!.y);
  });

  it('refuses bad shapes', () => {
    expect(() => zeroSubShares(1, 0, [1n])).toThrow(RangeError);
    expect(() => zeroSubShares(1, 2, [])).toThrow(RangeError);
    expect(() => zeroSubShares(1, 2, [1n, 1n])).toThrow(RangeError);
    expect(() => zeroSubShares(1, 2, [0n])).toThrow(RangeError);
    const y = randomElements(2);
    expect(() => applySubShares(y, [randomElements(3)])).toThrow(RangeError);
    expect(() => applySubShares(y, [new Uint8Array(33)])).toThrow(RangeError);
    expect(() => lagrangePartial(3n, y, [1n, 2n], 4n)).toThrow(RangeError);
    expect(() => lagrangePartial(1n, y, [1n, 2n], 0n)).toThrow(RangeError);
  });
});
