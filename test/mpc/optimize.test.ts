// The optimizer (src/mpc/optimize.ts): CSE and dead-node pruning preserve what a program computes
// (law: evaluatePlain(optimizeIr(ir)) == evaluatePlain(ir) on every input, for the QuorumVM vector
// programs and random programs), never merge or drop input and secret nodes, and fix QuorumVM's
// optimizer, whose CSE merges distinct inputs (its optimized `scoring` computes another function).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDsl } from '../../src/mpc/dsl/compile.js';
import { evaluatePlain } from '../../src/mpc/evaluate.js';
import { parseIr, irToJson } from '../../src/mpc/ir-json.js';
import { eliminateCommonSubexpressions, optimizeIr, pruneDeadNodes } from '../../src/mpc/optimize.js';
import type { Ir } from '../../src/mpc/ir.js';
import { describeVectors } from '../_vectors.js';
import { fieldValues, parameterValues, randomIr, vectorPrograms } from './_programs.js';

const ids = (ir: Ir): string[] => ir.nodes.map((n) => n.id);
const params = (ir: Ir): string[] => ir.nodes.filter((n) => n.type === 'input' || n.type === 'secret').map((n) => n.id);

function expectSameFunction(a: Ir, b: Ir, values: readonly bigint[]): void {
  const inputs = parameterValues(a, values);
  expect(evaluatePlain(b, inputs)).toEqual(evaluatePlain(a, inputs));
}

describe('optimizer: QuorumVM tests/test_compiler.py cases', () => {
  it('CSE merges two identical add nodes', () => {
    const out = eliminateCommonSubexpressions(compileDsl('input x\nconst c = 5\nadd a = x c\nadd b = x c\noutput a'));
    expect(ids(out)).toEqual(['x', 'c', 'a']);
  });

  it('pruning removes nodes no output reaches', () => {
    expect(ids(pruneDeadNodes(compileDsl('input x\nconst c = 3\nadd used = x c\nmul dead = x c\noutput used')))).toEqual(['x', 'c', 'used']);
  });

  it('optimize combines CSE and pruning', () => {
    expect(ids(optimizeIr(compileDsl('input x\nconst c = 3\nadd a = x c\nadd b = x c\nmul dead = x c\noutput a')))).toEqual(['x', 'c', 'a']);
  });

  it('CSE keeps different operations apart', () => {
    expect(ids(eliminateCommonSubexpressions(compileDsl('input x\nconst c = 5\nadd a = x c\nmul b = x c\noutput a\noutput b')))).toEqual(['x', 'c', 'a', 'b']);
  });
});

describe('optimizer: what it merges and keeps', () => {
  it('merges add and mul up to operand order, but not sub; rewrites readers', () => {
    const out = optimizeIr(compileDsl('input x\ninput y\nadd a = x y\nadd b = y x\nsub c = x y\nsub d = y x\nmul e = a b\nmul f = c d\nadd g = e f\noutput g'));
    expect(ids(out)).toEqual(['x', 'y', 'a', 'c', 'd', 'e', 'f', 'g']);
    expect(out.nodes.find((n) => n.id === 'e')!.inputs).toEqual(['a', 'a']);
  });

  it('merges consts of the same value only', () => {
    const out = optimizeIr(compileDsl('input x\nconst a = 2\nconst b = 2\nconst c = 3\nadd s = a b\nadd t = s c\nadd y = t x\noutput y'));
    expect(ids(out)).toEqual(['x', 'a', 'c', 's', 't', 'y']);
    expect(out.nodes.find((n) => n.id === 's')!.inputs).toEqual(['a', 'a']);
  });

  it('never merges or drops input and secret nodes', () => {
    const out = optimizeIr(compileDsl('input a\ninput b\nsecret s\nsecret t\ninput unused\nmul y = a s\noutput y'));
    expect(ids(out)).toEqual(['a', 'b', 's', 't', 'unused', 'y']);
  });

  it('keeps every output id, even one that duplicates another', () => {
    const ir = compileDsl('input x\nadd a = x x\nadd b = x x\noutput a b');
    const out = optimizeIr(ir);
    expect(out.outputNodeIds).toEqual(['a', 'b']);
    expect(evaluatePlain(out, { x: 4n })).toEqual(new Map([['a', 8n], ['b', 8n]]));
  });

  it('is idempotent and its output is a valid IR', () => {
    fc.assert(fc.property(randomIr, (ir) => {
      const once = optimizeIr(ir);
      expect(parseIr(irToJson(once))).toEqual(once);
      expect(optimizeIr(once)).toEqual(once);
    }), { numRuns: 300 });
  });

  it('law: the optimized program computes the same outputs on random programs and inputs', () => {
    fc.assert(fc.property(randomIr, fieldValues, (ir, values) => {
      const out = optimizeIr(ir);
      expectSameFunction(ir, out, values);
      expect(params(out)).toEqual(params(ir));
      expect(out.nodes.length).toBeLessThanOrEqual(ir.nodes.length);
    }), { numRuns: 500 });
  });
});

describeVectors('optimizer on the QuorumVM vector programs', () => {
  const programs = vectorPrograms();

  it('law: every optimized vector program computes the same outputs on random inputs', () => {
    for (const [, p] of programs) {
      const ir = parseIr(p.ir);
      const out = optimizeIr(ir);
      expect(params(out)).toEqual(params(ir));
      fc.assert(fc.property(fieldValues, (values) => expectSameFunction(ir, out, values)), { numRuns: 50 });
    }
    expect(programs.length).toBe(7);
  });

  it("QuorumVM's optimized scoring merges x2 into x1 and computes another function; ours does not", () => {
    const [, scoring] = programs.find(([name]) => name === 'scoring')!;
    const ir = parseIr(scoring.ir);
    const theirs = parseIr(scoring.optimized_ir);
    const inputs = { x1: 2n, x2: 10n };
    expect(params(theirs)).toEqual(['x1']);
    expect(evaluatePlain(ir, inputs).get('score')).toBe(3n * 2n + 5n * 10n + 7n);
    expect(evaluatePlain(theirs, inputs).get('score')).toBe(3n * 2n + 5n * 2n + 7n);
    expect(evaluatePlain(optimizeIr(ir), inputs).get('score')).toBe(63n);
    expect(optimizeIr(ir)).toEqual(ir);
  });
});
