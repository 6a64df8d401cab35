// The `--legacy` coordinator (QuorumVM's quorumvm/coordinator/app.py, on quorumkit's domain code):
// clients send plaintext inputs, which it Shamir-shares itself (K of N at x = 1..N); it deals the
// Beaver triples (engine/triples.ts) into the custodians' per-node pools in QuorumVM's
// `triple_shares` shape, one lot per install or replenishment, and allocates one pool position per
// evaluation from the lots (triple-pool.ts, cursors committed before any custodian is called, so no
// triple is used twice, also across restarts); approvals are QuorumVM's HMAC-SHA256 over the program
// id (legacy-hmac.ts) and activation needs K DISTINCT custodians (QuorumVM counts duplicates);
// policy is policy.ts (QuorumVM's budget and token bucket and reasons) with durable spending; every
// event goes to QuorumVM's hash chain and the transparency log (coordinator-events.ts). Unlike the
// default mode it sees inputs, outputs and triples: legacy mode exists so QuorumVM's clients run
// unchanged, not for its trust model. Node-only.

import { canonicalizePython } from '../../core/canonical-python.js';
import { toHex } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { packElements, splitMany, unpackElements } from '../../field/index.js';
import { callService } from '../../http/client.js';
import { KeyedMutex } from '../../http/keyed-mutex.js';
import type { AuditReader } from '../../http/log-routes.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import type { AuditChainEntry } from '../audit-chain.js';
import { dealTriples, planCircuit, type CircuitPlan } from '../engine/index.js';
import { ApprovalInvalidError, PolicyDeniedError, PoolExhaustedError, ProgramNotActiveError, ProgramNotFoundError } from '../errors.js';
import { QUORUMVM_DEFAULT_HMAC_KEYS, verifyHmacApproval } from '../legacy-hmac.js';
import { packageToJson, parsePackage, type ProgramPackage } from '../package.js';
import { chainView, stageEvent, evalFailure } from './coordinator-events.js';
import { recordApproval, SpendingLedger } from './coordinator-ledger.js';
import { CoordinatorStore } from './coordinator-store.js';
import { runLegacyEval } from './legacy-eval-run.js';
import { assertLegacyPlan, multiplicationIds } from './legacy-program.js';
import { PolicyEngine } from './policy.js';
import { TriplePool } from './triple-pool.js';

/** Options of {@link LegacyCoordinatorService.open}. */
export interface LegacyCoordinatorOptions {
  readonly dataDir: string;
  /** Signs the transparency log's checkpoints. */
  readonly identity: Identity;
  /** Custodian base URLs, in index order (custodian i is at x = i + 1). */
  readonly custodians: readonly { readonly url: string }[];
  /** K. */
  readonly threshold: number;
  /** Approval keys by custodian index (default QuorumVM's). */
  readonly hmacKeys?: readonly string[];
  readonly callTimeoutMs?: number;
  /** Clock for audit timestamps (seconds, float). */
  readonly now?: () => number;
}

interface Loaded {
  readonly pkg: ProgramPackage;
  readonly plan: CircuitPlan;
  readonly pool: TriplePool;
  status: 'PENDING' | 'ACTIVE';
}

/** QuorumVM's DEFAULT_BEAVER_POOL_SIZE: evaluations' worth of triples dealt at install. */
export const LEGACY_DEFAULT_POOL_SIZE = 5;
/** Most triples one deal may create (pool size × multiplications per evaluation). */
export const MAX_LEGACY_DEAL = 200_000;

/** The legacy coordinator's domain service. */
export class LegacyCoordinatorService {
  readonly threshold: number;
  readonly #o: LegacyCoordinatorOptions;
  readonly #keys: readonly string[];
  readonly #store: CoordinatorStore;
  readonly #trail: AuditTrail;
  readonly #files: ServiceFiles<CoordinatorStore>;
  readonly #programs = new Map<string, Loaded>();
  readonly #spending: SpendingLedger;
  readonly #locks = new KeyedMutex();
  readonly #now: () => number;
  readonly #all: number[];

