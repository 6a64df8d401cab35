// The MPC coordinator (QuorumVM's coordinator/app.py, made secure): it installs packages, activates
// one once K distinct custodians have approved it with their ML-DSA identities, enforces each
// program's policy (budget, rate, and the extraction bound), allocates Beaver triples the dealer
// delivered, and drives evaluations (eval-run.ts) without ever holding an input, an output, a secret
// or a triple. Every event goes to QuorumVM's hash chain (GET /audit) and, through the store's
// outbox, to the transparency log. Proactive resharing and custodian rotation (reshare-run.ts) run
// with the program's evaluations paused and change its custodian set durably. Node-only.

import { canonicalize } from '../../core/canonical-json.js';
import { canonicalizePython } from '../../core/canonical-python.js';
import { ConflictError, InvalidArgumentError } from '../../core/errors.js';
import { toHex } from '../../core/bytes.js';
import { parseStrict } from '../../core/parse-strict.js';
import { verifyEnvelope } from '../../envelope/index.js';
import type { AuditReader } from '../../http/log-routes.js';
import type { ReplayGuard } from '../../http/replay-guard.js';
import { KeyedMutex } from '../../http/keyed-mutex.js';
import { callService } from '../../http/client.js';
import { nodeTransport } from '../../http/node-transport.js';
import type { HttpTransport } from '../../http/client.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import { extractionBound } from '../analysis.js';
import type { AuditChainEntry } from '../audit-chain.js';
import { planCircuit, type CircuitPlan } from '../engine/index.js';
import { ApprovalInvalidError, CustodiansUnavailableError, ExtractablePolicyError, PolicyDeniedError, PoolExhaustedError, ProgramNotActiveError, ProgramNotFoundError } from '../errors.js';
import { packageToJson, parsePackage, type ProgramPackage } from '../package.js';
import { requireMember } from '../membership.js';
import { CoordinatorStore } from './coordinator-store.js';
import { chainView, evalFailure, stageEvent, type StagedEvent } from './coordinator-events.js';
import { recordApproval, SpendingLedger } from './coordinator-ledger.js';
import { CustodianLink, type CustodianEndpoint, type LinkedCustodian } from './custodian-link.js';
import { runEval } from './eval-run.js';
import { runReshareRound, type RoundMember } from './reshare-run.js';
import { PolicyEngine } from './policy.js';
import { TriplePool } from './triple-pool.js';

/** Options of {@link CoordinatorService.open}. */
export interface CoordinatorOptions {
  readonly dataDir: string;
  readonly identity: Identity;
  readonly custodians: readonly CustodianEndpoint[];
  /** K: approvals needed and custodians an evaluation needs. */
  readonly threshold: number;
  /** The dealer that delivers triples (omit: no triples, programs with secure multiplications cannot run). */
  readonly dealer?: { readonly url: string; readonly did: string };
  /** Who may install programs (default: any signed caller). */
  readonly owners?: ReadonlySet<string>;
  readonly callTimeoutMs?: number;
  /** How calls to custodians and the dealer are sent (default: keep-alive node:http, http/node-transport.ts). */
  readonly transport?: HttpTransport;
  /** Clock for audit timestamps (seconds, float). */
  readonly now?: () => number;
}

interface Loaded {
  readonly pkg: ProgramPackage;
  readonly plan: CircuitPlan;
  readonly pool: TriplePool;
  status: 'PENDING' | 'ACTIVE';
  readonly bound: bigint | null;
}

/** Default Beaver pool at install, in evaluations (QuorumVM's DEFAULT_BEAVER_POOL_SIZE). */
export const DEFAULT_BEAVER_POOL_SIZE = 5;
/** Largest batch one /eval may carry. */
export const MAX_COORDINATOR_BATCH = 100_000;

/** The coordinator's domain service. */
export class CoordinatorService {
  readonly did: string;
  readonly threshold: number;
  readonly replayGuard: ReplayGuard;
  /**
   * The replay guard of POST /eval: the same nonces, written lazily — every evaluation commits an
   * audit event (eval_ok, eval_failed, eval_cheating or eval_denied) before it answers, and the
   * nonce and the charge ride in that one transaction instead of a commit of their own.
   */
  readonly evalReplayGuard: ReplayGuard;
  readonly #identity: Identity;
  readonly #store: CoordinatorStore;
  readonly #trail: AuditTrail;
  readonly #files: ServiceFiles<CoordinatorStore>;
  readonly #link: CustodianLink;
  readonly #programs = new Map<string, Loaded>();
  readonly #spending: SpendingLedger;
  readonly #locks = new KeyedMutex();
  readonly #o: CoordinatorOptions;
  readonly #now: () => number;
  /** Programs whose shares are being refreshed (new evaluations answer 409), and evaluations in flight. */
  readonly #resharing = new Set<string>();
  readonly #inflight = new Map<string, number>();

