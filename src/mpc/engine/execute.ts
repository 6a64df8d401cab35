// The custodian side of a batch evaluation: a state machine that runs a CircuitPlan on this
// custodian's Shamir shares for B input sets at once. Every wire is a register of B packed shares
// (16 bytes each, little-endian); linear code is local; each Beaver layer (Beaver 1991, "Efficient
// multiparty protocols using circuit randomization") is one round trip: `start`/`resume` return the
// shares of ε = x − a and δ = y − b for the whole layer, the coordinator opens them (openShares), and
// `resume(ε, δ)` finishes z_i = c_i + ε·b_i + δ·a_i + ε·δ. Every custodian adds ε·δ: the Lagrange
// coefficients at 0 sum to 1, so the constant is counted exactly once in the reconstruction.
// All share arithmetic runs in the WASM batch kernels of quorumkit/field; no BigInt per element.
//
// Wiping: registers, scratch and the secret-share bytes this object owns are zeroed when it finishes,
// fails or is disposed. JS cannot promise more: the caller's bigint secret shares are immutable and
// cannot be wiped, the garbage collector may have copied buffers before they were zeroed, and the
// field kernels' WASM scratch is theirs to clear. Control flow and memory addresses depend on the plan
// and the batch size only, never on a share value. Browser-safe.

import { describeType } from '../../core/assert.js';
import { FIELD_ELEMENT_BYTES, P } from '../../field/constants.js';
import { batch, fp } from '../../field/index.js';
import { MpcExecutionStateError } from './errors.js';
import { checkAbscissa, checkCount, checkPacked } from './_checks.js';
import type { CircuitPlan } from './plan.js';
import { PROGRAMS, type Instr, type Program } from './_program.js';

/** Largest batch (evaluations per execution). */
export const MAX_BATCH = 1 << 20;
/** Most field elements one execution may hold in registers and scratch (1 GiB). */
export const MAX_EXECUTION_ELEMENTS = 1 << 26;

/**
 * This custodian's shares of the Beaver triples of one batch, packed. Multiplication-major layout:
 * the shares of triple m for batch entry e are element m·B + e of each array, where m counts the
 * plan's multiplications layer by layer in `plan.layers[l].nodeIds` order (so layer l uses elements
 * `offset·B … (offset + size)·B − 1`). Each array holds exactly `triplesPerEval · B` elements.
 */
export interface TripleShareBuffers {
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly c: Uint8Array;
}

/** Options of {@link ShareExecution}. */
export interface ShareExecutionOptions {
  /** B: evaluations in this batch, 1 … MAX_BATCH. */
  readonly batch: number;
  /** This custodian's abscissa (1 ≤ x < p). */
  readonly x: bigint;
  /** Per input id of the plan: this custodian's shares for the B evaluations (B packed elements). */
  readonly inputs: ReadonlyMap<string, Uint8Array>;
  /** Per secret id of the plan: this custodian's share of that parameter (the same for all B). */
  readonly secrets: ReadonlyMap<string, bigint>;
  /** Triple shares for the batch; see {@link TripleShareBuffers}. Read, never written. */
  readonly triples: TripleShareBuffers;
}

/**
 * A layer to open: this custodian's shares of ε = x − a and δ = y − b, multiplication-major like
 * the triples (element j·B + e = multiplication j of the layer, batch entry e), `size · B` elements each.
 */
export interface OpenStep {
  readonly kind: 'open';
  /** Index into `plan.layers`. */
  readonly layer: number;
  /** This custodian's abscissa, for the coordinator's `openShares` response. */
  readonly x: bigint;
  readonly epsilonShares: Uint8Array;
  readonly deltaShares: Uint8Array;
}

/** The evaluation is over: per output (plan order), this custodian's B packed shares — or, for a public output, the value itself, B times. */
export interface DoneStep {
  readonly kind: 'done';
  readonly outputs: readonly Uint8Array[];
}

/** What `start` and `resume` return. */
export type Step = OpenStep | DoneStep;

type State = 'new' | 'open' | 'done' | 'failed' | 'disposed';

/** Fills `out` with copies of the 16-byte element `element` (log₂ B copies, no per-element loop). */
function broadcast(element: Uint8Array, out: Uint8Array): Uint8Array {
  out.set(element, 0);
  for (let n = FIELD_ELEMENT_BYTES; n < out.length; n *= 2) out.copyWithin(n, 0, Math.min(n, out.length - n));
  return out;
}

function checkKeys(name: string, map: unknown, ids: readonly string[]): asserts map is ReadonlyMap<string, unknown> {
  if (!(map instanceof Map)) throw new TypeError(`"${name}" expected a Map, got ${describeType(map)}`);
  for (const id of ids) if (!map.has(id)) throw new TypeError(`"${name}" has no entry for "${id}"`);
  if (map.size !== ids.length) throw new TypeError(`"${name}" expected ${ids.length} entries (the plan's ids), got ${map.size}`);
}

