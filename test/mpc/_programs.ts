// Shared test material for src/mpc: the QuorumVM vector programs (read from the vectors folder,
// never copied here), a fast-check arbitrary of random well-formed IRs, and random parameter values.
import fc from 'fast-check';
import { parseStrict } from '../../src/core/parse-strict.js';
import { P } from '../../src/field/constants.js';
import type { Ir, IrNode, OpType } from '../../src/mpc/ir.js';
import { NODE_ARITY } from '../../src/mpc/ir.js';
import { readVectorText } from '../_vectors.js';

/** One program of seeds/quorumvm/vectors.json (`programs`). */
export interface ProgramVector {
  readonly source: string;
  readonly ir: unknown;
  readonly optimized_ir: unknown;
  readonly packages: Record<string, unknown>;
}

/** The vector programs by name (call inside describeVectors); fails when there are none. */
export function vectorPrograms(): [string, ProgramVector][] {
  const all = parseStrict(readVectorText('seeds/quorumvm/vectors.json'), { bigints: true }) as { programs?: Record<string, ProgramVector> };
  const out = Object.entries(all.programs ?? {});
  if (out.length === 0) throw new Error('no programs in seeds/quorumvm/vectors.json');
  return out;
}

const OPS: readonly OpType[] = ['add', 'sub', 'mul', 'neg', 'mux'];
const constValue = fc.oneof(fc.constantFrom(0n, 1n, 2n, -1n, P - 1n, P, P + 1n), fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }));

/**
 * Random IRs: 1–4 inputs, 0–2 secrets, then up to 30 const and op nodes reading earlier nodes
 * (operands drawn from a few choices so that common subexpressions and dead nodes are frequent),
 * and 1–3 distinct outputs.
 */
export const randomIr: fc.Arbitrary<Ir> = fc
  .record({
    inputs: fc.integer({ min: 1, max: 4 }),
    secrets: fc.integer({ min: 0, max: 2 }),
    steps: fc.array(fc.tuple(fc.constantFrom<OpType | 'const'>('const', ...OPS, 'add', 'mul'), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), constValue), { maxLength: 30 }),
    outs: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  })
  .map(({ inputs, secrets, steps, outs }) => {
    const nodes: IrNode[] = [];
    for (let i = 0; i < inputs; i++) nodes.push({ id: `x${i}`, type: 'input', inputs: [] });
    for (let i = 0; i < secrets; i++) nodes.push({ id: `s${i}`, type: 'secret', inputs: [] });
    steps.forEach(([type, picks, value], i) => {
      const id = `n${i}`;
      if (type === 'const') nodes.push({ id, type, inputs: [], value });
      else nodes.push({ id, type, op: type, inputs: picks.slice(0, NODE_ARITY[type]).map((p) => nodes[nodes.length - 1 - (p % Math.min(nodes.length, 4))]!.id) });
    });
    const outputNodeIds = [...new Set(outs.map((o) => nodes[nodes.length - 1 - (o % nodes.length)]!.id))];
    return { nodes, outputNodeIds };
  });

/** Random values for every input and secret node of `ir`, from a seed list. */
export function parameterValues(ir: Ir, values: readonly bigint[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  ir.nodes.filter((n) => n.type === 'input' || n.type === 'secret').forEach((n, i) => { out[n.id] = values[i % values.length] ?? 0n; });
  return out;
}

/** fast-check values for {@link parameterValues}. */
export const fieldValues = fc.array(fc.bigInt({ min: 0n, max: P - 1n }), { minLength: 6, maxLength: 6 });
