// Share-level batch execution against the reference evaluator: for random programs (add, sub, mul,
// neg, mux, consts incl. 0, p − 1 and out-of-range literals, inputs, secrets, several outputs) over
// 2-of-3, 3-of-5 and 1-of-1, the outputs reconstructed from the custodians equal evaluatePlain for
// every batch entry. Also: mux on a shared selector needs a Beaver multiplication and is right (a
// local s·a on shares is not), public outputs, QuorumVM's Beaver vector, and the state machine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { P } from '../../../src/field/constants.js';
import { packElements, randomElements, reconstruct, split, splitMany, unpackElements } from '../../../src/field/index.js';
import { evaluatePlain } from '../../../src/mpc/evaluate.js';
import type { Ir, IrNode, NodeType } from '../../../src/mpc/ir.js';
import {
  dealTriples, MpcExecutionStateError, openSharesOrThrow, planCircuit, ShareExecution,
} from '../../../src/mpc/engine/index.js';
import { element } from '../../field/_arb.js';
import { describeVectors, readVectorJson } from '../../_vectors.js';
import { node, SCORE_IR, simulate, SQUARE_IR } from './_harness.js';

const OPS = ['add', 'sub', 'mul', 'neg', 'mux'] as const satisfies readonly NodeType[];
const ARITY = { add: 2, sub: 2, mul: 2, neg: 1, mux: 3 } as const;

interface Spec {
  inputs: number;
  secrets: number;
  consts: bigint[];
  ops: { type: (typeof OPS)[number]; refs: number[] }[];
  outs: number[];
}

/** Builds an IR from a spec: references index earlier nodes modulo their count. */
function buildIr(s: Spec): Ir {
  const nodes: IrNode[] = [];
  for (let i = 0; i < s.inputs; i++) nodes.push(node(`in${i}`, 'input'));
  for (let i = 0; i < s.secrets; i++) nodes.push(node(`sec${i}`, 'secret'));
  s.consts.forEach((v, i) => nodes.push(node(`c${i}`, 'const', [], v)));
  s.ops.forEach((op, i) => {
    const inputs = op.refs.slice(0, ARITY[op.type]).map((r) => nodes[r % nodes.length]!.id);
    nodes.push(node(`op${i}`, op.type, inputs));
  });
  const last = nodes[nodes.length - 1]!.id;
  return { nodes, outputNodeIds: [last, ...s.outs.map((r) => nodes[r % nodes.length]!.id)] };
}

const literal = fc.oneof(
  fc.constantFrom(0n, 1n, 7n, P - 1n, P, -1n),
  fc.bigInt({ min: 0n, max: P - 1n }),
  fc.bigInt({ min: -(1n << 140n), max: 1n << 140n }),
);
const spec: fc.Arbitrary<Spec> = fc.record({
  inputs: fc.integer({ min: 1, max: 3 }),
  secrets: fc.integer({ min: 0, max: 2 }),
  consts: fc.array(literal, { maxLength: 3 }),
  ops: fc.array(fc.record({ type: fc.constantFrom(...OPS), refs: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }) }), { minLength: 1, maxLength: 14 }),
  outs: fc.array(fc.nat(), { maxLength: 2 }),
});
const case_ = fc.record({
  spec,
  kn: fc.constantFrom([2, 3], [3, 5], [1, 1]),
  batch: fc.integer({ min: 1, max: 5 }),
}).chain((c) => fc.record({
  c: fc.constant(c),
  values: fc.array(fc.array(element, { minLength: c.batch, maxLength: c.batch }), { minLength: 3, maxLength: 3 }),
  secrets: fc.array(element, { minLength: 2, maxLength: 2 }),
}));

/** Expected outputs per output id and batch entry, by the reference evaluator. */
function expected(ir: Ir, inputs: Record<string, readonly bigint[]>, secrets: Record<string, bigint>, B: number): bigint[][] {
  const per = Array.from({ length: B }, (_, e) =>
    evaluatePlain(ir, { ...secrets, ...Object.fromEntries(Object.entries(inputs).map(([id, v]) => [id, v[e]!])) }));
  return ir.outputNodeIds.map((id) => per.map((m) => m.get(id)!));
}

