// GovernanceStore: a governance node's durable state (node:sqlite on DurableStore: WAL,
// synchronous=FULL, versioned schema, group commit, audit outbox) — signed proposals with the
// columns the node queries by, votes, Byzantine evidence, results with their votes (and results a
// later verifiable result superseded), registry versions, grants and votes queued for a human.
// It keeps what GovernanceService already validated and never re-validates on read: rows come
// back as stored (envelopes parsed from their canonical text, nothing decoded or re-checked).
// Writes are synchronous methods the service groups inside `commit()`. Node-only.

import type { DatabaseSync } from 'node:sqlite';
import { canonicalize } from '../../core/canonical-json.js';
import { parseStrict } from '../../core/parse-strict.js';
import type { Envelope } from '../../envelope/types.js';
import { DurableStore } from '../../store/durable-store.js';
import { PARTICIPATION_REASON_PREFIX } from '../policy.js';
import type { ByzantineEvidenceJSON, GovernanceProposal, ProposalKind, ProposalStatus, RegistryMember, RegistryTransitionJSON, SignedVote } from '../index.js';

/** A stored registry version: its members and the transition that produced it (null for genesis). */
export interface RegistrySnapshot {
  readonly version: number;
  readonly members: readonly RegistryMember[];
  readonly transition: RegistryTransitionJSON | null;
}

/** A stored proposal's columns (no envelope: see {@link GovernanceStore.proposalEnvelope}). */
export interface ProposalRow {
  readonly proposalId: string;
  readonly proposalHash: string;
  readonly kind: ProposalKind;
  readonly subjectId: string;
  readonly title: string;
  readonly expiresAt: string;
  readonly status: ProposalStatus;
  /** Registry version the round is tallied under. */
  readonly registryVersion: number;
}

/** A recorded result and the votes it counted. */
export interface ResultRow {
  readonly envelope: Envelope;
  readonly votes: Envelope[];
}

/** A decided proposal about a subject, with what the authorization view needs to rebuild its grant. */
export interface GrantRow {
  readonly subjectId: string;
  readonly kind: ProposalKind;
  readonly proposalId: string;
  readonly decision: 'passed' | 'rejected';
  readonly decidedAt: string;
  readonly proposal: Envelope;
  readonly result: Envelope;
}

/** Everything one decided round writes (see {@link GovernanceStore.insertResult}). */
export interface ResultRecord {
  readonly proposal: ProposalRow;
  readonly decision: 'passed' | 'rejected';
  /** The policy's reason (`participation …` marks a round that failed for participation). */
  readonly reason: string;
  readonly decidedAt: string;
  readonly envelope: Envelope;
  readonly votes: readonly Envelope[];
  /** The registry version this result produced (add-node / remove-node), if any. */
  readonly registry: RegistrySnapshot | null;
}

