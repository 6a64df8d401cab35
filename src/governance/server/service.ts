// One governance node's state machine: proposals in, this node's votes out (by vote policy or a
// human), peers' votes tallied with Byzantine detection, rounds finalized with this node as
// coordinator, results published by peers re-verified (signature, membership at the round's
// registry version, tally, policy) before they change anything. Every accepted change is written to
// the GovernanceStore first and then to the audit transparency log. A node reopened from its data
// dir rebuilds every open ConsensusRound from the stored proposal and votes (replayed in arrival
// order without the expiry check — they were accepted in time — so a double vote is detected again)
// and the stored Byzantine evidence (so an equivocator stays excluded even when its conflicting
// vote could not be stored). A round may be finalized before its proposal expires only once the
// remaining weight cannot change the decision (ConsensusRound.isSettled). Store writes and the
// audit events they cause are staged in one store transaction (audit outbox) and appended to the
// log afterwards; a batch staged but not yet in the log is appended when the node reopens.
// Node-only.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize } from '../../core/canonical-json.js';
import { utf8Decode, utf8Encode } from '../../core/bytes.js';
import { systemClock, toRfc3339, type Clock } from '../../core/clock.js';
import { ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError, type QuorumkitError } from '../../core/errors.js';
import type { Envelope, EnvelopeSigner } from '../../envelope/types.js';
import { TransparencyLog } from '../../log/index.js';
import {
  AuthorizationChain, AuthorizationGrant, ByzantineDetectedError, ConsensusFailedError, ConsensusResult, ConsensusRound, GovernanceAuditLog, createByzantineEvidence,
  GovernanceNode, GovernanceProposal, GovernanceState, InvalidProposalError, InvalidVoteError, ProposalExpiredError, RegistryHistory,
  RegistryTransitionError, SignedVote, byzantineEvidenceToJSON, verifyResultOffline, verifySignedVote, type GovernanceAuditEntry, type ProposalKind, type TallyOutcome, type VoteTally,
} from '../index.js';
import { GovernanceAuditTrail } from './audit-trail.js';
import { parseGenesis, sameGenesis, type GenesisFile } from './genesis.js';
import { GovernanceStore, type RegistrySnapshot, type StoredProposal, type StoredResult } from './store.js';
import { VotePolicy } from './vote-policy.js';

/** Options of {@link GovernanceService.open}. */
export interface GovernanceServiceOptions {
  /** The node's signing identity (must be a registry member to vote). */
  readonly identity: EnvelopeSigner;
  /** Node name (default: the identity's name, or `node`). */
  readonly name?: string;
  /** Directory holding `governance.db` and `log.db`, or `':memory:'` (tests). */
  readonly dataDir: string;
  /** Required on first start (it fixes members and quorum policy); later it must equal the stored one. */
  readonly genesis?: unknown;
  /** How this node votes without a human; default: queue everything. */
  readonly votePolicy?: VotePolicy;
  readonly clock?: Clock;
}

/** Answer of {@link GovernanceService.ballot}. */
export type BallotAnswer = { readonly status: 'cast'; readonly vote: Envelope } | { readonly status: 'queued'; readonly proposalId: string };

/** Authorization state of a subject. */
export interface AuthorizationState {
  readonly subjectId: string;
  /** A passed emergency-freeze not yet lifted by a passed update-policy: nothing is authorized. */
  readonly frozen: boolean;
  readonly authorized: { readonly model: boolean; readonly agent: boolean };
  readonly grants: readonly { kind: ProposalKind; proposalId: string; decision: string }[];
  /** Passed delegation grants (recorded even while frozen). */
  readonly delegations: readonly { proposalId: string; parameters: unknown; decidedAt: string }[];
}

interface OpenRound {
  readonly round: ConsensusRound;
  readonly stored: StoredProposal;
}

/**
 * A governance node service (transport-agnostic; see `createGovernanceApp` for HTTP).
 * @example
 * const svc = await GovernanceService.open({ identity, dataDir: '/var/lib/qk', genesis });
 * await svc.submitProposal(proposalEnvelope);
 * const answer = await svc.ballot(proposalId); // { status: 'cast', vote } by the vote policy
 */
