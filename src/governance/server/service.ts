// One governance node: a thin domain service over the durable-service layer (src/store
// DurableStore with group commit and the audit outbox, src/log AuditTrail, src/http KeyedMutex and
// replay guard). Its parts: bootstrap.ts (data dir, genesis, history, recovery), intake.ts
// (proposals, this node's ballot, peers' votes), decide.ts (finalize, published results,
// supersession), authorization-view.ts (answers from the store), round-cache.ts (open rounds in
// memory, rebuilt on demand). The store, trail and history stay private: the HTTP app and the CLI
// call the query methods below. Node-only.

import type { Envelope } from '../../envelope/types.js';
import type { AuditReader, ReplayGuard } from '../../http/index.js';
import type { ByzantineEvidenceJSON, ProposalKind, ProposalStatus, RegistryHistoryJSON, RegistryMember, ResultPolicy, TallyOutcome } from '../index.js';
import { authorizationOf, type AuthorizationState } from './authorization-view.js';
import { openNode, type GovernanceServiceOptions } from './bootstrap.js';
import type { NodeContext } from './context.js';
import { finalize, publishResult, type DecidedRound } from './decide.js';
import type { GenesisFile } from './genesis.js';
import { ballot, proposalRow, submitProposal, submitVote, type BallotAnswer } from './intake.js';
import { PeerSync, syncRound, type SyncReport } from './peer-sync.js';
import type { ProposalRow } from './store.js';

export type { GovernanceServiceOptions } from './bootstrap.js';
export type { AuthorizationState } from './authorization-view.js';
export type { BallotAnswer } from './intake.js';
export type { DecidedRound } from './decide.js';
export type { SyncReport } from './peer-sync.js';

/** `GET /v1/node`: who this node is. */
export interface NodeInfo {
  readonly did: string;
  readonly name: string;
  readonly member: boolean;
  readonly weight: number;
  readonly registryVersion: number;
  readonly logOrigin: string;
  readonly frozen: boolean;
}

/** A proposal with its round's state. */
export interface ProposalDetail {
  readonly proposal: Envelope;
  readonly status: ProposalStatus;
  readonly registryVersion: number;
  /** The live tally of an open round (null once decided). */
  readonly tally: unknown;
  readonly result: Envelope | null;
  /** Results a verifiable result superseded (evidence), oldest first. */
  readonly superseded: DecidedRound[];
}

/**
 * A governance node service (transport-agnostic; see `createGovernanceApp` for HTTP).
 * @example
 * const svc = await GovernanceService.open({ identity, dataDir: '/var/lib/qk', genesis });
 * await svc.submitProposal(proposalEnvelope);
 * const answer = await svc.ballot(proposalId); // { status: 'cast', vote } by the vote policy
 */
export class GovernanceService {
  readonly #ctx: NodeContext;
  readonly #sync: PeerSync | null;

  private constructor(ctx: NodeContext, sync: (ctx: NodeContext) => PeerSync | null) {
    this.#ctx = ctx;
    this.#sync = sync(ctx);
    this.#sync?.start();
  }

  /**
   * Opens a node from its data dir (creating it on first start); with `peers`, starts catching up
   * from them (one pass now, then every `syncIntervalMs`).
   * @throws InvalidArgumentError (no genesis on first start, another genesis or did, a data dir path
   *   that is a file), ConflictError (another process holds the data dir), IoError.
   */
  static async open(options: GovernanceServiceOptions): Promise<GovernanceService> {
    // A node never pulls from itself (one peers.json usually lists every node).
    const peers = (options.peers ?? []).filter((p) => (p as { did?: string }).did !== options.identity?.did);
    const ctx = await openNode(options);
    return new GovernanceService(ctx, (c) => (peers.length === 0 ? null : new PeerSync(c, peers, options.syncIntervalMs, options.onSyncError)));
  }

  /** This node's did. */
  get did(): string {
    return this.#ctx.did;
  }

  /** This node's name. */
  get name(): string {
    return this.#ctx.name;
  }

  /** True when `did` is a member of the current registry (who may call mutating endpoints). */
  isMember(did: string): boolean {
    return this.#ctx.history.isMemberAt(did);
  }