  private constructor(o: LegacyCoordinatorOptions, files: ServiceFiles<CoordinatorStore>) {
    this.#o = o;
    this.threshold = o.threshold;
    this.#keys = o.hmacKeys ?? QUORUMVM_DEFAULT_HMAC_KEYS;
    this.#files = files;
    this.#store = files.store;
    this.#trail = files.trail;
    this.#spending = new SpendingLedger(files.store, new PolicyEngine());
    this.#now = o.now ?? (() => Date.now() / 1000);
    this.#all = o.custodians.map((_, i) => i);
  }

  /**
   * Opens the data dir (locked to this process).
   * @throws RangeError for a threshold outside 1..N.
   */
  static async open(o: LegacyCoordinatorOptions): Promise<LegacyCoordinatorService> {
    if (!Number.isSafeInteger(o.threshold) || o.threshold < 1 || o.threshold > o.custodians.length) throw new RangeError(`"threshold" expected 1..${o.custodians.length} (the number of custodians)`);
    const files = await openServiceFiles(o.dataDir, { database: 'legacy-coordinator.db', openStore: (p) => CoordinatorStore.open(p), origin: 'quorumkit/mpc/legacy-coordinator', signer: o.identity });
    return new LegacyCoordinatorService(o, files);
  }

  #load(programId: string): Loaded {
    let p = this.#programs.get(programId);
    if (p === undefined) {
      const row = this.#store.program(programId);
      if (row === undefined) throw new ProgramNotFoundError('Program not installed');
      const pkg = parsePackage(parseStrict(row.packageJson, { bigints: true }));
      p = { pkg, plan: planCircuit(pkg.ir), pool: new TriplePool(this.#store.lots(programId)), status: row.status };
      this.#programs.set(programId, p);
    }
    return p;
  }

  async #log(event: string, data: Record<string, unknown>, also?: () => void): Promise<void> {
    const e = stageEvent(this.#store, this.#now(), event, data);
    await this.#store.commit(() => { also?.(); e.write(); }, [e.record]);
  }

  #post(index: number, path: string, body: unknown): Promise<unknown> {
    return callService(this.#o.custodians[index]!.url, path, { bodyText: canonicalizePython(body), bigints: true, timeoutMs: this.#o.callTimeoutMs ?? 10_000 });
  }

  /** Evaluations the pool still covers (QuorumVM's `beaver_pool`); 0 for a program without multiplications. */
  #remaining(p: Loaded): number {
    return p.pool.remaining(p.plan.triplesPerEval === 0 ? 0 : 1, this.#all, this.threshold);
  }

  #ready(p: Loaded): boolean {
    return p.plan.triplesPerEval === 0 || this.#remaining(p) > 0;
  }