export class GovernanceService {
  readonly did: string;
  readonly name: string;
  readonly store: GovernanceStore;
  readonly trail: GovernanceAuditTrail;
  /** Every registry version since genesis (membership changes only by consensus). */
  readonly history: RegistryHistory;
  readonly genesis: GenesisFile;
  readonly votePolicy: VotePolicy;
  /** Fleet-wide freeze state shared by every authorization chain. */
  readonly state = new GovernanceState();
  readonly #identity: EnvelopeSigner;
  readonly #clock: Clock;
  readonly #audit: GovernanceAuditLog;
  readonly #rounds = new Map<string, OpenRound>();
  readonly #chains = new Map<string, AuthorizationChain>();
  readonly #locks = new Map<string, Promise<unknown>>();

  private constructor(o: GovernanceServiceOptions, store: GovernanceStore, log: TransparencyLog, genesis: GenesisFile, history: RegistryHistory) {
    this.#identity = o.identity;
    this.did = o.identity.did;
    this.name = o.name ?? ((o.identity as { name?: unknown }).name as string | undefined) ?? 'node';
    this.store = store;
    this.trail = new GovernanceAuditTrail(log, o.identity);
    this.genesis = genesis;
    this.history = history;
    this.votePolicy = o.votePolicy ?? VotePolicy.queueAll();
    this.#clock = o.clock ?? systemClock;
    this.#audit = new GovernanceAuditLog({ clock: this.#clock, maxEntries: 1000 });
  }

  /**
   * Opens a node from its data dir (creating it on first start), rebuilding open rounds.
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` when no genesis is stored or given, or the given
   *   genesis differs from the stored one; `ERR_IO` when the databases cannot be opened.
   */
  static async open(options: GovernanceServiceOptions): Promise<GovernanceService> {
    const { identity, dataDir } = options;
    if (identity === null || typeof identity !== 'object' || typeof identity.did !== 'string') throw new TypeError('"identity" expected an Identity');
    if (typeof dataDir !== 'string' || dataDir.length === 0) throw new TypeError('"dataDir" expected a directory path or ":memory:"');
    const mem = dataDir === ':memory:';
    if (!mem) mkdirSync(dataDir, { recursive: true });
    const store = GovernanceStore.open(mem ? ':memory:' : join(dataDir, 'governance.db'));
    let log: TransparencyLog | undefined;
    try {
      const storedGenesis = store.getMeta('genesis');
      let genesis: GenesisFile;
      if (storedGenesis === undefined) {
        if (options.genesis === undefined) throw new InvalidArgumentError(`data dir ${dataDir} holds no genesis: pass a genesis file on first start`);
        genesis = (await parseGenesis(options.genesis)).genesis;
      } else {
        genesis = (await parseGenesis(JSON.parse(storedGenesis))).genesis;
        if (options.genesis !== undefined && !sameGenesis(genesis, (await parseGenesis(options.genesis)).genesis)) {
          throw new InvalidArgumentError(`the genesis file differs from the one stored in ${dataDir}`);
        }
      }
      const storedDid = store.getMeta('did');
      if (storedDid !== undefined && storedDid !== identity.did) throw new InvalidArgumentError(`data dir ${dataDir} belongs to ${storedDid}, not ${identity.did}`);
      log = TransparencyLog.open(mem ? ':memory:' : join(dataDir, 'log.db'), { origin: GovernanceAuditTrail.originFor(identity.did), clock: options.clock ?? systemClock });
      let snapshots = store.registryVersions();
      if (snapshots.length === 0) {
        const v0: RegistrySnapshot = { version: 0, members: genesis.genesis, transition: null };
        store.putRegistryVersion(v0);
        store.setMeta('genesis', canonicalize(genesis));
        store.setMeta('did', identity.did);
        snapshots = [v0];
      }
      // Replaying the stored transitions re-verifies every membership change from genesis.
      const history = await RegistryHistory.fromJSON({ ...genesis, transitions: snapshots.slice(1).map((s) => s.transition) });
      const svc = new GovernanceService(options, store, log, genesis, history);
      await svc.#flushStagedAudit();
      await svc.#rebuild();
      return svc;
    } catch (e) {
      log?.close();
      store.close();
      throw e;
    }
  }

