// quorumkit/governance — ML-DSA quorum consensus for AI models and agents (port of the
// pqc-ai-governance design by Dyber PQC). Re-exports only; imports no node:* module.

export {
  GovernanceError, InvalidProposalError, InvalidVoteError, InsufficientQuorumError, ConsensusFailedError,
  UnknownNodeError, ByzantineDetectedError, ProposalExpiredError, RegistryTransitionError,
} from './errors.js';
export type { GovernanceErrorCode, RegistryTransitionRejection } from './errors.js';
export { PROPOSAL_PAYLOAD_TYPE, VOTE_PAYLOAD_TYPE, RESULT_PAYLOAD_TYPE } from './_wire.js';
export { GovernanceProposal, PROPOSAL_KINDS, MAX_PROPOSAL_TTL_SECONDS, isProposalKind, proposalWindowError } from './proposal.js';
export type { ProposalKind, ProposalStatus, GovernanceProposalFields, GovernanceProposalJSON, CreateProposalOptions } from './proposal.js';
export { Vote, SignedVote, VOTE_DECISIONS, VOTE_ID_MISMATCH, isVoteDecision, verifySignedVote, voteIdOf } from './vote.js';
export type { VoteDecision, VoteFields, CreateVoteOptions } from './vote.js';
export { GovernanceNode } from './node.js';
export type { GovernanceMember, GovernanceNodeOptions, CastVoteOptions } from './node.js';
export { NodeRegistry } from './registry.js';
export { QuorumPolicy, formatPercent, QUORUM_MET_REASON } from './policy.js';
export type { Fraction, TallyWeights, PolicyDecision, QuorumPolicyOptions } from './policy.js';
export { VoteTally } from './tally.js';
export type { TallyRejectionReason, InvalidVoteRecord, TallyOutcome } from './tally.js';
export { createByzantineEvidence, byzantineEvidenceToJSON, byzantineEvidenceFromJSON, verifyByzantineEvidence } from './evidence.js';
export type { ByzantineEvidence, ByzantineEvidenceJSON, EvidenceVerification } from './evidence.js';
export { ConsensusResult, verifyConsensusResult, resultPolicyError } from './result.js';
export type { ConsensusDecision, ConsensusResultFields, ConsensusResultJSON, VerifyResultOptions, ResultPolicy } from './result.js';
export { ConsensusRound } from './round.js';
export type { ConsensusRoundOptions } from './round.js';
export { AuthorizationGrant, AuthorizationChain } from './authorization.js';
export type { AuthorizationGrantOptions, AuthorizationGrantJSON, AuthorizationChainOptions, DelegationRecord } from './authorization.js';
export { GovernanceState, LIFT_FREEZE_ACTION } from './governance-state.js';
export type { FreezeEvent, GovernanceStateJSON } from './governance-state.js';
export {
  RegistryHistory, REGISTRY_HISTORY_FORMAT, MAX_REGISTRY_MEMBERS, MAX_REGISTRY_TRANSITIONS,
} from './registry-history.js';
export type {
  RegistryMember, AddNodeParameters, RegistryHistoryJSON, RegistryTransitionJSON, ApplyTransitionInput, RegistryHistoryOptions,
} from './registry-history.js';
export { verifyResultOffline, MAX_OFFLINE_REASONS, MAX_OFFLINE_VOTES } from './offline-verify.js';
export type { VerifyOfflineOptions, OfflineTally, OfflineVerification } from './offline-verify.js';
export { GovernanceAuditLog } from './audit-log.js';
export type { AuditQuery, GovernanceAuditLogOptions } from './audit-log.js';
export {
  AUDIT_OPERATIONS, auditEntry, isAuditOperation, resultEvents, proposalCreatedEvent, voteCastEvent, consensusReachedEvent, byzantineDetectedEvent,
  nodeAddedEvent, nodeRemovedEvent, authorizationGrantedEvent, authorizationRevokedEvent,
} from './audit-events.js';
export type { AuditOperation, GovernanceAuditEntry, AuditEntryInput, MembershipChange } from './audit-events.js';
