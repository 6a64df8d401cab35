// IR analysis (src/mpc/analysis.ts): output degrees, the extraction bound C(n + d, d), secure
// multiplication count and multiplicative depth, pinned on the QuorumVM vector programs and on
// hand-made programs (public-constant products free, public-selector mux, saturation).
import { describe, expect, it } from 'vitest';
import { compileDsl } from '../../src/mpc/dsl/compile.js';
import { parseIr } from '../../src/mpc/ir-json.js';
import {
  EXTRACTION_BOUND_CAP, countSecureMuls, extractionBound, monomialCount, multiplicativeDepth, outputDegrees,
} from '../../src/mpc/analysis.js';
import { describeVectors } from '../_vectors.js';
import { vectorPrograms } from './_programs.js';

const SCORING3 = `
secret w1
secret w2
secret w3
input x1
input x2
input x3
mul t1 = x1 w1
mul t2 = x2 w2
mul t3 = x3 w3
add s = t1 t2
add score = s t3
output score`;

describeVectors('analysis of the QuorumVM vector programs', () => {
  const expected: Record<string, { degrees: Record<string, number>; muls: number; depth: number }> = {
    sample: { degrees: { y: 2 }, muls: 1, depth: 1 },
    scoring: { degrees: { score: 1 }, muls: 0, depth: 0 },
    dot2: { degrees: { result: 2 }, muls: 2, depth: 1 },
    dot1: { degrees: { result: 2 }, muls: 1, depth: 1 },
    poly2: { degrees: { p: 2 }, muls: 1, depth: 1 },
    mux: { degrees: { m: 2 }, muls: 1, depth: 1 },
    multi: { degrees: { a: 1, b: 1 }, muls: 0, depth: 0 },
  };

  it('pins degrees, secure muls and depth; no secrets, so no extraction bound', () => {
    const programs = vectorPrograms();
    expect(programs.map(([n]) => n).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, p] of programs) {
      const ir = parseIr(p.ir);
      const want = expected[name]!;
      expect(Object.fromEntries(outputDegrees(ir)), name).toEqual(want.degrees);
      expect(countSecureMuls(ir), name).toBe(want.muls);
      expect(multiplicativeDepth(ir), name).toBe(want.depth);
      expect(extractionBound(ir), name).toBeNull();
    }
  });
});

/** Every analysis of the program `src` compiles to, in one object. */
function costs(src: string): { degrees: Record<string, number>; muls: number; depth: number; bound: bigint | null } {
  const ir = compileDsl(src);
  return { degrees: Object.fromEntries(outputDegrees(ir)), muls: countSecureMuls(ir), depth: multiplicativeDepth(ir), bound: extractionBound(ir) };
}

describe('analysis of hand-made programs', () => {
  it('scoring with 3 secret weights and 3 inputs: degree 1, bound C(4, 1) = 4, 3 secure muls at depth 1', () => {
    expect(costs(SCORING3)).toEqual({ degrees: { score: 1 }, muls: 3, depth: 1, bound: 4n });
  });

  it('the bound is the maximum over outputs: C(3 + 2, 2) = 10', () => {
    expect(costs('secret w\ninput x\ninput y\ninput z\nmul a = x w\nmul b = x y\nmul c = b w\noutput a c'))
      .toEqual({ degrees: { a: 1, c: 2 }, muls: 3, depth: 2, bound: 10n });
  });

  it('a product with a public constant is free; a const-only product is degree 0', () => {
    expect(costs('input x\nconst c = 3\nconst d = 4\nmul cd = c d\nmul y = x cd\nneg n = y\nsub z = n cd\noutput z'))
      .toEqual({ degrees: { z: 1 }, muls: 0, depth: 0, bound: null });
  });

  it('a product of two secrets is secure but adds no degree', () => {
    expect(costs('secret a\nsecret b\ninput x\nmul ab = a b\nmul y = ab x\noutput y')).toEqual({ degrees: { y: 1 }, muls: 2, depth: 2, bound: 2n });
  });

  it('mux: deg s + max(deg a, deg b); a public selector or public branches cost no secure mul', () => {
    expect(costs('input a\ninput b\nconst s = 1\nmux m = s a b\noutput m')).toEqual({ degrees: { m: 1 }, muls: 0, depth: 0, bound: null });
    expect(costs('input s\nconst a = 5\nconst b = 9\nmux m = s a b\noutput m')).toEqual({ degrees: { m: 1 }, muls: 0, depth: 0, bound: null });
    expect(costs('input s\ninput a\nmul a2 = a a\nconst b = 9\nmux m = s a2 b\noutput m')).toEqual({ degrees: { m: 3 }, muls: 2, depth: 2, bound: null });
  });

  it('counts every node, dead ones included; depth follows the outputs only', () => {
    const ir = compileDsl('input x\nmul a = x x\nmul b = a a\nmul c = b b\noutput a');
    expect(countSecureMuls(ir)).toBe(3);
    expect(multiplicativeDepth(ir)).toBe(1);
  });

  it('degrees saturate at MAX_SAFE_INTEGER; the bound at 2^128', () => {
    const lines = ['input x', 'secret w', 'mul m0 = x w'];
    for (let i = 1; i <= 80; i++) lines.push(`mul m${i} = m${i - 1} m${i - 1}`);
    const ir = compileDsl([...lines, 'output m80'].join('\n'));
    expect(outputDegrees(ir).get('m80')).toBe(Number.MAX_SAFE_INTEGER);
    expect(extractionBound(ir)).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 1n); // C(1 + d, d) = d + 1
    expect(monomialCount(200, Number.MAX_SAFE_INTEGER)).toBe(EXTRACTION_BOUND_CAP);
    expect(monomialCount(3, 0)).toBe(1n);
    expect(monomialCount(0, 7)).toBe(1n);
    expect(monomialCount(10, 10)).toBe(184756n);
  });
});