  /**
   * Appends audit batches staged in the store but not yet cleared (a crash between the store
   * transaction and the log append, or between the append and the clear). A batch whose entries
   * the log already holds is only cleared, so the append is idempotent.
   */
  async #flushStagedAudit(): Promise<void> {
    const staged = this.store.stagedAudit();
    if (staged.length === 0) return;
    const log = this.trail.log;
    const wanted = new Set(staged.flatMap((b) => b.entries));
    const present = new Set<string>();
    // Staged batches are recent, so scan from the end and stop once every one is found.
    for (let i = log.size - 1; i >= 0 && present.size < wanted.size; i--) {
      const text = utf8Decode(log.entry(i));
      if (wanted.has(text)) present.add(text);
    }
    for (const batch of staged) {
      const missing = batch.entries.filter((e) => !present.has(e));
      if (missing.length > 0) log.appendMany(missing.map((e) => utf8Encode(e)));
      for (const e of missing) present.add(e);
    }
    // Also covers a crash after the append but before its checkpoint: sign the tree as it is now.
    await log.checkpoint([this.#identity]);
    for (const batch of staged) this.store.clearAudit(batch.seq);
  }

  async #rebuild(): Promise<void> {
    for (const r of this.store.listResults()) {
      const p = this.store.getProposal(r.result.proposalId);
      if (p !== undefined) this.#applyToChains(p.proposal, r.result);
    }
    for (const stored of this.store.listProposals({ status: 'open' })) {
      const round = this.#newRound(stored);
      const id = stored.proposal.proposalId;
      for (const env of this.store.votes(id)) {
        try {
          // Stored votes were accepted before the expiry: replay them all, never drop one.
          await round.replay(SignedVote.fromEnvelope(env));
        } catch (e) {
          if (!(e instanceof ByzantineDetectedError)) throw e;
        }
      }
      for (const json of this.store.evidence(id)) {
        const [a, b] = json.votes;
        await round.tally.addEvidence(createByzantineEvidence(SignedVote.fromEnvelope(a), SignedVote.fromEnvelope(b)));
      }
      this.#rounds.set(id, { round, stored });
    }
  }

  #newRound(stored: StoredProposal): ConsensusRound {
    // A round opened before a later membership change keeps the members of its own version, and
    // still signs that version and the history's policy into its result.
    return new ConsensusRound({ proposal: stored.proposal, history: this.history, registryVersion: stored.registryVersion, clock: this.#clock });
  }

  /**
   * Applies `write` (store writes) and stages `events` in one store transaction, then appends the
   * events to the audit log and clears them. A crash after the transaction loses no event: the
   * staged batch is appended when the node reopens.
   */
  async #commit<T>(write: () => T, events: readonly GovernanceAuditEntry[]): Promise<T> {
    const texts = events.map((e) => canonicalize(e));
    const { out, seq } = this.store.atomically(() => ({ out: write(), seq: texts.length === 0 ? -1 : this.store.stageAudit(texts) }));
    if (seq >= 0) {
      await this.trail.commit(texts.map((t) => JSON.parse(t) as GovernanceAuditEntry));
      this.store.clearAudit(seq);
    }
    return out;
  }

  /** Serialises async work per key so two requests on one proposal never interleave their writes. */
  async #locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }

