// The authorization service's store (docs/new-service.md §2): the delegations the service decides
// against — their seed fields, live counters (atp_spent, actions_this_hour, last_hour_reset) and
// revoked flag, and for chain-issued ones the chain and its hop ids —, the hops (revoking one
// revokes every delegation whose chain holds it), LCT bindings (society-signed LCT credentials),
// deferred requests waiting for witnesses (envelope, digest, deadline), the witness attestations
// received, and every decision record with its leaf index in the audit trail. The replay guard's
// nonces live in the base store.
//
// Leaf indices. The service is the only writer of its trail, and the outbox appends staged records
// in commit order, so the n-th record ever staged is leaf n. `log_next` counts staged records in the
// same transaction as the records (a rolled-back write rolls it back too); {@link commitLogged}
// hands a write the leaf index of its first record. On open the service checks it equals the
// trail's size. Writes are synchronous and run inside commit(). Node-only.

import { parseStrict } from '../../core/parse-strict.js';
import { DurableStore, type AuditRecord } from '../../store/durable-store.js';

const MIGRATIONS = [
  `CREATE TABLE delegations (delegation_id TEXT PRIMARY KEY, client_lct TEXT NOT NULL, agent_lct TEXT NOT NULL, role_lct TEXT NOT NULL,
     permissions TEXT NOT NULL, atp_budget INTEGER NOT NULL, atp_spent INTEGER NOT NULL, valid_from REAL NOT NULL, valid_until REAL NOT NULL,
     max_actions_per_hour INTEGER NOT NULL, actions_this_hour INTEGER NOT NULL, last_hour_reset REAL NOT NULL, depth INTEGER NOT NULL,
     parent_id TEXT, revoked INTEGER NOT NULL DEFAULT 0, hop_ids TEXT NOT NULL, chain TEXT NOT NULL, registered_at REAL NOT NULL) STRICT;
   CREATE TABLE hops (hop_id TEXT PRIMARY KEY, delegation_id TEXT NOT NULL, delegator TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0) STRICT;
   CREATE TABLE lct_bindings (lct_id TEXT PRIMARY KEY, binding TEXT NOT NULL, expires_at REAL NOT NULL, credential TEXT NOT NULL) STRICT;
   CREATE TABLE requests (digest TEXT PRIMARY KEY, envelope TEXT NOT NULL, status TEXT NOT NULL, deadline REAL NOT NULL, witnesses_required INTEGER NOT NULL, received_at REAL NOT NULL) STRICT;
   CREATE TABLE witness_attestations (digest TEXT NOT NULL, witness TEXT NOT NULL, envelope TEXT NOT NULL, received_at REAL NOT NULL, PRIMARY KEY (digest, witness)) STRICT;
   CREATE TABLE decisions (decision_id TEXT PRIMARY KEY, request_digest TEXT NOT NULL, attempt INTEGER NOT NULL, log_index INTEGER NOT NULL UNIQUE, record TEXT NOT NULL) STRICT;
   CREATE INDEX decisions_by_request ON decisions (request_digest, attempt);
   CREATE TABLE log_next (id INTEGER PRIMARY KEY CHECK (id = 0), next INTEGER NOT NULL) STRICT;
   INSERT INTO log_next (id, next) VALUES (0, 0);`,
];

/** A delegation row. */
export interface StoredDelegation {
  readonly delegationId: string;
  readonly clientLct: string;
  readonly agentLct: string;
  readonly roleLct: string;
  readonly permissions: string[];
  readonly atpBudget: number;
  readonly atpSpent: number;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly maxActionsPerHour: number;
  readonly actionsThisHour: number;
  readonly lastHourReset: number;
  readonly depth: number;
  readonly parentId: string | null;
  readonly revoked: boolean;
  readonly hopIds: string[];
  /** The chain's hop envelopes, canonical JSON. */
  readonly chain: string;
  readonly registeredAt: number;
}

/** A delegation's live counters. */
export interface DelegationCounters {
  readonly atpSpent: number;
  readonly actionsThisHour: number;
  readonly lastHourReset: number;
}

/** A deferred (or since decided) request. */
export interface StoredRequest {
  readonly digest: string;
  readonly envelope: string;
  readonly status: 'pending' | 'decided';
  readonly deadline: number;
  readonly witnessesRequired: number;
  readonly receivedAt: number;
}

/** A decision row. */
export interface StoredDecision {
  readonly decisionId: string;
  readonly requestDigest: string;
  readonly attempt: number;
  readonly logIndex: number;
  /** The record, canonical JSON (the log entry). */
  readonly record: string;
}

