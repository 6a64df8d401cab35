// One consensus round: one proposal, many signed votes, one signed result. Port of pqc-ai-governance
// `round.py` (ConsensusRound): votes after the proposal's TTL are refused, `finalize` applies the
// quorum policy to the tally and the registry's total weight, sets the proposal's status and signs
// the result with the coordinator's ML-DSA identity. Beyond the seed: a round run against a
// `RegistryHistory` takes its registry snapshot, version and policy from the history and signs
// `registryVersion` and `policy` into the result, so it can be re-verified offline and applied.
// A round can also be rebuilt under an OLDER version of a history (the version its proposal was
// submitted under), stored votes can be replayed past the expiry (they were accepted in time), and
// `isSettled` tells whether the remaining uncast weight can still change the decision.

import { systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { signEnvelope } from '../envelope/sign.js';
import type { Envelope } from '../envelope/types.js';
import { RESULT_PAYLOAD_TYPE, checkWeight } from './_wire.js';
import { describeValue } from '../core/assert.js';
import { canonicalize } from '../core/canonical-json.js';
import { ConsensusFailedError, ProposalExpiredError, UnknownNodeError } from './errors.js';
import { RegistryHistory } from './registry-history.js';
import { GovernanceNode, type GovernanceMember } from './node.js';
import { QuorumPolicy } from './policy.js';
import { GovernanceProposal } from './proposal.js';
import type { NodeRegistry } from './registry.js';
import { ConsensusResult, verifyConsensusResult, type ConsensusResultJSON, type VerifyResultOptions } from './result.js';
import { VoteTally, type TallyOutcome } from './tally.js';
import type { SignedVote } from './vote.js';

/** Options of the {@link ConsensusRound} constructor. */
export interface ConsensusRoundOptions {
  readonly proposal: GovernanceProposal;
  /** The voters (unversioned flow). Give either `registry` or `history`, not both. */
  readonly registry?: NodeRegistry<GovernanceMember>;
  /**
   * A versioned registry (membership by consensus): the round votes under the history's CURRENT
   * version (a snapshot taken now), uses the history's policy, requires a coordinator who is a
   * member at that version, and records `registryVersion` and `policy` in the signed result.
   */
  readonly history?: RegistryHistory;
  /** Default `new QuorumPolicy()` (2/3 participation, 2/3 approval), or the history's policy. */
  readonly policy?: QuorumPolicy;
  /** Time source for expiry and `decidedAt`; default the system clock. */
  readonly clock?: Clock;
  /**
   * Registry version to record in the result. With `history`: the version the round votes under,
   * at most the history's current version (default the current one) — a round rebuilt after a
   * later membership change keeps the members of the version its proposal was submitted under.
   */
  readonly registryVersion?: number;
}

/**
 * A consensus round.
 * @example
 * const round = new ConsensusRound({ proposal, registry, policy: new QuorumPolicy() });
 * await round.cast(await bob.castVote(proposal, 'approve'));
 * const result = await round.finalize(alice);
 * await ConsensusRound.verifyResult(result); // true
 */
export class ConsensusRound {
  readonly proposal: GovernanceProposal;
  readonly registry: NodeRegistry<GovernanceMember>;
  readonly policy: QuorumPolicy;
  readonly tally: VoteTally;
  readonly #clock: Clock;
  readonly #registryVersion: number | undefined;
  /** The history this round runs against, if any. */
  readonly history: RegistryHistory | undefined;
  #result: ConsensusResult | undefined;
  #finalizing = false;

  /** @throws TypeError / RangeError for bad options. */
  constructor(options: ConsensusRoundOptions) {
    const { proposal, history, clock = systemClock } = options ?? ({} as ConsensusRoundOptions);
    let { registry, policy, registryVersion } = options ?? ({} as ConsensusRoundOptions);
    if (history !== undefined) {
      if (!(history instanceof RegistryHistory)) throw new TypeError('"history" expected a RegistryHistory');
      if (registry !== undefined) throw new TypeError('give "registry" or "history", not both');
      if (registryVersion !== undefined && (!Number.isSafeInteger(registryVersion) || registryVersion < 0 || registryVersion > history.version)) {
        throw new RangeError(`"registryVersion" expected an integer in 0..${history.version} (the history's versions), got ${describeValue(registryVersion)}`);
      }
      if (policy !== undefined && (!(policy instanceof QuorumPolicy) || canonicalize(policy.toJSON()) !== canonicalize(history.policy.toJSON()))) {
        throw new RangeError('"policy" differs from the history\'s policy');
      }
      registryVersion ??= history.version;
      registry = history.registryAt(registryVersion);
      policy = history.policy;
    }
    policy ??= new QuorumPolicy();
    if (!(policy instanceof QuorumPolicy)) throw new TypeError('"policy" expected a QuorumPolicy');
    if (registryVersion !== undefined && checkWeight('registryVersion', registryVersion) !== null) {
      throw new RangeError(`"registryVersion" expected a non-negative safe integer, got ${describeValue(registryVersion)}`);
    }
    this.tally = new VoteTally(proposal, registry as NodeRegistry<GovernanceMember>);
    this.history = history;
    this.proposal = proposal;
    this.registry = registry as NodeRegistry<GovernanceMember>;
    this.policy = policy;
    this.#clock = clock;
    this.#registryVersion = registryVersion;
  }

  /** The signed result once finalized. */
  get result(): ConsensusResult | undefined {
    return this.#result;
  }

  /**
   * Adds a signed vote to the tally.
   * @returns the tally's outcome (`counted`, `duplicate`, `rejected`).
   * @throws ProposalExpiredError after the proposal's expiry (or when it is unparsable);
   *   ConsensusFailedError after finalize; ByzantineDetectedError for a conflicting repeat vote.
   */
  async cast(signedVote: SignedVote): Promise<TallyOutcome> {
    if (this.#result !== undefined || this.#finalizing) throw new ConsensusFailedError(`round for proposal ${this.proposal.proposalId} is already finalized`);
    if (this.proposal.isExpired(this.#clock)) {
      this.proposal.status = 'expired';
      throw new ProposalExpiredError(`proposal ${this.proposal.proposalId} is expired`);
    }
    return this.tally.add(signedVote);
  }

  /**
   * Re-adds a vote this round already accepted before (a node rebuilding its rounds from storage
   * after a restart). Unlike {@link cast} it does not check the expiry: the vote was accepted in
   * time, and dropping it would let a restarted coordinator sign a different tally than its peers.
   * @returns the tally's outcome.
   * @throws ConsensusFailedError after finalize; ByzantineDetectedError for a conflicting repeat vote.
   */
  async replay(signedVote: SignedVote): Promise<TallyOutcome> {
    if (this.#result !== undefined || this.#finalizing) throw new ConsensusFailedError(`round for proposal ${this.proposal.proposalId} is already finalized`);
    return this.tally.add(signedVote);
  }

  /**
   * Weight of registry members who have not taken part yet (neither counted nor caught
   * equivocating: an equivocator's weight is withdrawn for good).
   */
  remainingWeight(): number {
    let w = 0;
    for (const m of this.registry.members()) if (!this.tally.hasVoted(m.did)) w += m.weight;
    return w;
  }

  /**
   * True when no way the remaining members could still vote changes the policy's decision, so
   * the round may be finalized before its proposal expires. Three completions of the remaining
   * weight R are decided: all of R approves, all of R rejects, none of R votes. These are enough:
   * `passed` needs participation ≥ p·total and approve ≥ a·(approve + reject). "All approve"
   * maximises both sides at once (any completion has ≤ participation and ≤ approval share), so if
   * it fails every completion fails. If "none votes" passes, participation is met whatever R does,
   * and if "all reject" also passes then A ≥ a·(A + Rj + R), hence for any x approving and y
   * rejecting with x + y ≤ R, (A + x)·(A + Rj + R) ≥ A·(A + Rj + x + y): approval is monotone in
   * added approvals and worst with all of R rejecting. So all three agreeing means every
   * completion agrees.
   */
  isSettled(): boolean {
    const remaining = this.remainingWeight();
    if (remaining === 0) return true;
    const total = this.registry.totalWeight();
    const t = this.tally;
    const base = { approveWeight: t.approveWeight, rejectWeight: t.rejectWeight, abstainWeight: t.abstainWeight };
    const none = this.policy.check(base, total).passed;
    const allApprove = this.policy.check({ ...base, approveWeight: base.approveWeight + remaining }, total).passed;
    const allReject = this.policy.check({ ...base, rejectWeight: base.rejectWeight + remaining }, total).passed;
    return none === allApprove && allApprove === allReject;
  }

  /**
   * Decides with the policy, sets `proposal.status`, and signs the result as `coordinator`.
   * @throws ConsensusFailedError when the round was already finalized; UnknownNodeError when the
   *   round runs against a history and the coordinator is not a member at its version.
   */
  async finalize(coordinator: GovernanceNode): Promise<ConsensusResult> {
    if (!(coordinator instanceof GovernanceNode)) throw new TypeError('"coordinator" expected a GovernanceNode');
    if (this.#result !== undefined || this.#finalizing) throw new ConsensusFailedError(`round for proposal ${this.proposal.proposalId} is already finalized`);
    if (this.history !== undefined && !this.registry.isMember(coordinator.did)) throw new UnknownNodeError(coordinator.did);
    this.#finalizing = true;
    try {
      const totalWeight = this.registry.totalWeight();
      const t = this.tally;
      const weights = { approveWeight: t.approveWeight, rejectWeight: t.rejectWeight, abstainWeight: t.abstainWeight };
      const { passed, reason } = this.policy.check(weights, totalWeight);
      const result = new ConsensusResult({
        proposalId: this.proposal.proposalId,
        proposalHash: this.proposal.proposalHash(),
        decision: passed ? 'passed' : 'rejected',
        reason,
        ...weights,
        totalWeight,
        includedVoteIds: t.includedVoteIds(),
        decidedAt: toRfc3339(this.#clock.now()),
        ...(this.#registryVersion === undefined ? {} : { registryVersion: this.#registryVersion }),
        ...(this.history === undefined ? {} : { policy: this.policy.toJSON() }),
      });
      result.attachEnvelope(await signEnvelope(result.body(), RESULT_PAYLOAD_TYPE, [coordinator.identity]));
      this.proposal.status = passed ? 'passed' : 'rejected';
      this.#result = result;
      return result;
    } finally {
      this.#finalizing = false;
    }
  }

  /**
   * True when `result` is signed by its coordinator over exactly its fields (optionally only by a
   * `trusted` did). Takes a `ConsensusResult`, its JSON form or its envelope (see
   * `verifyConsensusResult`). Never throws for bad input.
   */
  static async verifyResult(result: ConsensusResult | ConsensusResultJSON | Envelope, options: VerifyResultOptions = {}): Promise<boolean> {
    return verifyConsensusResult(result, options);
  }
}
