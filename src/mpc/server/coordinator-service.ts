// The MPC coordinator (QuorumVM's coordinator/app.py, made secure): it installs packages, activates
// one once K distinct custodians have approved it with their ML-DSA identities, enforces each
// program's policy (budget, rate, and the extraction bound), allocates Beaver triples the dealer
// delivered, and drives evaluations (eval-run.ts) without ever holding an input, an output, a secret
// or a triple. Every event goes to QuorumVM's hash chain (GET /audit) and, through the store's
// outbox, to the transparency log. Node-only.

import { canonicalBytes, canonicalize } from '../../core/canonical-json.js';
import { canonicalizePython } from '../../core/canonical-python.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { verifyEnvelope } from '../../envelope/index.js';
import type { AuditReader } from '../../http/log-routes.js';
import type { ReplayGuard } from '../../http/replay-guard.js';
import { KeyedMutex } from '../../http/keyed-mutex.js';
import { callService } from '../../http/client.js';
import { nodeTransport } from '../../http/node-transport.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import { extractionBound } from '../analysis.js';
import { chainEntry, GENESIS_HASH, verifyChain, type AuditChainEntry } from '../audit-chain.js';
import { planCircuit, type CircuitPlan } from '../engine/index.js';
import { ApprovalInvalidError, ExtractablePolicyError, PolicyDeniedError, PoolExhaustedError, ProgramNotActiveError, ProgramNotFoundError } from '../errors.js';
import { packageToJson, parsePackage, type ProgramPackage } from '../package.js';
import { CoordinatorStore } from './coordinator-store.js';
import { CustodianLink, type CustodianEndpoint } from './custodian-link.js';
import { runEval } from './eval-run.js';
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
  readonly #identity: Identity;
  readonly #store: CoordinatorStore;
  readonly #trail: AuditTrail;
  readonly #files: ServiceFiles<CoordinatorStore>;
  readonly #link: CustodianLink;
  readonly #policy = new PolicyEngine();
  readonly #programs = new Map<string, Loaded>();
  readonly #spending = new Map<string, { spent: number; evals: number }>();
  readonly #locks = new KeyedMutex();
  readonly #o: CoordinatorOptions;
  readonly #now: () => number;

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
    this.#link = new CustodianLink(o.custodians, o.identity, {
      pinned: (i) => store.custodianCards().find((c) => c.index === i),
      pin: (i, url, did, card) => store.transaction(() => store.pinCustodian(i, url, did, card)),
    }, o.callTimeoutMs, nodeTransport());
  }

  /** Opens the data dir (locked to this process), recovers the outbox and restores pinned custodians. */
  static async open(o: CoordinatorOptions): Promise<CoordinatorService> {
    if (!Number.isSafeInteger(o.threshold) || o.threshold < 1 || o.threshold > o.custodians.length) throw new RangeError(`"threshold" expected 1..${o.custodians.length} (the number of custodians)`);
    const files = await openServiceFiles(o.dataDir, { database: 'coordinator.db', openStore: (p) => CoordinatorStore.open(p), origin: `quorumkit/mpc/coordinator/${o.identity.did.slice(10, 26)}`, signer: o.identity });
    try {
      const svc = new CoordinatorService(o, files);
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
  #event(event: string, data: Record<string, unknown>): { write: () => void; record: Uint8Array } {
    const ts = this.#now();
    return {
      write: () => {
        const last = this.#store.lastAuditEntry();
        const prev = last === undefined ? GENESIS_HASH : (parseStrict(last) as AuditChainEntry).entry_hash;
        this.#store.appendAudit(canonicalize(chainEntry(prev, ts, event, data)));
      },
      record: canonicalBytes({ type: `mpc.${event}`, timestamp: ts, ...data }),
    };
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
    return p.pool.remaining(p.plan.triplesPerEval, this.#o.custodians.map((_, i) => i), this.threshold);
  }

  async #deal(id: string, p: Loaded, evals: number): Promise<number> {
    const dealer = this.#o.dealer;
    if (dealer === undefined) throw new PoolExhaustedError('no dealer configured');
    const count = evals * p.plan.triplesPerEval;
    const r = await callService<{ lot_id: string; count: number; holders: number[] }>(dealer.url, '/deal', { body: { program_id: id, count }, signer: this.#identity, audience: dealer.did, timeoutMs: 120_000 });
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
      const fresh = this.#store.approvals(programId).every((a) => a.custodian !== card.card.did);
      if (fresh) {
        const count = this.#store.approvals(programId).length + 1;
        const activate = count >= this.threshold && p.status !== 'ACTIVE';
        const ev = this.#event('approve', { program_id: programId, custodian_index: custodianIndex });
        const act = activate ? this.#event('activate', { program_id: programId }) : undefined;
        await this.#store.commit(() => {
          this.#store.addApproval(programId, card.card.did, custodianIndex, canonicalize(envelope));
          ev.write();
          if (act) { this.#store.setStatus(programId, 'ACTIVE'); act.write(); }
        }, act ? [ev.record, act.record] : [ev.record]);
        if (activate) p.status = 'ACTIVE';
      }
      return { status: p.status, approvals: this.#store.approvals(programId).length, needed: this.threshold };
    });
  }

  status(programId: string): { program_id: string; status: string } {
    return { program_id: programId, status: this.#load(programId).status };
  }

  #spent(programId: string, identity: string): { spent: number; evals: number } {
    const key = `${programId}\u0000${identity}`;
    let s = this.#spending.get(key);
    if (s === undefined) this.#spending.set(key, (s = this.#store.spending(programId, identity)));
    return s;
  }

  /**
   * Evaluates a batch: `boxes` holds each custodian's sealed input shares (by index). Checks in
   * QuorumVM's order — 404, 400, 429 (policy), 409 (pool) — with no state change on a refusal but
   * the audit event; then charges the budget and allocates the triples (committed while the first
   * round runs, durable before any output is returned), and runs the rounds.
   */
  async eval(identity: string, req: { programId: string; requestId: string; batch: number; boxes: ReadonlyMap<number, string> }): Promise<{ request_id: string; batch: number; outputs: Record<string, string>; custodians: number[] }> {
    const { programId, requestId, batch } = req;
    const p = this.#load(programId);
    if (p.status !== 'ACTIVE') throw new ProgramNotActiveError('Program not active');
    if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_COORDINATOR_BATCH) throw new InvalidArgumentError(`"batch" expected 1..${MAX_COORDINATOR_BATCH}`);
    const policy = p.pkg.policyManifest;
    const spent = this.#spent(programId, identity);
    const denial = this.#policy.check(programId, identity, policy, spent.spent, batch);
    if (denial !== null) {
      await this.#log('eval_denied', { program_id: programId, identity_id: identity, reason: denial });
      throw new PolicyDeniedError(denial);
    }
    const need = p.plan.triplesPerEval * batch;
    const alloc = p.pool.allocate(need, [...req.boxes.keys()], this.threshold);
    if (alloc === null) {
      await this.#log('eval_denied', { program_id: programId, identity_id: identity, reason: 'Beaver triple pool exhausted' });
      throw new PoolExhaustedError('Beaver triple pool exhausted — replenish via POST /replenish_beaver');
    }
    this.#policy.charge(programId, identity, policy, batch);
    const cost = policy.cost_per_eval * batch;
    spent.spent += cost;
    spent.evals += batch;
    // The charge and the new lot cursors are committed while the first round runs, not before it:
    // which durability is needed where —
    //  - a triple range is used at most once because each custodian durably reserves it before any
    //    opening computed from it leaves (CustodianStore.reserveTriples), refusing reuse (409) even
    //    from a coordinator that hands a range out twice; the coordinator's cursor only keeps an
    //    honest coordinator from asking twice. In memory it advanced synchronously above, so no
    //    two evaluations of this process share a range. Should the process die before the cursor
    //    is on disk, the restarted coordinator hands those few ranges out once more, the
    //    custodians refuse them, and those evaluations fail (the cursor moves past them as they do):
    //    a liveness cost after a crash, never a reuse.
    //  - the charge must be durable before the caller gets any output: `charged` is awaited before
    //    the outputs are returned (and before the eval_ok event), so an acknowledged evaluation is
    //    always paid for, also after SIGKILL.
    // The fsync thus overlaps the custodians' round instead of preceding it.
    const charged = this.#store.commit(() => {
      this.#store.addSpending(programId, identity, cost, batch);
      for (const c of alloc.cursors) this.#store.advanceLot(programId, c.lotId, c.nextOffset);
    });
    charged.catch(() => undefined); // observed below, on both paths
    const boxes = new Map([...req.boxes].filter(([i]) => alloc.custodians.includes(i)));
    let outcome;
    try {
      outcome = await runEval(this.#link, { programId, requestId, batch, plan: p.plan, k: this.threshold, boxes, triples: alloc.ranges });
      await charged;
    } catch (e) {
      await charged.catch(() => undefined);
      const culprit = (e as { details?: { culprit?: number } }).details?.culprit;
      const event = (e as { code?: string }).code === 'ERR_MPC_OPENING_INCONSISTENT' ? 'eval_cheating' : 'eval_failed';
      await this.#log(event, { program_id: programId, identity_id: identity, request_id: requestId, batch, reason: (e as Error).message, ...(culprit === undefined ? {} : { culprit_index: culprit }) });
      throw e;
    }
    await this.#log('eval_ok', { program_id: programId, identity_id: identity, request_id: requestId, batch, mode: 'beaver', custodians: outcome.custodians });
    await this.#watchExtraction(programId, p, identity, spent.evals - batch, spent.evals);
    return { request_id: requestId, batch, outputs: outcome.outputs, custodians: outcome.custodians };
  }

  /** Flags an identity one evaluation short of the extraction bound, and the program when all identities together reach it. */
  async #watchExtraction(programId: string, p: Loaded, identity: string, before: number, after: number): Promise<void> {
    if (p.bound === null) return;
    const bound = Number(p.bound);
    const total = this.#store.totalEvals(programId);
    if (before < bound - 1 && after >= bound - 1) await this.#log('extraction_watch', { program_id: programId, identity_id: identity, evals: after, extraction_bound: bound });
    if (total - (after - before) < bound && total >= bound) await this.#log('extraction_watch', { program_id: programId, scope: 'all identities', evals: total, extraction_bound: bound });
  }

  /** QuorumVM's audit view: the hash chain and whether it verifies. */
  audit(): { entries: AuditChainEntry[]; chain_valid: boolean } {
    const entries = this.#store.auditEntries().map((t) => parseStrict(t) as AuditChainEntry);
    return { entries, chain_valid: verifyChain(entries) };
  }

  auditLog(): AuditReader {
    return this.#trail;
  }

  async close(): Promise<void> {
    await this.#files.close();
  }
}
