// The authorization service (docs/new-service.md §3, docs/authz.md "Service"): a thin durable layer
// over the in-process AuthorizationEngine. A decision is
//   verifyAuthorizationRequest (ML-DSA signature, society, freshness; the nonce checked against the
//   store's durable replay guard; LCT bindings from the store) → engine.authorize (synchronous) →
//   store.commit(the delegation's counters as this decision left them, the decision row, the
//   canonical decision record staged for the audit trail) → answered only once durable, with a
//   receipt signed by the service (receipt.ts).
// Exactly-once budgets and rates: the engine decides one request at a time in memory, and the commit
// of each decision is queued in the same synchronous step, so commits are in decision order and
// each writes the counters its decision produced. A crash before the commit is durable loses the
// decision and its answer together (nothing acknowledged); an acknowledged one is on disk. A commit
// that fails stops the service (fail-stop: every later mutation is refused until a restart reloads
// the counters from disk), so memory never runs ahead of disk unnoticed. Delegations are registered
// from signed chains (the chain is the authority; its root must be a trusted root when some are
// configured) and revoked by hop. Deferred requests wait for witness attestations (deferred.ts):
// when enough distinct allowed witnesses have signed the request's digest it is decided again with
// that count; past its deadline it is decided with `witnessShortfall: 'deny'` (missing_witness).
// Every decision, registration, revocation and witness is a record in the audit trail. Node-only.

