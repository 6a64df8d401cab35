// GovernanceStore: a governance node's durable state in node:sqlite (WAL, synchronous=FULL) —
// proposals (signed envelopes), votes, Byzantine evidence, results, registry versions (JSON
// snapshots), authorization grants and votes queued for a human. Every argument is checked before
// any write (bad input → typed error, nothing written); multi-row changes are one transaction, so a
// kill -9 loses no acknowledged write. Node-only (DESIGN.md "Persistence and logs").
// The audit transparency log is a separate SQLite file, so a state change and its audit events
// cannot share one transaction: the events are staged in the `audit_outbox` table in the same
// transaction as the change, and cleared once appended to the log; a node reopened after a crash
// appends any staged batch the log does not hold yet (see GovernanceService.open).

import type { DatabaseSync } from 'node:sqlite';
import { canonicalize } from '../../core/canonical-json.js';
import { ConflictError, InternalError, InvalidArgumentError, NotFoundError, QuorumkitError } from '../../core/errors.js';
import { inTransaction, openDurableDatabase } from '../../store/sqlite.js';
import type { Envelope } from '../../envelope/types.js';
import {
  ConsensusResult, GovernanceProposal, SignedVote, isProposalKind, type ByzantineEvidenceJSON, type ProposalKind,
  type ProposalStatus, type RegistryMember, type RegistryTransitionJSON,
} from '../index.js';

/** A stored registry version: its members and the transition that produced it (null for genesis). */
export interface RegistrySnapshot {
  readonly version: number;
  readonly members: readonly RegistryMember[];
  readonly transition: RegistryTransitionJSON | null;
}

/** A stored proposal. */
export interface StoredProposal {
  readonly proposal: GovernanceProposal;
  readonly envelope: Envelope;
  readonly status: ProposalStatus;
  /** Registry version the round is tallied under. */
  readonly registryVersion: number;
}

/** A stored consensus result with the votes it counted. */
export interface StoredResult {
  readonly result: ConsensusResult;
  readonly envelope: Envelope;
  readonly votes: Envelope[];
}

/** A stored grant: one decided proposal about a subject. */
export interface StoredGrant {
  readonly subjectId: string;
  readonly kind: ProposalKind;
  readonly proposalId: string;
  readonly decision: 'passed' | 'rejected';
}

/** Everything one decided round changes, written in one transaction by {@link GovernanceStore.recordResult}. */
export interface ResultRecord {
  readonly proposalId: string;
  readonly envelope: Envelope;
  readonly votes: readonly Envelope[];
  /** Registry version produced by this result (add-node / remove-node), if any. */
  readonly registry?: RegistrySnapshot | null;
}