const MIGRATIONS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
   CREATE TABLE registry_versions (version INTEGER PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;
   CREATE TABLE proposals (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL UNIQUE,
     proposal_hash TEXT NOT NULL, kind TEXT NOT NULL, subject_id TEXT NOT NULL, title TEXT NOT NULL, expires_at TEXT NOT NULL,
     status TEXT NOT NULL, registry_version INTEGER NOT NULL, envelope TEXT NOT NULL) STRICT;
   CREATE INDEX proposals_by_status ON proposals (status, seq);
   CREATE TABLE votes (seq INTEGER PRIMARY KEY AUTOINCREMENT, vote_id TEXT NOT NULL UNIQUE, proposal_id TEXT NOT NULL,
     voter_did TEXT NOT NULL, envelope TEXT NOT NULL) STRICT;
   CREATE INDEX votes_by_proposal ON votes (proposal_id, seq);
   CREATE TABLE evidence (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL, voter_did TEXT NOT NULL, json TEXT NOT NULL) STRICT;
   CREATE INDEX evidence_by_proposal ON evidence (proposal_id, seq);
   CREATE TABLE results (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL UNIQUE, decision TEXT NOT NULL,
     reason TEXT NOT NULL, decided_at TEXT NOT NULL, envelope TEXT NOT NULL, votes TEXT NOT NULL) STRICT;
   CREATE INDEX results_by_outcome ON results (decision, reason, seq);
   CREATE TABLE superseded_results (seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL, envelope TEXT NOT NULL,
     votes TEXT NOT NULL, superseded_by TEXT NOT NULL) STRICT;
   CREATE TABLE grants (seq INTEGER PRIMARY KEY AUTOINCREMENT, subject_id TEXT NOT NULL, kind TEXT NOT NULL,
     proposal_id TEXT NOT NULL UNIQUE, decision TEXT NOT NULL, decided_at TEXT NOT NULL) STRICT;
   CREATE INDEX grants_by_subject ON grants (subject_id, decided_at, proposal_id);
   CREATE INDEX grants_by_kind ON grants (kind, decided_at, proposal_id);
   CREATE TABLE queue (proposal_id TEXT PRIMARY KEY, queued_at TEXT NOT NULL) STRICT;`,
];

// The signed envelope (kilobytes: an ML-DSA signature and key) is the proposals table's LAST
// column, so reading these columns — twice per vote — never walks its overflow pages.
const PROPOSAL_COLUMNS = 'proposal_id, proposal_hash, kind, subject_id, title, expires_at, status, registry_version';

interface ProposalColumns {
  proposal_id: string;
  proposal_hash: string;
  kind: string;
  subject_id: string;
  title: string;
  expires_at: string;
  status: string;
  registry_version: number;
}

function proposalRow(r: ProposalColumns): ProposalRow {
  return {
    proposalId: r.proposal_id,
    proposalHash: r.proposal_hash,
    kind: r.kind as ProposalKind,
    subjectId: r.subject_id,
    title: r.title,
    expiresAt: r.expires_at,
    status: r.status as ProposalStatus,
    registryVersion: Number(r.registry_version),
  };
}

/** Stored JSON text is our own canonical output: read back with the strict parser. */
const readJson = <T>(text: string): T => parseStrict(text) as T;

/**
 * A governance node's SQLite store.
 * @example
 * const store = GovernanceStore.open(join(dataDir, 'governance.db'));
 * await store.commit(() => store.insertProposal(proposal, 0), [record]);
 * store.proposals({ status: 'open' });
 */
export class GovernanceStore extends DurableStore {
  private constructor(db: DatabaseSync) {
    super(db);
  }

  /**
   * Opens (creating when needed) the store at `path` (`:memory:` for tests — the same code path).
   * @throws IoError when the database cannot be opened, or its schema is newer or unversioned.
   */
  static open(path: string): GovernanceStore {
    return new GovernanceStore(DurableStore.openDatabase(path, { what: 'governance store', migrations: MIGRATIONS }));
  }

  /** A meta value (e.g. the node's did), or undefined. */
  meta(key: string): string | undefined {
    return (this.statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  /** Sets a meta value (a write: call inside `commit` or `transaction`). */
  setMeta(key: string, value: string): void {
    this.statement('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Stores registry version `snapshot.version` (a write). */
  insertRegistryVersion(snapshot: RegistrySnapshot): void {
    this.statement('INSERT INTO registry_versions (version, snapshot) VALUES (?, ?)').run(snapshot.version, canonicalize({ members: snapshot.members, transition: snapshot.transition }));
  }

  /** Every stored registry version, oldest first. */
  registryVersions(): RegistrySnapshot[] {
    const rows = this.statement('SELECT version, snapshot FROM registry_versions ORDER BY version').all() as { version: number; snapshot: string }[];
    return rows.map((r) => ({ version: Number(r.version), ...readJson<Omit<RegistrySnapshot, 'version'>>(r.snapshot) }));
  }

  /** Stores a verified, signed proposal as open under `registryVersion` (a write). */
  insertProposal(p: GovernanceProposal, registryVersion: number): void {
    this.statement(`INSERT INTO proposals (envelope, ${PROPOSAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`)
      .run(canonicalize(p.envelope), p.proposalId, p.proposalHash(), p.kind, p.subjectId, p.title, p.expiresAt, registryVersion);
  }

  /** A stored proposal's columns, or undefined. */
  proposal(proposalId: string): ProposalRow | undefined {
    const r = this.statement(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE proposal_id = ?`).get(proposalId) as ProposalColumns | undefined;
    return r === undefined ? undefined : proposalRow(r);
  }

  /** A stored proposal's signed envelope, or undefined. */
  proposalEnvelope(proposalId: string): Envelope | undefined {
    const r = this.statement('SELECT envelope FROM proposals WHERE proposal_id = ?').get(proposalId) as { envelope: string } | undefined;
    return r === undefined ? undefined : readJson<Envelope>(r.envelope);
  }

  /** Stored proposals in arrival order, optionally only those with `status` / `kind` (at most `limit`). */
  proposals(filter: { status?: ProposalStatus; kind?: ProposalKind; limit?: number } = {}): ProposalRow[] {
    const rows = this.statement(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY seq LIMIT ?3`)
      .all(filter.status ?? null, filter.kind ?? null, filter.limit ?? -1) as unknown as ProposalColumns[];
    return rows.map(proposalRow);
  }

  /** Stores a vote that reached the tally of its proposal (counted, or one half of a double vote) (a write). */
  insertVote(sv: SignedVote): void {
    this.statement('INSERT INTO votes (vote_id, proposal_id, voter_did, envelope) VALUES (?, ?, ?, ?)').run(sv.vote.voteId, sv.vote.proposalId, sv.voterDid, canonicalize(sv.envelope));
  }

  /** True when a vote with this (content-derived) id is stored. */
  hasVote(voteId: string): boolean {
    return this.statement('SELECT 1 FROM votes WHERE vote_id = ?').get(voteId) !== undefined;
  }

  /** Stored vote envelopes of a proposal, in arrival order. */
  votes(proposalId: string): Envelope[] {
    return (this.statement('SELECT envelope FROM votes WHERE proposal_id = ? ORDER BY seq').all(proposalId) as { envelope: string }[]).map((r) => readJson<Envelope>(r.envelope));
  }

  /** Stores Byzantine evidence (its JSON wire form) (a write). */
  insertEvidence(evidence: ByzantineEvidenceJSON): void {
    this.statement('INSERT INTO evidence (proposal_id, voter_did, json) VALUES (?, ?, ?)').run(evidence.proposalId, evidence.voterDid, canonicalize(evidence));
  }

  /** Stored evidence of a proposal, oldest first. */
  evidence(proposalId: string): ByzantineEvidenceJSON[] {
    return (this.statement('SELECT json FROM evidence WHERE proposal_id = ? ORDER BY seq').all(proposalId) as { json: string }[]).map((r) => readJson<ByzantineEvidenceJSON>(r.json));
  }

  /**
   * Records a decided round (a write, one transaction with the caller's others): the result and its
   * votes, the proposal's status, its grant, the registry version it produced, and drops it from
   * the human queue.
   */
  insertResult(r: ResultRecord): void {
    const id = r.proposal.proposalId;
    this.statement('INSERT INTO results (proposal_id, decision, reason, decided_at, envelope, votes) VALUES (?, ?, ?, ?, ?, ?)').run(id, r.decision, r.reason, r.decidedAt, canonicalize(r.envelope), canonicalize(r.votes));
    this.statement('UPDATE proposals SET status = ? WHERE proposal_id = ?').run(r.decision, id);
    this.statement('INSERT INTO grants (subject_id, kind, proposal_id, decision, decided_at) VALUES (?, ?, ?, ?, ?)').run(r.proposal.subjectId, r.proposal.kind, id, r.decision, r.decidedAt);
    this.dequeue(id);
    if (r.registry !== null) this.insertRegistryVersion(r.registry);
  }

  /**
   * Replaces a proposal's recorded result by a superseding one (a write), keeping the old one in
   * `superseded_results` as evidence; the grant and status follow the new result.
   */
  supersedeResult(r: ResultRecord): void {
    const id = r.proposal.proposalId;
    const old = this.statement('SELECT envelope, votes FROM results WHERE proposal_id = ?').get(id) as { envelope: string; votes: string };
    this.statement('INSERT INTO superseded_results (proposal_id, envelope, votes, superseded_by) VALUES (?, ?, ?, ?)').run(id, old.envelope, old.votes, canonicalize(r.envelope));
    this.statement('UPDATE results SET decision = ?, reason = ?, decided_at = ?, envelope = ?, votes = ? WHERE proposal_id = ?').run(r.decision, r.reason, r.decidedAt, canonicalize(r.envelope), canonicalize(r.votes), id);
    this.statement('UPDATE proposals SET status = ? WHERE proposal_id = ?').run(r.decision, id);
    this.statement('UPDATE grants SET decision = ?, decided_at = ? WHERE proposal_id = ?').run(r.decision, r.decidedAt, id);
    if (r.registry !== null) this.insertRegistryVersion(r.registry);
  }

  /** The recorded result of a proposal, or undefined. */
  result(proposalId: string): ResultRow | undefined {
    const r = this.statement('SELECT envelope, votes FROM results WHERE proposal_id = ?').get(proposalId) as { envelope: string; votes: string } | undefined;
    return r === undefined ? undefined : { envelope: readJson<Envelope>(r.envelope), votes: readJson<Envelope[]>(r.votes) };
  }

  /** Ids of the newest `limit` proposals decided `rejected` for participation alone (a later verifiable result may supersede them). */
  participationFailures(limit: number): string[] {
    const rows = this.statement("SELECT proposal_id FROM results WHERE decision = 'rejected' AND reason LIKE ? ORDER BY seq DESC LIMIT ?").all(`${PARTICIPATION_REASON_PREFIX}%`, limit) as { proposal_id: string }[];
    return rows.map((r) => r.proposal_id);
  }

  /** Results a later verifiable result superseded, oldest first (kept as evidence). */
  supersededResults(proposalId: string): ResultRow[] {
    const rows = this.statement('SELECT envelope, votes FROM superseded_results WHERE proposal_id = ? ORDER BY seq').all(proposalId) as { envelope: string; votes: string }[];
    return rows.map((r) => ({ envelope: readJson<Envelope>(r.envelope), votes: readJson<Envelope[]>(r.votes) }));
  }

  #grantRows(where: string, arg: string | null): GrantRow[] {
    const rows = this.statement(
      `SELECT g.subject_id, g.kind, g.proposal_id, g.decision, g.decided_at, p.envelope AS proposal, r.envelope AS result
       FROM grants g JOIN proposals p ON p.proposal_id = g.proposal_id JOIN results r ON r.proposal_id = g.proposal_id
       WHERE ${where} ORDER BY g.decided_at, g.proposal_id`,
    ).all(arg) as { subject_id: string; kind: string; proposal_id: string; decision: string; decided_at: string; proposal: string; result: string }[];
    return rows.map((r) => ({
      subjectId: r.subject_id,
      kind: r.kind as ProposalKind,
      proposalId: r.proposal_id,
      decision: r.decision as 'passed' | 'rejected',
      decidedAt: r.decided_at,
      proposal: readJson<Envelope>(r.proposal),
      result: readJson<Envelope>(r.result),
    }));
  }

  /** Grants of one subject in decision order (`decidedAt`, then proposal id: the same on every node). */
  grants(subjectId: string): GrantRow[] {
    return this.#grantRows('g.subject_id = ?', subjectId);
  }

  /** Passed `emergency-freeze` and `update-policy` grants in decision order (what the fleet-wide freeze depends on). */
  freezeGrants(): GrantRow[] {
    return this.#grantRows("g.kind IN ('emergency-freeze', 'update-policy') AND g.decision = 'passed' AND ? IS NULL", null);
  }

  /** Queues an open proposal for a human decision (a write; idempotent). */
  enqueue(proposalId: string, at: string): void {
    this.statement('INSERT INTO queue (proposal_id, queued_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(proposalId, at);
  }

  /** Removes a proposal from the human queue (a write); true when it was queued. */
  dequeue(proposalId: string): boolean {
    return Number(this.statement('DELETE FROM queue WHERE proposal_id = ?').run(proposalId).changes) === 1;
  }

  /** Queued proposals with the time they were queued, oldest first. */
  queued(): { proposalId: string; queuedAt: string; proposal: Envelope }[] {
    const rows = this.statement('SELECT q.proposal_id, q.queued_at, p.envelope FROM queue q JOIN proposals p ON p.proposal_id = q.proposal_id ORDER BY q.queued_at, q.proposal_id').all() as {
      proposal_id: string;
      queued_at: string;
      envelope: string;
    }[];
    return rows.map((r) => ({ proposalId: r.proposal_id, queuedAt: r.queued_at, proposal: readJson<Envelope>(r.envelope) }));
  }
}