  /** This node as a GovernanceNode (its weight in the current registry, 0 when not a member). */
  get node(): GovernanceNode {
    return new GovernanceNode({ identity: this.#identity, name: this.name, weight: this.history.memberAt(this.did)?.weight ?? 0, clock: this.#clock });
  }

  /** True when `did` is a member of the current registry (who may call mutating endpoints). */
  isMember(did: string): boolean {
    return this.history.isMemberAt(did);
  }

  /** True while a passed emergency-freeze is in force. */
  get frozen(): boolean {
    return this.state.frozen;
  }

  /** The stored proposal, or throws `ERR_NOT_FOUND`. */
  proposal(proposalId: string): StoredProposal {
    const p = this.store.getProposal(proposalId);
    if (p === undefined) throw new NotFoundError(`no proposal ${proposalId}`);
    return p;
  }

  /** The live tally of an open round, or undefined. */
  tally(proposalId: string): VoteTally | undefined {
    return this.#rounds.get(proposalId)?.round.tally;
  }

  /**
   * Accepts a signed proposal: well formed, signed by its proposer, proposer a member, not expired.
   * Opens a round under the current registry version.
   * @returns `created` false when the identical proposal was already stored.
   * @throws QuorumkitError `ERR_INVALID_PROPOSAL` (400), `ERR_FORBIDDEN` (proposer not a member),
   *   `ERR_PROPOSAL_EXPIRED`, `ERR_CONFLICT` (another proposal with this id).
   */
  async submitProposal(envelope: unknown): Promise<{ created: boolean; proposal: StoredProposal }> {
    let p: GovernanceProposal;
    try {
      p = GovernanceProposal.fromEnvelope(envelope);
    } catch (e) {
      throw new InvalidProposalError((e as Error).message);
    }
    if (!(await GovernanceNode.verifyProposal(p))) throw new InvalidProposalError('proposal signature verification failed');
    if (!this.isMember(p.proposerDid)) throw new ForbiddenError(`proposer ${p.proposerDid} is not a registry member`);
    return this.#locked(p.proposalId, async () => {
      const have = this.store.getProposal(p.proposalId);
      if (have !== undefined) {
        if (canonicalize(have.envelope) !== canonicalize(p.envelope)) throw new ConflictError(`a different proposal with id ${p.proposalId} exists`);
        return { created: false, proposal: have };
      }
      if (p.isExpired(this.#clock)) throw new ProposalExpiredError(`proposal ${p.proposalId} is expired`);
      const version = this.history.version;
      await this.#commit(() => this.store.putProposal(p.envelope!, version), [this.#audit.logProposalCreated(p)]);
      const stored = this.proposal(p.proposalId);
      this.#rounds.set(p.proposalId, { round: this.#newRound(stored), stored });
      return { created: true, proposal: stored };
    });
  }

  #ownVote(proposalId: string): Envelope | undefined {
    return this.store.votes(proposalId).find((v) => SignedVote.fromEnvelope(v).voterDid === this.did);
  }

  #openRound(proposalId: string): OpenRound {
    const stored = this.proposal(proposalId);
    const open = this.#rounds.get(proposalId);
    if (open === undefined || stored.status !== 'open') throw new ConflictError(`proposal ${proposalId} is ${stored.status}, not open`);
    return open;
  }

  /**
   * This node's signed vote on an open proposal: the vote it already cast, or a new one decided by
   * the vote policy, or `queued` for a human (`quorumkit governance vote`). Never signs twice.
   * @throws QuorumkitError `ERR_NOT_FOUND`, `ERR_CONFLICT` (not open), `ERR_FORBIDDEN` (this node is
   *   not a member of the round's registry).
   */
  async ballot(proposalId: string): Promise<BallotAnswer> {
    return this.#locked(proposalId, async () => {
      const { round, stored } = this.#openRound(proposalId);
      const mine = this.#ownVote(proposalId);
      if (mine !== undefined) return { status: 'cast', vote: mine } as const;
      if (!round.registry.isMember(this.did)) throw new ForbiddenError(`this node ${this.did} is not a member of registry version ${stored.registryVersion}`);
      const verdict = this.votePolicy.decide(stored.proposal);
      if (verdict.decision === 'queue') {
        this.store.enqueue(proposalId, toRfc3339(this.#clock.now()));
        return { status: 'queued', proposalId } as const;
      }
      const vote = await this.node.castVote(stored.proposal, verdict.decision, verdict.rationale, { clock: this.#clock });
      await this.#cast(round, stored, vote);
      return { status: 'cast', vote: vote.envelope } as const;
    });
  }

  /** Proposals waiting for a human vote. */
  queue(): { proposalId: string; queuedAt: string; proposal: Envelope }[] {
    return this.store.queued().map((q) => ({ ...q, proposal: this.proposal(q.proposalId).envelope }));
  }

  /**
   * Adds a peer's signed vote to the tally of an open round. Checks run before anything changes:
   * well formed, about this proposal (id and hash), signed by its voter, voter a member.
   * @returns `counted` or `duplicate`.
   * @throws QuorumkitError `ERR_INVALID_VOTE` (400), `ERR_FORBIDDEN` (non-member voter),
   *   `ERR_CONFLICT` (round not open, or voter already caught equivocating), `ERR_NOT_FOUND`;
   *   ByzantineDetectedError (with evidence; the evidence is stored and logged first).
   */
  async submitVote(proposalId: string, envelope: unknown): Promise<TallyOutcome> {
    let sv: SignedVote;
    try {
      sv = SignedVote.fromEnvelope(envelope);
    } catch (e) {
      throw new InvalidVoteError((e as Error).message);
    }
    if (sv.vote.proposalId !== proposalId) throw new InvalidVoteError('proposal id mismatch');
    const stored = this.proposal(proposalId);
    if (sv.vote.proposalHash !== stored.proposal.proposalHash()) throw new InvalidVoteError('proposal hash mismatch');
    if (!(await verifySignedVote(sv))) throw new InvalidVoteError('invalid signature');
    return this.#locked(proposalId, async () => {
      const { round } = this.#openRound(proposalId);
      if (!round.registry.isMember(sv.voterDid)) throw new ForbiddenError('non-member voter');
      return this.#cast(round, stored, sv);
    });
  }