/**
 * One custodian's evaluation of a plan on a batch. Drive it with `start()`, then `resume(ε, δ)`
 * with the opened values of each `open` step, until a `done` step. Each triple is consumed exactly
 * once: the caller hands over exactly `triplesPerEval · B` of them and must never hand them to another
 * execution (two openings with one triple reveal x − x′).
 * @example
 * const ex = new ShareExecution(plan, { batch: B, x: 1n, inputs, secrets, triples });
 * let step = ex.start();
 * while (step.kind === 'open') {
 *   const { epsilon, delta } = await coordinatorOpens(step); // openShares over ≥ k custodians
 *   step = ex.resume(epsilon, delta);
 * }
 * step.outputs; // per output, this custodian's B shares
 */
export class ShareExecution {
  /** The plan being run. */
  readonly plan: CircuitPlan;
  /** B. */
  readonly batch: number;
  /** This custodian's abscissa. */
  readonly x: bigint;
  readonly #program: Program;
  readonly #inputs: ReadonlyMap<string, Uint8Array>;
  readonly #secrets = new Map<string, Uint8Array>();
  readonly #triples: TripleShareBuffers;
  readonly #regs: Uint8Array[];
  /** Broadcast constants and the zero vector: B elements. */
  readonly #scratch: Uint8Array;
  /** Layer products and sums: maxLayerSize · B elements each. */
  readonly #t: Uint8Array;
  readonly #z: Uint8Array;
  #state: State = 'new';
  #layer = 0;

