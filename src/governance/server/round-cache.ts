// The open rounds a node keeps in memory: a bounded LRU of ConsensusRounds, each rebuilt on demand
// from the store — the signed proposal, its votes replayed in arrival order without the expiry
// check (they were accepted in time, so a double vote is detected again) and its stored Byzantine
// evidence (so an equivocator stays excluded even when its conflicting vote could not be stored).
// A decided round leaves the cache, so memory does not grow with finished rounds, and a node
// restarted from its data dir needs no start-up replay. Invariant: a cached round is an OPEN
// proposal's — every status change (decide.ts `record`) evicts it under the proposal's lock once
// committed — so a hit also answers "is it open?" and gives its stored columns without a read (the
// columns other than status never change). Node-only.

import { describeValue } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import {
  ByzantineDetectedError, ConsensusRound, GovernanceProposal, SignedVote, createByzantineEvidence, type RegistryHistory,
} from '../index.js';
import type { GovernanceStore, ProposalRow } from './store.js';

/** Default most rounds kept in memory. */
export const DEFAULT_ROUND_CACHE_SIZE = 1024;

/** An open proposal's stored columns (status `open`) and its round. */
export interface OpenRound {
  readonly row: ProposalRow;
  readonly round: ConsensusRound;
}

/** Open rounds in memory, rebuilt from the store when evicted. */
export class RoundCache {
  readonly #rounds = new Map<string, OpenRound>();
  readonly #store: GovernanceStore;
  readonly #history: RegistryHistory;
  readonly #clock: Clock;
  readonly #max: number;

  constructor(store: GovernanceStore, history: RegistryHistory, clock: Clock, max = DEFAULT_ROUND_CACHE_SIZE) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`"max" expected a positive integer, got ${describeValue(max)}`);
    this.#store = store;
    this.#history = history;
    this.#clock = clock;
    this.#max = max;
  }

  /** Rounds held in memory. */
  get size(): number {
    return this.#rounds.size;
  }

  /** Starts the round of a proposal just stored (nothing to replay). */
  open(proposal: GovernanceProposal, row: ProposalRow): ConsensusRound {
    return this.#keep(row, this.#newRound(proposal, row));
  }

  /** The round and stored columns of an open proposal held in memory (most recently used), or undefined. */
  cached(proposalId: string): OpenRound | undefined {
    const have = this.#rounds.get(proposalId);
    if (have !== undefined) {
      // Most recently used last.
      this.#rounds.delete(proposalId);
      this.#rounds.set(proposalId, have);
    }
    return have;
  }

  /** The round of an open proposal, from memory or rebuilt from the store (call under its lock). */
  async get(row: ProposalRow): Promise<ConsensusRound> {
    return this.cached(row.proposalId)?.round ?? this.#keep(row, await this.#rebuild(row));
  }

  /** Forgets a round (decided, or its in-memory tally may be ahead of a failed commit). */
  evict(proposalId: string): void {
    this.#rounds.delete(proposalId);
  }

  #keep(row: ProposalRow, round: ConsensusRound): ConsensusRound {
    this.#rounds.set(row.proposalId, { row, round });
    if (this.#rounds.size > this.#max) this.#rounds.delete(this.#rounds.keys().next().value!);
    return round;
  }

  #newRound(proposal: GovernanceProposal, row: ProposalRow): ConsensusRound {
    // A round opened before a later membership change keeps the members of its own version, and
    // still signs that version and the history's policy into its result.
    return new ConsensusRound({ proposal, history: this.#history, registryVersion: row.registryVersion, clock: this.#clock });
  }

  async #rebuild(row: ProposalRow): Promise<ConsensusRound> {
    const round = this.#newRound(GovernanceProposal.fromEnvelope(this.#store.proposalEnvelope(row.proposalId)), row);
    for (const env of this.#store.votes(row.proposalId)) {
      try {
        await round.replay(SignedVote.fromEnvelope(env));
      } catch (e) {
        if (!(e instanceof ByzantineDetectedError)) throw e;
      }
    }
    for (const json of this.#store.evidence(row.proposalId)) {
      const [a, b] = json.votes;
      await round.tally.addEvidence(createByzantineEvidence(SignedVote.fromEnvelope(a), SignedVote.fromEnvelope(b)));
    }
    return round;
  }
}
