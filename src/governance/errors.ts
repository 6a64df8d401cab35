// Governance errors: one base class per domain, one subclass per failure, each with a stable `code`
// (mirrors the names of the pqc-ai-governance seed's errors.py so ports read the same).

import { QuorumkitError, type QuorumkitErrorCode } from '../core/errors.js';
import type { ByzantineEvidence } from './evidence.js';

/** Codes thrown by `quorumkit/governance`. */
export type GovernanceErrorCode = Extract<
  QuorumkitErrorCode,
  | 'ERR_GOVERNANCE'
  | 'ERR_INVALID_PROPOSAL'
  | 'ERR_INVALID_VOTE'
  | 'ERR_INSUFFICIENT_QUORUM'
  | 'ERR_CONSENSUS_FAILED'
  | 'ERR_UNKNOWN_NODE'
  | 'ERR_BYZANTINE_DETECTED'
  | 'ERR_PROPOSAL_EXPIRED'
>;

/** Base of every governance failure (code `ERR_GOVERNANCE` unless a subclass says otherwise). */
export class GovernanceError extends QuorumkitError {
  constructor(message: string, options?: { cause?: unknown }, code: GovernanceErrorCode = 'ERR_GOVERNANCE') {
    super(code, message, options);
    this.name = 'GovernanceError';
  }
}

/** A proposal is malformed, unsigned where a signature is required, or signed by the wrong key (`ERR_INVALID_PROPOSAL`). */
export class InvalidProposalError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options, 'ERR_INVALID_PROPOSAL');
    this.name = 'InvalidProposalError';
  }
}

/** A vote is malformed (`ERR_INVALID_VOTE`). */
export class InvalidVoteError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options, 'ERR_INVALID_VOTE');
    this.name = 'InvalidVoteError';
  }
}

/** Not enough weight took part for a decision (`ERR_INSUFFICIENT_QUORUM`). */
export class InsufficientQuorumError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options, 'ERR_INSUFFICIENT_QUORUM');
    this.name = 'InsufficientQuorumError';
  }
}

/** A consensus round cannot proceed (e.g. already finalized) (`ERR_CONSENSUS_FAILED`). */
export class ConsensusFailedError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options, 'ERR_CONSENSUS_FAILED');
    this.name = 'ConsensusFailedError';
  }
}

/** A did is not in the node registry (`ERR_UNKNOWN_NODE`). */
export class UnknownNodeError extends GovernanceError {
  /** The did that was looked up. */
  readonly did: string;
  constructor(did: string, options?: { cause?: unknown }) {
    super(`unknown governance node ${did}`, options, 'ERR_UNKNOWN_NODE');
    this.name = 'UnknownNodeError';
    this.did = did;
  }
}

/**
 * A member signed two conflicting votes on one proposal (`ERR_BYZANTINE_DETECTED`). `evidence` holds
 * both signed envelopes; anyone can check it with `verifyByzantineEvidence`.
 */
export class ByzantineDetectedError extends GovernanceError {
  /** Both signed votes: self-contained proof of the equivocation. */
  readonly evidence: ByzantineEvidence;
  constructor(evidence: ByzantineEvidence, options?: { cause?: unknown }) {
    super(
      `voter ${evidence.voterDid} cast conflicting votes: ${evidence.first.vote.decision} then ${evidence.second.vote.decision}`,
      options,
      'ERR_BYZANTINE_DETECTED',
    );
    this.name = 'ByzantineDetectedError';
    this.evidence = evidence;
  }
}

/** A vote was cast after the proposal's expiry (`ERR_PROPOSAL_EXPIRED`). */
export class ProposalExpiredError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options, 'ERR_PROPOSAL_EXPIRED');
    this.name = 'ProposalExpiredError';
  }
}
