// The `--legacy` custodian (QuorumVM's quorumvm/custodian/app.py, on quorumkit's engine and store):
// unsigned requests in QuorumVM's shapes, HMAC-SHA256 approvals with the pre-shared key of its index
// (legacy-hmac.ts), Beaver triples dealt by the coordinator into per-node FIFO pools (durable, each
// entry used at most once, legacy-custodian-store.ts), evaluation with ShareExecution one layer of
// multiplications at a time — ε and δ opened either by the coordinator (/beaver_round2) or among the
// custodians themselves (QuorumVM's P2P exchange: /beaver_shares, then /beaver_resolve_p2p, checked
// for consistency whenever more than K shares arrived) — QuorumVM's plain `/eval_share`, and its
// resharing endpoints on engine/resharing.ts. What legacy mode cannot protect: QuorumVM's coordinator
// sees inputs, outputs and triples in the clear. Shares never appear in logs or errors. Node-only.

import { canonicalBytes } from '../../core/canonical-json.js';
import { canonicalizePython } from '../../core/canonical-python.js';
import { constantTimeEqual, toHex } from '../../core/bytes.js';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { packElements, unpackElements } from '../../field/index.js';
import type { AuditReader } from '../../http/log-routes.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import { applySubShares, lagrangePartial, MpcOpeningInconsistentError, openShares, planCircuit, ShareExecution, zeroSubShares, type CircuitPlan, type Step } from '../engine/index.js';
import { evaluatePlain } from '../evaluate.js';
import { CustodiansUnavailableError, PoolExhaustedError, TripleReusedError, UnknownEvalRequestError } from '../errors.js';
import { EVAL_TTL_MS, RunningEvals, type RunningEval } from './running-evals.js';
import { hmacApproval, QUORUMVM_DEFAULT_HMAC_KEYS } from '../legacy-hmac.js';
import { packageToJson, parsePackage, type ProgramPackage } from '../package.js';
import { LegacyCustodianStore } from './legacy-custodian-store.js';
import { assertLegacyPlan, multiplicationIds } from './legacy-program.js';

/** Options of {@link LegacyCustodianService.open}. */
export interface LegacyCustodianOptions {
  /** Data dir (legacy-custodian.db, log.db), or `:memory:`. */
  readonly dataDir: string;
  /** Signs the transparency log's checkpoints. */
  readonly identity: Identity;
  /** 0-based index: Shamir abscissa index + 1, HMAC key `hmacKeys[index]`. */
  readonly index: number;
  /** Approval keys by custodian index (default QuorumVM's). */
  readonly hmacKeys?: readonly string[];
  /** K, for the P2P openings (default 2, QuorumVM's THRESHOLD). */
  readonly threshold?: number;
}

/** One triple share of a `triple_shares` entry, read: per a, b, c the abscissa and the value. */
export interface LegacyTripleShare {
  readonly a: readonly [bigint, bigint];
  readonly b: readonly [bigint, bigint];
  readonly c: readonly [bigint, bigint];
}

/** QuorumVM's answer to an evaluation step. */
export type LegacyStepAnswer =
  | { status: 'mul_pending'; mul_requests: { node_id: string; epsilon_share: string; delta_share: string }[]; request_id: string }
  | { status: 'done'; x: bigint; y: string; request_id: string; outputs?: Record<string, string> };

interface PoolEntry {
  readonly nodeId: string;
  readonly seq: number;
  readonly lotId: string;
  readonly pos: number;
  used: boolean;
}

interface Pool {
  readonly byNode: Map<string, PoolEntry[]>;
  /** Per node: index of the first entry that may be unused. */
  readonly cursor: Map<string, number>;
  readonly byLot: Map<string, PoolEntry>;
}

interface Running extends RunningEval {
  readonly plan: CircuitPlan;
  /** The layer whose ε, δ are awaited, or −1. */
  layer: number;
  /** P2P shares of the pending layer: node id → abscissa → [ε share, δ share]. */
  readonly p2p: Map<string, Map<bigint, readonly [bigint, bigint]>>;
}

/** Most triple entries one /install_beaver may carry. */
export const MAX_LEGACY_TRIPLES_PER_INSTALL = 1_000_000;

const lotKey = (lotId: string, nodeId: string, pos: number): string => `${lotId}\u0000${nodeId}\u0000${pos}`;