  private constructor(o: CoordinatorOptions, files: ServiceFiles<CoordinatorStore>) {
    const { store, trail } = files;
    this.#files = files;
    this.#o = o;
    this.did = o.identity.did;
    this.threshold = o.threshold;
    this.#identity = o.identity;
    this.#store = store;
    this.#trail = trail;
    this.#now = o.now ?? (() => Date.now() / 1000);
    this.replayGuard = store.replayGuard();
    this.evalReplayGuard = store.replayGuard({ lazy: true });
    this.#spending = new SpendingLedger(store, new PolicyEngine());
    this.#link = new CustodianLink(o.custodians, o.identity, {
      pinned: (i) => store.custodianCards().find((c) => c.index === i),
      pin: (i, url, did, card) => store.transaction(() => store.pinCustodian(i, url, did, card)),
    }, o.callTimeoutMs, o.transport ?? nodeTransport());
  }

  /** Opens the data dir (locked to this process), recovers the outbox and restores pinned custodians. */
  static async open(o: CoordinatorOptions): Promise<CoordinatorService> {
    if (!Number.isSafeInteger(o.threshold) || o.threshold < 1 || o.threshold > o.custodians.length) throw new RangeError(`"threshold" expected 1..${o.custodians.length} (the number of custodians)`);
    const files = await openServiceFiles(o.dataDir, { database: 'coordinator.db', openStore: (p) => CoordinatorStore.open(p), origin: `quorumkit/mpc/coordinator/${o.identity.did.slice(10, 26)}`, signer: o.identity });
    try {
      const svc = new CoordinatorService(o, files);
      for (const e of files.store.enrolledCustodians()) svc.#link.enroll(e.index, { url: e.url });
      await svc.#link.init();
      return svc;
    } catch (e) {
      await files.close();
      throw e;
    }
  }

  /** May `did` install programs? */
  mayInstall(did: string): boolean {
    return this.#o.owners === undefined || this.#o.owners.has(did);
  }

  #load(programId: string): Loaded {
    let p = this.#programs.get(programId);
    if (p === undefined) {
      const row = this.#store.program(programId);
      if (row === undefined) throw new ProgramNotFoundError('Program not installed');
      const pkg = parsePackage(parseStrict(row.packageJson, { bigints: true }));
      p = { pkg, plan: planCircuit(pkg.ir), pool: new TriplePool(this.#store.lots(programId)), status: row.status, bound: row.extractionBound };
      this.#programs.set(programId, p);
    }
    return p;
  }

  /** Appends an event to the chain (inside a write) and returns its trail record. */
  #event(event: string, data: Record<string, unknown>): StagedEvent {
    return stageEvent(this.#store, this.#now(), event, data);
  }

  async #log(event: string, data: Record<string, unknown>, also?: () => void): Promise<void> {
    const e = this.#event(event, data);
    await this.#store.commit(() => { also?.(); e.write(); }, [e.record]);
  }

  /** Signed key cards of the reachable custodians (for clients), with their URLs. */
  async custodians(): Promise<{ threshold: number; custodians: { index: number; url: string; did: string; x: string; key_card: unknown }[] }> {
    const cards = await this.#link.cards();
    return { threshold: this.threshold, custodians: cards.map((c) => ({ index: c.index, url: c.url, did: c.card.did, x: c.card.x.toString(), key_card: c.envelope })) };
  }

  /** The public package of a program, as QuorumVM's JSON text (exact integer literals). */
  programText(programId: string): string {
    return canonicalizePython(packageToJson(this.#load(programId).pkg));
  }

  /**
   * Installs a package: computes its extraction bound (evaluations that determine the secret
   * parameters) and refuses a policy whose per-identity budget reaches it unless `allowExtraction`;
   * then asks the dealer for `beaverPoolSize` evaluations' worth of triples.
   */
  async install(caller: string, packageJson: unknown, opts: { beaverPoolSize?: number; allowExtraction?: boolean } = {}): Promise<Record<string, unknown>> {
    const pkg = parsePackage(packageJson);
    const id = pkg.programId;
    return this.#locks.run(id, async () => {
      if (this.#store.program(id) !== undefined) return this.#installAnswer(id, this.#load(id));
      const plan = planCircuit(pkg.ir);
      const bound = extractionBound(pkg.ir);
      const { cost_per_eval: cost, budget_per_identity: budget } = pkg.policyManifest;
      const perIdentity = cost === 0 ? Infinity : Math.floor(budget / cost);
      if (bound !== null && perIdentity >= Number(bound) && opts.allowExtraction !== true) {
        throw new ExtractablePolicyError(`policy allows ${perIdentity === Infinity ? 'unlimited' : perIdentity} evaluations per identity; ${bound} determine the secret parameters (lower budget_per_identity or pass allow_extraction)`, { details: { extraction_bound: bound.toString() } });
      }
      const text = canonicalizePython(packageToJson(pkg));
      await this.#log('install', { program_id: id, version: pkg.version }, () => this.#store.putProgram({ programId: id, packageJson: text, status: 'PENDING', extractionBound: bound }, caller));
      const loaded: Loaded = { pkg, plan, pool: new TriplePool(), status: 'PENDING', bound };
      this.#programs.set(id, loaded);
      const size = opts.beaverPoolSize ?? DEFAULT_BEAVER_POOL_SIZE;
      if (plan.triplesPerEval > 0 && size > 0) await this.#deal(id, loaded, size).catch(() => undefined); // as QuorumVM: install succeeds, evals answer 409
      return this.#installAnswer(id, loaded);
    });
  }

  #installAnswer(id: string, p: Loaded): Record<string, unknown> {
    const pool = this.#poolRemaining(p);
    return { status: 'installed', program_id: id, beaver_ready: p.plan.triplesPerEval === 0 || pool > 0, beaver_pool: pool, triples_per_eval: p.plan.triplesPerEval, extraction_bound: p.bound === null ? null : p.bound.toString() };
  }

  #poolRemaining(p: Loaded): number {
    return p.pool.remaining(p.plan.triplesPerEval, this.#memberIndices(p.pkg.programId), this.threshold);
  }

  async #deal(id: string, p: Loaded, evals: number): Promise<number> {
    const dealer = this.#o.dealer;
    if (dealer === undefined) throw new PoolExhaustedError('no dealer configured');
    const count = evals * p.plan.triplesPerEval;
    const members = this.#store.members(id);
    const custodians = members?.map((m) => ({ index: m.index, url: this.#link.endpoints[m.index]!.url }));
    const r = await callService<{ lot_id: string; count: number; holders: number[] }>(dealer.url, '/deal', { body: { program_id: id, count, ...(custodians ? { custodians } : {}) }, signer: this.#identity, audience: dealer.did, timeoutMs: 120_000 });
    const lot = { lotId: r.lot_id, count: r.count, nextOffset: 0, holders: r.holders };
    await this.#log('replenish_beaver', { program_id: id, pool_size: evals, lot_id: r.lot_id, triples: r.count }, () => this.#store.addLot(id, r.lot_id, r.count, r.holders));
    p.pool.add(lot);
    return this.#poolRemaining(p);
  }

  /** Asks the dealer for `poolSize` more evaluations' worth of triples. */
  async replenish(programId: string, poolSize: number): Promise<Record<string, unknown>> {
    const p = this.#load(programId);
    if (p.plan.triplesPerEval === 0) return { status: 'no_mul_nodes', program_id: programId };
    const remaining = await this.#locks.run(programId, () => this.#deal(programId, p, poolSize));
    return { status: 'replenished', program_id: programId, pool_remaining: remaining };
  }

  /** Remaining pool, in evaluations. */
  beaverPool(programId: string): { program_id: string; pool_remaining: number; beaver_ready: boolean } {
    const p = this.#load(programId);
    const pool = this.#poolRemaining(p);
    return { program_id: programId, pool_remaining: pool, beaver_ready: p.plan.triplesPerEval === 0 || pool > 0 };
  }

  /**
   * Registers a custodian's ML-DSA approval of the program id; activates at K distinct custodians.
   * @throws ApprovalInvalidError (403) when the envelope is not that custodian's approval of this program.
   */
  async approve(programId: string, custodianIndex: number, envelope: unknown): Promise<{ status: string; approvals: number; needed: number }> {
    const p = this.#load(programId);
    if (!Number.isSafeInteger(custodianIndex) || custodianIndex < 0 || custodianIndex >= this.#o.custodians.length) throw new InvalidArgumentError(`"custodian_index" expected 0..${this.#o.custodians.length - 1}`);
    const card = await this.#link.card(custodianIndex);
    const v = await verifyEnvelope(envelope, { payloadType: 'application/vnd.quorumkit.mpc-approval+json;v=1', trusted: [card.card.did] });
    const body = v.body as { program_id?: unknown; custodian?: unknown; index?: unknown } | null;
    if (!v.valid || body?.program_id !== programId || body?.custodian !== card.card.did || body?.index !== custodianIndex) throw new ApprovalInvalidError('Invalid signature');
    return this.#locks.run(programId, async () => {
      if (await recordApproval(this.#store, this.#now(), { programId, custodian: card.card.did, index: custodianIndex, proof: canonicalize(envelope), threshold: this.threshold, active: p.status === 'ACTIVE' })) p.status = 'ACTIVE';
      return { status: p.status, approvals: this.#store.approvals(programId).length, needed: this.threshold };
    });
  }

  status(programId: string): { program_id: string; status: string } {
    return { program_id: programId, status: this.#load(programId).status };
  }

  /**
   * Evaluates a batch: `boxes` holds each custodian's sealed input shares (by index). Checks in
   * QuorumVM's order — 404, 400, 429 (policy), 409 (pool) — with no state change on a refusal but
   * the audit event; then charges the budget and allocates the triples (in memory at once; on disk
   * in the transaction of the evaluation's audit event, before any output is returned), and runs
   * the rounds.
   */
  async eval(identity: string, req: { programId: string; requestId: string; batch: number; boxes: ReadonlyMap<number, string> }): Promise<{ request_id: string; batch: number; outputs: Record<string, string>; custodians: number[] }> {
    if (this.#resharing.has(req.programId)) throw new ConflictError('resharing in progress: retry shortly');
    this.#inflight.set(req.programId, (this.#inflight.get(req.programId) ?? 0) + 1);
    try {
      return await this.#evalGated(identity, req);
    } finally {
      const left = this.#inflight.get(req.programId)! - 1;
      if (left === 0) this.#inflight.delete(req.programId); else this.#inflight.set(req.programId, left);
    }
  }

  async #evalGated(identity: string, req: { programId: string; requestId: string; batch: number; boxes: ReadonlyMap<number, string> }): Promise<{ request_id: string; batch: number; outputs: Record<string, string>; custodians: number[] }> {
    const { programId, requestId, batch } = req;
    const p = this.#load(programId);
    if (p.status !== 'ACTIVE') throw new ProgramNotActiveError('Program not active');
    if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_COORDINATOR_BATCH) throw new InvalidArgumentError(`"batch" expected 1..${MAX_COORDINATOR_BATCH}`);
    const policy = p.pkg.policyManifest;
    const denial = this.#spending.deny(programId, identity, policy, batch);
    if (denial !== null) {
      await this.#log('eval_denied', { program_id: programId, identity_id: identity, reason: denial });
      throw new PolicyDeniedError(denial);
    }
    const need = p.plan.triplesPerEval * batch;
    const alloc = p.pool.allocate(need, this.#eligible(programId, [...req.boxes.keys()]), this.threshold);
    if (alloc === null) {
      await this.#log('eval_denied', { program_id: programId, identity_id: identity, reason: 'Beaver triple pool exhausted' });
      throw new PoolExhaustedError('Beaver triple pool exhausted — replenish via POST /replenish_beaver');
    }
    // The charge is held in memory at once (so concurrent evaluations cannot overspend) and, once K
    // custodians started, queued lazily with the new lot cursors: it is committed in the
    // transaction of the evaluation's audit event (with the request's nonce), one fsync per
    // evaluation. An evaluation that never started — the custodians refused the caller's sealed
    // inputs (400), or fewer than K answered (503) — is given back: the caller got nothing. Which
    // durability is needed where:
    //  - a triple range is used at most once because each custodian durably reserves it before any
    //    opening computed from it leaves (CustodianStore.reserveTriples), refusing reuse (409) even
    //    from a coordinator that hands a range out twice; the coordinator's cursor only keeps an
    //    honest coordinator from asking twice. In memory it advanced synchronously above, so no two
    //    evaluations of this process share a range. Should the process die before the cursor is on
    //    disk, the restarted coordinator hands those ranges out once more; the custodians refuse
    //    them, saying up to where the lot is used (`used_until`), the pool skips past that
    //    (#skipUsed) and the evaluation starts over once on fresh triples (runEval's reallocate).
    //  - the charge must be durable before the caller gets any output: it is queued before the
    //    audit event, so it is on disk when that is, and both are awaited before the outputs are
    //    returned — an acknowledged evaluation is always paid for, also after SIGKILL.
    const spent = this.#spending.hold(programId, identity, policy, batch);
    let cursors = alloc.cursors;
    let charged: Promise<void> | undefined;
    const boxes = new Map([...req.boxes].filter(([i]) => alloc.custodians.includes(i)));
    let outcome;
    try {
      outcome = await runEval(this.#link, {
        programId, requestId, batch, plan: p.plan, k: this.threshold, boxes, triples: alloc.ranges,
        onTriplesUsed: (lotId, usedUntil) => this.#skipUsed(programId, p, lotId, usedUntil),
        reallocate: () => {
          const again = p.pool.allocate(need, alloc.custodians, this.threshold);
          if (again === null) return null;
          cursors = [...cursors, ...again.cursors];
          return { triples: again.ranges, custodians: again.custodians };
        },
        onStarted: () => {
          charged = spent.commit(cursors);
          charged.catch(() => undefined); // observed below, on both paths
        },
      });
    } catch (e) {
      if (charged === undefined) {
        spent.refund();
        // Custodians may have used the triples all the same: the cursors advance regardless.
        void this.#store.commit(() => { for (const c of cursors) this.#store.advanceLot(programId, c.lotId, c.nextOffset); }, [], { lazy: true }).catch(() => undefined);
      }
      const f = evalFailure(e);
      await Promise.all([charged?.catch(() => undefined), this.#log(f.event, { program_id: programId, identity_id: identity, request_id: requestId, batch, ...f.data })]);
      throw e;
    }
    await Promise.all([charged, this.#log('eval_ok', { program_id: programId, identity_id: identity, request_id: requestId, batch, mode: 'beaver', custodians: outcome.custodians })]);
    await this.#watchExtraction(programId, p, identity, spent.before, spent.after);
    return { request_id: requestId, batch, outputs: outcome.outputs, custodians: outcome.custodians };
  }

  /**
   * A custodian refused a triple range as used, up to offset `usedUntil` of the lot (its triples
   * were consumed by an earlier life of this coordinator whose cursor never reached the disk, or
   * claimed ahead by an earlier life of the custodian): the pool takes no triple below it again.
   */
  #skipUsed(programId: string, p: Loaded, lotId: string, usedUntil: number): void {
    const next = p.pool.skipTo(lotId, usedUntil);
    if (next !== null) void this.#store.commit(() => this.#store.advanceLot(programId, lotId, next), [], { lazy: true }).catch(() => undefined);
  }

  /** Flags an identity one evaluation short of the extraction bound, and the program when all identities together reach it. */
  async #watchExtraction(programId: string, p: Loaded, identity: string, before: number, after: number): Promise<void> {
    if (p.bound === null) return;
    const bound = Number(p.bound);
    const total = this.#store.totalEvals(programId);
    if (before < bound - 1 && after >= bound - 1) await this.#log('extraction_watch', { program_id: programId, identity_id: identity, evals: after, extraction_bound: bound });
    if (total - (after - before) < bound && total >= bound) await this.#log('extraction_watch', { program_id: programId, scope: 'all identities', evals: total, extraction_bound: bound });
  }

  /** The program's custodian indices: its recorded set after a reshare or rotation, else the configured custodians. */
  #memberIndices(programId: string): number[] {
    return this.#store.members(programId)?.map((m) => m.index) ?? this.#o.custodians.map((_, i) => i);
  }

  /** Of the custodians a caller sent inputs for, those in the program's set. */
  #eligible(programId: string, offered: readonly number[]): number[] {
    const members = this.#store.members(programId);
    if (members === undefined) return offered.filter((i) => i < this.#o.custodians.length);
    return offered.filter((i) => members.some((m) => m.index === i));
  }

  /** Runs `fn` with the program's evaluations paused: new ones answer 409, running ones are waited for. */
  async #paused<T>(programId: string, fn: () => Promise<T>): Promise<T> {
    this.#resharing.add(programId);
    try {
      const until = Date.now() + 30_000;
      while ((this.#inflight.get(programId) ?? 0) > 0) {
        if (Date.now() > until) throw new CustodiansUnavailableError('evaluations still running: resharing not started');
        await new Promise((r) => setTimeout(r, 5));
      }
      return await fn();
    } finally {
      this.#resharing.delete(programId);
    }
  }

  #activeForReshare(programId: string, what: string): Loaded {
    const p = this.#load(programId);
    if (p.status !== 'ACTIVE') throw new ProgramNotActiveError(`Program not active — ${what} requires active status`);
    return p;
  }

  /**
   * Proactive resharing (QuorumVM POST /reshare): every custodian of the program refreshes its
   * shares with shares of zero from all participants; the secrets are unchanged and old shares no
   * longer combine with new ones. The coordinator routes sealed boxes only.
   * @throws ProgramNotFoundError (404), ProgramNotActiveError (400), CustodiansUnavailableError (503)
   * below K participants (nothing changed).
   */
  async reshare(programId: string): Promise<{ status: 'reshared'; program_id: string; participants: number; round_id: string; stale: number[] }> {
    this.#activeForReshare(programId, 'resharing');
    return this.#locks.run(programId, () => this.#paused(programId, async () => {
      const roundId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
      const out = await runReshareRound(this.#link, { programId, roundId, k: this.threshold, survivors: this.#memberIndices(programId), onboard: [], programPackage: null, authorization: null });
      await this.#log('reshare', { program_id: programId, participants: out.participants.length, round_id: roundId, stale: out.stale }, () => this.#store.setMembers(programId, out.members));
      return { status: 'reshared' as const, program_id: programId, participants: out.participants.length, round_id: roundId, stale: out.stale };
    }));
  }

  /**
   * Custodian rotation (QuorumVM POST /rotate): retires `retire` (their shares and triples deleted
   * there) and onboards custodians at `onboardUrls` (at `onboardXs`, default after the largest
   * abscissa in use; each must present a key card with that x and the next free index) with shares
   * of the refreshed polynomial, then asks the dealer for triples for the new set (the old lots stay
   * usable only by survivors that hold them; until the new lot arrives evaluations needing the new
   * custodian answer 409). The new set, URLs and abscissas are recorded and used for later evaluations.
   * @throws 404/400 as {@link reshare}; InvalidArgumentError (400) for a retirement leaving fewer
   * than K or bad onboarding data; CustodiansUnavailableError (503).
   */
  async rotate(programId: string, req: { retire: readonly number[]; onboardUrls: readonly string[]; onboardXs?: readonly number[]; authorization?: unknown }): Promise<Record<string, unknown>> {
    const p = this.#activeForReshare(programId, 'rotation');
    const k = this.threshold;
    return this.#locks.run(programId, async () => {
      const current = this.#memberIndices(programId);
      const retire = [...new Set(req.retire)].sort((a, b) => a - b);
      const notMember = retire.find((i) => !current.includes(i));
      if (notMember !== undefined) throw new InvalidArgumentError(`custodian ${notMember} is not a custodian of this program`);
      const surviving = current.filter((i) => !retire.includes(i));
      if (surviving.length < k) throw new InvalidArgumentError(`Cannot retire ${retire.length} custodians: would leave only ${surviving.length} < k=${k}`);
      if (req.onboardXs !== undefined && req.onboardXs.length !== req.onboardUrls.length) throw new InvalidArgumentError('"onboard_x_coords" expected one abscissa per onboard URL');
      return this.#paused(programId, () => this.#rotate(programId, p, retire, surviving, req));
    });
  }

  async #rotate(programId: string, p: Loaded, retire: number[], surviving: number[], req: { onboardUrls: readonly string[]; onboardXs?: readonly number[]; authorization?: unknown }): Promise<Record<string, unknown>> {
    const inUse = new Set<bigint>((this.#store.members(programId) ?? []).map((m) => m.x));
    // The configured custodians and those a rotation enrolled for good — not one a refused rotation
    // looked up, so that a refused request leaves the next one's default abscissas as they were.
    const recorded = new Set([...this.#o.custodians.keys(), ...this.#store.enrolledCustodians().map((e) => e.index)]);
    for (const c of await this.#link.cards()) if (recorded.has(c.index)) inUse.add(c.card.x);
    const maxX = [...inUse].reduce((m, x) => (x > m ? x : m), BigInt(this.#o.custodians.length));
    const xs = req.onboardUrls.map((_, i) => (req.onboardXs === undefined ? maxX + 1n + BigInt(i) : BigInt(req.onboardXs[i]!)));
    if (new Set(xs).size !== xs.length) throw new InvalidArgumentError('"onboard_x_coords" repeats an abscissa');
    const survivorXs = new Set((await this.#link.cards()).filter((c) => surviving.includes(c.index)).map((c) => c.card.x));
    const clash = xs.find((x) => survivorXs.has(x));
    if (clash !== undefined) throw new InvalidArgumentError(`abscissa ${clash} is held by a surviving custodian`);
    const onboard: LinkedCustodian[] = [];
    let next = this.#link.endpoints.length;
    for (let i = 0; i < req.onboardUrls.length; i++) {
      const url = req.onboardUrls[i]!;
      const known = this.#link.endpoints.findIndex((e) => e?.url === url);
      if (known >= 0 && (surviving.includes(known) || retire.includes(known))) throw new InvalidArgumentError(`${url} is already a custodian of this program`);
      const index = known >= 0 ? known : next++;
      this.#link.enroll(index, { url });
      let card;
      try {
        card = await this.#link.card(index);
      } catch (e) {
        throw new CustodiansUnavailableError(`new custodian at ${url} unavailable: ${(e as Error).message}`);
      }
      if (card.card.x !== xs[i]) throw new InvalidArgumentError(`custodian at ${url} has abscissa ${card.card.x}, rotation expects ${xs[i]}`);
      onboard.push(card);
    }
    // The survivors check this (before sealing any partial); a coordinator configured with its
    // owners checks it first, so that a rotation they did not authorise fails before a round starts.
    const owners = this.#o.owners;
    if (owners !== undefined) for (const o of onboard) await requireMember(req.authorization, { owners, programId, did: o.card.did, x: o.card.x });
    const roundId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const out = await runReshareRound(this.#link, { programId, roundId, k: this.threshold, survivors: surviving, onboard, programPackage: packageToJson(p.pkg), authorization: req.authorization ?? null });
    const retiredAnswers = await Promise.allSettled(retire.map((i) => this.#link.call(i, `/reshare_retire/${programId}`, undefined, 'DELETE')));
    const retireFailed = retire.filter((_, j) => retiredAnswers[j]!.status !== 'fulfilled');
    const members: RoundMember[] = out.members;
    await this.#log('rotate', { program_id: programId, retired: retire, onboarded: onboard.length, new_x_coords: xs.map(Number), round_id: roundId, stale: out.stale }, () => {
      this.#store.setMembers(programId, members);
      for (const o of onboard) if (o.index >= this.#o.custodians.length) this.#store.enrollCustodian(o.index, o.url);
    });
    // Triples dealt for the old set cannot include a new custodian: ask the dealer for the new set.
    let beaverPool = this.#poolRemaining(p);
    if (p.plan.triplesPerEval > 0 && onboard.length > 0) beaverPool = await this.#deal(programId, p, DEFAULT_BEAVER_POOL_SIZE).catch(() => beaverPool);
    return {
      status: 'rotated', program_id: programId, retired: retire, onboarded: onboard.length, surviving: members.filter((m) => surviving.includes(m.index)).map((m) => m.index),
      new_x_coords: xs.map(Number), members: members.map((m) => ({ index: m.index, x: Number(m.x) })), round_id: roundId, stale: out.stale, retire_failed: retireFailed, beaver_pool: beaverPool,
    };
  }

  /** QuorumVM's audit view: the hash chain and whether it verifies. */
  audit(): { entries: AuditChainEntry[]; chain_valid: boolean } {
    return chainView(this.#store);
  }

  auditLog(): AuditReader {
    return this.#trail;
  }

  async close(): Promise<void> {
    await this.#files.close();
  }
}