const STATUSES: readonly ProposalStatus[] = ['open', 'passed', 'rejected', 'expired'];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS registry_versions (version INTEGER PRIMARY KEY, snapshot TEXT NOT NULL, proposal_id TEXT) STRICT;
CREATE TABLE IF NOT EXISTS proposals (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL UNIQUE, envelope TEXT NOT NULL,
  kind TEXT NOT NULL, subject_id TEXT NOT NULL, status TEXT NOT NULL, registry_version INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS votes (seq INTEGER PRIMARY KEY AUTOINCREMENT, vote_id TEXT NOT NULL UNIQUE, proposal_id TEXT NOT NULL,
  voter_did TEXT NOT NULL, decision TEXT NOT NULL, envelope TEXT NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS votes_by_proposal ON votes (proposal_id, seq);
CREATE TABLE IF NOT EXISTS evidence (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL, voter_did TEXT NOT NULL, json TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS results (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL UNIQUE, decision TEXT NOT NULL,
  envelope TEXT NOT NULL, votes TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS grants (seq INTEGER PRIMARY KEY AUTOINCREMENT, subject_id TEXT NOT NULL, kind TEXT NOT NULL,
  proposal_id TEXT NOT NULL UNIQUE, decision TEXT NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS grants_by_subject ON grants (subject_id, seq);
CREATE TABLE IF NOT EXISTS queue (proposal_id TEXT PRIMARY KEY, queued_at TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS audit_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, entries TEXT NOT NULL) STRICT;
`;

/** A batch of audit events staged with the state change they describe, not yet known to be in the log. */
export interface StagedAudit {
  readonly seq: number;
  /** RFC 8785 JSON of each event, in order. */
  readonly entries: readonly string[];
}

function invalid(message: string, cause?: unknown): QuorumkitError {
  return new InvalidArgumentError(message, cause === undefined ? undefined : { cause });
}

function checkId(name: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 512) throw new TypeError(`"${name}" expected a string of 1..512 characters`);
  return v;
}

function checkVersion(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`"registryVersion" expected a non-negative integer, got ${String(v)}`);
  return v;
}

function checkMembers(members: unknown): RegistryMember[] {
  if (!Array.isArray(members)) throw new TypeError('"members" expected an array');
  return members.map((m, i) => {
    const o = m as Record<string, unknown> | null;
    if (o === null || typeof o !== 'object' || typeof o['did'] !== 'string' || typeof o['name'] !== 'string' || typeof o['publicKey'] !== 'string' || !Number.isSafeInteger(o['weight']) || (o['weight'] as number) < 0) {
      throw new TypeError(`"members[${i}]" expected { did, name, weight, publicKey }`);
    }
    return { did: o['did'], name: o['name'], weight: o['weight'] as number, publicKey: o['publicKey'] };
  });
}

function parseVote(env: unknown, proposalId: string): SignedVote {
  let sv: SignedVote;
  try {
    sv = SignedVote.fromEnvelope(env);
  } catch (cause) {
    throw invalid(`vote rejected: ${(cause as Error).message}`, cause);
  }
  if (sv.vote.proposalId !== proposalId) throw invalid(`vote ${sv.vote.voteId} is for proposal ${sv.vote.proposalId}, not ${proposalId}`);
  return sv;
}

/**
 * A governance node's SQLite store.
 * @example
 * const store = GovernanceStore.open(join(dataDir, 'governance.db'));
 * store.putProposal(proposal.envelope!, 0);
 * store.listProposals({ status: 'open' });
 */
export class GovernanceStore {
  readonly #db: DatabaseSync;
  #depth = 0;

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Opens (creating when needed) the store at `path` (`:memory:` for tests — the same code path).
   * @throws QuorumkitError `ERR_IO` when the database cannot be opened.
   */
  static open(path: string): GovernanceStore {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('"path" expected a non-empty string');
    return new GovernanceStore(openDurableDatabase(path, SCHEMA, 'governance store'));
  }

  #tx<T>(fn: () => T): T {
    // Re-entrant: a write inside atomically() joins the outer transaction.
    if (this.#depth > 0) return fn();
    this.#depth++;
    try {
      return inTransaction(this.#db, fn);
    } finally {
      this.#depth--;
    }
  }

  /**
   * Runs `fn` (store writes only, synchronous) in one transaction: all its writes land or none.
   * @example
   * store.atomically(() => { store.putVote(id, vote); store.stageAudit([entry]); });
   */
  atomically<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError('"fn" expected a function');
    return this.#tx(fn);
  }

  /**
   * Stages a batch of audit events (RFC 8785 JSON each) to be appended to the audit log.
   * @returns the batch's sequence number (for {@link clearAudit}).
   */
  stageAudit(entries: readonly string[]): number {
    if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) throw new TypeError('"entries" expected an array of strings');
    const r = this.#db.prepare('INSERT INTO audit_outbox (entries) VALUES (?)').run(JSON.stringify(entries));
    return Number(r.lastInsertRowid);
  }

  /** Drops a staged batch once it is in the audit log (idempotent). */
  clearAudit(seq: number): void {
    if (!Number.isSafeInteger(seq)) throw new TypeError('"seq" expected an integer');
    this.#db.prepare('DELETE FROM audit_outbox WHERE seq = ?').run(seq);
  }

  /** Staged batches not yet cleared, oldest first. */
  stagedAudit(): StagedAudit[] {
    const rows = this.#db.prepare('SELECT seq, entries FROM audit_outbox ORDER BY seq').all() as { seq: number; entries: string }[];
    return rows.map((r) => ({ seq: Number(r.seq), entries: JSON.parse(r.entries) as string[] }));
  }

  /** A meta value (e.g. the node's did), or undefined. */
  getMeta(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(checkId('key', key)) as { value: string } | undefined;
    return row?.value;
  }

  /** Sets a meta value. */
  setMeta(key: string, value: string): void {
    checkId('key', key);
    if (typeof value !== 'string') throw new TypeError('"value" expected a string');
    this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * Stores a registry version (the next one only).
   * @throws QuorumkitError `ERR_CONFLICT` when it is not the next version; TypeError for bad members.
   */
  putRegistryVersion(snapshot: RegistrySnapshot): void {
    this.#tx(() => this.#putRegistry(snapshot));
  }

  #putRegistry(snapshot: RegistrySnapshot): void {
    const version = checkVersion(snapshot?.version);
    const members = checkMembers(snapshot.members);
    const t = snapshot.transition;
    if ((version === 0) !== (t === null)) throw new TypeError('"transition" expected null exactly for version 0');
    if (t !== null && (typeof t !== 'object' || t.version !== version)) throw new TypeError('"transition.version" expected the snapshot version');
    const proposalId = t === null ? null : checkId('proposalId', t.proposal?.proposalId);
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM registry_versions').get() as { n: number };
    if (Number(row.n) !== version) throw new ConflictError(`registry version ${version} is not the next version ${Number(row.n)}`);
    this.#db.prepare('INSERT INTO registry_versions (version, snapshot, proposal_id) VALUES (?, ?, ?)').run(version, canonicalize({ members, transition: t }), proposalId);
  }

  /** Every stored registry version, oldest first. */
  registryVersions(): RegistrySnapshot[] {
    const rows = this.#db.prepare('SELECT version, snapshot FROM registry_versions ORDER BY version').all() as { version: number; snapshot: string }[];
    return rows.map((r) => ({ version: Number(r.version), ...(JSON.parse(r.snapshot) as Omit<RegistrySnapshot, 'version'>) }));
  }

  /**
   * Stores a signed proposal envelope as open, tallied under `registryVersion`.
   * @returns true when stored, false when the identical envelope was already stored.
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` for a malformed envelope, `ERR_CONFLICT` when
   *   another envelope with the same proposal id exists. Nothing is written on error.
   */
  putProposal(envelope: Envelope, registryVersion: number): boolean {
    let p: GovernanceProposal;
    try {
      p = GovernanceProposal.fromEnvelope(envelope);
    } catch (cause) {
      throw invalid(`proposal rejected: ${(cause as Error).message}`, cause);
    }
    checkVersion(registryVersion);
    const text = canonicalize(p.envelope);
    const have = this.#db.prepare('SELECT envelope FROM proposals WHERE proposal_id = ?').get(p.proposalId) as { envelope: string } | undefined;
    if (have !== undefined) {
      if (have.envelope === text) return false;
      throw new ConflictError(`a different proposal with id ${p.proposalId} is already stored`);
    }
    this.#db
      .prepare('INSERT INTO proposals (proposal_id, envelope, kind, subject_id, status, registry_version) VALUES (?, ?, ?, ?, ?, ?)')
      .run(p.proposalId, text, p.kind, p.subjectId, 'open', registryVersion);
    return true;
  }

  #row(r: { envelope: string; status: string; registry_version: number }): StoredProposal {
    const envelope = JSON.parse(r.envelope) as Envelope;
    const proposal = GovernanceProposal.fromEnvelope(envelope);
    proposal.status = r.status as ProposalStatus;
    return { proposal, envelope: proposal.envelope!, status: r.status as ProposalStatus, registryVersion: Number(r.registry_version) };
  }

  /** The stored proposal with this id, or undefined. */
  getProposal(proposalId: string): StoredProposal | undefined {
    const r = this.#db.prepare('SELECT envelope, status, registry_version FROM proposals WHERE proposal_id = ?').get(checkId('proposalId', proposalId));
    return r === undefined ? undefined : this.#row(r as { envelope: string; status: string; registry_version: number });
  }

  /** Stored proposals in arrival order, optionally only those with `status`. */
  listProposals(filter: { status?: ProposalStatus } = {}): StoredProposal[] {
    if (filter.status !== undefined && !STATUSES.includes(filter.status)) throw new RangeError(`"status" expected one of ${STATUSES.join(', ')}`);
    const rows = filter.status === undefined
      ? this.#db.prepare('SELECT envelope, status, registry_version FROM proposals ORDER BY seq').all()
      : this.#db.prepare('SELECT envelope, status, registry_version FROM proposals WHERE status = ? ORDER BY seq').all(filter.status);
    return (rows as { envelope: string; status: string; registry_version: number }[]).map((r) => this.#row(r));
  }

  /**
   * Sets a stored proposal's status.
   * @throws QuorumkitError `ERR_NOT_FOUND` for an unknown proposal.
   */
  setProposalStatus(proposalId: string, status: ProposalStatus): void {
    checkId('proposalId', proposalId);
    if (!STATUSES.includes(status)) throw new RangeError(`"status" expected one of ${STATUSES.join(', ')}`);
    const r = this.#db.prepare('UPDATE proposals SET status = ? WHERE proposal_id = ?').run(status, proposalId);
    if (Number(r.changes) === 0) throw new NotFoundError(`no proposal ${proposalId}`);
  }

  /**
   * Stores a vote that reached the tally of `proposalId` (counted, or the conflicting half of a
   * double vote), so a restart can replay the round in arrival order.
   * @returns false when this vote (the same signed body under this id) was already stored.
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` for a malformed vote or one about another
   *   proposal, `ERR_NOT_FOUND` for an unknown proposal, `ERR_CONFLICT` when a different vote
   *   (another signed body) is stored under the same vote id — a vote id is chosen by its voter,
   *   so a reused id must never silently drop a vote.
   */
  putVote(proposalId: string, envelope: Envelope): boolean {
    checkId('proposalId', proposalId);
    const sv = parseVote(envelope, proposalId);
    if (this.getProposal(proposalId) === undefined) throw new NotFoundError(`no proposal ${proposalId}`);
    const have = this.#db.prepare('SELECT envelope FROM votes WHERE vote_id = ?').get(sv.vote.voteId) as { envelope: string } | undefined;
    if (have !== undefined) {
      const old = JSON.parse(have.envelope) as Envelope;
      if (old.payload === sv.envelope.payload && old.payloadType === sv.envelope.payloadType) return false;
      throw new ConflictError(`a different vote with id ${sv.vote.voteId} is already stored`);
    }
    this.#db
      .prepare('INSERT INTO votes (vote_id, proposal_id, voter_did, decision, envelope) VALUES (?, ?, ?, ?, ?)')
      .run(sv.vote.voteId, proposalId, sv.voterDid, sv.vote.decision, canonicalize(sv.envelope));
    return true;
  }

  /** Stored vote envelopes of a proposal, in arrival order. */
  votes(proposalId: string): Envelope[] {
    const rows = this.#db.prepare('SELECT envelope FROM votes WHERE proposal_id = ? ORDER BY seq').all(checkId('proposalId', proposalId)) as { envelope: string }[];
    return rows.map((r) => JSON.parse(r.envelope) as Envelope);
  }

  /**
   * Stores Byzantine evidence (its JSON wire form).
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` when it is not duplicate-vote evidence.
   */
  putEvidence(evidence: ByzantineEvidenceJSON): void {
    if (evidence === null || typeof evidence !== 'object' || evidence.type !== 'duplicate-vote' || !Array.isArray(evidence.votes) || evidence.votes.length !== 2) {
      throw invalid('evidence expected duplicate-vote evidence with 2 votes');
    }
    checkId('proposalId', evidence.proposalId);
    checkId('voterDid', evidence.voterDid);
    for (const v of evidence.votes) parseVote(v, evidence.proposalId);
    this.#db.prepare('INSERT INTO evidence (proposal_id, voter_did, json) VALUES (?, ?, ?)').run(evidence.proposalId, evidence.voterDid, canonicalize(evidence));
  }

  /** Stored evidence, oldest first, optionally for one proposal. */
  evidence(proposalId?: string): ByzantineEvidenceJSON[] {
    const rows = proposalId === undefined
      ? this.#db.prepare('SELECT json FROM evidence ORDER BY seq').all()
      : this.#db.prepare('SELECT json FROM evidence WHERE proposal_id = ? ORDER BY seq').all(checkId('proposalId', proposalId));
    return (rows as { json: string }[]).map((r) => JSON.parse(r.json) as ByzantineEvidenceJSON);
  }

  /**
   * Records a decided round in one transaction: the result and its votes, the proposal's status,
   * the grant (every decided proposal is a grant of its subject; only passed ones authorize), the
   * registry version it produced, and drops it from the human queue.
   * @returns false when this exact result was already recorded.
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` (malformed result/votes, result about another
   *   proposal), `ERR_NOT_FOUND` (unknown proposal), `ERR_CONFLICT` (a different result exists).
   */
  recordResult(record: ResultRecord): boolean {
    const proposalId = checkId('proposalId', record?.proposalId);
    let result: ConsensusResult;
    try {
      result = ConsensusResult.fromEnvelope(record.envelope);
    } catch (cause) {
      throw invalid(`result rejected: ${(cause as Error).message}`, cause);
    }
    if (result.proposalId !== proposalId) throw invalid(`result is for proposal ${result.proposalId}, not ${proposalId}`);
    if (!Array.isArray(record.votes)) throw new TypeError('"votes" expected an array of envelopes');
    const votes = record.votes.map((v) => canonicalize(parseVote(v, proposalId).envelope));
    const stored = this.getProposal(proposalId);
    if (stored === undefined) throw new NotFoundError(`no proposal ${proposalId}`);
    if (stored.proposal.proposalHash() !== result.proposalHash) throw invalid(`result names proposal hash ${result.proposalHash}, not the stored proposal's`);
    const text = canonicalize(result.envelope);
    const have = this.#db.prepare('SELECT envelope FROM results WHERE proposal_id = ?').get(proposalId) as { envelope: string } | undefined;
    if (have !== undefined) {
      if (have.envelope === text) return false;
      throw new ConflictError(`a different result for proposal ${proposalId} is already recorded`);
    }
    const p = stored.proposal;
    return this.#tx(() => {
      this.#db.prepare('INSERT INTO results (proposal_id, decision, envelope, votes) VALUES (?, ?, ?, ?)').run(proposalId, result.decision, text, `[${votes.join(',')}]`);
      this.#db.prepare('UPDATE proposals SET status = ? WHERE proposal_id = ?').run(result.decision, proposalId);
      this.#db.prepare('INSERT INTO grants (subject_id, kind, proposal_id, decision) VALUES (?, ?, ?, ?)').run(p.subjectId, p.kind, proposalId, result.decision);
      this.#db.prepare('DELETE FROM queue WHERE proposal_id = ?').run(proposalId);
      if (record.registry) this.#putRegistry(record.registry);
      return true;
    });
  }

  #result(r: { envelope: string; votes: string }): StoredResult {
    const envelope = JSON.parse(r.envelope) as Envelope;
    const result = ConsensusResult.fromEnvelope(envelope);
    return { result, envelope: result.envelope!, votes: JSON.parse(r.votes) as Envelope[] };
  }

  /** The recorded result of a proposal, or undefined. */
  getResult(proposalId: string): StoredResult | undefined {
    const r = this.#db.prepare('SELECT envelope, votes FROM results WHERE proposal_id = ?').get(checkId('proposalId', proposalId));
    return r === undefined ? undefined : this.#result(r as { envelope: string; votes: string });
  }

  /** Every recorded result in the order recorded. */
  listResults(): StoredResult[] {
    return (this.#db.prepare('SELECT envelope, votes FROM results ORDER BY seq').all() as { envelope: string; votes: string }[]).map((r) => this.#result(r));
  }

  /** Grants in the order recorded, optionally of one subject. */
  grants(subjectId?: string): StoredGrant[] {
    const rows = subjectId === undefined
      ? this.#db.prepare('SELECT subject_id, kind, proposal_id, decision FROM grants ORDER BY seq').all()
      : this.#db.prepare('SELECT subject_id, kind, proposal_id, decision FROM grants WHERE subject_id = ? ORDER BY seq').all(checkId('subjectId', subjectId));
    return (rows as { subject_id: string; kind: string; proposal_id: string; decision: string }[]).map((r) => {
      if (!isProposalKind(r.kind)) throw new InternalError(`stored grant has unknown kind ${r.kind}`);
      return { subjectId: r.subject_id, kind: r.kind, proposalId: r.proposal_id, decision: r.decision as 'passed' | 'rejected' };
    });
  }

  /**
   * Queues an open proposal for a human decision (idempotent).
   * @throws QuorumkitError `ERR_NOT_FOUND` for an unknown proposal.
   */
  enqueue(proposalId: string, at: string): void {
    checkId('proposalId', proposalId);
    checkId('at', at);
    if (this.getProposal(proposalId) === undefined) throw new NotFoundError(`no proposal ${proposalId}`);
    this.#db.prepare('INSERT INTO queue (proposal_id, queued_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(proposalId, at);
  }

  /** Removes a proposal from the human queue; true when it was queued. */
  dequeue(proposalId: string): boolean {
    return Number(this.#db.prepare('DELETE FROM queue WHERE proposal_id = ?').run(checkId('proposalId', proposalId)).changes) === 1;
  }

  /** Queued proposal ids with the time they were queued, oldest first. */
  queued(): { proposalId: string; queuedAt: string }[] {
    return (this.#db.prepare('SELECT proposal_id, queued_at FROM queue ORDER BY queued_at, proposal_id').all() as { proposal_id: string; queued_at: string }[]).map((r) => ({ proposalId: r.proposal_id, queuedAt: r.queued_at }));
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }
}
