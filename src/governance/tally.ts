// Vote tally with Byzantine checks. Port of pqc-ai-governance `tally.py` (VoteTally): checks run in
// the seed's order and record the seed's reasons — "proposal hash mismatch", "proposal id mismatch",
// "invalid signature", "non-member voter". A conflicting repeat vote raises ByzantineDetectedError.
// Beyond the seed: the error carries both signed votes as evidence, and the equivocator's weight is
// withdrawn from the tally (its later votes are recorded as "byzantine voter"), so the final tally
// does not depend on the order in which votes arrived. A `voteId` is the content hash of its vote
// (vote.ts), so two different signed votes cannot share one and a replayed vote is a duplicate; the
// "duplicate vote id" refusal (an id already held by a different signed body) stays as a defensive
// guard — were it ever reached, `includedVoteIds` would otherwise list one id twice.

import type { GovernanceMember } from './node.js';
import type { NodeRegistry } from './registry.js';
import { ByzantineDetectedError, InvalidVoteError } from './errors.js';
import { byzantineEvidenceFromJSON, createByzantineEvidence, verifyByzantineEvidence, type ByzantineEvidence, type ByzantineEvidenceJSON } from './evidence.js';
import type { TallyWeights } from './policy.js';
import { GovernanceProposal } from './proposal.js';
import { SignedVote, verifySignedVote, type VoteDecision } from './vote.js';

/** Why the tally refused a vote. The first four are the seed's strings. */
export type TallyRejectionReason = 'proposal hash mismatch' | 'proposal id mismatch' | 'invalid signature' | 'non-member voter' | 'byzantine voter' | 'duplicate vote id';

/** A refused vote and why. */
export interface InvalidVoteRecord {
  readonly vote: SignedVote;
  readonly reason: TallyRejectionReason;
}

/** What {@link VoteTally.add} did with a vote. */
export type TallyOutcome = 'counted' | 'duplicate' | 'rejected';

interface Counted {
  readonly vote: SignedVote;
  readonly weight: number;
}

/**
 * Aggregates signed votes on one proposal. Weight is counted once per distinct did, at the weight
 * the registry gives that did when its vote is counted.
 * @example
 * const tally = new VoteTally(proposal, registry);
 * await tally.add(await bob.castVote(proposal, 'approve')); // 'counted'
 */
export class VoteTally implements TallyWeights {
  readonly proposal: GovernanceProposal;
  readonly registry: NodeRegistry<GovernanceMember>;
  readonly #counted = new Map<string, Counted>();
  readonly #invalid: InvalidVoteRecord[] = [];
  readonly #evidence: ByzantineEvidence[] = [];
  readonly #byzantine = new Set<string>();
  /** voteId → the signed body (envelope payload) that first claimed it (counted or Byzantine). */
  readonly #voteIds = new Map<string, string>();
  readonly #hash: string;

  /** @throws TypeError when `proposal` is not a GovernanceProposal. */
  constructor(proposal: GovernanceProposal, registry: NodeRegistry<GovernanceMember>) {
    if (!(proposal instanceof GovernanceProposal)) throw new TypeError('"proposal" expected a GovernanceProposal');
    if (registry === null || typeof registry !== 'object' || typeof registry.isMember !== 'function') throw new TypeError('"registry" expected a NodeRegistry');
    this.proposal = proposal;
    this.registry = registry;
    this.#hash = proposal.proposalHash();
  }

  #sum(decision: VoteDecision): number {
    let s = 0;
    for (const c of this.#counted.values()) if (c.vote.vote.decision === decision) s += c.weight;
    return s;
  }

  /** Weight of counted approve votes. */
  get approveWeight(): number {
    return this.#sum('approve');
  }

  /** Weight of counted reject votes. */
  get rejectWeight(): number {
    return this.#sum('reject');
  }

  /** Weight of counted abstain votes. */
  get abstainWeight(): number {
    return this.#sum('abstain');
  }

  /** approve + reject + abstain weight. */
  totalCastWeight(): number {
    return this.approveWeight + this.rejectWeight + this.abstainWeight;
  }