  /**
   * Checks the options against the plan and allocates the registers.
   * @throws TypeError for a plan not made by planCircuit, wrong types (a non-integer batch), missing or extra ids;
   * RangeError for a batch outside [1, MAX_BATCH], a memory need over MAX_EXECUTION_ELEMENTS, an
   * abscissa outside [1, p), a buffer of the wrong length or a secret share outside [0, p).
   */
  constructor(plan: CircuitPlan, options: ShareExecutionOptions) {
    const program = PROGRAMS.get(plan);
    if (program === undefined) throw new TypeError('"plan" expected a plan made by planCircuit');
    if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeType(options)}`);
    const { batch: B, x, inputs, secrets, triples } = options;
    checkCount('batch', B, 1, MAX_BATCH);
    const elements = B * (program.registers + 1 + 2 * program.maxLayerSize);
    if (elements > MAX_EXECUTION_ELEMENTS) {
      throw new RangeError(`plan and batch need ${elements} field elements of working memory, over ${MAX_EXECUTION_ELEMENTS}`);
    }
    checkAbscissa('x', x);
    checkKeys('inputs', inputs, plan.inputIds);
    for (const id of plan.inputIds) checkPacked(`inputs["${id}"]`, inputs.get(id), B);
    checkKeys('secrets', secrets, plan.secretIds);
    for (const id of plan.secretIds) {
      const s = secrets.get(id);
      if (typeof s !== 'bigint') throw new TypeError(`"secrets["${id}"]" expected bigint, got ${describeType(s)}`);
      if (s < 0n || s >= P) throw new RangeError(`"secrets["${id}"]" expected a canonical field element`);
    }
    if (typeof triples !== 'object' || triples === null) throw new TypeError(`"triples" expected { a, b, c }, got ${describeType(triples)}`);
    for (const k of ['a', 'b', 'c'] as const) checkPacked(`triples.${k}`, triples[k], plan.triplesPerEval * B);

    this.plan = plan;
    this.batch = B;
    this.x = x;
    this.#program = program;
    this.#inputs = inputs as ReadonlyMap<string, Uint8Array>;
    this.#triples = triples;
    for (const id of plan.secretIds) this.#secrets.set(id, fp.toBytes(secrets.get(id) as bigint));
    const regBytes = B * FIELD_ELEMENT_BYTES;
    this.#regs = Array.from({ length: program.registers }, () => new Uint8Array(regBytes));
    this.#scratch = new Uint8Array(regBytes);
    this.#t = new Uint8Array(program.maxLayerSize * regBytes);
    this.#z = new Uint8Array(program.maxLayerSize * regBytes);
  }

  /**
   * Runs the code before the first multiplication layer.
   * @returns the first layer to open, or the outputs when the plan has no multiplication.
   * @throws MpcExecutionStateError unless this is the first call; FieldNotCanonicalError for an input
   * share ≥ p (the execution is then wiped and failed).
   */
  start(): Step {
    this.#expect('new', 'start');
    return this.#guard(() => {
      this.#run(this.#program.before);
      return this.#next();
    });
  }

  /**
   * Finishes the pending layer with the opened ε and δ (packed like the open step's shares), runs the
   * linear code that follows and returns the next step.
   * @throws MpcExecutionStateError unless an open step is pending; TypeError/RangeError for buffers of
   * the wrong type or length (the execution stays pending); FieldNotCanonicalError for an element ≥ p
   * (the execution is then wiped and failed).
   */
  resume(epsilon: Uint8Array, delta: Uint8Array): Step {
    this.#expect('open', 'resume');
    const layer = this.plan.layers[this.#layer]!;
    checkPacked('epsilon', epsilon, layer.size * this.batch);
    checkPacked('delta', delta, layer.size * this.batch);
    return this.#guard(() => {
      this.#finishLayer(epsilon, delta);
      this.#run(this.#program.layers[this.#layer]!.after);
      this.#layer++;
      return this.#next();
    });
  }

  /** Zeroes everything this execution owns and refuses further calls; idempotent. */
  dispose(): void {
    this.#wipe();
    if (this.#state !== 'done' && this.#state !== 'failed') this.#state = 'disposed';
  }

  #expect(state: State, call: string): void {
    if (this.#state !== state) throw new MpcExecutionStateError(`${call}() called in state "${this.#state}"`);
  }

  #guard(body: () => Step): Step {
    try {
      return body();
    } catch (err) {
      this.#state = 'failed';
      this.#wipe();
      throw err;
    }
  }

  #wipe(): void {
    for (const r of this.#regs) r.fill(0);
    this.#scratch.fill(0);
    this.#t.fill(0);
    this.#z.fill(0);
    for (const s of this.#secrets.values()) s.fill(0);
  }

  /** The next layer's ε, δ shares, or the outputs. */
  #next(): Step {
    const layers = this.plan.layers;
    if (this.#layer < layers.length) {
      this.#state = 'open';
      return this.#openLayer(this.#layer);
    }
    const outputs = this.#program.outputs.map((o) => {
      const out = new Uint8Array(this.batch * FIELD_ELEMENT_BYTES);
      return o.pub ? broadcast(fp.toBytes(o.value), out) : (out.set(this.#regs[o.reg]!), out);
    });
    this.#state = 'done';
    this.#wipe();
    return { kind: 'done', outputs };
  }

  /** Element range [m·B, (m + count)·B) of a multiplication-major buffer. */
  #slice(buf: Uint8Array, m: number, count: number): Uint8Array {
    const w = this.batch * FIELD_ELEMENT_BYTES;
    return buf.subarray(m * w, (m + count) * w);
  }

  #openLayer(l: number): OpenStep {
    const { offset, size } = this.plan.layers[l]!;
    const { xs, ys } = this.#program.layers[l]!;
    const n = size * this.batch * FIELD_ELEMENT_BYTES;
    const epsilonShares = new Uint8Array(n);
    const deltaShares = new Uint8Array(n);
    for (let j = 0; j < size; j++) {
      batch.sub(this.#regs[xs[j]!]!, this.#slice(this.#triples.a, offset + j, 1), this.#slice(epsilonShares, j, 1));
      batch.sub(this.#regs[ys[j]!]!, this.#slice(this.#triples.b, offset + j, 1), this.#slice(deltaShares, j, 1));
    }
    return { kind: 'open', layer: l, x: this.x, epsilonShares, deltaShares };
  }

  /** z = c + ε·b + δ·a + ε·δ over the whole layer at once (Beaver 1991), then into the result registers. */
  #finishLayer(epsilon: Uint8Array, delta: Uint8Array): void {
    const { offset, size } = this.plan.layers[this.#layer]!;
    const t = this.#slice(this.#t, 0, size);
    const z = this.#slice(this.#z, 0, size);
    const { a, b, c } = this.#triples;
    batch.mul(epsilon, this.#slice(b, offset, size), t);
    batch.add(this.#slice(c, offset, size), t, z);
    batch.mul(delta, this.#slice(a, offset, size), t);
    batch.add(z, t, z);
    batch.mul(epsilon, delta, t);
    batch.add(z, t, z);
    const dsts = this.#program.layers[this.#layer]!.dsts;
    for (let j = 0; j < size; j++) this.#regs[dsts[j]!]!.set(this.#slice(z, j, 1));
  }

  #run(code: readonly Instr[]): void {
    const regs = this.#regs;
    for (const i of code) {
      const dst = regs[i.dst]!;
      switch (i.op) {
        // adding the zero vector copies the caller's shares and checks each is < p in one kernel call
        case 'input': batch.add(this.#inputs.get(i.id)!, this.#scratch.fill(0), dst); break;
        case 'secret': broadcast(this.#secrets.get(i.id)!, dst); break;
        case 'add': batch.add(regs[i.a]!, regs[i.b]!, dst); break;
        case 'sub': batch.sub(regs[i.a]!, regs[i.b]!, dst); break;
        case 'addc': batch.add(regs[i.a]!, broadcast(fp.toBytes(i.c), this.#scratch), dst); break;
        case 'csub': batch.sub(broadcast(fp.toBytes(i.c), this.#scratch), regs[i.a]!, dst); break;
        case 'scale': batch.scale(regs[i.a]!, i.c, dst); break;
      }
    }
  }
}
