// The MPC custodian (QuorumVM's custodian/app.py, made secure): it holds packages, its Shamir shares
// of each program's secret parameters and its Beaver-triple shares, approves programs with its
// ML-DSA identity, and evaluates batches on shares with the engine (src/mpc/engine). Inputs,
// secrets and triples reach it only in sealed boxes (channel/seal.ts) bound to this custodian and
// to their purpose; each triple range is reserved synchronously, inside a claim that is durable
// before any opening computed from it leaves (CustodianStore.reserveTriples), so a triple is used
// at most once.
// Shares never appear in logs, errors or audit records. Node-only.

import { canonicalBytes, canonicalize } from '../../core/canonical-json.js';
import { canonicalizePython } from '../../core/canonical-python.js';

import { ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { signEnvelope, type Envelope } from '../../envelope/index.js';
import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { batch as fieldBatch, FieldNotCanonicalError, unpackElements } from '../../field/index.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { AuditReader } from '../../http/log-routes.js';
import { NonceCache, type ReplayGuard } from '../../http/replay-guard.js';
import type { Identity } from '../../pq/identity.js';
import { openSealed } from '../channel/seal.js';
import type { KemKeyPair } from '../channel/kem.js';
import { signKeyCard } from '../channel/key-card.js';
import { planCircuit, ShareExecution, type CircuitPlan, type Step } from '../engine/index.js';
import { EVAL_TTL_MS, RunningEvals, type RunningEval } from './running-evals.js';
import { UnknownEvalRequestError, TripleReusedError } from '../errors.js';
import { packageToJson, parsePackage, type ProgramPackage } from '../package.js';
import { encodePacked, firstNonCanonical } from '../wire.js';
import { CustodianStore, type TripleRange } from './custodian-store.js';
import { boxAad } from '../channel/aad.js';
import { CustodianResharing } from './custodian-reshare.js';

/** Who may call a custodian, by did. */
export interface CustodianTrust {
  /** Coordinators: evaluation, activation and resharing. */
  readonly coordinators: ReadonlySet<string>;
  /** Dealers: Beaver-triple delivery. */
  readonly dealers: ReadonlySet<string>;
  /** Model owners: installs (with secret shares) and approval requests. */
  readonly owners: ReadonlySet<string>;
}

/** Options of {@link CustodianService.open}. */
export interface CustodianOptions {
  /** Data dir (custodian.db, log.db), or `:memory:`. */
  readonly dataDir: string;
  readonly identity: Identity;
  /** The channel key (its public half is on the key card). */
  readonly kem: KemKeyPair;
  /** 0-based custodian index; its Shamir abscissa is index + 1 unless `x` is given. */
  readonly index: number;
  readonly x?: bigint;
  readonly trust: CustodianTrust;
}

/** A custodian's answer to an evaluation step (QuorumVM's `mul_pending` / `done`, packed). */
export type StepAnswer =
  | { status: 'mul_pending'; request_id: string; x: string; layer: number; epsilon_shares: string; delta_shares: string }
  | { status: 'done'; request_id: string; x: string; outputs: Record<string, string> };

interface Running extends RunningEval {
  readonly plan: CircuitPlan;
  /** Output mask shares (packed, per output), added to the output shares when done. */
  readonly masks: Uint8Array[];
}

/** Round nonces remembered at once (two per evaluation; the skew window is 5 minutes). */
const ROUND_NONCES = 1_000_000;
/** Largest batch a custodian evaluates in one request. */
export const MAX_EVAL_BATCH = 100_000;

/** The custodian's domain service. */
export class CustodianService {
  readonly did: string;
  readonly index: number;
  readonly x: bigint;
  readonly replayGuard: ReplayGuard;
  /** Proactive resharing and rotation of this custodian's shares (custodian-reshare.ts). */
  readonly reshare: CustodianResharing;
  /**
   * The replay guard of the evaluation rounds (/eval_beaver, /beaver_round2): nonces in memory only,
   * so a round's answer waits for no nonce fsync. Why that keeps every replay refused: within this
   * process's life the cache refuses any nonce of the skew window; after a restart the durable
   * domain state does — /eval_beaver's triple ranges are reserved in a commit that is on disk
   * before its answer leaves (a replay then gets 409 TripleReused; a request whose reservation was
   * not yet durable had no answer, so its replay is just the first use), and /beaver_round2 only
   * continues an execution held in memory, which a restart ends (404 UnknownEvalRequest). Every
   * other route keeps the durable guard.
   */
  readonly roundReplayGuard: ReplayGuard = new NonceCache(ROUND_NONCES);
  readonly #identity: Identity;
  readonly #kem: KemKeyPair;
  readonly #store: CustodianStore;
  readonly #trail: AuditTrail;
  readonly #files: ServiceFiles<CustodianStore>;
  readonly #trust: CustodianTrust;
  readonly #running = new RunningEvals<Running>();
  readonly #plans = new Map<string, { pkg: ProgramPackage; plan: CircuitPlan }>();
  #keyCard: Promise<Envelope> | undefined;

  private constructor(o: CustodianOptions, files: ServiceFiles<CustodianStore>) {
    const { store, trail } = files;
    this.#files = files;
    this.did = o.identity.did;
    this.index = o.index;
    this.x = o.x ?? BigInt(o.index + 1);
    this.#identity = o.identity;
    this.#kem = o.kem;
    this.#store = store;
    this.#trail = trail;
    this.#trust = o.trust;
    this.replayGuard = store.replayGuard();
    this.reshare = new CustodianResharing({
      did: this.did, index: this.index, x: this.x, store, kemSecretKey: o.kem.secretKey, owners: o.trust.owners,
      secretCount: (id) => this.#program(id).plan.secretIds.length,
      forget: (id) => { this.#plans.delete(id); },
    });
  }

  /**
   * Opens the custodian's data dir (locked to this process) and recovers its audit outbox.
   * @throws RangeError for an index outside 0..1023 or an abscissa outside 1..9999999; ConflictError
   *   when the data dir holds shares at another abscissa than `x` (a custodian's x never changes).
   */
  static async open(o: CustodianOptions): Promise<CustodianService> {
    if (!Number.isSafeInteger(o.index) || o.index < 0 || o.index > 1023) throw new RangeError('"index" expected 0..1023');
    const x = o.x ?? BigInt(o.index + 1);
    if (typeof x !== 'bigint' || x < 1n || x > 9_999_999n) throw new RangeError('"x" expected an abscissa 1..9999999');
    const files = await openServiceFiles(o.dataDir, { database: 'custodian.db', openStore: (p) => CustodianStore.open(p), origin: `quorumkit/mpc/custodian/${o.identity.did.slice(10, 26)}`, signer: o.identity });
    const held = files.store.shareAbscissas().find((h) => h !== x);
    if (held !== undefined) {
      await files.close();
      throw new ConflictError(`this data dir holds shares at abscissa ${held}, not ${x}: a custodian keeps its abscissa`);
    }
    return new CustodianService(o, files);
  }

  /** May `did` call as `role`? */
  allows(role: keyof CustodianTrust, did: string): boolean {
    return this.#trust[role].has(did);
  }

  /** The signed key card (cached). */
  keyCard(): Promise<Envelope> {
    this.#keyCard ??= signKeyCard(this.#identity, { index: this.index, x: this.x, kemPublicKey: this.#kem.publicKey });
    return this.#keyCard;
  }

  health(): { custodian: number; status: 'ok'; did: string; x: string; programs: number } {
    return { custodian: this.index, status: 'ok', did: this.did, x: this.x.toString(), programs: this.#store.programIds().length };
  }

  #program(programId: string): { pkg: ProgramPackage; plan: CircuitPlan } {
    let p = this.#plans.get(programId);
    if (p === undefined) {
      const row = this.#store.program(programId);
      if (row === undefined) throw new NotFoundError('Program not installed on this custodian');
      const pkg = parsePackage(parseStrict(row.packageJson, { bigints: true }));
      p = { pkg, plan: planCircuit(pkg.ir) };
      this.#plans.set(programId, p);
    }
    return p;
  }

  /**
   * Installs a package from its owner with this custodian's shares of the program's secret
   * parameters (a sealed box of packed shares in IR order; absent for a program without secrets).
   * Idempotent for the same package; a second install with other shares is refused (409).
   */
  async install(owner: string, packageJson: unknown, sealedSecrets: Uint8Array | undefined): Promise<{ status: 'installed'; custodian: number; program_id: string }> {
    const pkg = parsePackage(packageJson);
    const plan = planCircuit(pkg.ir);
    const programId = pkg.programId;
    let shares: Uint8Array | null = null;
    if (plan.secretIds.length > 0) {
      if (sealedSecrets === undefined) throw new InvalidArgumentError(`program has ${plan.secretIds.length} secret parameter(s): "secret_shares" is required`);
      shares = await openSealed(this.#kem.secretKey, sealedSecrets, boxAad('install-secrets', programId, this.did));
      if (shares.length !== plan.secretIds.length * FIELD_ELEMENT_BYTES) throw new InvalidArgumentError(`"secret_shares" expected ${plan.secretIds.length} packed shares`);
      if (firstNonCanonical(shares) >= 0) { shares.fill(0); throw new FieldNotCanonicalError('"secret_shares" holds a value ≥ p'); }
    } else if (sealedSecrets !== undefined) {
      throw new InvalidArgumentError('program has no secret parameters: "secret_shares" must be absent');
    }
    const existing = this.#store.program(programId);
    if (existing !== undefined && this.#store.secretShares(programId) !== undefined && shares !== null) {
      throw new ConflictError('program already installed with its secret shares');
    }
    const text = canonicalizePython(packageToJson(pkg));
    await this.#store.commit(
      () => this.#store.putProgram({ programId, packageJson: text, owner }, new Date().toISOString(), shares === null ? null : { x: this.x, shares }),
      existing === undefined ? [canonicalBytes({ type: 'mpc.custodian.installed', program_id: programId, owner, secrets: plan.secretIds.length })] : [],
    );
    shares?.fill(0);
    this.#plans.set(programId, { pkg, plan });
    return { status: 'installed', custodian: this.index, program_id: programId };
  }

  /**
   * Approves an installed program: an ML-DSA envelope over { program_id, custodian, index }, kept
   * so the same approval is returned again. Refused while the secret shares are missing.
   */
  async approve(programId: string): Promise<{ custodian_index: number; program_id: string; signature: Envelope }> {
    const { plan } = this.#program(programId);
    if (plan.secretIds.length > 0 && this.#store.secretShares(programId) === undefined) throw new ConflictError('secret shares not installed: cannot approve');
    const kept = this.#store.approval(programId);
    if (kept !== undefined) return { custodian_index: this.index, program_id: programId, signature: parseStrict(kept) as Envelope };
    const env = await signEnvelope({ program_id: programId, custodian: this.did, index: this.index }, 'mpc-approval', [this.#identity]);
    await this.#store.commit(() => this.#store.putApproval(programId, canonicalize(env)), [canonicalBytes({ type: 'mpc.custodian.approved', program_id: programId })]);
    return { custodian_index: this.index, program_id: programId, signature: env };
  }

  /** Stores a lot of Beaver-triple shares sealed to this custodian by the dealer (a ‖ b ‖ c, packed). */
  async installBeaver(programId: string, lotId: string, count: number, box: Uint8Array): Promise<{ status: 'beaver_installed'; custodian: number; triples_installed: number }> {
    this.#program(programId);
    if (this.#store.hasLot(programId, lotId)) throw new ConflictError(`triple lot ${lotId} already installed`);
    const plain = await openSealed(this.#kem.secretKey, box, boxAad('triples', programId, this.did, lotId, String(count)));
    try {
      const n = count * FIELD_ELEMENT_BYTES;
      if (plain.length !== 3 * n) throw new InvalidArgumentError(`triple lot expected ${count} triples`);
      if (firstNonCanonical(plain) >= 0) throw new FieldNotCanonicalError('triple lot holds a value ≥ p');
      const lot = { count, a: plain.slice(0, n), b: plain.slice(n, 2 * n), c: plain.slice(2 * n) };
      await this.#store.commit(() => this.#store.putLot(programId, lotId, lot), [canonicalBytes({ type: 'mpc.custodian.triples', program_id: programId, lot_id: lotId, count })]);
      lot.a.fill(0); lot.b.fill(0); lot.c.fill(0);
    } finally {
      plain.fill(0);
    }
    return { status: 'beaver_installed', custodian: this.index, triples_installed: count };
  }

  /** Triples of a program still unused here. */
  unusedTriples(programId: string): number {
    this.#program(programId);
    return this.#store.unusedTriples(programId);
  }

  #gatherTriples(programId: string, ranges: readonly TripleRange[], need: number): { a: Uint8Array; b: Uint8Array; c: Uint8Array } {
    const total = ranges.reduce((s, r) => s + r.count, 0);
    if (total !== need) throw new InvalidArgumentError(`"triples" expected ${need} triples for this batch, got ${total}`);
    const a = new Uint8Array(need * FIELD_ELEMENT_BYTES), b = new Uint8Array(a.length), c = new Uint8Array(a.length);
    let at = 0;
    for (const r of ranges) {
      const slice = this.#store.lotRange(programId, r.lotId, r.offset, r.count);
      if (slice === undefined) {
        if (!this.#store.hasLot(programId, r.lotId)) throw new NotFoundError(`triple lot ${r.lotId} not installed on this custodian`);
        throw new InvalidArgumentError(`triple range ${r.lotId}[${r.offset}, ${r.offset + r.count}) is outside the lot`);
      }
      a.set(slice.a, at); b.set(slice.b, at); c.set(slice.c, at);
      slice.a.fill(0); slice.b.fill(0); slice.c.fill(0);
      at += r.count * FIELD_ELEMENT_BYTES;
    }
    return { a, b, c };
  }

  /**
   * Starts a batch evaluation: opens the sealed inputs (per input, B shares; then per output, B mask
   * shares), reserves the triple ranges (409 on any reuse), and runs to the first opening. The
   * triple reservation's claim is durable before the answer leaves.
   */
  async evalBeaver(req: { programId: string; requestId: string; batch: number; inputs: Uint8Array; triples: readonly TripleRange[] }): Promise<StepAnswer> {
    const { programId, requestId, batch } = req;
    const { plan } = this.#program(programId);
    if (!this.#store.isApproved(programId)) throw new ForbiddenError('this custodian has not approved the program');
    if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_EVAL_BATCH) throw new InvalidArgumentError(`"batch" expected 1..${MAX_EVAL_BATCH}`);
    const plain = await openSealed(this.#kem.secretKey, req.inputs, boxAad('eval-input', programId, this.did, requestId, String(batch)));
    const per = batch * FIELD_ELEMENT_BYTES;
    const expected = (plan.inputIds.length + plan.outputIds.length) * per;
    if (plain.length !== expected) {
      plain.fill(0);
      throw new InvalidArgumentError(`sealed inputs expected ${plan.inputIds.length} input(s) and ${plan.outputIds.length} mask(s) of ${batch}`);
    }
    const inputs = new Map<string, Uint8Array>();
    plan.inputIds.forEach((id, i) => inputs.set(id, plain.subarray(i * per, (i + 1) * per)));
    const masks = plan.outputIds.map((_, i) => plain.slice((plan.inputIds.length + i) * per, (plan.inputIds.length + i + 1) * per));
    const triples = this.#gatherTriples(programId, req.triples, plan.triplesPerEval * batch);
    const reserved = this.#store.reserveTriples(programId, req.triples, requestId);
    if ('conflict' in reserved) {
      plain.fill(0);
      triples.a.fill(0); triples.b.fill(0); triples.c.fill(0);
      throw new TripleReusedError(`triple range ${reserved.conflict.lotId}[${reserved.conflict.offset}, +${reserved.conflict.count}) was already used`, { details: { lot_id: reserved.conflict.lotId, used_until: reserved.usedUntil } });
    }
    // Inside a window this life claimed already: nothing to write (CustodianStore's header).
    const durable = reserved.write === null ? undefined : this.#store.commit(reserved.write);
    // The execution reads the inputs and triples until it is done: they are wiped when it ends (#drop).
    const held = [plain, triples.a, triples.b, triples.c, ...masks];
    let exec: ShareExecution;
    let step: Step;
    try {
      exec = new ShareExecution(plan, { batch, x: this.x, inputs, secrets: this.#secretMap(programId, plan), triples });
      step = exec.start();
    } catch (e) {
      for (const h of held) h.fill(0);
      throw e;
    }
    if (durable !== undefined) await durable;
    // The coordinator starts an evaluation over on fresh triples when another custodian refused the
    // first ones (eval-run.ts): the same request id replaces the started one. (Its inputs, opened
    // against other, fresh triples, reveal nothing more: ε = x − a for a new random a.)
    if (this.#running.has(requestId)) this.#running.drop(requestId);
    this.#running.add(requestId, { programId, exec, plan, masks, held, expires: Date.now() + EVAL_TTL_MS });
    return this.#answer(requestId, step);
  }

  #secretMap(programId: string, plan: CircuitPlan): Map<string, bigint> {
    const m = new Map<string, bigint>();
    if (plan.secretIds.length === 0) return m;
    const s = this.#store.secretShares(programId);
    if (s === undefined) throw new ConflictError('secret shares not installed');
    const values = unpackElements(s.shares);
    s.shares.fill(0);
    plan.secretIds.forEach((id, i) => m.set(id, values[i]!));
    return m;
  }

  /** Continues an evaluation with the layer's opened ε and δ (packed, layer size × B each). */
  round2(req: { programId: string; requestId: string; epsilon: Uint8Array; delta: Uint8Array }): StepAnswer {
    const r = this.#running.get(req.requestId);
    if (r === undefined || r.programId !== req.programId) throw new UnknownEvalRequestError('No active executor for this request_id');
    let step: Step;
    try {
      step = r.exec.resume(req.epsilon, req.delta);
    } catch (e) {
      this.#running.drop(req.requestId);
      throw e;
    }
    return this.#answer(req.requestId, step);
  }

  #answer(requestId: string, step: Step): StepAnswer {
    const x = this.x.toString();
    if (step.kind === 'open') {
      return { status: 'mul_pending', request_id: requestId, x, layer: step.layer, epsilon_shares: encodePacked(step.epsilonShares), delta_shares: encodePacked(step.deltaShares) };
    }
    const r = this.#running.get(requestId);
    const outputs: Record<string, string> = {};
    r?.plan.outputIds.forEach((id, i) => {
      const masked = fieldBatch.add(step.outputs[i]!, r.masks[i]!);
      outputs[id] = encodePacked(masked);
    });
    this.#running.drop(requestId);
    return { status: 'done', request_id: requestId, x, outputs };
  }

  /** The custodian's audit trail (read-only). */
  auditLog(): AuditReader {
    return this.#trail;
  }

  /** Records the triple ranges used exactly (CustodianStore.settleClaims), closes the store and the trail, then releases the data dir. */
  async close(): Promise<void> {
    this.#running.dropAll();
    try {
      this.#store.transaction(() => this.#store.settleClaims());
    } catch {
      // The claims stay: their unused triples are refused from now on, none is ever reused.
    }
    await this.#files.close();
  }
}


