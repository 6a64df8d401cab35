// The reference evaluator (src/mpc/evaluate.ts) on QuorumVM's test programs: sample (x + 7)²,
// mux, multi-output, const values reduced mod p (negative and huge), and a missing input.
import { describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import { P } from '../../src/field/constants.js';
import { compileDsl } from '../../src/mpc/dsl/compile.js';
import { evaluatePlain } from '../../src/mpc/evaluate.js';

const SAMPLE = compileDsl('input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y');

describe('evaluatePlain', () => {
  it('sample: f(3) = 100, f(10) = 289, f(0) = 49', () => {
    expect(evaluatePlain(SAMPLE, { x: 3n })).toEqual(new Map([['y', 100n]]));
    expect(evaluatePlain(SAMPLE, { x: 10n }).get('y')).toBe(289n);
    expect(evaluatePlain(SAMPLE, { x: 0n }).get('y')).toBe(49n);
  });

  it('reduces inputs mod p: f(-7) = f(p - 7) = 0, f(p + 3) = 100', () => {
    expect(evaluatePlain(SAMPLE, { x: -7n }).get('y')).toBe(0n);
    expect(evaluatePlain(SAMPLE, { x: P - 7n }).get('y')).toBe(0n);
    expect(evaluatePlain(SAMPLE, { x: P + 3n }).get('y')).toBe(100n);
  });

  it('mux(s, a, b) = s·a + (1 − s)·b', () => {
    const ir = compileDsl('input s\ninput a\ninput b\nmux m = s a b\noutput m');
    expect(evaluatePlain(ir, { s: 1n, a: 11n, b: 22n }).get('m')).toBe(11n);
    expect(evaluatePlain(ir, { s: 0n, a: 11n, b: 22n }).get('m')).toBe(22n);
    expect(evaluatePlain(ir, { s: 2n, a: 11n, b: 22n }).get('m')).toBe(0n); // 22 − 22
  });

  it('multi-output in declaration order', () => {
    const ir = compileDsl('input x\nconst c = 5\nadd a = x c\nmul b = x c\noutput b a');
    expect([...evaluatePlain(ir, { x: 4n })]).toEqual([['b', 20n], ['a', 9n]]);
  });

  it('negative and huge const values, sub and neg wrap mod p', () => {
    const ir = compileDsl(`input x\nconst m = -1\nconst h = ${(P * 5n + 2n).toString()}\nmul a = x m\nadd b = a h\nneg n = x\nsub s = n h\noutput a b n s`);
    expect(Object.fromEntries(evaluatePlain(ir, { x: 3n }))).toEqual({ a: P - 3n, b: P - 1n, n: P - 3n, s: P - 5n });
  });

  it('secret parameters are supplied like inputs', () => {
    const ir = compileDsl('secret w\ninput x\nmul y = w x\noutput y');
    expect(evaluatePlain(ir, { w: 6n, x: 7n }).get('y')).toBe(42n);
  });

  it('a missing input or secret is ERR_INVALID_ARGUMENT naming the node, not its value', () => {
    for (const [inputs, name] of [[{}, 'x'], [{ x: 1n }, 'w']] as const) {
      const ir = compileDsl('input x\nsecret w\nadd y = x w\noutput y');
      let err: unknown;
      try {
        evaluatePlain(ir, inputs as Record<string, bigint>);
      } catch (e) {
        err = e;
      }
      expect(isQuorumkitError(err, 'ERR_INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toContain(`"${name}"`);
    }
    expect(() => evaluatePlain(SAMPLE, { x: 3 as unknown as bigint })).toThrow(/missing input value for "x"/);
    expect(() => evaluatePlain(SAMPLE, Object.create({ x: 3n }) as Record<string, bigint>)).toThrow(/missing/);
  });
});
