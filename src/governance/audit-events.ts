// Governance audit events: which operations a governance change emits, in the pqc-ai-governance
// seed's operation names (`audit.py`), as plain entries. `GovernanceAuditLog` (in memory) and the
// node's transparency-log audit trail both build their entries here, so what a decided round
// logs — consensus_reached, then authorization_granted / _revoked or node_added / _removed by the
// proposal's kind — is decided in one place. Browser-safe.

import type { ByzantineEvidence } from './evidence.js';
import type { GovernanceProposal, ProposalKind } from './proposal.js';
import type { ConsensusResult } from './result.js';
import type { SignedVote } from './vote.js';

/** The audit operations (the seed's strings). */
export const AUDIT_OPERATIONS = Object.freeze([
  'proposal_created',
  'vote_cast',
  'consensus_reached',
  'byzantine_detected',
  'node_added',
  'node_removed',
  'authorization_granted',
  'authorization_revoked',
] as const);

/** One audit operation. */
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

/** One audit event. Absent fields are `null`, as in the seed's export. */
export interface GovernanceAuditEntry {
  readonly timestamp: string;
  readonly operation: AuditOperation;
  readonly proposalId: string | null;
  readonly subjectId: string | null;
  readonly kind: string | null;
  readonly actorDid: string | null;
  readonly decision: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The fields of an entry other than its timestamp; absent ones become `null`. */
export type AuditEntryInput = Partial<Omit<GovernanceAuditEntry, 'timestamp' | 'operation'>> & { readonly operation: AuditOperation };

/** True when `v` is one of the {@link AUDIT_OPERATIONS}. */
export function isAuditOperation(v: unknown): v is AuditOperation {
  return typeof v === 'string' && (AUDIT_OPERATIONS as readonly string[]).includes(v);
}

/**
 * A frozen entry stamped `timestamp`.
 * @throws TypeError for an unknown operation.
 */
export function auditEntry(input: AuditEntryInput, timestamp: string): GovernanceAuditEntry {
  if (!isAuditOperation(input?.operation)) throw new TypeError(`"operation" expected one of ${AUDIT_OPERATIONS.join(', ')}`);
  return Object.freeze({
    timestamp,
    operation: input.operation,
    proposalId: input.proposalId ?? null,
    subjectId: input.subjectId ?? null,
    kind: input.kind ?? null,
    actorDid: input.actorDid ?? null,
    decision: input.decision ?? null,
    details: Object.freeze({ ...(input.details ?? {}) }),
  });
}

/** `proposal_created` (actor: the proposer). */
export function proposalCreatedEvent(p: GovernanceProposal): AuditEntryInput {
  return { operation: 'proposal_created', proposalId: p.proposalId, subjectId: p.subjectId, kind: p.kind, actorDid: p.proposerDid, details: { title: p.title } };
}

/** `vote_cast` (actor: the voter). */
export function voteCastEvent(signed: SignedVote): AuditEntryInput {
  const v = signed.vote;
  return { operation: 'vote_cast', proposalId: v.proposalId, actorDid: v.voterDid, decision: v.decision, details: { voteId: v.voteId } };
}

/** `consensus_reached` (actor: the coordinator). */
export function consensusReachedEvent(r: ConsensusResult): AuditEntryInput {
  return {
    operation: 'consensus_reached',
    proposalId: r.proposalId,
    actorDid: r.signerDid ?? null,
    decision: r.decision,
    details: { reason: r.reason, approveWeight: r.approveWeight, rejectWeight: r.rejectWeight, abstainWeight: r.abstainWeight, totalWeight: r.totalWeight, voteCount: r.includedVoteIds.length },
  };
}

/** `byzantine_detected` (actor: the equivocating voter). */
export function byzantineDetectedEvent(evidence: ByzantineEvidence): AuditEntryInput {
  return {
    operation: 'byzantine_detected',
    proposalId: evidence.proposalId,
    actorDid: evidence.voterDid,
    details: {
      priorDecision: evidence.first.vote.decision,
      conflictingDecision: evidence.second.vote.decision,
      voteIds: [evidence.first.vote.voteId, evidence.second.vote.voteId],
    },
  };
}

/** `node_added`. */
export function nodeAddedEvent(did: string, name: string, weight: number): AuditEntryInput {
  return { operation: 'node_added', actorDid: did, details: { name, weight } };
}

/** `node_removed`. */
export function nodeRemovedEvent(did: string): AuditEntryInput {
  return { operation: 'node_removed', actorDid: did };
}

/** `authorization_granted`. */
export function authorizationGrantedEvent(subjectId: string, kind: ProposalKind, proposalId: string): AuditEntryInput {
  return { operation: 'authorization_granted', proposalId, subjectId, kind };
}

/** `authorization_revoked`. */
export function authorizationRevokedEvent(subjectId: string, kind: ProposalKind, proposalId: string): AuditEntryInput {
  return { operation: 'authorization_revoked', proposalId, subjectId, kind };
}

/** The membership change a decided round caused, if any. */
export type MembershipChange =
  | { readonly added: { readonly did: string; readonly name: string; readonly weight: number } }
  | { readonly removed: string }
  | null;

/**
 * What a decided round logs: `consensus_reached`, then — only when passed — `authorization_granted`
 * for `authorize-*` and `delegation`, `authorization_revoked` for `revoke-*`, and `node_added` /
 * `node_removed` when the result changed the membership.
 */
export function resultEvents(p: GovernanceProposal, result: ConsensusResult, change: MembershipChange): AuditEntryInput[] {
  const events = [consensusReachedEvent(result)];
  if (!result.isPassed()) return events;
  if (p.kind.startsWith('authorize-') || p.kind === 'delegation') events.push(authorizationGrantedEvent(p.subjectId, p.kind, p.proposalId));
  if (p.kind.startsWith('revoke-')) events.push(authorizationRevokedEvent(p.subjectId, p.kind, p.proposalId));
  if (change !== null && 'added' in change) events.push(nodeAddedEvent(change.added.did, change.added.name, change.added.weight));
  if (change !== null && 'removed' in change) events.push(nodeRemovedEvent(change.removed));
  return events;
}
