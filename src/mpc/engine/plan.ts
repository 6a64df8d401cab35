// Circuit planning: an IR becomes a straight-line program on Shamir shares. Wires derived only from
// constants are public and folded at plan time; linear operations on shares are local (Shamir 1979:
// shares of a sum are sums of shares; a public c is shared as the constant polynomial c); a product
// with a public wire is a local scaling; a product of two shared wires is one Beaver multiplication
// (Beaver 1991, "Efficient multiparty protocols using circuit randomization"). Multiplications are
// grouped in layers — layer = 1 + the deepest layer any operand depends on — so a batch needs one
// opening round per layer, whatever its size. `mux(s, a, b)` is lowered as b + s·(a − b): one
// multiplication at most, and none when s or a − b is public. Dead nodes cost nothing. Browser-safe.

import { P } from '../../field/constants.js';
import type { Ir, IrNode } from '../ir.js';
import { checkIr } from './_ir-check.js';
import { PROGRAMS, type Instr, type LayerProgram, type OutputSlot, type Program } from './_program.js';

export { MAX_PLAN_OUTPUTS } from './_ir-check.js';

/** One opening round: `size` Beaver multiplications, triples `offset … offset + size − 1` of an evaluation. */
export interface PlanLayer {
  /** Index of this layer's first multiplication among the plan's `triplesPerEval`. */
  readonly offset: number;
  /** Multiplications in the layer. */
  readonly size: number;
  /** The IR node (`mul` or `mux`) of each multiplication, in layout order. */
  readonly nodeIds: readonly string[];
}

/** What planCircuit returns: the public facts of a plan (its program is internal). Frozen. */
export interface CircuitPlan {
  /** Ids of the `input` nodes, in definition order: the shares every evaluation supplies. */
  readonly inputIds: readonly string[];
  /** Ids of the `secret` nodes, in definition order: the parameter shares each custodian holds. */
  readonly secretIds: readonly string[];
  /** The program's outputs, in declaration order. */
  readonly outputIds: readonly string[];
  /** Per output: true when it depends on constants only (its value is the same on every custodian). */
  readonly outputsPublic: readonly boolean[];
  /** True when every output is public: evaluation needs no shares at all. */
  readonly allOutputsPublic: boolean;
  /** Beaver multiplications (= triples) one evaluation consumes. */
  readonly triplesPerEval: number;
  /** Opening rounds, in order. */
  readonly layers: readonly PlanLayer[];
  /** Share registers (buffers of one element per batch entry) live at once, at most. */
  readonly registers: number;
}

/** A value during lowering: a public constant, or virtual wire `w` available after layer `stage`. */
type Val = { readonly pub: true; readonly v: bigint } | { readonly pub: false; readonly w: number };

const mod = (v: bigint): bigint => {
  const r = v % P;
  return r < 0n ? r + P : r;
};

/** Lowered form before register allocation: instructions on virtual wires, each with its stage. */
class Lowering {
  /** stage of each virtual wire: 0 = needs no product, L = needs layer L's products. */
  readonly stages: number[] = [];
  readonly linear: { instr: Instr; stage: number }[] = [];
  readonly mults: { x: number; y: number; dst: number; layer: number; nodeId: string }[] = [];

  private wire(stage: number): number {
    this.stages.push(stage);
    return this.stages.length - 1;
  }

  private emit(make: (dst: number) => Instr, stage: number): Val {
    const dst = this.wire(stage);
    this.linear.push({ instr: make(dst), stage });
    return { pub: false, w: dst };
  }

  load(op: 'input' | 'secret', id: string): Val {
    return this.emit((dst) => ({ op, dst, id }), 0);
  }

  add(x: Val, y: Val): Val {
    if (x.pub && y.pub) return { pub: true, v: mod(x.v + y.v) };
    if (x.pub) return this.add(y, x);
    if (y.pub) return this.emit((dst) => ({ op: 'addc', dst, a: x.w, c: y.v }), this.stages[x.w]!);
    return this.emit((dst) => ({ op: 'add', dst, a: x.w, b: y.w }), Math.max(this.stages[x.w]!, this.stages[y.w]!));
  }

  sub(x: Val, y: Val): Val {
    if (x.pub && y.pub) return { pub: true, v: mod(x.v - y.v) };
    if (y.pub) return this.add(x, { pub: true, v: mod(-y.v) });
    if (x.pub) return this.emit((dst) => ({ op: 'csub', dst, a: y.w, c: x.v }), this.stages[y.w]!);
    return this.emit((dst) => ({ op: 'sub', dst, a: x.w, b: y.w }), Math.max(this.stages[x.w]!, this.stages[y.w]!));
  }

