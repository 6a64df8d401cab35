// QuorumVM seed vectors (seeds/quorumvm/vectors.json, see the vectors README): the field constant,
// field op results, fixed-polynomial Shamir shares and reconstruction, and a Beaver multiplication
// round (ε = x − a, δ = y − b opened; z_i = c_i + ε·b_i + δ·a_i + ε·δ) reproduce exactly on the WASM
// API and on the BigInt reference.
import { expect, it } from 'vitest';
import * as field from '../../src/field/index.js';
import { P } from '../../src/field/constants.js';
import { referenceField } from '../../src/field/reference.js';
import type { FieldApi, Share } from '../../src/field/types.js';
import { describeVectors, readVectorJson } from '../_vectors.js';

type Pair = [number | string, number | string];
interface Vectors {
  PRIME: string;
  field: Record<string, string>;
  shamir_vectors: { secret: string; coeffs: string[]; k: number; shares: Pair[]; reconstruct_first_k: string }[];
  beaver_vector: {
    x: number; y: number; a: number; b: number; c: number;
    x_shares: Pair[]; y_shares: Pair[]; a_shares: Pair[]; b_shares: Pair[]; c_shares: Pair[];
    round1_eps_delta: [string, string][]; epsilon: string; delta: string; z_shares_with_correction: string[]; reconstructed: string;
  };
}

const toShares = (pairs: Pair[]): Share[] => pairs.map(([x, y]) => ({ x: BigInt(x), y: BigInt(y) }));

describeVectors('QuorumVM field, Shamir and Beaver vectors', () => {
  const v = readVectorJson<Vectors>('seeds/quorumvm/vectors.json');
  const apis: [string, FieldApi][] = [['wasm', field.fieldApi()], ['reference', referenceField]];

  it('PRIME is 2^127 − 1', () => expect(BigInt(v.PRIME)).toBe(P));

  for (const [name, f] of apis) {
    it(`${name}: field, Shamir and Beaver vectors reproduce`, () => {
      let count = 0;
      const fv = v.field;
      expect(Object.keys(fv).length).toBeGreaterThan(0);
      expect(f.fp.inv(12345n)).toBe(BigInt(fv['inv_12345']!));
      expect(f.fp.neg(42n)).toBe(BigInt(fv['neg_42']!));
      expect(f.fp.sub(0n, 1n)).toBe(BigInt(fv['sub_0_1']!));
      expect(f.fp.mul(P - 1n, 2n)).toBe(BigInt(fv['mul_pm1_2']!));
      count += 4;

      expect(v.shamir_vectors.length).toBeGreaterThan(0);
      for (const sv of v.shamir_vectors) {
        const poly = field.packElements([BigInt(sv.secret), ...sv.coeffs.map(BigInt)]);
        const xs = field.packElements(sv.shares.map(([x]) => BigInt(x)));
        expect(field.unpackElements(f.batch.evalPoints(poly, xs))).toEqual(sv.shares.map(([, y]) => BigInt(y)));
        // the same shares through split with an rng that yields the fixed coefficients
        const coeffBytes = field.packElements(sv.coeffs.map(BigInt));
        const shares = f.split(BigInt(sv.secret), { k: sv.k, n: sv.shares.length, rng: (b) => b.set(coeffBytes.subarray(0, b.length)) });
        expect(shares).toEqual(toShares(sv.shares));
        expect(f.reconstruct(toShares(sv.shares), { k: sv.k })).toBe(BigInt(sv.reconstruct_first_k));
        count += 3;
      }

      const bv = v.beaver_vector;
      const [xs, ys, as, bs, cs] = [bv.x_shares, bv.y_shares, bv.a_shares, bv.b_shares, bv.c_shares].map(toShares) as [Share[], Share[], Share[], Share[], Share[]];
      expect(f.reconstruct(xs)).toBe(BigInt(bv.x));
      expect(f.reconstruct(ys)).toBe(BigInt(bv.y));
      expect(f.fp.mul(f.reconstruct(as), f.reconstruct(bs))).toBe(f.reconstruct(cs));
      expect(f.reconstruct(cs)).toBe(BigInt(bv.c));
      const epsShares = xs.map((s, i) => ({ x: s.x, y: f.fp.sub(s.y, as[i]!.y) }));
      const deltaShares = ys.map((s, i) => ({ x: s.x, y: f.fp.sub(s.y, bs[i]!.y) }));
      expect(epsShares.map((s, i) => [s.y, deltaShares[i]!.y])).toEqual(bv.round1_eps_delta.map(([e, d]) => [BigInt(e), BigInt(d)]));
      const eps = f.reconstruct(epsShares);
      const delta = f.reconstruct(deltaShares);
      expect(eps).toBe(BigInt(bv.epsilon));
      expect(delta).toBe(BigInt(bv.delta));
      const ed = f.fp.mul(eps, delta);
      const z = cs.map((c, i) => f.fp.add(f.fp.add(f.fp.add(c.y, f.fp.mul(eps, bs[i]!.y)), f.fp.mul(delta, as[i]!.y)), ed));
      expect(z).toEqual(bv.z_shares_with_correction.map(BigInt));
      // the batch API computes the same z shares in three kernel calls
      const packed = (s: Share[]): Uint8Array => field.packElements(s.map((e) => e.y));
      const zBatch = f.batch.add(f.batch.add(f.batch.scale(packed(bs), eps), f.batch.scale(packed(as), delta)), f.batch.add(packed(cs), field.packElements(cs.map(() => ed))));
      expect(field.unpackElements(zBatch)).toEqual(z);
      const zs = z.map((y, i) => ({ x: cs[i]!.x, y }));
      expect(f.reconstruct(zs)).toBe(BigInt(bv.reconstructed));
      expect(BigInt(bv.reconstructed)).toBe(BigInt(bv.x * bv.y));
      count += 11;
      console.log(`[vectors] QuorumVM field/Shamir/Beaver (${name}): ${count} checks (${Object.keys(fv).length} field, ${v.shamir_vectors.length} Shamir, 1 Beaver) reproduced`);
    });
  }
});