  /** The durable replay guard signed requests to this node are checked with. */
  get replayGuard(): ReplayGuard {
    return (this.#replay ??= this.#ctx.store.replayGuard());
  }
  #replay: ReplayGuard | undefined;

  /** Accepts a signed proposal (see intake.ts). */
  submitProposal(envelope: unknown): Promise<{ created: boolean; proposal: ProposalRow }> {
    return submitProposal(this.#ctx, envelope).then(({ created, row }) => ({ created, proposal: row }));
  }

  /** This node's own signed vote on an open proposal, or `queued` for a human. */
  ballot(proposalId: string): Promise<BallotAnswer> {
    return ballot(this.#ctx, proposalId);
  }

  /** Adds a peer's signed vote to an open round. */
  submitVote(proposalId: string, envelope: unknown): Promise<TallyOutcome> {
    return submitVote(this.#ctx, proposalId, envelope);
  }

  /**
   * Finalizes an open round with this node as coordinator — after catching up on it from the peers:
   * when a peer already holds a verifiable result, that result is recorded and returned
   * (`adopted: true`) instead of deciding on this node's partial view.
   */
  async finalize(proposalId: string): Promise<DecidedRound & { adopted?: true }> {
    if (this.#sync !== null && proposalRow(this.#ctx, proposalId).status === 'open' && (await syncRound(this.#ctx, this.#sync.peers, proposalId))) {
      return { ...this.result(proposalId)!, adopted: true };
    }
    return finalize(this.#ctx, proposalId);
  }

  /** Runs one anti-entropy pass with the peers now (a no-op report without peers). */
  sync(): Promise<SyncReport> {
    return this.#sync?.pass() ?? Promise.resolve({ rounds: 0, results: 0, votes: 0, failures: 0 });
  }

  /** Records a result a peer published, after offline re-verification. */
  publishResult(resultEnvelope: unknown, votes: readonly unknown[]): Promise<{ recorded: boolean; superseded: boolean; proposalId: string; decision: string }> {
    return publishResult(this.#ctx, resultEnvelope, votes);
  }

  /** Who this node is. */
  nodeInfo(): NodeInfo {
    const { history, did, name, trail, freeze } = this.#ctx;
    const me = history.memberAt(did);
    return { did, name, member: me !== undefined, weight: me?.weight ?? 0, registryVersion: history.version, logOrigin: trail.origin, frozen: freeze.frozen };
  }

  /** The genesis file this node started from. */
  genesis(): GenesisFile {
    return this.#ctx.genesis;
  }

  /** The current registry: version, policy, members. */
  registry(): { version: number; policy: ResultPolicy; members: RegistryMember[] } {
    const h = this.#ctx.history;
    return { version: h.version, policy: h.policy.toJSON(), members: h.membersAt() };
  }

  /** The members at registry version `v`, or undefined when there is no such version. */
  registryVersion(v: number): RegistryMember[] | undefined {
    return v <= this.#ctx.history.version ? this.#ctx.history.membersAt(v) : undefined;
  }

  /** The full registry history (genesis + every transition with its signed artifacts). */
  registryHistory(): RegistryHistoryJSON {
    return this.#ctx.history.toJSON();
  }

  /** Stored proposals in arrival order, filtered. */
  proposals(filter: { status?: ProposalStatus; kind?: ProposalKind } = {}): ProposalRow[] {
    return this.#ctx.store.proposals(filter);
  }

  /** A proposal with its round's state. @throws NotFoundError. */
  async proposal(proposalId: string): Promise<ProposalDetail> {
    const { store, rounds, locks } = this.#ctx;
    const row = proposalRow(this.#ctx, proposalId);
    const tally = row.status === 'open' ? await locks.run(proposalId, async () => (await rounds.get(row)).tally.toJSON()) : null;
    const superseded = store.supersededResults(proposalId).map((r) => ({ result: r.envelope, votes: r.votes }));
    return { proposal: store.proposalEnvelope(proposalId)!, status: row.status, registryVersion: row.registryVersion, tally, result: store.result(proposalId)?.envelope ?? null, superseded };
  }

  /** A proposal's stored votes and Byzantine evidence. @throws NotFoundError. */
  votes(proposalId: string): { votes: Envelope[]; evidence: ByzantineEvidenceJSON[] } {
    proposalRow(this.#ctx, proposalId);
    return { votes: this.#ctx.store.votes(proposalId), evidence: this.#ctx.store.evidence(proposalId) };
  }

  /** A proposal's recorded result with its votes, or undefined. */
  result(proposalId: string): DecidedRound | undefined {
    const r = this.#ctx.store.result(proposalId);
    return r === undefined ? undefined : { result: r.envelope, votes: r.votes };
  }

  /** Proposals waiting for a human vote. */
  queue(): { proposalId: string; queuedAt: string; proposal: Envelope }[] {
    return this.#ctx.store.queued();
  }

  /** A subject's authorization state (false while frozen), with its decided grants in decision order. */
  authorization(subjectId: string): AuthorizationState {
    return authorizationOf(this.#ctx.store, this.#ctx.freeze, subjectId);
  }

  /** True while a passed emergency-freeze is in force. */
  get frozen(): boolean {
    return this.#ctx.freeze.frozen;
  }

  /** The audit trail, read-only (entries, checkpoints, proofs). */
  auditLog(): AuditReader {
    return this.#ctx.trail;
  }

  /** Commits what is queued, signs a final checkpoint, closes the store and the log, releases the data dir. */
  async close(): Promise<void> {
    const { store, trail, dirLock } = this.#ctx;
    await this.#sync?.stop();
    try {
      await store.close();
      await trail.close();
    } finally {
      dirLock?.release();
    }
  }
}