describe('ShareExecution', () => {
  it('reconstructed outputs equal evaluatePlain for random programs, thresholds and batches', () => {
    let deep = 0;
    fc.assert(fc.property(case_, ({ c, values, secrets }) => {
      const ir = buildIr(c.spec);
      const inputs = Object.fromEntries(Array.from({ length: c.spec.inputs }, (_, i) => [`in${i}`, values[i]!]));
      const secretValues = Object.fromEntries(Array.from({ length: c.spec.secrets }, (_, i) => [`sec${i}`, secrets[i]!]));
      const [k, n] = c.kn as [number, number];
      const r = simulate(ir, { k, n, inputs, secrets: secretValues });
      expect(r.outputs).toEqual(expected(ir, inputs, secretValues, c.batch));
      if (r.plan.layers.length >= 2) deep++;
    }), { numRuns: 150 });
    expect(deep).toBeGreaterThan(10); // the generator does reach multi-layer programs
  });

  it('(x + 7)² and the scoring model on a batch', () => {
    const xs = [0n, 1n, 3n, P - 7n, P - 1n, 123456789n];
    expect(simulate(SQUARE_IR, { k: 2, n: 3, inputs: { x: xs } }).outputs).toEqual([xs.map((x) => ((x + 7n) ** 2n) % P)]);
    const inputs = { x1: [1n, 2n, 0n], x2: [10n, 20n, 0n], x3: [100n, 200n, P - 1n] };
    const secrets = { w1: 3n, w2: 5n, w3: 7n };
    const r = simulate(SCORE_IR, { k: 3, n: 5, inputs, secrets });
    expect(r.plan.triplesPerEval).toBe(3);
    expect(r.plan.layers.length).toBe(1);
    expect(r.outputs).toEqual([[3n + 50n + 700n + 5n, 6n + 100n + 1400n + 5n, (P - 7n + 5n) % P]]);
  });

  it('a batch of 1000 random inputs, 3-of-5; the caller\'s input and triple buffers are never written', () => {
    const xs = unpackElements(randomElements(1000));
    expect(simulate(SQUARE_IR, { k: 3, n: 5, inputs: { x: xs } }).outputs).toEqual([xs.map((x) => ((x + 7n) ** 2n) % P)]);
    const plan = planCircuit(SQUARE_IR);
    const [t] = dealTriples(4, { k: 1, n: 1 });
    const input = packElements([1n, 2n, 3n, 4n]);
    const before = [input.slice(), t!.a.slice(), t!.b.slice(), t!.c.slice()];
    const ex = new ShareExecution(plan, { batch: 4, x: 1n, inputs: new Map([['x', input]]), secrets: new Map(), triples: t! });
    const step = ex.start();
    if (step.kind === 'open') ex.resume(step.epsilonShares, step.deltaShares);
    expect([input, t!.a, t!.b, t!.c]).toEqual(before);
  });

  it('mux on a shared selector is s·a + (1 − s)·b for shared a and b (one Beaver multiplication)', () => {
    const ir: Ir = {
      nodes: [node('s', 'input'), node('a', 'input'), node('b', 'input'), node('m', 'mux', ['s', 'a', 'b'])],
      outputNodeIds: ['m'],
    };
    const inputs = { s: [1n, 0n, 1n, 0n, 2n], a: [11n, 11n, P - 1n, 5n, 10n], b: [22n, 22n, 3n, P - 2n, 4n] };
    const r = simulate(ir, { k: 2, n: 3, inputs });
    expect(r.plan.triplesPerEval).toBe(1);
    expect(r.outputs).toEqual([[11n, 22n, P - 1n, P - 2n, 16n]]);
  });

  it('mux on a shared selector with public branches needs no triple', () => {
    const ir: Ir = {
      nodes: [node('s', 'input'), node('a', 'const', [], 100n), node('b', 'const', [], 7n), node('m', 'mux', ['s', 'a', 'b'])],
      outputNodeIds: ['m'],
    };
    const r = simulate(ir, { k: 2, n: 3, inputs: { s: [1n, 0n] } });
    expect(r.plan.triplesPerEval).toBe(0);
    expect(r.outputs).toEqual([[100n, 7n]]);
  });

  it('a QuorumVM-style local mux on shares (s_i·a_i) would not reconstruct: the product has degree 2(k − 1)', () => {
    // Why mux needs a multiplication: multiplying shares pointwise gives points of a degree-2 polynomial
    // when k = 2, which 2 shares do not determine.
    const [s, a] = [split(1n, { k: 2, n: 3 }), split(9n, { k: 2, n: 3 })];
    const local = s.map((si, i) => ({ x: si.x, y: (si.y * a[i]!.y) % P }));
    expect(reconstruct(local.slice(0, 2))).not.toBe(9n);
    expect(simulate({ nodes: [node('s', 'input'), node('a', 'input'), node('z', 'const', [], 0n), node('m', 'mux', ['s', 'a', 'z'])], outputNodeIds: ['m'] },
      { k: 2, n: 3, inputs: { s: [1n], a: [9n] } }).outputs).toEqual([[9n]]);
  });

  it('public outputs are the value itself on every custodian; no triple, no round', () => {
    const ir: Ir = {
      nodes: [node('x', 'input'), node('c', 'const', [], P + 5n), node('d', 'neg', ['c']), node('e', 'mul', ['d', 'c']), node('y', 'add', ['x', 'c'])],
      outputNodeIds: ['e', 'y'],
    };
    const plan = planCircuit(ir);
    expect(plan.outputsPublic).toEqual([true, false]);
    const x = splitMany(packElements([1n, 2n]), { k: 2, n: 3 });
    const done = x.map((s) => new ShareExecution(plan, {
      batch: 2, x: s.x, inputs: new Map([['x', s.y]]), secrets: new Map(), triples: { a: new Uint8Array(0), b: new Uint8Array(0), c: new Uint8Array(0) },
    }).start());
    for (const d of done) {
      expect(d.kind).toBe('done');
      if (d.kind === 'done') expect(unpackElements(d.outputs[0]!)).toEqual([P - 25n, P - 25n]);
    }
  });

  it('drives the state machine in order only, and refuses bad shapes before any work', () => {
    const plan = planCircuit(SQUARE_IR);
    const [t] = dealTriples(2, { k: 1, n: 1 });
    const ok = { batch: 2, x: 1n, inputs: new Map([['x', packElements([1n, 2n])]]), secrets: new Map<string, bigint>(), triples: t! };
    const ex = new ShareExecution(plan, ok);
    expect(() => ex.resume(new Uint8Array(32), new Uint8Array(32))).toThrow(MpcExecutionStateError);
    const step = ex.start();
    expect(step.kind).toBe('open');
    expect(() => ex.start()).toThrow(MpcExecutionStateError);
    expect(() => ex.resume(new Uint8Array(16), new Uint8Array(32))).toThrow(RangeError);
    if (step.kind !== 'open') throw new Error('expected open');
    const done = ex.resume(step.epsilonShares, step.deltaShares); // k = 1: the shares are the values
    expect(done.kind === 'done' && unpackElements(done.outputs[0]!)).toEqual([64n, 81n]);
    expect(() => ex.resume(step.epsilonShares, step.deltaShares)).toThrow(MpcExecutionStateError);

    expect(() => new ShareExecution({ ...plan }, ok)).toThrow(TypeError);
    expect(() => new ShareExecution(plan, { ...ok, batch: 0 })).toThrow(RangeError);
    expect(() => new ShareExecution(plan, { ...ok, x: 0n })).toThrow(RangeError);
    expect(() => new ShareExecution(plan, { ...ok, inputs: new Map() })).toThrow(TypeError);
    expect(() => new ShareExecution(plan, { ...ok, inputs: new Map([['x', new Uint8Array(16)]]) })).toThrow(RangeError);
    expect(() => new ShareExecution(plan, { ...ok, secrets: new Map([['w', 1n]]) })).toThrow(TypeError);
    expect(() => new ShareExecution(plan, { ...ok, triples: { ...t!, c: new Uint8Array(16) } })).toThrow(RangeError);
  });

  it('a non-canonical input share fails the execution (wiped) with a typed error', () => {
    const plan = planCircuit(SQUARE_IR);
    const [t] = dealTriples(1, { k: 1, n: 1 });
    const bad = new Uint8Array(16).fill(0xff);
    const ex = new ShareExecution(plan, { batch: 1, x: 1n, inputs: new Map([['x', bad]]), secrets: new Map(), triples: t! });
    expect(() => ex.start()).toThrow(expect.objectContaining({ code: 'ERR_FIELD_NOT_CANONICAL' }));
    expect(() => ex.resume(new Uint8Array(16), new Uint8Array(16))).toThrow(MpcExecutionStateError);
  });
});