  /**
   * QuorumVM's install: stores the package (PENDING) and, for a program with multiplications, deals
   * `poolSize` evaluations' worth of triples unless `generateBeaver` is false. Installing the same
   * package again deals triples again, as QuorumVM's install does, but keeps the status, the
   * approvals and the budgets spent (QuorumVM resets them: anyone could undo an activation or a
   * spent budget by installing again).
   */
  async install(packageJson: unknown, opts: { generateBeaver?: boolean; poolSize?: number } = {}): Promise<{ status: 'installed'; program_id: string; beaver_ready: boolean; beaver_pool: number }> {
    const pkg = parsePackage(packageJson);
    const plan = planCircuit(pkg.ir);
    assertLegacyPlan(plan);
    const size = opts.poolSize ?? LEGACY_DEFAULT_POOL_SIZE;
    if (size * plan.triplesPerEval > MAX_LEGACY_DEAL) throw new InvalidArgumentError(`"beaver_pool_size" × multiplications per evaluation expected at most ${MAX_LEGACY_DEAL}`);
    const id = pkg.programId;
    return this.#locks.run(id, async () => {
      if (this.#store.program(id) === undefined) {
        const text = canonicalizePython(packageToJson(pkg));
        await this.#log('install', { program_id: id, version: pkg.version }, () => this.#store.putProgram({ programId: id, packageJson: text, status: 'PENDING', extractionBound: null }, 'legacy'));
        this.#programs.set(id, { pkg, plan, pool: new TriplePool(), status: 'PENDING' });
      }
      const p = this.#load(id);
      if (plan.triplesPerEval > 0 && opts.generateBeaver !== false && size > 0) await this.#deal(id, p, size);
      return { status: 'installed', program_id: id, beaver_ready: this.#ready(p), beaver_pool: this.#remaining(p) };
    });
  }

  /**
   * Deals `evals` pool positions: per position one triple per multiplication node, shared K of N,
   * sent to each custodian's /install_beaver; the lot is held by those that accepted it.
   */
  async #deal(programId: string, p: Loaded, evals: number): Promise<{ lotId: string; holders: number[] }> {
    const ids = multiplicationIds(p.plan);
    const t = ids.length;
    const dealt = dealTriples(evals * t, { k: this.threshold, n: this.#all.length });
    const lotId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const bodies = dealt.map((d) => {
      const [a, b, c] = [unpackElements(d.a), unpackElements(d.b), unpackElements(d.c)];
      d.a.fill(0); d.b.fill(0); d.c.fill(0);
      const shares: Record<string, { a: bigint[]; b: bigint[]; c: bigint[] }[]> = {};
      ids.forEach((id, m) => {
        shares[id] = Array.from({ length: evals }, (_, e) => ({ a: [d.x, a[e * t + m]!], b: [d.x, b[e * t + m]!], c: [d.x, c[e * t + m]!] }));
      });
      return { program_id: programId, lot_id: lotId, triple_shares: shares };
    });
    const sent = await Promise.allSettled(bodies.map((body, i) => this.#post(i, '/install_beaver', body)));
    const holders = this.#all.filter((i) => sent[i]!.status === 'fulfilled');
    await this.#store.commit(() => this.#store.addLot(programId, lotId, evals, holders));
    p.pool.add({ lotId, count: evals, nextOffset: 0, holders });
    return { lotId, holders };
  }

  /** QuorumVM's /replenish_beaver: deals `poolSize` more positions. */
  async replenish(programId: string, poolSize: number): Promise<Record<string, unknown>> {
    const p = this.#load(programId);
    if (p.plan.triplesPerEval === 0) return { status: 'no_mul_nodes', program_id: programId };
    if (poolSize * p.plan.triplesPerEval > MAX_LEGACY_DEAL) throw new InvalidArgumentError(`"pool_size" × multiplications per evaluation expected at most ${MAX_LEGACY_DEAL}`);
    return this.#locks.run(programId, async () => {
      const { lotId, holders } = await this.#deal(programId, p, poolSize);
      const remaining = this.#remaining(p);
      await this.#log('replenish_beaver', { program_id: programId, pool_size: poolSize, total_remaining: remaining, lot_id: lotId, holders });
      return { status: 'replenished', program_id: programId, pool_remaining: remaining };
    });
  }

  /** QuorumVM's /beaver_pool/{id}. */
  beaverPool(programId: string): { program_id: string; pool_remaining: number; beaver_ready: boolean } {
    const p = this.#load(programId);
    return { program_id: programId, pool_remaining: this.#remaining(p), beaver_ready: this.#ready(p) };
  }

  /**
   * QuorumVM's /approve: custodian `index`'s HMAC over the program id; the program activates once K
   * distinct custodians approved (a repeated approval is answered and not counted).
   * @throws ProgramNotFoundError (404); ApprovalInvalidError (403) "Invalid signature".
   */
  async approve(programId: string, index: number, signature: string): Promise<{ status: string; approvals: number; needed: number }> {
    const p = this.#load(programId);
    const key = index < this.#all.length ? this.#keys[index] : undefined;
    if (key === undefined || !verifyHmacApproval(key, programId, signature)) throw new ApprovalInvalidError('Invalid signature');
    return this.#locks.run(programId, async () => {
      if (await recordApproval(this.#store, this.#now(), { programId, custodian: `hmac:${index}`, index, proof: signature, threshold: this.threshold, active: p.status === 'ACTIVE' })) p.status = 'ACTIVE';
      return { status: p.status, approvals: this.#store.approvals(programId).length, needed: this.threshold };
    });
  }

  /** QuorumVM's /status/{id}. */
  status(programId: string): { program_id: string; status: string } {
    return { program_id: programId, status: this.#load(programId).status };
  }

  /**
   * QuorumVM's /eval on plaintext inputs: 404 unknown, 400 not active (or inputs that do not match
   * the program), 429 policy (QuorumVM's reasons), 409 pool exhausted — refusals change nothing but
   * the eval_denied audit event —, then charges the budget, takes a pool position durably, shares
   * the inputs and runs the rounds (503 below K custodians, 502 inconsistent shares).
   */
  async eval(identity: string, programId: string, inputs: ReadonlyMap<string, bigint>): Promise<{ result: bigint; request_id: string; results?: Record<string, bigint> }> {
    const p = this.#load(programId);
    if (p.status !== 'ACTIVE') throw new ProgramNotActiveError('Program not active');
    for (const id of p.plan.inputIds) if (!inputs.has(id)) throw new InvalidArgumentError(`missing input "${id}"`);
    for (const id of inputs.keys()) if (!p.plan.inputIds.includes(id)) throw new InvalidArgumentError(`unknown input "${id}"`);
    const policy = p.pkg.policyManifest;
    const denial = this.#spending.deny(programId, identity, policy, 1);
    if (denial !== null) {
      await this.#log('eval_denied', { program_id: programId, identity_id: identity, reason: denial });
      throw new PolicyDeniedError(denial);
    }
    const alloc = p.plan.triplesPerEval === 0 ? null : p.pool.allocate(1, this.#all, this.threshold);
    if (p.plan.triplesPerEval > 0 && alloc === null) {
      await this.#log('eval_denied', { program_id: programId, identity_id: identity, reason: 'Beaver triple pool exhausted' });
      throw new PoolExhaustedError('Beaver triple pool exhausted — replenish via POST /replenish_beaver');
    }
    await this.#spending.charge(programId, identity, policy, 1, alloc?.cursors ?? []).durable;
    const requestId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const participants = alloc?.custodians ?? this.#all;
    const shares = splitMany(packElements(p.plan.inputIds.map((id) => inputs.get(id)!)), { k: this.threshold, n: this.#all.length });
    const inputShares = new Map(participants.map((i) => {
      const ys = unpackElements(shares[i]!.y);
      return [i, Object.fromEntries(p.plan.inputIds.map((id, j) => [id, { x: BigInt(i + 1), y: ys[j]!.toString() }]))] as const;
    }));
    for (const s of shares) s.y.fill(0);
    const range = alloc?.ranges[0];
    let outcome;
    try {
      outcome = await runLegacyEval({ call: (i, path, body) => this.#post(i, path, body), programId, requestId, plan: p.plan, k: this.threshold, inputShares, ...(range ? { triple: { lot_id: range.lotId, offset: range.offset } } : {}) });
    } catch (e) {
      const f = evalFailure(e);
      await this.#log(f.event, { program_id: programId, identity_id: identity, request_id: requestId, ...f.data });
      throw e;
    }
    await this.#log('eval_ok', { program_id: programId, identity_id: identity, request_id: requestId, mode: 'beaver', custodians: outcome.custodians });
    const ids = p.plan.outputIds;
    return { result: outcome.outputs[0]!, request_id: requestId, ...(ids.length > 1 ? { results: Object.fromEntries(ids.map((id, i) => [id, outcome.outputs[i]!])) } : {}) };
  }

  /** QuorumVM's /audit view: the hash chain and whether it verifies. */
  audit(): { entries: AuditChainEntry[]; chain_valid: boolean } {
    return chainView(this.#store);
  }

  /** The transparency log (read-only). */
  auditLog(): AuditReader {
    return this.#trail;
  }

  async close(): Promise<void> {
    await this.#files.close();
  }
}