/** Runs an engine call whose argument errors (TypeError/RangeError) are the caller's: 400. */
function asInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new InvalidArgumentError(e.message, { cause: e });
    throw e;
  }
}

/** The legacy custodian's domain service. */
export class LegacyCustodianService {
  readonly index: number;
  readonly x: bigint;
  readonly threshold: number;
  readonly #key: string;
  readonly #store: LegacyCustodianStore;
  readonly #trail: AuditTrail;
  readonly #files: ServiceFiles<LegacyCustodianStore>;
  readonly #programs = new Map<string, { pkg: ProgramPackage; plan: CircuitPlan }>();
  readonly #pools = new Map<string, Pool>();
  readonly #running = new RunningEvals<Running>();

  private constructor(o: LegacyCustodianOptions, key: string, files: ServiceFiles<LegacyCustodianStore>) {
    this.index = o.index;
    this.x = BigInt(o.index + 1);
    this.threshold = o.threshold ?? 2;
    this.#key = key;
    this.#files = files;
    this.#store = files.store;
    this.#trail = files.trail;
  }

  /**
   * Opens the data dir (locked to this process).
   * @throws RangeError for an index outside 0..1023 or without an HMAC key, or a threshold below 1.
   */
  static async open(o: LegacyCustodianOptions): Promise<LegacyCustodianService> {
    if (!Number.isSafeInteger(o.index) || o.index < 0 || o.index > 1023) throw new RangeError('"index" expected 0..1023');
    const keys = o.hmacKeys ?? QUORUMVM_DEFAULT_HMAC_KEYS;
    const key = keys[o.index];
    if (typeof key !== 'string') throw new RangeError(`no HMAC key for custodian index ${o.index} (${keys.length} keys configured)`);
    if (o.threshold !== undefined && (!Number.isSafeInteger(o.threshold) || o.threshold < 1)) throw new RangeError('"threshold" expected a positive integer');
    const files = await openServiceFiles(o.dataDir, { database: 'legacy-custodian.db', openStore: (p) => LegacyCustodianStore.open(p), origin: `quorumkit/mpc/legacy-custodian/${o.index}`, signer: o.identity });
    return new LegacyCustodianService(o, key, files);
  }

  health(): { custodian: number; status: 'ok' } {
    return { custodian: this.index, status: 'ok' };
  }

