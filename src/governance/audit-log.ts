// In-memory governance audit log. Port of pqc-ai-governance `audit.py` (GovernanceAuditLog): typed
// events with the seed's operation names, filters by operation / proposal id / actor, newest first,
// JSON export (oldest first, as the seed). A transparency-log backed log builds on the same entries.

import { systemClock, toRfc3339, type Clock } from '../core/clock.js';
import {
  auditEntry, authorizationGrantedEvent, authorizationRevokedEvent, byzantineDetectedEvent, consensusReachedEvent, nodeAddedEvent, nodeRemovedEvent,
  proposalCreatedEvent, voteCastEvent, type AuditEntryInput, type AuditOperation, type GovernanceAuditEntry,
} from './audit-events.js';
import { describeValue } from '../core/assert.js';
import type { ByzantineEvidence } from './evidence.js';
import type { GovernanceProposal, ProposalKind } from './proposal.js';
import type { ConsensusResult } from './result.js';
import type { SignedVote } from './vote.js';

export { AUDIT_OPERATIONS, type AuditOperation, type GovernanceAuditEntry } from './audit-events.js';

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

  /** Appends an entry (timestamped now) and returns it. @throws TypeError for an unknown operation. */
  log(input: AuditEntryInput): GovernanceAuditEntry {
    const entry = auditEntry(input, toRfc3339(this.#clock.now()));
    if (this.#entries.length >= this.#max) this.#entries.shift();
    this.#entries.push(entry);
    return entry;
  }

  /** Logs `proposal_created` (actor: the proposer). */
  logProposalCreated(p: GovernanceProposal): GovernanceAuditEntry {
    return this.log(proposalCreatedEvent(p));
  }

  /** Logs `vote_cast` (actor: the voter). */
  logVoteCast(signed: SignedVote): GovernanceAuditEntry {
    return this.log(voteCastEvent(signed));
  }

  /** Logs `consensus_reached` (actor: the coordinator). */
  logConsensusReached(r: ConsensusResult): GovernanceAuditEntry {
    return this.log(consensusReachedEvent(r));
  }

  /** Logs `byzantine_detected` from the evidence (actor: the equivocating voter). */
  logByzantineDetected(evidence: ByzantineEvidence): GovernanceAuditEntry {
    return this.log(byzantineDetectedEvent(evidence));
  }

  /** Logs `node_added`. */
  logNodeAdded(did: string, name: string, weight: number): GovernanceAuditEntry {
    return this.log(nodeAddedEvent(did, name, weight));
  }

  /** Logs `node_removed`. */
  logNodeRemoved(did: string): GovernanceAuditEntry {
    return this.log(nodeRemovedEvent(did));
  }

  /** Logs `authorization_granted`. */
  logAuthorizationGranted(subjectId: string, kind: ProposalKind, proposalId: string): GovernanceAuditEntry {
    return this.log(authorizationGrantedEvent(subjectId, kind, proposalId));
  }

  /** Logs `authorization_revoked`. */
  logAuthorizationRevoked(subjectId: string, kind: ProposalKind, proposalId: string): GovernanceAuditEntry {
    return this.log(authorizationRevokedEvent(subjectId, kind, proposalId));
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