type Pair = [number | string, number | string];
interface BeaverVector {
  x: number; y: number;
  x_shares: Pair[]; y_shares: Pair[]; a_shares: Pair[]; b_shares: Pair[]; c_shares: Pair[];
  round1_eps_delta: [string, string][]; epsilon: string; delta: string; z_shares_with_correction: string[]; reconstructed: string;
}

describeVectors('QuorumVM beaver_vector through ShareExecution', () => {
  const v = readVectorJson<{ beaver_vector: BeaverVector }>('seeds/quorumvm/vectors.json').beaver_vector;
  const one = (pairs: Pair[], i: number): Uint8Array => packElements([BigInt(pairs[i]![1])]);

  it('x·y = 6·7: ε, δ shares, opened ε, δ, z shares with the ε·δ correction, and 42', () => {
    expect(v.x_shares.length).toBeGreaterThanOrEqual(3);
    const plan = planCircuit({ nodes: [node('x', 'input'), node('y', 'input'), node('z', 'mul', ['x', 'y'])], outputNodeIds: ['z'] });
    const exs = v.x_shares.map((p, i) => new ShareExecution(plan, {
      batch: 1, x: BigInt(p[0]),
      inputs: new Map([['x', one(v.x_shares, i)], ['y', one(v.y_shares, i)]]),
      secrets: new Map(),
      triples: { a: one(v.a_shares, i), b: one(v.b_shares, i), c: one(v.c_shares, i) },
    }));
    const steps = exs.map((e) => e.start());
    const opens = steps.map((s) => { if (s.kind !== 'open') throw new Error('expected open'); return s; });
    opens.forEach((s, i) => {
      expect(unpackElements(s.epsilonShares)).toEqual([BigInt(v.round1_eps_delta[i]![0])]);
      expect(unpackElements(s.deltaShares)).toEqual([BigInt(v.round1_eps_delta[i]![1])]);
    });
    const eps = openSharesOrThrow(opens.map((s) => ({ x: s.x, y: s.epsilonShares })), 2);
    const del = openSharesOrThrow(opens.map((s) => ({ x: s.x, y: s.deltaShares })), 2);
    expect(unpackElements(eps)).toEqual([BigInt(v.epsilon)]);
    expect(unpackElements(del)).toEqual([BigInt(v.delta)]);
    const done = exs.map((e) => e.resume(eps, del));
    const z = done.map((d) => (d.kind === 'done' ? unpackElements(d.outputs[0]!)[0]! : -1n));
    expect(z).toEqual(v.z_shares_with_correction.map(BigInt));
    const opened = openSharesOrThrow(z.map((y, i) => ({ x: exs[i]!.x, y: packElements([y]) })), 2);
    expect(unpackElements(opened)).toEqual([BigInt(v.reconstructed)]);
    expect(v.x * v.y).toBe(42);
  });
});