  neg(x: Val): Val {
    if (x.pub) return { pub: true, v: mod(-x.v) };
    return this.emit((dst) => ({ op: 'scale', dst, a: x.w, c: P - 1n }), this.stages[x.w]!);
  }

  mul(x: Val, y: Val, nodeId: string): Val {
    if (x.pub && y.pub) return { pub: true, v: mod(x.v * y.v) };
    if (x.pub) return this.mul(y, x, nodeId);
    if (y.pub) return this.emit((dst) => ({ op: 'scale', dst, a: x.w, c: y.v }), this.stages[x.w]!);
    const layer = 1 + Math.max(this.stages[x.w]!, this.stages[y.w]!);
    const dst = this.wire(layer);
    this.mults.push({ x: x.w, y: y.w, dst, layer, nodeId });
    return { pub: false, w: dst };
  }
}

/** Marks the nodes an output depends on (nodes are in definition order, so one backward pass). */
function liveNodes(ir: Ir): Set<string> {
  const live = new Set<string>(ir.outputNodeIds);
  for (let i = ir.nodes.length - 1; i >= 0; i--) {
    const node = ir.nodes[i]!;
    if (live.has(node.id)) for (const id of node.inputs) live.add(id);
  }
  return live;
}

function lowerNode(lo: Lowering, node: IrNode, at: (id: string) => Val): Val {
  const [a, b, c] = node.inputs;
  switch (node.type) {
    case 'input':
    case 'secret': return lo.load(node.type, node.id);
    case 'const': return { pub: true, v: mod(node.value!) };
    case 'add': return lo.add(at(a!), at(b!));
    case 'sub': return lo.sub(at(a!), at(b!));
    case 'neg': return lo.neg(at(a!));
    case 'mul': return lo.mul(at(a!), at(b!), node.id);
    // mux(s, a, b) = s·a + (1 − s)·b = b + s·(a − b)
    case 'mux': return lo.add(at(c!), lo.mul(at(a!), lo.sub(at(b!), at(c!)), node.id));
  }
}

/** Register allocation over the schedule: a register is reused once its wire's last reader has run. */
class Registers {
  private readonly reg: Int32Array;
  private readonly released: Uint8Array;
  private readonly free: number[] = [];
  count = 0;

  constructor(wires: number, private readonly lastUse: readonly number[]) {
    this.reg = new Int32Array(wires).fill(-1);
    this.released = new Uint8Array(wires);
  }

  /** Reads `srcs` at event `e` (freeing the ones last read here), then gives `dst` a register. */
  step(e: number, srcs: readonly number[], dst: number | null): void {
    for (const w of srcs) {
      if (this.lastUse[w] === e && this.released[w] === 0) {
        this.released[w] = 1;
        this.free.push(this.reg[w]!);
      }
    }
    if (dst !== null) this.reg[dst] = this.free.length > 0 ? this.free.pop()! : this.count++;
  }

  of(w: number): number {
    return this.reg[w]!;
  }
}

/** Sources of a linear instruction. */
function reads(i: Instr): number[] {
  switch (i.op) {
    case 'input':
    case 'secret': return [];
    case 'add':
    case 'sub': return [i.a, i.b];
    default: return [i.a];
  }
}

function renameInstr(i: Instr, r: (w: number) => number): Instr {
  switch (i.op) {
    case 'input':
    case 'secret': return { ...i, dst: r(i.dst) };
    case 'add':
    case 'sub': return { ...i, dst: r(i.dst), a: r(i.a), b: r(i.b) };
    default: return { ...i, dst: r(i.dst), a: r(i.a) };
  }
}

/**
 * Schedules the lowered program (stage-0 code; then per layer: open, finish, that stage's code),
 * allocates registers by liveness and builds the program.
 */