  async #cast(round: ConsensusRound, stored: StoredProposal, sv: SignedVote): Promise<TallyOutcome> {
    const id = stored.proposal.proposalId;
    let outcome: TallyOutcome;
    try {
      outcome = await round.cast(sv);
    } catch (e) {
      if (e instanceof ByzantineDetectedError) {
        await this.#commit(() => {
          try {
            this.store.putVote(id, sv.envelope);
          } catch (conflict) {
            // The equivocator reused its first vote's id: the evidence (stored next, replayed on
            // restart) holds the conflicting vote instead.
            if (!(conflict instanceof ConflictError)) throw conflict;
          }
          this.store.putEvidence(byzantineEvidenceToJSON(e.evidence));
        }, [this.#audit.logByzantineDetected(e.evidence)]);
      }
      // A late vote (ProposalExpiredError) is refused and changes nothing: the round stays open so
      // it can still be finalized on the votes cast in time.
      throw e;
    }
    if (outcome === 'rejected') {
      const reason = round.tally.invalidVotes.at(-1)?.reason;
      if (reason === 'duplicate vote id') throw new ConflictError(`vote id ${sv.vote.voteId} is already taken by another vote on ${id}`);
      throw new ConflictError(`voter ${sv.voterDid} was caught equivocating on ${id}; its votes no longer count`);
    }
    if (outcome === 'counted') {
      await this.#commit(() => {
        this.store.putVote(id, sv.envelope);
        if (sv.voterDid === this.did) this.store.dequeue(id);
      }, [this.#audit.logVoteCast(sv)]);
    }
    return outcome;
  }

  /**
   * Finalizes an open round with this node as coordinator and records the signed result. Before the
   * proposal expires this is refused unless the outcome is settled (no way the members who have not
   * voted could still vote changes the decision), so no single member can end a round early.
   * @throws QuorumkitError `ERR_CONFLICT` when not open, `ERR_NOT_FOUND`; ConsensusFailedError
   *   (`ERR_CONSENSUS_FAILED`, HTTP 409) when not expired and not settled yet.
   */
  async finalize(proposalId: string): Promise<StoredResult> {
    return this.#locked(proposalId, async () => {
      const { round, stored } = this.#openRound(proposalId);
      if (!stored.proposal.isExpired(this.#clock) && !round.isSettled()) {
        throw new ConsensusFailedError(
          `round for proposal ${proposalId} is not settled: weight ${round.remainingWeight()} has not voted and could change the decision; finalize once it votes or after ${stored.proposal.expiresAt}`,
        );
      }
      const result = await round.finalize(this.node);
      const votes = round.tally.validVotes.map((v) => v.envelope);
      await this.#record(stored, result, votes);
      return this.store.getResult(proposalId)!;
    });
  }

  /**
   * Accepts a result published by a peer coordinator after re-verifying it: signed by a member of
   * the round's registry, about the stored proposal, every listed vote valid, and the tally and
   * policy decision recomputed from those votes equal to the result's.
   * @returns `recorded` false when this exact result was already recorded.
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` (400) naming the mismatch, `ERR_NOT_FOUND`,
   *   `ERR_CONFLICT` (a different result exists).
   */
  async publishResult(resultEnvelope: unknown, votes: readonly unknown[]): Promise<{ recorded: boolean; result: StoredResult }> {
    let result: ConsensusResult;
    try {
      result = ConsensusResult.fromEnvelope(resultEnvelope);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
    const stored = this.proposal(result.proposalId);
    return this.#locked(result.proposalId, async () => {
      const have = this.store.getResult(result.proposalId);
      if (have !== undefined) {
        if (canonicalize(have.envelope) !== canonicalize(result.envelope)) throw new ConflictError(`a different result for ${result.proposalId} is recorded`);
        return { recorded: false, result: have };
      }
      const signed = await this.#checkResult(stored, result, votes);
      await this.#record(stored, result, signed.map((v) => v.envelope));
      return { recorded: true, result: this.store.getResult(result.proposalId)! };
    });
  }

  async #checkResult(stored: StoredProposal, result: ConsensusResult, votes: readonly unknown[]): Promise<SignedVote[]> {
    const fail = (why: string): QuorumkitError => new InvalidArgumentError(`result rejected: ${why}`);
    if (result.registryVersion !== stored.registryVersion) throw fail(`registry version ${String(result.registryVersion)} is not the round's ${stored.registryVersion}`);
    if (!Array.isArray(votes)) throw fail('"votes" expected an array');
    const signed: SignedVote[] = [];
    for (const v of votes) {
      try {
        signed.push(SignedVote.fromEnvelope(v));
      } catch (e) {
        throw fail((e as Error).message);
      }
    }
    const verdict = await verifyResultOffline(result, signed, this.history, { proposal: stored.proposal, policy: this.history.policy });
    if (!verdict.valid) throw fail(verdict.reasons.slice(0, 3).join('; '));
    return signed;
  }

  async #record(stored: StoredProposal, result: ConsensusResult, votes: Envelope[]): Promise<void> {
    const p = stored.proposal;
    let registry: RegistrySnapshot | null = null;
    if (result.isPassed() && (p.kind === 'add-node' || p.kind === 'remove-node')) {
      try {
        // One membership change at a time (RegistryHistory refuses concurrent applies).
        registry = await this.#locked('\0registry', async () => {
          const version = await this.history.apply({ proposal: p, result, votes });
          return { version, members: this.history.membersAt(version), transition: this.history.toJSON().transitions.at(-1)! };
        });
      } catch (e) {
        // A passed change that cannot apply (member exists, decided under an older version, …) is
        // recorded as a result and changes no membership.
        if (!(e instanceof RegistryTransitionError)) throw e;
      }
    }
    const events: GovernanceAuditEntry[] = [this.#audit.logConsensusReached(result)];
    if (result.isPassed()) {
      if (p.kind.startsWith('authorize-') || p.kind === 'delegation') events.push(this.#audit.logAuthorizationGranted(p.subjectId, p.kind, p.proposalId));
      if (p.kind.startsWith('revoke-')) events.push(this.#audit.logAuthorizationRevoked(p.subjectId, p.kind, p.proposalId));
      if (registry !== null && p.kind === 'add-node') {
        const m = this.history.memberAt(p.subjectId)!;
        events.push(this.#audit.logNodeAdded(m.did, m.name, m.weight));
      }
      if (registry !== null && p.kind === 'remove-node') events.push(this.#audit.logNodeRemoved(p.subjectId));
    }
    await this.#commit(() => this.store.recordResult({ proposalId: p.proposalId, envelope: result.envelope!, votes, registry }), events);
    this.#rounds.delete(p.proposalId);
    this.#applyToChains(p, result);
  }

  #applyToChains(p: GovernanceProposal, result: ConsensusResult): void {
    let chain = this.#chains.get(p.subjectId);
    if (chain === undefined) this.#chains.set(p.subjectId, (chain = new AuthorizationChain(p.subjectId, { state: this.state })));
    chain.add(new AuthorizationGrant({ subjectId: p.subjectId, kind: p.kind, result, proposal: p }));
  }

  /** A subject's authorization state (model and agent, false while frozen), with its decided grants in order. */
  authorization(subjectId: string): AuthorizationState {
    const chain = this.#chains.get(subjectId);
    const grants = this.store.grants(subjectId).map((g) => ({ kind: g.kind, proposalId: g.proposalId, decision: g.decision }));
    const ok = (k: ProposalKind): boolean => chain !== undefined && chain.isAuthorized(k);
    const delegations = chain === undefined ? [] : chain.delegations().map((d) => ({ proposalId: d.proposalId, parameters: d.parameters, decidedAt: d.decidedAt }));
    return { subjectId, frozen: this.state.frozen, authorized: { model: ok('authorize-model'), agent: ok('authorize-agent') }, grants, delegations };
  }

  /** Closes the store and the log. */
  close(): void {
    this.trail.log.close();
    this.store.close();
  }
}
