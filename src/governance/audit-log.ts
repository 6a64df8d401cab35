// In-memory governance audit log. Port of pqc-ai-governance `audit.py` (GovernanceAuditLog): typed
// events with the seed's operation names, filters by operation / proposal id / actor, newest first,
// JSON export (oldest first, as the seed). A transparency-log backed log builds on the same entries.

import { systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { describeValue } from './_wire.js';
import type { ByzantineEvidence } from './evidence.js';
import type { ProposalKind } from './proposal.js';
import type { GovernanceProposal } from './proposal.js';
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

/** Filters of {@link GovernanceAuditLog.entries}. */
export interface AuditQuery {
  /** Most entries returned, default 100. */
  readonly limit?: number;
  readonly operation?: AuditOperation;
  readonly proposalId?: string;
  readonly actorDid?: string;
}

/** Options of the {@link GovernanceAuditLog} constructor. */
export interface GovernanceAuditLogOptions {
  /** Oldest entries are dropped beyond this many; default 100000. */
  readonly maxEntries?: number;
  /** Time source; default the system clock. */
  readonly clock?: Clock;
}

type EntryInput = Partial<Omit<GovernanceAuditEntry, 'timestamp' | 'operation'>> & { operation: AuditOperation };

/**
 * Append-only in-memory audit log.
 * @example
 * const audit = new GovernanceAuditLog();
 * audit.logProposalCreated(proposal);
 * audit.entries({ operation: 'proposal_created' }).length; // 1
 */
export class GovernanceAuditLog {
  readonly #entries: GovernanceAuditEntry[] = [];
  readonly #max: number;
  readonly #clock: Clock;

  /** @throws RangeError for a bad `maxEntries`; TypeError for options that are not an object. */
  constructor(options: GovernanceAuditLogOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`GovernanceAuditLog options expected an object, got ${describeValue(options)}`);
    const max = options.maxEntries ?? 100_000;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`"maxEntries" expected a positive integer, got ${describeValue(max)}`);
    this.#max = max;
    this.#clock = options.clock ?? systemClock;
  }

  /** Appends an entry (timestamped now) and returns it. */
  log(input: EntryInput): GovernanceAuditEntry {
    if (!(AUDIT_OPERATIONS as readonly string[]).includes(input?.operation)) throw new TypeError(`"operation" expected one of ${AUDIT_OPERATIONS.join(', ')}`);
    const entry: GovernanceAuditEntry = Object.freeze({
      timestamp: toRfc3339(this.#clock.now()),
      operation: input.operation,
      proposalId: input.proposalId ?? null,
      subjectId: input.subjectId ?? null,
      kind: input.kind ?? null,
      actorDid: input.actorDid ?? null,
      decision: input.decision ?? null,
      details: Object.freeze({ ...(input.details ?? {}) }),
    });
    if (this.#entries.length >= this.#max) this.#entries.shift();
    this.#entries.push(entry);
    return entry;
  }

  /** Logs `proposal_created` (actor: the proposer). */
  logProposalCreated(p: GovernanceProposal): GovernanceAuditEntry {
    return this.log({ operation: 'proposal_created', proposalId: p.proposalId, subjectId: p.subjectId, kind: p.kind, actorDid: p.proposerDid, details: { title: p.title } });
  }

  /** Logs `vote_cast` (actor: the voter). */
  logVoteCast(signed: SignedVote): GovernanceAuditEntry {
    const v = signed.vote;
    return this.log({ operation: 'vote_cast', proposalId: v.proposalId, actorDid: v.voterDid, decision: v.decision, details: { voteId: v.voteId } });
  }

  /** Logs `consensus_reached` (actor: the coordinator). */
  logConsensusReached(r: ConsensusResult): GovernanceAuditEntry {
    return this.log({
      operation: 'consensus_reached',
      proposalId: r.proposalId,
      actorDid: r.signerDid ?? null,
      decision: r.decision,
      details: { reason: r.reason, approveWeight: r.approveWeight, rejectWeight: r.rejectWeight, abstainWeight: r.abstainWeight, totalWeight: r.totalWeight, voteCount: r.includedVoteIds.length },
    });
  }

  /** Logs `byzantine_detected` from the evidence (actor: the equivocating voter). */
  logByzantineDetected(evidence: ByzantineEvidence): GovernanceAuditEntry {
    return this.log({
      operation: 'byzantine_detected',
      proposalId: evidence.proposalId,
      actorDid: evidence.voterDid,
      details: {
        priorDecision: evidence.first.vote.decision,
        conflictingDecision: evidence.second.vote.decision,
        voteIds: [evidence.first.vote.voteId, evidence.second.vote.voteId],
      },
    });
  }

  /** Logs `node_added`. */
  logNodeAdded(did: string, name: string, weight: number): GovernanceAuditEntry {
    return this.log({ operation: 'node_added', actorDid: did, details: { name, weight } });
  }

  /** Logs `node_removed`. */
  logNodeRemoved(did: string): GovernanceAuditEntry {
    return this.log({ operation: 'node_removed', actorDid: did });
  }

  /** Logs `authorization_granted`. */
  logAuthorizationGranted(subjectId: string, kind: ProposalKind, proposalId: string): GovernanceAuditEntry {
    return this.log({ operation: 'authorization_granted', proposalId, subjectId, kind });
  }

  /** Logs `authorization_revoked`. */
  logAuthorizationRevoked(subjectId: string, kind: ProposalKind, proposalId: string): GovernanceAuditEntry {
    return this.log({ operation: 'authorization_revoked', proposalId, subjectId, kind });
  }

  /**
   * Matching entries, newest first, at most `limit` (default 100).
   * @throws RangeError for a bad limit; TypeError for a query that is not an object.
   */
  entries(query: AuditQuery = {}): GovernanceAuditEntry[] {
    if (query === null || typeof query !== 'object') throw new TypeError(`"query" expected an object, got ${describeValue(query)}`);
    const limit = query.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`"limit" expected a non-negative integer, got ${describeValue(limit)}`);
    const out: GovernanceAuditEntry[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.#entries[i]!;
      if (query.operation !== undefined && e.operation !== query.operation) continue;
      if (query.proposalId !== undefined && e.proposalId !== query.proposalId) continue;
      if (query.actorDid !== undefined && e.actorDid !== query.actorDid) continue;
      out.push(e);
    }
    return out;
  }

  /** Every entry as pretty JSON (an array, oldest first). */
  exportJson(): string {
    return JSON.stringify(this.#entries, null, 2);
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.length = 0;
  }

  /** Number of entries. */
  get length(): number {
    return this.#entries.length;
  }
}
