// Governance nodes: an ML-DSA identity with a name and a voting weight, which signs proposals and
// casts signed votes. Port of pqc-ai-governance `node.py` (GovernanceNode); signatures are FIPS 204
// ML-DSA over DSSE envelopes (`governance.proposal`, `governance.vote`) instead of the seed's raw
// signature over a SHA3 digest.

import { base64Encode } from '../core/bytes.js';
import type { Clock } from '../core/clock.js';
import { signEnvelope } from '../envelope/sign.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { PROPOSAL_PAYLOAD_TYPE, VOTE_PAYLOAD_TYPE, checkOptions, checkString, checkWeight, isSignedBy } from './_wire.js';
import { isPlainObject } from '../core/assert.js';
import { InvalidProposalError, InvalidVoteError } from './errors.js';
import { GovernanceProposal, type GovernanceProposalJSON } from './proposal.js';
import { SignedVote, Vote, verifySignedVote, type VoteDecision } from './vote.js';

/** What a registry needs to know about a member: public, no key material. */
export interface GovernanceMember {
  readonly did: string;
  readonly name: string;
  /** Voting weight, a non-negative integer. */
  readonly weight: number;
}

/** Options of the {@link GovernanceNode} constructor. */
export interface GovernanceNodeOptions {
  /** The node's signing identity (`Identity` from `quorumkit/pq`, or any EnvelopeSigner). */
  readonly identity: EnvelopeSigner;
  /** Human name, 1..128 characters. */
  readonly name: string;
  /** Voting weight, a non-negative safe integer; default 1. */
  readonly weight?: number;
  /** Time source for votes, default the system clock. */
  readonly clock?: Clock;
}

/** Options of {@link GovernanceNode.castVote} (no id: a vote's id is its content hash). */
export interface CastVoteOptions {
  readonly clock?: Clock;
}

/**
 * A governance node.
 * @example
 * const alice = new GovernanceNode({ identity: await Identity.create('alice'), name: 'alice', weight: 1 });
 * const signed = await alice.castVote(proposal, 'approve', 'looks good');
 */
export class GovernanceNode implements GovernanceMember {
  readonly identity: EnvelopeSigner;
  readonly name: string;
  readonly weight: number;
  readonly did: string;
  readonly #clock: Clock | undefined;

  /** @throws TypeError / RangeError for a bad identity, name or weight. */
  constructor(options: GovernanceNodeOptions) {
    const { identity, name, weight = 1 } = options ?? ({} as GovernanceNodeOptions);
    if (identity === null || typeof identity !== 'object' || typeof identity.sign !== 'function' || typeof identity.did !== 'string') {
      throw new TypeError('"identity" expected an Identity (did, alg, publicKey, sign)');
    }
    const bad = checkString('name', name, 128);
    if (bad !== null) throw new TypeError(bad);
    const badWeight = checkWeight('weight', weight);
    if (badWeight !== null) throw new RangeError(badWeight);
    this.identity = identity;
    this.name = name;
    this.weight = weight;
    this.did = identity.did;
    this.#clock = options.clock;
    Object.freeze(this);
  }

  /**
   * Signs `proposal` as its proposer and attaches the envelope to it.
   * @returns the `governance.proposal` envelope.
   * @throws InvalidProposalError when this node is not the proposal's `proposerDid`.
   */
  async signProposal(proposal: GovernanceProposal): Promise<Envelope> {
    if (!(proposal instanceof GovernanceProposal)) throw new TypeError('"proposal" expected a GovernanceProposal');
    if (proposal.proposerDid !== this.did) throw new InvalidProposalError(`proposal ${proposal.proposalId} names proposer ${proposal.proposerDid}, not ${this.did}`);
    const env = await signEnvelope(proposal.body(), PROPOSAL_PAYLOAD_TYPE, [this.identity]);
    proposal.attachEnvelope(env);
    return proposal.envelope!;
  }

  /**
   * Signs an existing vote of this node.
   * @throws InvalidVoteError when `vote.voterDid` is not this node.
   */
  async signVote(vote: Vote): Promise<SignedVote> {
    if (!(vote instanceof Vote)) throw new TypeError('"vote" expected a Vote');
    if (vote.voterDid !== this.did) throw new InvalidVoteError(`vote ${vote.voteId} names voter ${vote.voterDid}, not ${this.did}`);
    return SignedVote.fromEnvelope(await signEnvelope(vote.body(), VOTE_PAYLOAD_TYPE, [this.identity]));
  }

  /**
   * Casts a signed vote on `proposal`, bound to its id and hash; its id is its content hash.
   * @throws InvalidVoteError for an unknown decision; TypeError for an unknown option.
   */
  async castVote(proposal: GovernanceProposal, decision: VoteDecision, rationale = '', options: CastVoteOptions = {}): Promise<SignedVote> {
    if (!(proposal instanceof GovernanceProposal)) throw new TypeError('"proposal" expected a GovernanceProposal');
    checkOptions(options, ['clock'], 'castVote');
    const clock = options.clock ?? this.#clock;
    const vote = Vote.create(proposal.proposalId, proposal.proposalHash(), this.did, decision, { rationale, ...(clock === undefined ? {} : { clock }) });
    return this.signVote(vote);
  }

  /**
   * True when the proposal is well formed and signed by its `proposerDid`. Takes a
   * `GovernanceProposal` (with its envelope attached), its JSON form (`JSON.stringify(p)` parsed back,
   * whose readable fields must equal the signed ones) or the bare envelope. An unsigned proposal is
   * not verified. Never throws for bad input.
   */
  static async verifyProposal(proposal: GovernanceProposal | GovernanceProposalJSON | Envelope): Promise<boolean> {
    let parsed: GovernanceProposal;
    try {
      if (proposal instanceof GovernanceProposal) parsed = proposal;
      else if (isPlainObject(proposal) && Object.hasOwn(proposal, 'proposerDid')) parsed = GovernanceProposal.fromJSON(proposal);
      else parsed = GovernanceProposal.fromEnvelope(proposal);
    } catch {
      return false;
    }
    const env = parsed.envelope;
    return env !== undefined && isSignedBy(env, PROPOSAL_PAYLOAD_TYPE, parsed.proposerDid);
  }

  /** True when the signed vote is signed by its own voter. Never throws for bad input. */
  static async verifyVote(signed: SignedVote | Envelope): Promise<boolean> {
    return verifySignedVote(signed);
  }

  /** Public view: name, did, weight, alg and base64 public key — never key material. */
  toJSON(): { name: string; did: string; weight: number; alg: string; publicKey: string } {
    return { name: this.name, did: this.did, weight: this.weight, alg: this.identity.alg, publicKey: base64Encode(this.identity.publicKey) };
  }
}