  /** Counted votes, in arrival order (a copy). */
  get validVotes(): SignedVote[] {
    return [...this.#counted.values()].map((c) => c.vote);
  }

  /** Refused votes with their reasons, in arrival order (a copy). */
  get invalidVotes(): InvalidVoteRecord[] {
    return [...this.#invalid];
  }

  /** Evidence of every equivocation seen (a copy). */
  get evidence(): ByzantineEvidence[] {
    return [...this.#evidence];
  }

  /** Ids of the counted votes, sorted. */
  includedVoteIds(): string[] {
    return this.validVotes.map((v) => v.vote.voteId).sort();
  }

  /** Dids caught equivocating (their weight is withdrawn), sorted. */
  byzantineVoters(): string[] {
    return [...this.#byzantine].sort();
  }

  /**
   * True when `did` has taken part: its vote is counted, or it was caught equivocating (its
   * weight is withdrawn for good, so it can no longer change the tally).
   */
  hasVoted(did: string): boolean {
    return this.#counted.has(did) || this.#byzantine.has(did);
  }

  #claim(vote: SignedVote): void {
    if (!this.#voteIds.has(vote.vote.voteId)) this.#voteIds.set(vote.vote.voteId, vote.envelope.payload);
  }

  #reject(vote: SignedVote, reason: TallyRejectionReason): TallyOutcome {
    this.#invalid.push(Object.freeze({ vote, reason }));
    return 'rejected';
  }

  /**
   * Adds a signed vote. A refused vote is recorded in `invalidVotes` with its reason; an identical
   * repeat (same voter and decision, e.g. the same vote replayed) is ignored. Ids are content
   * hashes, so a `'duplicate vote id'` refusal (an id held by a different signed body) cannot
   * happen for votes decoded by `SignedVote.fromEnvelope`; it is kept as a guard.
   * @returns `'counted'`, `'duplicate'` or `'rejected'`.
   * @throws ByzantineDetectedError (with `evidence`) when a member who already voted signs a different decision.
   */
  async add(signed: SignedVote): Promise<TallyOutcome> {
    if (!(signed instanceof SignedVote)) throw new TypeError('"signed" expected a SignedVote (use SignedVote.fromEnvelope)');
    const vote = signed.vote;
    if (vote.proposalHash !== this.#hash) return this.#reject(signed, 'proposal hash mismatch');
    if (vote.proposalId !== this.proposal.proposalId) return this.#reject(signed, 'proposal id mismatch');
    if (!(await verifySignedVote(signed))) return this.#reject(signed, 'invalid signature');
    // From here on nothing awaits, so concurrent add() calls cannot interleave their bookkeeping.
    const did = vote.voterDid;
    if (!this.registry.isMember(did)) return this.#reject(signed, 'non-member voter');
    if (this.#byzantine.has(did)) return this.#reject(signed, 'byzantine voter');
    const prior = this.#counted.get(did);
    if (prior !== undefined) {
      if (prior.vote.vote.decision === vote.decision) return 'duplicate';
      const evidence = createByzantineEvidence(prior.vote, signed);
      this.#counted.delete(did);
      this.#byzantine.add(did);
      this.#evidence.push(evidence);
      this.#claim(signed);
      throw new ByzantineDetectedError(evidence);
    }
    const holder = this.#voteIds.get(vote.voteId);
    if (holder !== undefined && holder !== signed.envelope.payload) return this.#reject(signed, 'duplicate vote id');
    this.#claim(signed);
    this.#counted.set(did, Object.freeze({ vote: signed, weight: this.registry.get(did).weight }));
    return 'counted';
  }

  /**
   * Applies stored Byzantine evidence (e.g. when a node rebuilds a round after a restart, where the
   * conflicting vote itself may not have been stored): the voter's weight is withdrawn and its later
   * votes are refused, exactly as if the double vote had just arrived.
   * @returns true when the evidence was applied, false when this voter was already excluded.
   * @param evidence the evidence, or its JSON form.
   * @throws InvalidVoteError when the evidence does not verify, is about another proposal, or
   *   accuses a non-member.
   */
  async addEvidence(input: ByzantineEvidence | ByzantineEvidenceJSON): Promise<boolean> {
    const verdict = await verifyByzantineEvidence(input);
    if (!verdict.valid) throw new InvalidVoteError(`evidence rejected: ${verdict.reason ?? 'invalid'}`);
    const evidence = (input as ByzantineEvidence).first instanceof SignedVote ? (input as ByzantineEvidence) : byzantineEvidenceFromJSON(input);
    if (evidence.proposalId !== this.proposal.proposalId || evidence.proposalHash !== this.#hash) throw new InvalidVoteError('evidence rejected: it is about another proposal');
    const did = evidence.voterDid;
    if (!this.registry.isMember(did)) throw new InvalidVoteError(`evidence rejected: ${did} is not a member`);
    if (this.#byzantine.has(did)) return false;
    this.#counted.delete(did);
    this.#byzantine.add(did);
    this.#evidence.push(evidence);
    this.#claim(evidence.first);
    this.#claim(evidence.second);
    return true;
  }

  /** Summary in the seed's `to_dict` shape, camelCase. */
  toJSON(): { proposalId: string; approveWeight: number; rejectWeight: number; abstainWeight: number; validVoteCount: number; invalidVoteCount: number } {
    return {
      proposalId: this.proposal.proposalId,
      approveWeight: this.approveWeight,
      rejectWeight: this.rejectWeight,
      abstainWeight: this.abstainWeight,
      validVoteCount: this.#counted.size,
      invalidVoteCount: this.#invalid.length,
    };
  }
}
