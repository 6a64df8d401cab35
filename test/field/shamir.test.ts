// Shamir sharing laws on the default (WASM) API and the reference: reconstruct(split(s)) = s for
// every k-subset of shares for k ≤ n ≤ 10; batch and byte-secret round trips; resharing by
// interpolation; fewer than k shares do not determine the secret.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as field from '../../src/field/index.js';
import { P } from '../../src/field/constants.js';
import { referenceField } from '../../src/field/reference.js';
import type { FieldApi } from '../../src/field/types.js';
import { element } from './_arb.js';

function* subsets<T>(items: readonly T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) { yield acc.slice(); return; }
  for (let i = start; i < items.length; i++) { acc.push(items[i]!); yield* subsets(items, k, i + 1, acc); acc.pop(); }
}

const APIS: [string, FieldApi][] = [['wasm', field.fieldApi()], ['reference', referenceField]];

for (const [name, f] of APIS) {
  describe(`Shamir (${name})`, () => {
    it('uses the expected backend', () => expect(f.backend).toBe(name));

    it('reconstruct(split(s)) = s for every k-subset, k ≤ n ≤ 10', () => {
      let checked = 0;
      for (let n = 1; n <= 10; n++) {
        for (let k = 1; k <= n; k++) {
          const s = (BigInt(n * 1000 + k) * 0x1234567890abcdefn) % P;
          const shares = f.split(s, { k, n });
          expect(shares.map((x) => x.x)).toEqual(Array.from({ length: n }, (_, i) => BigInt(i + 1)));
          for (const sub of subsets(shares, k)) {
            expect(f.reconstruct(sub)).toBe(s);
            checked++;
          }
          // more than k shares are consistent too
          expect(f.reconstruct(shares)).toBe(s);
        }
      }
      expect(checked).toBe(2036); // Σ_{n≤10} Σ_{k≤n} C(n, k) = Σ_{n≤10} (2^n − 1)
    });

    it('random secrets round-trip with a random subset (property)', () => {
      fc.assert(
        fc.property(element, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 5 }), fc.integer(), (s, k, extra, seed) => {
          const n = k + extra;
          const shares = f.split(s, { k, n });
          const order = shares.map((sh, i) => ({ sh, r: (i * 2654435761 + seed) >>> 0 })).sort((a, b) => a.r - b.r).map((e) => e.sh);
          expect(f.reconstruct(order.slice(0, k))).toBe(s);
          expect(f.reconstruct(order, { k })).toBe(s);
        }),
        { numRuns: 300 },
      );
    });

    it('k − 1 shares are consistent with every secret (they reveal nothing alone)', () => {
      const [s1, s2] = f.split(5n, { k: 3, n: 5 });
      for (const candidate of [0n, 1n, 5n, P - 1n, 123456789n]) {
        // g of degree ≤ 2 through (0, candidate), s1, s2 has g(3) = candidate − 3·y1 + 3·y2 (Lagrange at 3)
        const y3 = (((candidate - 3n * s1!.y + 3n * s2!.y) % P) + P) % P;
        expect(f.reconstruct([s1!, s2!, { x: 3n, y: y3 }])).toBe(candidate);
      }
    });

    it('interpolateAt gives new shares on the same polynomial (resharing)', () => {
      const s = 777n;
      const shares = f.split(s, { k: 3, n: 5 });
      const y7 = f.interpolateAt(shares.slice(0, 3), 7n);
      expect(f.reconstruct([shares[3]!, { x: 7n, y: y7 }, shares[4]!])).toBe(s);
      expect(f.interpolateAt(shares.slice(1, 4), 0n)).toBe(s);
    });

    it('splitMany / reconstructMany round-trip a batch (every 3-subset of 5)', () => {
      const secrets = Array.from({ length: 257 }, (_, i) => (BigInt(i) * 0xdeadbeefcafebaben + BigInt(i === 3) * (P - 1n)) % P);
      const vectors = f.splitMany(field.packElements(secrets), { k: 3, n: 5 });
      expect(vectors).toHaveLength(5);
      for (const sub of subsets(vectors, 3)) expect(field.unpackElements(f.reconstructMany(sub))).toEqual(secrets);
      expect(field.unpackElements(f.reconstructMany(vectors, { k: 3 }))).toEqual(secrets);
    });

    it('splitBytes / combineBytes round-trip secrets of every length 0..70', () => {
      for (let len = 0; len <= 70; len++) {
        const secret = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff);
        const shares = f.splitBytes(secret, { k: 3, n: 5 });
        expect(f.combineBytes([shares[4]!, shares[0]!, shares[2]!])).toEqual(secret);
      }
    });

    it('lagrangeCoefficients(1..k) sum to 1 (they interpolate the constant 1)', () => {
      for (let k = 1; k <= 12; k++) {
        const l = f.lagrangeCoefficients(Array.from({ length: k }, (_, i) => BigInt(i + 1)));
        expect(l.reduce((a, b) => (a + b) % P, 0n)).toBe(1n);
      }
    });
  });
}