type Row = Record<string, unknown>;

const delegationOf = (r: Row): StoredDelegation => ({
  delegationId: r['delegation_id'] as string, clientLct: r['client_lct'] as string, agentLct: r['agent_lct'] as string, roleLct: r['role_lct'] as string,
  permissions: parseStrict(r['permissions'] as string) as string[], atpBudget: Number(r['atp_budget']), atpSpent: Number(r['atp_spent']),
  validFrom: r['valid_from'] as number, validUntil: r['valid_until'] as number, maxActionsPerHour: Number(r['max_actions_per_hour']),
  actionsThisHour: Number(r['actions_this_hour']), lastHourReset: r['last_hour_reset'] as number, depth: Number(r['depth']),
  parentId: (r['parent_id'] as string | null) ?? null, revoked: Number(r['revoked']) === 1, hopIds: parseStrict(r['hop_ids'] as string) as string[],
  chain: r['chain'] as string, registeredAt: r['registered_at'] as number,
});
const requestOf = (r: Row): StoredRequest => ({
  digest: r['digest'] as string, envelope: r['envelope'] as string, status: r['status'] as 'pending' | 'decided', deadline: r['deadline'] as number,
  witnessesRequired: Number(r['witnesses_required']), receivedAt: r['received_at'] as number,
});
const decisionOf = (r: Row): StoredDecision => ({
  decisionId: r['decision_id'] as string, requestDigest: r['request_digest'] as string, attempt: Number(r['attempt']), logIndex: Number(r['log_index']), record: r['record'] as string,
});

/** The store (see the header). Its JSON columns hold what the service wrote (own data, read back as is). */
export class AuthzStore extends DurableStore {
  /** Opens (creating or migrating) the store at `path` (`:memory:` for tests). */
  static open(path: string): AuthzStore {
    return new AuthzStore(DurableStore.openDatabase(path, { what: 'authorization store', migrations: MIGRATIONS }));
  }

  /** The leaf index the next staged audit record will get (= records staged so far). */
  get nextLogIndex(): number {
    return Number((this.statement('SELECT next FROM log_next WHERE id = 0').get() as { next: number }).next);
  }

  /**
   * {@link commit} of `records` with `write`, which gets the leaf index of the first record (see the
   * header); resolves once both are durable.
   */
  commitLogged<T>(records: readonly AuditRecord[], write: (firstIndex: number) => T): Promise<T> {
    return this.commit(() => {
      const first = this.nextLogIndex;
      this.statement('UPDATE log_next SET next = ? WHERE id = 0').run(first + records.length);
      return write(first);
    }, records);
  }

  /** Every delegation, in registration order. */
  delegations(): StoredDelegation[] {
    return (this.statement('SELECT * FROM delegations ORDER BY rowid').all() as Row[]).map(delegationOf);
  }

