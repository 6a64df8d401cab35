// Governance errors (see core/errors.ts for the pattern): one base class for the domain, one
// subclass per failure, each with a static `code` and HTTP `status` (names mirror the
// pqc-ai-governance seed's errors.py so ports read the same).

import { QuorumkitError, type JsonValue, type QuorumkitErrorOptions } from '../core/errors.js';
import { byzantineEvidenceToJSON, type ByzantineEvidence } from './evidence.js';

/** Base of every governance failure (`ERR_GOVERNANCE`, 400). */
export class GovernanceError extends QuorumkitError {
  static override readonly code: string = 'ERR_GOVERNANCE';
  static override readonly status: number = 400;
}

/** A proposal is malformed, unsigned where a signature is required, or signed by the wrong key (`ERR_INVALID_PROPOSAL`, 400). */
export class InvalidProposalError extends GovernanceError {
  static override readonly code: string = 'ERR_INVALID_PROPOSAL';
  static override readonly status: number = 400;
}

/** A vote is malformed (`ERR_INVALID_VOTE`, 400). */
export class InvalidVoteError extends GovernanceError {
  static override readonly code: string = 'ERR_INVALID_VOTE';
  static override readonly status: number = 400;
}

/** Not enough weight took part for a decision (`ERR_INSUFFICIENT_QUORUM`, 409). */
export class InsufficientQuorumError extends GovernanceError {
  static override readonly code: string = 'ERR_INSUFFICIENT_QUORUM';
  static override readonly status: number = 409;
}

/** A consensus round cannot proceed (e.g. already finalized) (`ERR_CONSENSUS_FAILED`, 409). */
export class ConsensusFailedError extends GovernanceError {
  static override readonly code: string = 'ERR_CONSENSUS_FAILED';
  static override readonly status: number = 409;
}

/** A did is not in the node registry (`ERR_UNKNOWN_NODE`, 403). */
export class UnknownNodeError extends GovernanceError {
  static override readonly code: string = 'ERR_UNKNOWN_NODE';
  static override readonly status: number = 403;
  /** The did that was looked up. */
  readonly did: string;
  constructor(did: string, options?: { cause?: unknown }) {
    super(`unknown governance node ${did}`, options);
    this.did = did;
  }
}

/**
 * A member signed two conflicting votes on one proposal (`ERR_BYZANTINE_DETECTED`, 409). `evidence`
 * holds both signed envelopes; anyone can check it with `verifyByzantineEvidence`. Its wire form is
 * `details.evidence`, so an HTTP answer carries it as `error.evidence`.
 */
export class ByzantineDetectedError extends GovernanceError {
  static override readonly code: string = 'ERR_BYZANTINE_DETECTED';
  static override readonly status: number = 409;
  /** Both signed votes: self-contained proof of the equivocation. */
  readonly evidence: ByzantineEvidence;
  constructor(evidence: ByzantineEvidence, options?: { cause?: unknown }) {
    super(`voter ${evidence.voterDid} cast conflicting votes: ${evidence.first.vote.decision} then ${evidence.second.vote.decision}`, {
      ...options,
      // Envelopes are plain JSON (strings and arrays of objects of strings).
      details: { evidence: byzantineEvidenceToJSON(evidence) as unknown as JsonValue },
    });
    this.evidence = evidence;
  }
}

/** A vote was cast after the proposal's expiry (`ERR_PROPOSAL_EXPIRED`, 409). */
export class ProposalExpiredError extends GovernanceError {
  static override readonly code: string = 'ERR_PROPOSAL_EXPIRED';
  static override readonly status: number = 409;
}

/** Why {@link RegistryTransitionError} refused a result (see `RegistryHistory.apply`). */
export type RegistryTransitionRejection =
  | 'not-membership-kind'
  | 'proposal-mismatch'
  | 'missing-version'
  | 'wrong-version'
  | 'wrong-policy'
  | 'not-passed'
  | 'invalid-result'
  | 'duplicate'
  | 'bad-parameters'
  | 'already-member'
  | 'not-member'
  | 'last-member';

/** A membership change was refused (`ERR_GOVERNANCE`, 400); `rejection` says why, and the history is unchanged. */
export class RegistryTransitionError extends GovernanceError {
  /** The check that failed. */
  readonly rejection: RegistryTransitionRejection;
  constructor(rejection: RegistryTransitionRejection, message: string, options?: QuorumkitErrorOptions) {
    super(message, options);
    this.rejection = rejection;
  }
}

/** Codes thrown by `quorumkit/governance`. */
export type GovernanceErrorCode =
  | 'ERR_GOVERNANCE'
  | 'ERR_INVALID_PROPOSAL'
  | 'ERR_INVALID_VOTE'
  | 'ERR_INSUFFICIENT_QUORUM'
  | 'ERR_CONSENSUS_FAILED'
  | 'ERR_UNKNOWN_NODE'
  | 'ERR_BYZANTINE_DETECTED'
  | 'ERR_PROPOSAL_EXPIRED';
