// In-process simulation of a batch evaluation: N custodians as ShareExecution objects, a coordinator
// loop that opens each layer with openShares over every custodian, inputs shared with splitMany,
// secrets with split and triples from dealTriples. Also small IR builders for tests.
import { expect } from 'vitest';
import { packElements, reconstructMany, split, splitMany, unpackElements } from '../../../src/field/index.js';
import type { Ir, IrNode, NodeType } from '../../../src/mpc/ir.js';
import {
  dealTriples, openShares, planCircuit, ShareExecution, type CircuitPlan, type OpenResult, type Step,
} from '../../../src/mpc/engine/index.js';

/** A node; `op` is filled in for operation types. */
export function node(id: string, type: NodeType, inputs: string[] = [], value?: bigint): IrNode {
  const op = type === 'input' || type === 'secret' || type === 'const' ? undefined : type;
  return { id, type, inputs, ...(op === undefined ? {} : { op }), ...(value === undefined ? {} : { value }) };
}

/** (x + 7)². */
export const SQUARE_IR: Ir = {
  nodes: [node('x', 'input'), node('c', 'const', [], 7n), node('s', 'add', ['x', 'c']), node('y', 'mul', ['s', 's'])],
  outputNodeIds: ['y'],
};

/** A 3-weight scoring model with secret weights: w1·x1 + w2·x2 + w3·x3 + bias. */
export const SCORE_IR: Ir = {
  nodes: [
    node('x1', 'input'), node('x2', 'input'), node('x3', 'input'),
    node('w1', 'secret'), node('w2', 'secret'), node('w3', 'secret'), node('bias', 'const', [], 5n),
    node('t1', 'mul', ['w1', 'x1']), node('t2', 'mul', ['w2', 'x2']), node('t3', 'mul', ['w3', 'x3']),
    node('s1', 'add', ['t1', 't2']), node('s2', 'add', ['s1', 't3']), node('score', 'add', ['s2', 'bias']),
  ],
  outputNodeIds: ['score'],
};

export interface SimOptions {
  readonly k: number;
  readonly n: number;
  /** Per input id, the B values. */
  readonly inputs: Readonly<Record<string, readonly bigint[]>>;
  readonly secrets?: Readonly<Record<string, bigint>>;
  /** Changes a custodian's open step before the coordinator sees it (index = custodian − 1). */
  readonly tamper?: (custodian: number, step: Step & { kind: 'open' }) => void;
}

export interface SimResult {
  readonly plan: CircuitPlan;
  /** Per output, per batch entry, reconstructed from all n custodians (checked). */
  readonly outputs: bigint[][];
  /** The first failed opening, when one failed (then `outputs` is empty). */
  readonly failure?: OpenResult & { ok: false };
}

/** Runs `ir` on a batch across n in-process custodians, K-of-N. */
export function simulate(ir: Ir, o: SimOptions): SimResult {
  const plan = planCircuit(ir);
  const B = Object.values(o.inputs)[0]?.length ?? 1;
  const kn = { k: o.k, n: o.n };
  const inputShares = new Map(plan.inputIds.map((id) => [id, splitMany(packElements([...o.inputs[id]!]), kn)]));
  const secretShares = new Map(plan.secretIds.map((id) => [id, split(o.secrets![id]!, kn)]));
  const triples = dealTriples(plan.triplesPerEval * B, kn);
  const exs = triples.map((t, i) => new ShareExecution(plan, {
    batch: B,
    x: t.x,
    inputs: new Map(plan.inputIds.map((id) => [id, inputShares.get(id)![i]!.y])),
    secrets: new Map(plan.secretIds.map((id) => [id, secretShares.get(id)![i]!.y])),
    triples: t,
  }));
  let steps = exs.map((e) => e.start());
  while (steps[0]!.kind === 'open') {
    const open = steps as (Step & { kind: 'open' })[];
    open.forEach((s, i) => o.tamper?.(i, s));
    const eps = openShares(open.map((s) => ({ x: s.x, y: s.epsilonShares })), o.k);
    const del = openShares(open.map((s) => ({ x: s.x, y: s.deltaShares })), o.k);
    if (!eps.ok || !del.ok) {
      exs.forEach((e) => e.dispose());
      return { plan, outputs: [], failure: (!eps.ok ? eps : del) as OpenResult & { ok: false } };
    }
    steps = exs.map((e) => e.resume(eps.values, del.values));
  }
  for (const s of steps) expect(s.kind).toBe('done');
  const done = steps as (Step & { kind: 'done' })[];
  const outputs = plan.outputIds.map((_, j) => {
    const opened = openShares(done.map((s, i) => ({ x: exs[i]!.x, y: s.outputs[j]! })), o.k);
    if (!opened.ok) throw new Error('output shares are inconsistent');
    expect(reconstructMany(done.slice(-o.k).map((s, i) => ({ x: exs[exs.length - o.k + i]!.x, y: s.outputs[j]! })))).toEqual(opened.values);
    return unpackElements(opened.values);
  });
  return { plan, outputs };
}
