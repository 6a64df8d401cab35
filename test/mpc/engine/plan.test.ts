// Circuit planning: public wires folded, products with a public wire local, a product of two shared
// wires one Beaver multiplication, mux lowered to at most one, multiplications grouped by depth into
// opening layers, dead code dropped, registers reused, and malformed programs refused.
import { describe, expect, it } from 'vitest';
import { P } from '../../../src/field/constants.js';
import type { Ir, IrNode } from '../../../src/mpc/ir.js';
import { MAX_IR_NODES } from '../../../src/mpc/ir.js';
import { MpcIrInvalidError } from '../../../src/mpc/engine/errors.js';
import { planCircuit } from '../../../src/mpc/engine/plan.js';

function node(id: string, type: IrNode['type'], inputs: string[] = [], value?: bigint): IrNode {
  return { id, type, inputs, ...(value === undefined ? {} : { value }) };
}
const ir = (nodes: IrNode[], ...outputNodeIds: string[]): Ir => ({ nodes, outputNodeIds });
const xyzw = [node('x', 'input'), node('y', 'input'), node('z', 'input'), node('w', 'input')];

describe('planCircuit', () => {
  it('(x + 7)²: one triple, one layer; ids listed', () => {
    const plan = planCircuit(ir([node('x', 'input'), node('c', 'const', [], 7n), node('s', 'add', ['x', 'c']), node('y', 'mul', ['s', 's'])], 'y'));
    expect(plan.triplesPerEval).toBe(1);
    expect(plan.layers).toEqual([{ offset: 0, size: 1, nodeIds: ['y'] }]);
    expect(plan.inputIds).toEqual(['x']);
    expect(plan.secretIds).toEqual([]);
    expect(plan.outputIds).toEqual(['y']);
    expect(plan.outputsPublic).toEqual([false]);
    expect(Object.isFrozen(plan)).toBe(true);
  });

  it('a layer is 1 + the deepest layer of its operands: ((x·y)·z)·w has 3, (x·y)·(z·w) has 2', () => {
    const chain = planCircuit(ir([...xyzw, node('a', 'mul', ['x', 'y']), node('b', 'mul', ['a', 'z']), node('c', 'mul', ['b', 'w'])], 'c'));
    expect(chain.layers.map((l) => l.size)).toEqual([1, 1, 1]);
    const tree = planCircuit(ir([...xyzw, node('a', 'mul', ['x', 'y']), node('b', 'mul', ['z', 'w']), node('c', 'mul', ['a', 'b'])], 'c'));
    expect(tree.layers).toEqual([{ offset: 0, size: 2, nodeIds: ['a', 'b'] }, { offset: 2, size: 1, nodeIds: ['c'] }]);
  });

  it('linear ops and products with public wires need no triple; public-only programs are public', () => {
    const plan = planCircuit(ir([
      node('x', 'input'), node('c', 'const', [], 3n), node('d', 'const', [], P - 1n), node('cd', 'mul', ['c', 'd']),
      node('a', 'mul', ['x', 'cd']), node('b', 'sub', ['c', 'a']), node('n', 'neg', ['b']), node('e', 'add', ['n', 'x']),
    ], 'e', 'cd'));
    expect(plan.triplesPerEval).toBe(0);
    expect(plan.layers).toEqual([]);
    expect(plan.outputsPublic).toEqual([false, true]);
    expect(plan.allOutputsPublic).toBe(false);
    expect(planCircuit(ir([node('c', 'const', [], 3n), node('n', 'neg', ['c'])], 'n')).allOutputsPublic).toBe(true);
  });

  it('mux: public selector → local; shared selector with public a − b → local; else one multiplication', () => {
    const base = [node('s', 'input'), node('a', 'input'), node('b', 'input'), node('one', 'const', [], 1n), node('k', 'const', [], 9n)];
    expect(planCircuit(ir([...base, node('m', 'mux', ['one', 'a', 'b'])], 'm')).triplesPerEval).toBe(0);
    expect(planCircuit(ir([...base, node('m', 'mux', ['s', 'one', 'k'])], 'm')).triplesPerEval).toBe(0);
    expect(planCircuit(ir([...base, node('m', 'mux', ['s', 'a', 'k'])], 'm')).triplesPerEval).toBe(1);
    expect(planCircuit(ir([...base, node('m', 'mux', ['s', 'a', 'b'])], 'm')).layers).toEqual([{ offset: 0, size: 1, nodeIds: ['m'] }]);
  });

  it('secrets are shared wires: w·x is a Beaver multiplication', () => {
    const plan = planCircuit(ir([node('x', 'input'), node('w', 'secret'), node('y', 'mul', ['w', 'x'])], 'y'));
    expect(plan.secretIds).toEqual(['w']);
    expect(plan.triplesPerEval).toBe(1);
  });

  it('drops dead nodes: an unused product costs no triple (its inputs stay listed)', () => {
    const plan = planCircuit(ir([node('x', 'input'), node('y', 'input'), node('dead', 'mul', ['x', 'y']), node('o', 'add', ['x', 'x'])], 'o'));
    expect(plan.triplesPerEval).toBe(0);
    expect(plan.inputIds).toEqual(['x', 'y']);
  });

  it('reuses registers: a chain of 1000 additions needs two', () => {
    const nodes = [node('x', 'input'), node('v0', 'add', ['x', 'x'])];
    for (let i = 1; i < 1000; i++) nodes.push(node(`v${i}`, 'add', [`v${i - 1}`, 'x']));
    expect(planCircuit(ir(nodes, 'v999')).registers).toBe(2);
  });

  it('refuses malformed programs', () => {
    const x = node('x', 'input');
    expect(() => planCircuit(ir([x, node('y', 'add', ['x', 'z'])], 'y'))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([x, x], 'x'))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([x, node('y', 'neg', ['x', 'x'])], 'y'))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([x, { id: 'y', type: 'div', inputs: ['x'] } as unknown as IrNode], 'y'))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([x, { id: 'y', type: 'neg', op: 'add', inputs: ['x'] } as unknown as IrNode], 'y'))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([x], 'nope'))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([x]))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit(ir([node('c', 'const')], 'c'))).toThrow(TypeError);
    expect(() => planCircuit(ir([node('', 'input')], ''))).toThrow(MpcIrInvalidError);
    expect(() => planCircuit({ nodes: 'x', outputNodeIds: [] } as unknown as Ir)).toThrow(TypeError);
    const big = Array.from({ length: MAX_IR_NODES + 1 }, (_, i) => node(`n${i}`, 'input'));
    expect(() => planCircuit(ir(big, 'n0'))).toThrow(MpcIrInvalidError);
  });
});