import { base64Decode, toHex, utf8Decode } from '../../core/bytes.js';
import { canonicalBytes, canonicalize } from '../../core/canonical-json.js';
import { ConflictError, ForbiddenError, InternalError, IoError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import type { Envelope } from '../../envelope/types.js';
import type { AuditReader } from '../../http/log-routes.js';
import type { ReplayGuard } from '../../http/replay-guard.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import { openServiceFiles, type ServiceFiles } from '../../log/service-files.js';
import type { Identity } from '../../pq/identity.js';
import { verifyDelegationChainOrThrow } from '../chain/verify.js';
import { AgentDelegation, MAX_DELEGATION_DEPTH } from '../delegation.js';
import { AuthorizationEngine } from '../engine.js';
import type { DecisionGate } from '../gates.js';
import { AttestationLedger } from '../attestation.js';
import type { VerifyBoundOptions } from '../../attestation/bound.js';
import { parseEvidence } from '../../attestation/evidence-json.js';
import { AttestationVerificationError } from '../../attestation/errors.js';
import { parseReport } from '../../attestation/report.js';
import type { Law } from '../law/types.js';
import { verifyLctCredential, type LctBinding } from '../lct-credential.js';
import { decisionId, decisionRecord, decisionRecordBytes, signDecisionReceipt, type DecisionRecord } from '../receipt.js';
import { verifyAuthorizationRequest } from '../signed-request.js';
import type { TrustOracle } from '../trust.js';
import type { AuthorizationResult } from '../types.js';
import { DeferredRequests, type RequestState } from './deferred.js';
import { DelegationRegistry } from './registry.js';
import { AuthzStore, type DelegationCounters, type StoredDelegation, type StoredRequest } from './store.js';

/** How long a deferred request waits for its witnesses by default (seconds). */
export const DEFAULT_WITNESS_TIMEOUT_SECONDS = 3600;

export type { RequestState };

/** Options of {@link AuthzService.open}. */
export interface AuthzServiceOptions {
  /** The society the engine serves (default `society:default`). */
  readonly society?: string;
  /** The society's law (default: the seed's stub law). */
  readonly law?: Law;
  /** Trust scores (default: the seed's stub, 0.75). */
  readonly trust?: TrustOracle;
  /** Decision gates (gates.ts: governanceGate — freeze, agent and model authorization —, attestationGate), consulted by the engine. */
  readonly gates?: readonly DecisionGate[];
  /**
   * Roles that require fresh memory attestation (role id → the oldest verified report accepted, seconds):
   * agents submit bound reports to `POST /v1/attestations` (AttestationLedger); `verify` adds options for
   * verifyBoundReport (policies, or a test PKI's roots — never needed for genuine evidence).
   */
  readonly attestation?: { readonly roles: Readonly<Record<string, number>>; readonly verify?: Omit<VerifyBoundOptions, 'now'> };
  /** The clock, epoch seconds (default the system's). */
  readonly clock?: () => number;
  /** Issuers whose LCT credentials bind LCT ids to keys (`POST /v1/lct-credentials`); none: the route refuses. */
  readonly trustedIssuers?: Iterable<string>;
  /** When given, a delegation chain's root delegator must be one of these dids. */
  readonly trustedRoots?: Iterable<string>;
  /** The witnesses whose attestations count. */
  readonly witnesses?: Iterable<string>;
  /** Dids that may revoke any delegation. */
  readonly operators?: Iterable<string>;
  /** Seconds a deferred request waits for witnesses (default {@link DEFAULT_WITNESS_TIMEOUT_SECONDS}). */
  readonly witnessTimeoutSeconds?: number;
  /** Request freshness window, seconds (default 300). */
  readonly maxSkewSeconds?: number;
  /** How often overdue deferred requests are decided, ms (default 1000; 0: never by timer). */
  readonly sweepIntervalMs?: number;
  /** Longest wait of a log entry for a signed checkpoint, ms (AuditTrail default). */
  readonly checkpointIntervalMs?: number;
  /** Told about a failed background sweep. */
  readonly onError?: (error: unknown) => void;
}

/** A decision as the service answers it. */
export interface DecisionAnswer {
  readonly decision_id: string;
  readonly log_index: number;
  readonly record: DecisionRecord;
  /** The engine's sentence on the check that decided. */
  readonly why: string;
  /** The service-signed receipt (receipt.ts). */
  readonly receipt: Envelope;
  /** For a deferred decision: when it stops waiting and how many witnesses it needs. */
  readonly pending?: { readonly deadline: number; readonly witnesses_required: number };
}

const ORIGIN_PREFIX = 'quorumkit/authz/';

/** The authorization service (see the header). */
export class AuthzService {
  readonly did: string;
  readonly society: string;
  /** The durable replay guard for the service's signed routes (requireSignedRequest). */
  readonly replayGuard: ReplayGuard;
  readonly #identity: Identity;
  readonly #files: ServiceFiles<AuthzStore>;
  readonly #store: AuthzStore;
  readonly #trail: AuditTrail;
  readonly #engine: AuthorizationEngine;
  readonly #nonces: Required<ReplayGuard>;
  readonly #registry = new DelegationRegistry();
  readonly #attestations = new AttestationLedger();
  readonly #attestationVerify: Omit<VerifyBoundOptions, 'now'> | null;
  readonly #attestationRoles: Record<string, number>;
  readonly #bindings = new Map<string, LctBinding>();
  readonly #deferred: DeferredRequests;
  readonly #clock: () => number;
  readonly #issuers: ReadonlySet<string>;
  readonly #roots: ReadonlySet<string> | null;
  readonly #witnesses: ReadonlySet<string>;
  readonly #operators: ReadonlySet<string>;
  readonly #timeout: number;
  readonly #skew: number | undefined;
  readonly #onError: (e: unknown) => void;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #failed: unknown;

  private constructor(identity: Identity, files: ServiceFiles<AuthzStore>, o: AuthzServiceOptions) {
    this.did = identity.did;
    this.society = o.society ?? 'society:default';
    this.#identity = identity;
    this.#files = files;
    this.#store = files.store;
    this.#trail = files.trail;
    this.replayGuard = files.store.replayGuard();
    this.#nonces = files.store.replayGuard();
    this.#clock = o.clock ?? (() => Date.now() / 1000);
    this.#engine = new AuthorizationEngine(this.society, {
      ...(o.law ? { law: o.law } : {}), ...(o.trust ? { trust: o.trust } : {}), clock: this.#clock,
      gates: [...(o.gates ?? []), ...(o.attestation ? [this.#attestations.gate(o.attestation.roles)] : [])],
      seedCompat: { contextWitness: false, bareSignatures: false }, logCapacity: 1024,
    });
    this.#attestationVerify = o.attestation === undefined ? null : (o.attestation.verify ?? {});
    this.#attestationRoles = { ...(o.attestation?.roles ?? {}) };
    this.#issuers = new Set(o.trustedIssuers ?? []);
    this.#roots = o.trustedRoots === undefined ? null : new Set(o.trustedRoots);
    this.#witnesses = new Set(o.witnesses ?? []);
    this.#operators = new Set(o.operators ?? []);
    this.#timeout = o.witnessTimeoutSeconds ?? DEFAULT_WITNESS_TIMEOUT_SECONDS;
    if (!(this.#timeout > 0)) throw new RangeError('"witnessTimeoutSeconds" expected a positive number');
    this.#skew = o.maxSkewSeconds;
    this.#onError = o.onError ?? (() => undefined);
    this.#deferred = new DeferredRequests({
      society: this.society, store: this.#store, witnesses: this.#witnesses, now: this.#clock, up: () => this.#up(),
      commit: (records, write) => this.#commit(records, write),
      reverify: async (envelope, receivedAt) => verifyAuthorizationRequest(envelope, { societyId: this.society, now: receivedAt, bindings: this.#binding, ...(this.#skew === undefined ? {} : { maxSkewSeconds: this.#skew }) }),
      decideAgain: (request, options, record) => {
        const result = this.#engine.authorize(request, options);
        return this.#record(result, { ...record, settle: result.decision !== 'deferred' });
      },
    });
    this.#load();
    const every = o.sweepIntervalMs ?? 1000;
    if (every > 0) {
      this.#sweepTimer = setInterval(() => void this.sweep().catch(this.#onError), every);
      this.#sweepTimer.unref?.();
    }
  }

  /**
   * Opens the data dir (`authz.db`, `log.db`; locked to this process) or `:memory:`, and loads the
   * delegations, hops and bindings into the engine.
   * @throws ConflictError when another process holds the data dir; IoError when the store and the
   *   log disagree (files from different services); whatever opening the files throws.
   */
  static async open(dataDir: string, identity: Identity, options: AuthzServiceOptions = {}): Promise<AuthzService> {
    const files = await openServiceFiles(dataDir, {
      database: 'authz.db', openStore: (p) => AuthzStore.open(p), origin: `${ORIGIN_PREFIX}${identity.did.slice(10, 26)}`, signer: identity,
      ...(options.checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs: options.checkpointIntervalMs }),
    });
    try {
      if (files.store.nextLogIndex !== files.trail.size) throw new IoError(`authorization store expects ${files.store.nextLogIndex} log entries, the log holds ${files.trail.size}: not this service's files`);
      return new AuthzService(identity, files, options);
    } catch (e) {
      await files.close();
      throw e;
    }
  }

  #load(): void {
    const now = this.#clock();
    const hops = new Map(this.#store.hops().map((h) => [h.hopId, h]));
    for (const h of hops.values()) if (h.revoked) this.#registry.markHopRevoked(h.hopId);
    for (const d of this.#store.delegations()) {
      this.#registry.add(d.delegationId, d.hopIds.map((id) => ({ hopId: id, delegator: hops.get(id)?.delegator ?? '' })), d.revoked);
      if (!d.revoked) this.#engine.registerDelegation(new AgentDelegation({ ...d, grantedPermissions: d.permissions }, now));
    }
    for (const b of this.#store.bindings()) this.#bindings.set(b.lctId, Object.freeze(parseStrict(b.binding) as unknown as LctBinding));
  }

  #up(): void {
    if (this.#failed !== undefined) throw new InternalError('authorization service stopped after a failed write; restart it', { cause: this.#failed });
  }

  /** Commits through the store; a failure stops the service (see the header). */
  async #commit<T>(records: readonly Uint8Array[], write: (first: number) => T): Promise<T> {
    try {
      return await this.#store.commitLogged(records, write);
    } catch (e) {
      this.#failed ??= e;
      throw e;
    }
  }

  #binding = (lctId: string): LctBinding | undefined => {
    const b = this.#bindings.get(lctId);
    return b !== undefined && b.expiresAt >= this.#clock() ? b : undefined;
  };

  /**
   * Decides a signed request envelope (signAuthorizationRequest) and answers once the decision is
   * durable. A request that fails a check is a decision (denied / deferred), not an error.
   * @throws UnauthenticatedError (401) for a bad signature, a signer other than the requester, a
   *   stale timestamp or a replayed nonce; InvalidArgumentError (400) for a malformed request or
   *   another society; NotFoundError (404) for a delegation id never registered here — in every
   *   case nothing is recorded (not even the nonce).
   */
  async decide(envelope: unknown): Promise<DecisionAnswer> {
    this.#up();
    let nonce: [string, number, number] | undefined;
    const capture: ReplayGuard = { add: (n, expires, now) => ((nonce = [n, expires, now]), null) };
    const v = await verifyAuthorizationRequest(envelope, { societyId: this.society, now: this.#clock(), nonces: capture, bindings: this.#binding, ...(this.#skew === undefined ? {} : { maxSkewSeconds: this.#skew }) });
    const id = v.request.delegationId;
    if (id !== null && id !== '' && !this.#registry.has(id)) throw new NotFoundError(`no delegation ${JSON.stringify(id.slice(0, 80))} is registered here`, { details: { delegation_id: id.slice(0, 256) } });
    this.#up();
    // From here to the commit's enqueue, synchronous: the decision and its commit keep their order.
    const reserved = this.#nonces.reserve(...nonce!);
    if (reserved.refused !== null) throw new UnauthenticatedError(reserved.refused === 'replay' ? 'authorization request: nonce already used (replay)' : 'authorization request: too many recent requests to check for replay; retry later');
    reserved.durable.catch(() => undefined);
    const result = this.#engine.authorize(v.request, { credential: v.credential });
    let pending: StoredRequest | undefined;
    if (result.decision === 'deferred') {
      const now = this.#clock();
      pending = { digest: v.digest, envelope: canonicalize(envelope), status: 'pending', deadline: now + this.#timeout, witnessesRequired: Math.max(1, this.#engine.law.checkLegality(v.request).witnessesRequired), receivedAt: now };
      this.#deferred.hold(v.digest, v.credential);
    }
    const answer = this.#record(result, { digest: v.digest, attempt: 0, witnesses: 0, pending });
    await reserved.durable;
    return answer;
  }

  /** Stages a decision's commit now (synchronously) and answers with its receipt once durable. */
  async #record(result: AuthorizationResult, o: { digest: string; attempt: number; witnesses: number; pending?: StoredRequest | undefined; settle?: boolean; before?: { records: Uint8Array[]; write: () => void } }): Promise<DecisionAnswer> {
    const record = decisionRecord(result, { society: this.society, requestDigest: o.digest, attempt: o.attempt, witnesses: o.witnesses });
    const bytes = decisionRecordBytes(record);
    const id = decisionId(record);
    // The counters of the delegation and of every registered delegation above it (an engine that
    // charges a spend along the chain changes those too), as this decision left them.
    const counters: [string, DelegationCounters][] = [];
    for (let id = result.request.delegationId, n = 0; id !== null && id !== '' && n < MAX_DELEGATION_DEPTH; n++) {
      const d = this.#engine.delegation(id);
      if (d === undefined) break;
      counters.push([id, { atpSpent: d.atpSpent, actionsThisHour: d.actionsThisHour, lastHourReset: d.lastHourReset }]);
      id = d.parentId;
    }
    const before = o.before?.records ?? [];
    const logIndex = await this.#commit([...before, bytes], (first) => {
      o.before?.write();
      for (const [id, c] of counters) this.#store.setCounters(id, c);
      if (o.pending !== undefined) this.#store.addRequest(o.pending);
      if (o.settle === true) this.#store.settleRequest(o.digest);
      const index = first + before.length;
      this.#store.addDecision({ decisionId: id, requestDigest: o.digest, attempt: o.attempt, logIndex: index, record: utf8Decode(bytes) });
      return index;
    });
    if (o.settle === true) this.#deferred.release(o.digest);
    const receipt = await signDecisionReceipt(this.#identity, record, { index: logIndex, origin: this.#trail.origin });
    return {
      decision_id: id, log_index: logIndex, record, why: result.decidedBy.why, receipt,
      ...(o.pending ? { pending: { deadline: o.pending.deadline, witnesses_required: o.pending.witnessesRequired } } : {}),
    };
  }

  /**
   * Registers the leaf delegation of a signed delegation chain (root hop first), with fresh counters.
   * @throws DelegationSignatureError (401), DelegationChainError / DelegationAttenuationError (400)
   *   for a chain that does not verify (a revoked hop included); ConflictError (409) when its
   *   delegation id is already registered — nothing registered in every case.
   */
  async registerChain(chain: unknown): Promise<{ delegation_id: string; hop_ids: string[]; valid_until: number }> {
    this.#up();
    const now = this.#clock();
    const r = await verifyDelegationChainOrThrow(chain, { society: this.society, now, isRevoked: (h) => this.#registry.isHopRevoked(h), ...(this.#roots ? { trustedRoots: this.#roots } : {}) });
    const delegation = new AgentDelegation(r.delegation, now);
    this.#up();
    if (this.#registry.has(delegation.delegationId)) throw new ConflictError(`delegation ${JSON.stringify(delegation.delegationId.slice(0, 80))} is already registered`);
    if (r.hopIds.some((h) => this.#registry.isHopRevoked(h))) throw new ConflictError('a hop of this chain was revoked meanwhile');
    const hops = r.hops.map((b, i) => ({ hopId: r.hopIds[i]!, delegationId: b.delegationId, delegator: b.delegator }));
    this.#registry.add(delegation.delegationId, hops);
    this.#engine.registerDelegation(delegation);
    const row: StoredDelegation = {
      delegationId: delegation.delegationId, clientLct: delegation.clientLct, agentLct: delegation.agentLct, roleLct: delegation.roleLct,
      permissions: [...delegation.grantedPermissions].sort(), atpBudget: delegation.atpBudget, atpSpent: 0, validFrom: delegation.validFrom, validUntil: delegation.validUntil,
      maxActionsPerHour: delegation.maxActionsPerHour, actionsThisHour: 0, lastHourReset: delegation.lastHourReset, depth: delegation.depth, parentId: delegation.parentId,
      revoked: false, hopIds: r.hopIds, chain: canonicalize(chain), registeredAt: now,
    };
    const record = canonicalBytes({ type: 'authz.delegation.registered', society: this.society, delegation_id: row.delegationId, hop_ids: r.hopIds, root: r.rootDelegator, agent: row.agentLct, role: row.roleLct, permissions: row.permissions, atp_budget: row.atpBudget, max_actions_per_hour: row.maxActionsPerHour, valid_from: row.validFrom, valid_until: row.validUntil, registered_at: now });
    await this.#commit([record], () => this.#store.addDelegation(row, hops));
    return { delegation_id: row.delegationId, hop_ids: r.hopIds, valid_until: row.validUntil };
  }

  /**
   * Revokes a delegation (its leaf hop) or a hop by id, and with it every delegation whose chain
   * holds that hop; `caller` must be an operator or a delegator at or above the hop.
   * @throws NotFoundError (404), ConflictError (409, already revoked), ForbiddenError (403).
   */
  async revoke(caller: string, id: string): Promise<{ hop_id: string; revoked: string[] }> {
    this.#up();
    const plan = this.#registry.plan(id, caller, this.#operators.has(caller));
    this.#registry.apply(plan);
    for (const d of plan.delegationIds) this.#engine.revokeDelegation(d);
    const record = canonicalBytes({ type: 'authz.hop.revoked', society: this.society, hop_id: plan.hopId, delegation_ids: plan.delegationIds, by: caller, at: this.#clock() });
    await this.#commit([record], () => this.#store.revoke([plan.hopId], plan.delegationIds));
    return { hop_id: plan.hopId, revoked: plan.delegationIds };
  }

  /**
   * Records a society-signed LCT credential (lct-credential.ts) so requests for that LCT id signed by
   * its holder get a credential.
   * @throws ForbiddenError (403) when no trusted issuer is configured; UnauthenticatedError (401)
   *   for a credential that does not verify under the trusted issuers, for this society, now.
   */
  async addLctCredential(envelope: unknown): Promise<{ lct_id: string; holder: string; expires_at: number }> {
    this.#up();
    if (this.#issuers.size === 0) throw new ForbiddenError('this service trusts no LCT credential issuer');
    const { binding, reason } = await verifyLctCredential(envelope, { societyId: this.society, trustedIssuers: this.#issuers, now: this.#clock() });
    if (binding === null) throw new UnauthenticatedError(`LCT credential: ${reason ?? 'invalid'}`);
    this.#up();
    this.#bindings.set(binding.lctId, binding);
    const record = canonicalBytes({ type: 'authz.lct.bound', society: this.society, lct_id: binding.lctId, holder: binding.holder, issuer: binding.issuer, expires_at: binding.expiresAt });
    await this.#commit([record], () => this.#store.putBinding(binding.lctId, canonicalize(binding), binding.expiresAt, canonicalize(envelope)));
    return { lct_id: binding.lctId, holder: binding.holder, expires_at: binding.expiresAt };
  }

  /**
   * Records a witness attestation over a deferred request (deferred.ts): enough distinct allowed
   * witnesses decide it again; past its deadline it is decided `missing_witness`.
   * @throws as {@link DeferredRequests.submit} — nothing recorded in every case.
   */
  submitWitness(envelope: unknown): Promise<{ state: RequestState; decision?: DecisionAnswer }> {
    this.#up();
    return this.#deferred.submit(envelope);
  }

  /**
   * Decides every deferred request past its deadline (the timer runs it every `sweepIntervalMs`).
   * @returns how many were decided.
   */
  sweep(): Promise<number> {
    return this.#failed !== undefined ? Promise.resolve(0) : this.#deferred.sweep();
  }

  /**
   * A request's state: pending (deadline, witnesses so far) or decided, with its decisions.
   * @throws NotFoundError (404) for a digest the service has not decided.
   */
  requestState(digest: string): RequestState {
    return this.#deferred.state(digest);
  }

  /**
   * A decision's receipt (signed now, over the logged record).
   * @throws NotFoundError (404) for an unknown decision id.
   */
  async receipt(id: string): Promise<{ decision_id: string; log_index: number; record: DecisionRecord; receipt: Envelope }> {
    const d = this.#store.decision(id);
    if (d === undefined) throw new NotFoundError(`no decision ${JSON.stringify(id.slice(0, 80))}`);
    const record = parseStrict(d.record) as unknown as DecisionRecord;
    return { decision_id: id, log_index: d.logIndex, record, receipt: await signDecisionReceipt(this.#identity, record, { index: d.logIndex, origin: this.#trail.origin }) };
  }

  /**
   * A decision's receipt with what verifies it offline: a signed checkpoint of the log and the
   * record's inclusion proof in the checkpointed tree (verifyDecisionReceipt).
   * @throws NotFoundError (404) for an unknown decision id.
   */
  async receiptProof(id: string): Promise<{ receipt: Envelope; checkpoint: Envelope; inclusion: { index: number; treeSize: number; proof: string[] } }> {
    const r = await this.receipt(id);
    const checkpoint = await this.#trail.checkpoint();
    const { treeSize } = parseStrict(utf8Decode(base64Decode(checkpoint.payload))) as { treeSize: number };
    const proof = this.#trail.inclusionProof(r.log_index, treeSize).map(toHex);
    return { receipt: r.receipt, checkpoint, inclusion: { index: r.log_index, treeSize, proof } };
  }

  /**
   * A delegation's state: its limits, live counters and revoked flag.
   * @throws NotFoundError (404) for an id never registered.
   */
  delegation(id: string): Record<string, unknown> {
    const d = this.#store.delegations().find((x) => x.delegationId === id);
    if (d === undefined) throw new NotFoundError(`no delegation ${JSON.stringify(id.slice(0, 80))} is registered here`);
    const { chain: _chain, ...rest } = d;
    return { ...rest };
  }

  /**
   * Verifies an agent's bound attestation report (the report and its TEE evidence, as JSON) and records
   * it for the report's signer: roles that require attestation admit that agent for their limit.
   * @throws AttestationError (`ERR_ATTESTATION`, 400) or `ERR_INVALID_EVIDENCE` (400) for a malformed report or evidence;
   *   AttestationVerificationError (422) with the reasons when it does not verify; NotFoundError (404)
   *   when no role requires attestation. Nothing is recorded unless it verifies.
   */
  async submitAttestation(report: unknown, evidence: unknown): Promise<{ agent: string; verified_at: number; report_id: string }> {
    this.#up();
    if (this.#attestationVerify === null) throw new NotFoundError('no role of this service requires attestation');
    const r = parseReport(report);
    const ev = parseEvidence(evidence);
    const { verification, recorded } = await this.#attestations.submit(r, ev, { ...this.#attestationVerify, now: new Date(this.#clock() * 1000) });
    if (recorded === null) throw new AttestationVerificationError(`attestation not verified: ${verification.reasons.join('; ')}`, { details: { reasons: verification.reasons } });
    return { agent: recorded.agent, verified_at: recorded.verifiedAt, report_id: r.report_id };
  }

  /** What the service serves and how much it has decided. */
  info(): Record<string, unknown> {
    return { did: this.did, society: this.society, log_origin: this.#trail.origin, log_size: this.#trail.size, ...this.#registry.counts(), decisions: this.#store.decisionCounts(), witnesses: [...this.#witnesses], pending: this.#store.pendingRequests().length, attestation_roles: this.#attestationRoles };
  }

  /**
   * Everything the service has recorded, as one canonical JSON string (delegations and counters,
   * hops, bindings, requests, witnesses, decisions, log size): for proving a refused request changed
   * nothing.
   */
  stateDump(): string {
    const requests = this.#store.pendingRequests().map((r) => ({ ...r, witnesses: this.#store.witnesses(r.digest).map((w) => w.witness) }));
    return canonicalize({ delegations: this.#store.delegations(), hops: this.#store.hops(), bindings: this.#store.bindings(), requests, decisions: this.#store.decisionCounts(), next_log_index: this.#store.nextLogIndex, log_size: this.#trail.size });
  }

  /** The audit trail (read-only). */
  auditLog(): AuditReader {
    return this.#trail;
  }

  /** Stops the sweep timer, then closes the store and the trail and releases the data dir. */
  async close(): Promise<void> {
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    await this.#files.close();
  }
}