function buildProgram(lo: Lowering, outputs: readonly Val[], layerCount: number): Program {
  const byStage: Instr[][] = Array.from({ length: layerCount + 1 }, () => []);
  for (const { instr, stage } of lo.linear) byStage[stage]!.push(instr);
  const byLayer: (typeof lo.mults)[] = Array.from({ length: layerCount }, () => []);
  for (const m of lo.mults) byLayer[m.layer - 1]!.push(m);

  // Event numbers: stage-0 code, then per layer L: open(L), finish(L), stage-L code.
  type Event = { srcs: number[]; dst: number | null; instr?: Instr };
  const events: Event[] = byStage[0]!.map((instr) => ({ srcs: reads(instr), dst: instr.dst, instr }));
  for (let l = 0; l < layerCount; l++) {
    const ms = byLayer[l]!;
    events.push({ srcs: ms.flatMap((m) => [m.x, m.y]), dst: null });
    for (const m of ms) events.push({ srcs: [], dst: m.dst });
    for (const instr of byStage[l + 1]!) events.push({ srcs: reads(instr), dst: instr.dst, instr });
  }
  const lastUse = new Array<number>(lo.stages.length).fill(-1);
  events.forEach((ev, e) => { for (const w of ev.srcs) lastUse[w] = e; });
  for (const o of outputs) if (!o.pub) lastUse[o.w] = Number.POSITIVE_INFINITY;

  const regs = new Registers(lo.stages.length, lastUse);
  events.forEach((ev, e) => regs.step(e, ev.srcs, ev.dst));
  const r = (w: number): number => regs.of(w);
  const layers: LayerProgram[] = byLayer.map((ms, l) => ({
    xs: ms.map((m) => r(m.x)), ys: ms.map((m) => r(m.y)), dsts: ms.map((m) => r(m.dst)),
    after: byStage[l + 1]!.map((i) => renameInstr(i, r)),
  }));
  const outSlots: OutputSlot[] = outputs.map((o) => (o.pub ? { pub: true, value: o.v } : { pub: false, reg: r(o.w) }));
  return {
    before: byStage[0]!.map((i) => renameInstr(i, r)),
    layers,
    registers: regs.count,
    outputs: outSlots,
    maxLayerSize: byLayer.reduce((max, ms) => Math.max(max, ms.length), 0),
  };
}

/**
 * Compiles `ir` into an execution plan for {@link ShareExecution}: public wires folded, linear
 * operations local, Beaver multiplications grouped into opening layers, registers reused.
 * @throws TypeError for wrong JS types in the IR; MpcIrInvalidError for a malformed program (unknown
 * type, wrong arity, read before definition, duplicate id, unknown output, over MAX_IR_NODES nodes or
 * MAX_PLAN_OUTPUTS outputs).
 * @example
 * // (x + 7)²
 * const plan = planCircuit({ nodes: [
 *   { id: 'x', type: 'input', inputs: [] }, { id: 'c', type: 'const', inputs: [], value: 7n },
 *   { id: 's', type: 'add', op: 'add', inputs: ['x', 'c'] }, { id: 'y', type: 'mul', op: 'mul', inputs: ['s', 's'] },
 * ], outputNodeIds: ['y'] });
 * plan.triplesPerEval; // 1
 * plan.layers.length;  // 1
 */
export function planCircuit(ir: Ir): CircuitPlan {
  checkIr(ir);
  const live = liveNodes(ir);
  const lo = new Lowering();
  const vals = new Map<string, Val>();
  const inputIds: string[] = [];
  const secretIds: string[] = [];
  for (const node of ir.nodes) {
    if (node.type === 'input') inputIds.push(node.id);
    if (node.type === 'secret') secretIds.push(node.id);
    if (live.has(node.id)) vals.set(node.id, lowerNode(lo, node, (id) => vals.get(id)!));
  }
  const outputs = ir.outputNodeIds.map((id) => vals.get(id)!);
  const layerCount = lo.mults.reduce((max, m) => Math.max(max, m.layer), 0);
  const program = buildProgram(lo, outputs, layerCount);

  const nodeIdsByLayer: string[][] = Array.from({ length: layerCount }, () => []);
  for (const m of lo.mults) nodeIdsByLayer[m.layer - 1]!.push(m.nodeId);
  const layers: PlanLayer[] = [];
  let offset = 0;
  for (const nodeIds of nodeIdsByLayer) {
    layers.push(Object.freeze({ offset, size: nodeIds.length, nodeIds: Object.freeze(nodeIds) }));
    offset += nodeIds.length;
  }
  const outputsPublic = outputs.map((o) => o.pub);
  const plan: CircuitPlan = Object.freeze({
    inputIds: Object.freeze(inputIds),
    secretIds: Object.freeze(secretIds),
    outputIds: Object.freeze([...ir.outputNodeIds]),
    outputsPublic: Object.freeze(outputsPublic),
    allOutputsPublic: outputsPublic.every(Boolean),
    triplesPerEval: lo.mults.length,
    layers: Object.freeze(layers),
    registers: program.registers,
  });
  PROGRAMS.set(plan, program);
  return plan;
}