  /** Adds a delegation and its hops (write). */
  addDelegation(d: StoredDelegation, hops: readonly { hopId: string; delegationId: string; delegator: string }[]): void {
    this.statement(`INSERT INTO delegations (delegation_id, client_lct, agent_lct, role_lct, permissions, atp_budget, atp_spent, valid_from, valid_until,
      max_actions_per_hour, actions_this_hour, last_hour_reset, depth, parent_id, revoked, hop_ids, chain, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      d.delegationId, d.clientLct, d.agentLct, d.roleLct, JSON.stringify(d.permissions), d.atpBudget, d.atpSpent, d.validFrom, d.validUntil,
      d.maxActionsPerHour, d.actionsThisHour, d.lastHourReset, d.depth, d.parentId, d.revoked ? 1 : 0, JSON.stringify(d.hopIds), d.chain, d.registeredAt,
    );
    const add = this.statement('INSERT INTO hops (hop_id, delegation_id, delegator) VALUES (?, ?, ?) ON CONFLICT (hop_id) DO NOTHING');
    for (const h of hops) add.run(h.hopId, h.delegationId, h.delegator);
  }

  /** Writes a delegation's counters (write). */
  setCounters(delegationId: string, c: DelegationCounters): void {
    this.statement('UPDATE delegations SET atp_spent = ?, actions_this_hour = ?, last_hour_reset = ? WHERE delegation_id = ?').run(c.atpSpent, c.actionsThisHour, c.lastHourReset, delegationId);
  }

  /** Every hop id, with its revoked flag. */
  hops(): { hopId: string; delegationId: string; delegator: string; revoked: boolean }[] {
    return (this.statement('SELECT hop_id, delegation_id, delegator, revoked FROM hops ORDER BY rowid').all() as Row[]).map((r) => ({
      hopId: r['hop_id'] as string, delegationId: r['delegation_id'] as string, delegator: r['delegator'] as string, revoked: Number(r['revoked']) === 1,
    }));
  }

  /** Marks hops and delegations revoked (write). */
  revoke(hopIds: readonly string[], delegationIds: readonly string[]): void {
    for (const h of hopIds) this.statement('UPDATE hops SET revoked = 1 WHERE hop_id = ?').run(h);
    for (const d of delegationIds) this.statement('UPDATE delegations SET revoked = 1 WHERE delegation_id = ?').run(d);
  }

  /** Every LCT binding's JSON and credential envelope JSON. */
  bindings(): { lctId: string; binding: string; expiresAt: number }[] {
    return (this.statement('SELECT lct_id, binding, expires_at FROM lct_bindings ORDER BY rowid').all() as Row[]).map((r) => ({ lctId: r['lct_id'] as string, binding: r['binding'] as string, expiresAt: r['expires_at'] as number }));
  }

  /** Adds or replaces an LCT binding (write). */
  putBinding(lctId: string, binding: string, expiresAt: number, credential: string): void {
    this.statement('INSERT INTO lct_bindings (lct_id, binding, expires_at, credential) VALUES (?, ?, ?, ?) ON CONFLICT (lct_id) DO UPDATE SET binding = excluded.binding, expires_at = excluded.expires_at, credential = excluded.credential').run(lctId, binding, expiresAt, credential);
  }

  /** Records a deferred request (write). */
  addRequest(r: StoredRequest): void {
    this.statement('INSERT INTO requests (digest, envelope, status, deadline, witnesses_required, received_at) VALUES (?, ?, ?, ?, ?, ?)').run(r.digest, r.envelope, r.status, r.deadline, r.witnessesRequired, r.receivedAt);
  }

  /** Marks a deferred request decided (write). */
  settleRequest(digest: string): void {
    this.statement("UPDATE requests SET status = 'decided' WHERE digest = ?").run(digest);
  }

  /** A deferred request, or undefined. */
  request(digest: string): StoredRequest | undefined {
    const r = this.statement('SELECT * FROM requests WHERE digest = ?').get(digest) as Row | undefined;
    return r && requestOf(r);
  }

  /** Every pending request, oldest deadline first. */
  pendingRequests(): StoredRequest[] {
    return (this.statement("SELECT * FROM requests WHERE status = 'pending' ORDER BY deadline").all() as Row[]).map(requestOf);
  }

  /** Records a witness attestation (write). */
  addWitness(digest: string, witness: string, envelope: string, receivedAt: number): void {
    this.statement('INSERT INTO witness_attestations (digest, witness, envelope, received_at) VALUES (?, ?, ?, ?)').run(digest, witness, envelope, receivedAt);
  }

  /** The witness attestations received for `digest`: witness did → envelope JSON. */
  witnesses(digest: string): { witness: string; envelope: string }[] {
    return (this.statement('SELECT witness, envelope FROM witness_attestations WHERE digest = ? ORDER BY rowid').all(digest) as Row[]).map((r) => ({ witness: r['witness'] as string, envelope: r['envelope'] as string }));
  }

  /** Records a decision (write). */
  addDecision(d: StoredDecision): void {
    this.statement('INSERT INTO decisions (decision_id, request_digest, attempt, log_index, record) VALUES (?, ?, ?, ?, ?)').run(d.decisionId, d.requestDigest, d.attempt, d.logIndex, d.record);
  }

  /** A decision by id, or undefined. */
  decision(decisionId: string): StoredDecision | undefined {
    const r = this.statement('SELECT * FROM decisions WHERE decision_id = ?').get(decisionId) as Row | undefined;
    return r && decisionOf(r);
  }

  /** The decisions of one request, first first. */
  decisionsOf(digest: string): StoredDecision[] {
    return (this.statement('SELECT * FROM decisions WHERE request_digest = ? ORDER BY attempt').all(digest) as Row[]).map(decisionOf);
  }

  /** How many decisions, by decision. */
  decisionCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.statement("SELECT json_extract(record, '$.decision') AS d, COUNT(*) AS n FROM decisions GROUP BY d").all() as Row[]) out[r['d'] as string] = Number(r['n']);
    return out;
  }
}