  #program(programId: string): { pkg: ProgramPackage; plan: CircuitPlan } {
    let p = this.#programs.get(programId);
    if (p === undefined) {
      const text = this.#store.program(programId);
      if (text === undefined) throw new NotFoundError('Program not installed on this custodian');
      const pkg = parsePackage(parseStrict(text, { bigints: true }));
      p = { pkg, plan: planCircuit(pkg.ir) };
      this.#programs.set(programId, p);
    }
    return p;
  }

  #pool(programId: string): Pool {
    let pool = this.#pools.get(programId);
    if (pool === undefined) {
      pool = { byNode: new Map(), cursor: new Map(), byLot: new Map() };
      for (const r of this.#store.poolEntries(programId)) this.#addEntry(pool, { ...r });
      this.#pools.set(programId, pool);
    }
    return pool;
  }

  #addEntry(pool: Pool, e: PoolEntry): void {
    let list = pool.byNode.get(e.nodeId);
    if (list === undefined) pool.byNode.set(e.nodeId, (list = []));
    list.push(e);
    pool.byLot.set(lotKey(e.lotId, e.nodeId, e.pos), e);
  }

  /**
   * QuorumVM's install: the package and this custodian's share (x, y) of the program secret S_v.
   * Installing the same package again replaces the share, as QuorumVM does (its cluster suite
   * installs one program twice with fresh shares); S_v never enters an evaluation.
   */
  async install(packageJson: unknown, shareX: bigint, shareY: bigint): Promise<{ status: 'installed'; custodian: number }> {
    const pkg = parsePackage(packageJson);
    const plan = planCircuit(pkg.ir);
    assertLegacyPlan(plan);
    const id = pkg.programId;
    const y = packElements([shareY]);
    const held = this.#store.share(id);
    const installed = this.#store.program(id) !== undefined;
    if (installed && held !== undefined && held.x === shareX && constantTimeEqual(held.y, y)) return { status: 'installed', custodian: this.index };
    await this.#store.commit(() => {
      this.#store.putProgram(id, canonicalizePython(packageToJson(pkg)), new Date().toISOString());
      this.#store.putShare(id, shareX, y);
    }, [canonicalBytes({ type: installed ? 'mpc.custodian.share_replaced' : 'mpc.custodian.installed', program_id: id, mode: 'legacy' })]);
    y.fill(0);
    this.#programs.set(id, { pkg, plan });
    return { status: 'installed', custodian: this.index };
  }

  /**
   * Appends triple shares to the program's per-node pools (QuorumVM's `triple_shares`: per
   * multiplication node id, a list of `{ a, b, c }` points at this custodian's x). `lotId` names the
   * delivery (quorumkit's coordinator sends one, so an evaluation can name its entries); a random
   * one otherwise.
   * @throws NotFoundError (404) for an unknown program; InvalidArgumentError (400) for a node that is
   *   no multiplication of it, a share at another abscissa, or too many entries; ConflictError (409)
   *   for a lot already installed.
   */
  async installBeaver(programId: string, tripleShares: ReadonlyMap<string, readonly LegacyTripleShare[]>, lotId?: string): Promise<{ status: 'beaver_installed'; custodian: number; triples_installed: number }> {
    const { plan } = this.#program(programId);
    const muls = new Set(multiplicationIds(plan));
    let total = 0;
    for (const [nodeId, list] of tripleShares) {
      if (!muls.has(nodeId)) throw new InvalidArgumentError(`"triple_shares" names "${nodeId}", which is not a multiplication of the program`);
      for (const t of list) for (const [x] of [t.a, t.b, t.c]) if (x !== this.x) throw new InvalidArgumentError(`"triple_shares.${nodeId}" holds a share at x = ${x}; this custodian is x = ${this.x}`);
      total += list.length;
    }
    if (total > MAX_LEGACY_TRIPLES_PER_INSTALL) throw new InvalidArgumentError(`"triple_shares" expected at most ${MAX_LEGACY_TRIPLES_PER_INSTALL} entries, got ${total}`);
    const lot = lotId ?? toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const pool = this.#pool(programId);
    if (this.#store.hasLot(programId, lot) || [...pool.byLot.keys()].some((k) => k.startsWith(`${lot}\u0000`))) throw new ConflictError(`triple lot ${lot} already installed`);
    const rows: { nodeId: string; seq: number; lotId: string; pos: number; abc: Uint8Array }[] = [];
    for (const [nodeId, list] of tripleShares) {
      const known = pool.byNode.get(nodeId);
      let seq = known === undefined || known.length === 0 ? 1 : known.at(-1)!.seq + 1;
      list.forEach((t, pos) => rows.push({ nodeId, seq: seq++, lotId: lot, pos, abc: packElements([t.a[1], t.b[1], t.c[1]]) }));
    }
    // Seqs are taken now, in this synchronous turn; the entries become usable once durable.
    const placeholder: PoolEntry[] = rows.map((r) => ({ nodeId: r.nodeId, seq: r.seq, lotId: r.lotId, pos: r.pos, used: true }));
    for (const e of placeholder) this.#addEntry(pool, e);
    try {
      await this.#store.commit(() => this.#store.addEntries(programId, rows), [canonicalBytes({ type: 'mpc.custodian.triples', program_id: programId, lot_id: lot, count: total, mode: 'legacy' })]);
    } catch (e) {
      this.#pools.delete(programId); // reload from the store: nothing of this lot is usable
      throw e;
    } finally {
      for (const r of rows) r.abc.fill(0);
    }
    for (const e of placeholder) e.used = false;
    return { status: 'beaver_installed', custodian: this.index, triples_installed: total };
  }

  /** QuorumVM's approval: HMAC-SHA256 of the program id under this custodian's key (installed programs only). */
  async approve(programId: string): Promise<{ custodian_index: number; program_id: string; signature: string }> {
    this.#program(programId);
    await this.#store.commit(() => undefined, [canonicalBytes({ type: 'mpc.custodian.approved', program_id: programId, mode: 'legacy' })]);
    return { custodian_index: this.index, program_id: programId, signature: hmacApproval(this.#key, programId) };
  }

  /** QuorumVM's `/eval_share`: the program run on the given values as plain field elements. */
  evalShare(programId: string, requestId: string, inputs: ReadonlyMap<string, bigint>): { x: bigint; y: string; request_id: string; outputs?: Record<string, string> } {
    const { pkg, plan } = this.#program(programId);
    this.#checkInputs(plan, inputs);
    const out = evaluatePlain(pkg.ir, Object.fromEntries(inputs));
    const values = plan.outputIds.map((id) => out.get(id)!.toString());
    return { x: this.x, y: values[0]!, request_id: requestId, ...(values.length > 1 ? { outputs: Object.fromEntries(plan.outputIds.map((id, i) => [id, values[i]!])) } : {}) };
  }

  #checkInputs(plan: CircuitPlan, inputs: ReadonlyMap<string, bigint>): void {
    for (const id of plan.inputIds) if (!inputs.has(id)) throw new InvalidArgumentError(`missing input "${id}"`);
    for (const id of inputs.keys()) if (!plan.inputIds.includes(id)) throw new InvalidArgumentError(`unknown input "${id}"`);
  }

  /** Takes one pool entry per multiplication: the named ones, or the first unused (FIFO). Synchronous; nothing taken on a throw. */
  #take(programId: string, plan: CircuitPlan, triple: { lotId: string; offset: number } | undefined): PoolEntry[] {
    const pool = this.#pool(programId);
    const picked: PoolEntry[] = [];
    for (const id of multiplicationIds(plan)) {
      if (triple !== undefined) {
        const e = pool.byLot.get(lotKey(triple.lotId, id, triple.offset));
        if (e === undefined) throw new NotFoundError(`Beaver triple ${triple.lotId}[${triple.offset}] for node "${id}" is not installed on this custodian`);
        if (e.used) throw new TripleReusedError(`Beaver triple ${triple.lotId}[${triple.offset}] for node "${id}" was already used`);
        picked.push(e);
        continue;
      }
      const list = pool.byNode.get(id) ?? [];
      let at = pool.cursor.get(id) ?? 0;
      while (at < list.length && list[at]!.used) at++;
      pool.cursor.set(id, at);
      if (at >= list.length) throw new PoolExhaustedError(`Beaver triple pool exhausted for node "${id}"`);
      picked.push(list[at]!);
    }
    for (const e of picked) e.used = true;
    return picked;
  }

  /**
   * QuorumVM's `/eval_beaver`: starts an evaluation on this custodian's input shares, taking one
   * triple per multiplication (durably marked used before the answer), and runs to the first layer.
   */
  async evalBeaver(programId: string, requestId: string, inputs: ReadonlyMap<string, bigint>, triple?: { lotId: string; offset: number }): Promise<LegacyStepAnswer> {
    const { plan } = this.#program(programId);
    this.#checkInputs(plan, inputs);
    if (this.#running.has(requestId)) throw new ConflictError('an evaluation with this request_id is in progress');
    const picked = this.#take(programId, plan, triple);
    const durable = this.#store.commit(() => this.#store.markUsed(programId, picked, requestId));
    const n = picked.length * FIELD_ELEMENT_BYTES;
    const a = new Uint8Array(n), b = new Uint8Array(n), c = new Uint8Array(n);
    const inputShares = new Map(plan.inputIds.map((id) => [id, packElements([inputs.get(id)!])] as const));
    const held = [a, b, c, ...inputShares.values()];
    let exec: ShareExecution;
    let step: Step;
    try {
      picked.forEach((e, m) => {
        const abc = this.#store.entryShares(programId, e.nodeId, e.seq);
        a.set(abc.subarray(0, 16), m * 16); b.set(abc.subarray(16, 32), m * 16); c.set(abc.subarray(32, 48), m * 16);
        abc.fill(0);
      });
      exec = new ShareExecution(plan, { batch: 1, x: this.x, inputs: inputShares, secrets: new Map(), triples: { a, b, c } });
      step = exec.start();
    } catch (e) {
      for (const h of held) h.fill(0);
      throw e;
    }
    await durable;
    const run: Running = { programId, plan, exec, held, layer: -1, p2p: new Map(), expires: Date.now() + EVAL_TTL_MS };
    this.#running.add(requestId, run);
    return this.#answer(requestId, run, step);
  }

  #run(programId: string, requestId: string): Running {
    const r = this.#running.get(requestId);
    if (r === undefined || r.programId !== programId) throw new UnknownEvalRequestError('No active executor for this request_id');
    if (r.layer < 0) throw new ConflictError('no multiplication is pending for this request_id');
    return r;
  }

  #resume(requestId: string, r: Running, eps: bigint[], delta: bigint[]): LegacyStepAnswer {
    let step: Step;
    try {
      step = r.exec.resume(packElements(eps), packElements(delta));
    } catch (e) {
      this.#running.drop(requestId);
      throw e;
    }
    return this.#answer(requestId, r, step);
  }

  /** Orders `{ node_id → value }` by the pending layer, refusing missing or extra nodes. */
  #byLayer<T>(r: Running, what: string, got: ReadonlyMap<string, T>): T[] {
    const ids = r.plan.layers[r.layer]!.nodeIds;
    for (const id of got.keys()) if (!ids.includes(id)) throw new InvalidArgumentError(`"${what}" names "${id}", which is not a pending multiplication`);
    return ids.map((id) => {
      const v = got.get(id);
      if (v === undefined) throw new InvalidArgumentError(`"${what}" misses the pending multiplication "${id}"`);
      return v;
    });
  }

  /** QuorumVM's `/beaver_round2`: the layer's opened ε and δ, from the coordinator. */
  round2(programId: string, requestId: string, resolutions: ReadonlyMap<string, readonly [bigint, bigint]>): LegacyStepAnswer {
    const r = this.#run(programId, requestId);
    const opened = this.#byLayer(r, 'resolutions', resolutions);
    return this.#resume(requestId, r, opened.map((v) => v[0]), opened.map((v) => v[1]));
  }

  /** QuorumVM's `/beaver_shares`: a peer's ε, δ shares of the pending layer (the same share again is accepted, another is refused). */
  receiveShares(requestId: string, fromX: bigint, shares: ReadonlyMap<string, readonly [bigint, bigint]>): { status: 'received'; custodian: number } {
    const r = this.#running.get(requestId);
    if (r === undefined || r.layer < 0) throw new UnknownEvalRequestError('No active executor for this request_id');
    const ids = r.plan.layers[r.layer]!.nodeIds;
    for (const [id, v] of shares) {
      if (!ids.includes(id)) throw new InvalidArgumentError(`"shares" names "${id}", which is not a pending multiplication`);
      const prior = r.p2p.get(id)?.get(fromX);
      if (prior !== undefined && (prior[0] !== v[0] || prior[1] !== v[1])) throw new ConflictError(`custodian x = ${fromX} already sent other shares for "${id}"`);
    }
    for (const [id, v] of shares) r.p2p.get(id)!.set(fromX, v);
    return { status: 'received', custodian: this.index };
  }

  /**
   * QuorumVM's `/beaver_resolve_p2p`: opens ε and δ of each pending multiplication from the P2P
   * shares (at least K; every share beyond K checked to lie on the same polynomial) and continues.
   * @throws CustodiansUnavailableError (503) below K shares; MpcOpeningInconsistentError (502).
   */
  resolveP2p(programId: string, requestId: string, nodeIds: readonly string[]): LegacyStepAnswer {
    const r = this.#run(programId, requestId);
    const ids = this.#byLayer(r, 'mul_node_ids', new Map(nodeIds.map((id) => [id, id])));
    const eps: bigint[] = [], delta: bigint[] = [];
    for (const id of ids) {
      const got = [...r.p2p.get(id)!];
      if (got.length < this.threshold) throw new CustodiansUnavailableError(`Not enough P2P shares for node ${id}: ${got.length} < ${this.threshold}`);
      const opened = openShares(got.map(([x, v]) => ({ x, y: packElements([v[0], v[1]]) })), this.threshold);
      if (!opened.ok) throw new MpcOpeningInconsistentError(`P2P shares of node ${id} are inconsistent: evaluation refused`);
      const [e, d] = unpackElements(opened.values);
      eps.push(e!); delta.push(d!);
    }
    return this.#resume(requestId, r, eps, delta);
  }

  #answer(requestId: string, r: Running, step: Step): LegacyStepAnswer {
    if (step.kind === 'open') {
      r.layer = step.layer;
      r.p2p.clear();
      const ids = r.plan.layers[step.layer]!.nodeIds;
      const eps = unpackElements(step.epsilonShares), delta = unpackElements(step.deltaShares);
      ids.forEach((id, j) => r.p2p.set(id, new Map([[this.x, [eps[j]!, delta[j]!] as const]])));
      return { status: 'mul_pending', mul_requests: ids.map((id, j) => ({ node_id: id, epsilon_share: eps[j]!.toString(), delta_share: delta[j]!.toString() })), request_id: requestId };
    }
    const values = step.outputs.map((o) => unpackElements(o)[0]!.toString());
    const ids = r.plan.outputIds;
    this.#running.drop(requestId);
    return { status: 'done', x: this.x, y: values[0]!, request_id: requestId, ...(values.length > 1 ? { outputs: Object.fromEntries(ids.map((id, i) => [id, values[i]!])) } : {}) };
  }

  #share(programId: string): { x: bigint; y: Uint8Array } {
    const s = this.#store.share(programId);
    if (s === undefined) throw new NotFoundError('No secret share for this program');
    return s;
  }

  /** QuorumVM's `/reshare_generate`: shares of zero for the targets (engine/resharing.ts). */
  reshareGenerate(programId: string, targetXs: readonly bigint[], k: number): { custodian: number; sub_shares: Record<string, string> } {
    this.#share(programId).y.fill(0);
    if (new Set(targetXs).size !== targetXs.length) throw new InvalidArgumentError('"target_x_coords" repeats an abscissa');
    const sub = asInput(() => zeroSubShares(1, k, targetXs));
    const out: Record<string, string> = {};
    for (const [x, v] of sub) out[x.toString()] = unpackElements(v)[0]!.toString();
    return { custodian: this.index, sub_shares: out };
  }

  /** QuorumVM's `/reshare_apply`: adds the received sub-shares to this custodian's share. */
  async reshareApply(programId: string, subShares: readonly bigint[]): Promise<{ custodian: number; status: 'reshared'; x: bigint }> {
    const s = this.#share(programId);
    const next = applySubShares(s.y, subShares.map((v) => packElements([v])));
    s.y.fill(0);
    await this.#store.commit(() => this.#store.putShare(programId, s.x, next), [canonicalBytes({ type: 'mpc.custodian.reshared', program_id: programId, mode: 'legacy' })]);
    next.fill(0);
    return { custodian: this.index, status: 'reshared', x: s.x };
  }

  /** QuorumVM's `/reshare_set_share`: sets this custodian's share (onboarding), installing the package when given and absent. */
  async reshareSetShare(programId: string, x: bigint, y: bigint, packageJson?: unknown): Promise<{ custodian: number; status: 'share_set'; x: bigint }> {
    let pkg: ProgramPackage | undefined;
    if (packageJson !== undefined && this.#store.program(programId) === undefined) {
      pkg = parsePackage(packageJson);
      if (pkg.programId !== programId) throw new InvalidArgumentError('"program_package" is not the package of "program_id"');
      assertLegacyPlan(planCircuit(pkg.ir));
    }
    const packed = packElements([y]);
    await this.#store.commit(() => {
      if (pkg !== undefined) this.#store.putProgram(programId, canonicalizePython(packageToJson(pkg)), new Date().toISOString());
      this.#store.putShare(programId, x, packed);
    }, [canonicalBytes({ type: 'mpc.custodian.share_set', program_id: programId, mode: 'legacy' })]);
    packed.fill(0);
    return { custodian: this.index, status: 'share_set', x };
  }

  /** QuorumVM's `/reshare_lagrange_partial`: λ_i(target)·y_i over the participants. */
  lagrangePartial(programId: string, target: bigint, participants: readonly bigint[]): { custodian: number; partial: string } {
    const s = this.#share(programId);
    try {
      return { custodian: this.index, partial: unpackElements(asInput(() => lagrangePartial(s.x, s.y, participants, target)))[0]!.toString() };
    } finally {
      s.y.fill(0);
    }
  }

  /** QuorumVM's `DELETE /reshare_retire/{id}`: forgets the program, its share and its triples. */
  async retire(programId: string): Promise<{ custodian: number; status: 'retired' | 'not_found'; program_id: string }> {
    this.#running.dropAll(programId);
    const had = await this.#store.commit(() => this.#store.retire(programId), [canonicalBytes({ type: 'mpc.custodian.retired', program_id: programId, mode: 'legacy' })]);
    this.#programs.delete(programId);
    this.#pools.delete(programId);
    return { custodian: this.index, status: had ? 'retired' : 'not_found', program_id: programId };
  }

  /** The custodian's audit trail (read-only). */
  auditLog(): AuditReader {
    return this.#trail;
  }

  /** Stops running evaluations, closes the store and the trail, releases the data dir. */
  async close(): Promise<void> {
    this.#running.dropAll();
    await this.#files.close();
  }
}
