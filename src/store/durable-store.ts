// The base of every quorumkit service store (DESIGN.md "Persistence and logs"): one durable SQLite
// database (WAL, synchronous=FULL) at a versioned schema, statements prepared once, and the audit
// outbox with group commit.
//
// Audit outbox. A service's state and its audit trail live in two SQLite files (the trail is an
// RFC 6962 log with its own transaction rules), so one transaction cannot cover both. Each state
// change therefore stages its audit records in the `_outbox` table inside the same transaction;
// after the commit the batch is appended to the trail, which records the batch number with the
// entries in its own transaction. A crash between the two leaves the batch staged, and the next
// open (or the next commit) appends exactly the batches the trail has not recorded — nothing lost,
// nothing twice.
//
// Group commit. `commit()` queues the operation and runs every operation queued in the same
// event-loop turn in one transaction (each inside its own SAVEPOINT, so one that throws rolls back
// alone): one fsync for the requests that arrive together, and each caller's promise settles only
// after the transaction holding its write is durable and its records are in the trail. Node-only.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { InternalError } from '../core/errors.js';
import type { NonceRefusal, ReplayGuard } from '../http/replay-guard.js';
import { migrate, type Migration, type UnversionedPolicy } from './migrations.js';
import { inTransaction, openDurableDatabase } from './sqlite.js';

/** One audit record: the RFC 8785 canonical JSON bytes of an event (appended to the trail as is). */
export type AuditRecord = Uint8Array;

/** A staged batch of audit records. */
export interface StagedBatch {
  /** Monotonic batch number (the trail remembers the last one it appended). */
  readonly batch: number;
  readonly records: readonly AuditRecord[];
}

/** Where committed audit records go: `AuditTrail` (src/log) implements it. */
export interface AuditSink {
  /** The highest batch number already appended (0 when none). */
  readonly appliedBatch: number;
  /** Appends one batch durably, recording `batch` in the same transaction. */
  appendBatch(records: readonly AuditRecord[], batch: number): void;
  /** Appends the staged batches numbered above {@link appliedBatch}, oldest first; returns how many. */
  recover(batches: readonly StagedBatch[]): number;
}

/** Options of {@link DurableStore.openDatabase}. */
export interface OpenStoreOptions {
  /** Names the store in errors, e.g. `governance store`. */
  readonly what: string;
  /** Forward-only schema migrations (see migrations.ts). */
  readonly migrations: readonly Migration[];
  /** A database with tables but no schema version: refuse (default) or adopt as version 1. */
  readonly unversioned?: UnversionedPolicy;
}

interface Queued {
  readonly write: () => unknown;
  readonly records: readonly AuditRecord[];
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

// Infrastructure tables every store has beside its own (migrated) schema: the audit outbox and the
// replay guard's nonces.
const INFRA = `CREATE TABLE IF NOT EXISTS _outbox (batch INTEGER NOT NULL, idx INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (batch, idx)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _nonces_by_expiry ON _nonces (expires_at);`;

/** Nonces added between two sweeps of expired ones. */
const NONCE_SWEEP_EVERY = 1024;

/**
 * Base class of a service store. Subclasses add typed methods built on {@link statement},
 * {@link transaction} and {@link commit}.
 * @example
 * class NotesStore extends DurableStore {
 *   static open(path: string): NotesStore {
 *     return new NotesStore(DurableStore.openDatabase(path, { what: 'notes store', migrations: ['CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT'] }));
 *   }
 *   add(id: string, body: string, event: Uint8Array): Promise<void> {
 *     return this.commit(() => { this.statement('INSERT INTO notes (id, body) VALUES (?, ?)').run(id, body); }, [event]);
 *   }
 * }
 */
export class DurableStore {
  /** The open database (for subclasses). */
  protected readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #depth = 0;
  #queue: Queued[] = [];
  #scheduled = false;
  #audit: AuditSink | undefined;
  #nextBatch = 1;
  /** Batches at or below this number are in the trail; their rows go in the next transaction. */
  #appliedBelow = 0;
  #clearedBelow = 0;
  #undrained = false;
  #closed = false;

  protected constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Opens (creating when needed) a durable database at `path` (`:memory:` for tests — the same code
   * path), migrated to the latest schema, with the outbox table.
   * @throws QuorumkitError `ERR_IO` when it cannot be opened or its schema is newer or unversioned.
   */
  static openDatabase(path: string, options: OpenStoreOptions): DatabaseSync {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('"path" expected a non-empty string');
    const db = openDurableDatabase(path, '', options.what);
    try {
      migrate(db, options.migrations, { what: options.what, path, ...(options.unversioned ? { unversioned: options.unversioned } : {}) });
      db.exec(INFRA);
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** A statement for `sql`, prepared on first use and reused after. */
  protected statement(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (s === undefined) this.#statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /**
   * Runs `fn` in one write transaction now (not grouped); re-entrant — a call inside another
   * transaction or inside a {@link commit} write joins it. Use for bootstrap and for writes that
   * carry no audit records.
   */
  transaction<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError('"fn" expected a function');
    if (this.#depth > 0) return fn();
    this.#depth++;
    try {
      return inTransaction(this.db, fn);
    } finally {
      this.#depth--;
    }
  }

  /**
   * Connects the audit trail and appends any batch a crash left staged (the outbox recovery).
   * @returns how many staged batches were appended.
   */
  attachAudit(sink: AuditSink): number {
    this.#audit = sink;
    const staged = this.stagedBatches();
    const maxStaged = staged.at(-1)?.batch ?? 0;
    const appended = sink.recover(staged);
    this.#nextBatch = Math.max(maxStaged, sink.appliedBatch) + 1;
    this.#appliedBelow = sink.appliedBatch;
    this.#clearApplied();
    return appended;
  }

  /** Batches staged and not yet cleared (some may already be in the trail), oldest first. */
  stagedBatches(): StagedBatch[] {
    const rows = this.statement('SELECT batch, record FROM _outbox ORDER BY batch, idx').all() as { batch: number; record: Uint8Array }[];
    const out: { batch: number; records: AuditRecord[] }[] = [];
    for (const r of rows) {
      const b = Number(r.batch);
      if (out.at(-1)?.batch !== b) out.push({ batch: b, records: [] });
      out.at(-1)!.records.push(r.record);
    }
    return out;
  }

  /**
   * Runs `write` (synchronous store writes) in the next group transaction and stages `records`
   * with it; resolves with `write`'s value once the transaction is durable and the records are in
   * the audit trail. When `write` throws, its writes are rolled back, nothing is staged, and the
   * promise rejects with that error (other operations in the group are unaffected).
   * @throws QuorumkitError `ERR_INTERNAL` when records are given but no audit trail is attached.
   */
  commit<T>(write: () => T, records: readonly AuditRecord[] = []): Promise<T> {
    if (typeof write !== 'function') return Promise.reject(new TypeError('"write" expected a function'));
    if (this.#closed) return Promise.reject(new InternalError('store is closed'));
    if (records.length > 0 && this.#audit === undefined) return Promise.reject(new InternalError('store has no audit trail attached'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ write, records, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const group = this.#queue;
    this.#queue = [];
    if (group.length === 0) return;
    if (this.#undrained) this.#drain();
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const batch = this.#nextBatch;
    let staged = 0;
    try {
      this.transaction(() => {
        this.#clearApplied();
        for (const op of group) outcomes.push(this.#runOne(op, batch, () => staged++));
      });
    } catch (e) {
      for (const op of group) op.reject(e);
      return;
    }
    if (staged > 0) {
      this.#nextBatch++;
      this.#undrained = true;
      this.#drain();
    }
    group.forEach((op, i) => (outcomes[i]!.ok ? op.resolve(outcomes[i]!.value) : op.reject(outcomes[i]!.value)));
  }

  #runOne(op: Queued, batch: number, onStaged: () => number): { ok: boolean; value: unknown } {
    this.db.exec('SAVEPOINT op');
    try {
      const value = op.write();
      const insert = this.statement('INSERT INTO _outbox (batch, idx, record) VALUES (?, ?, ?)');
      for (const r of op.records) insert.run(batch, onStaged(), r);
      this.db.exec('RELEASE op');
      return { ok: true, value };
    } catch (e) {
      this.db.exec('ROLLBACK TO op');
      this.db.exec('RELEASE op');
      return { ok: false, value: e };
    }
  }

  /** Appends staged batches to the trail; a failure keeps them staged for the next commit or open. */
  #drain(): void {
    const sink = this.#audit!;
    try {
      sink.recover(this.stagedBatches());
      this.#appliedBelow = sink.appliedBatch;
      this.#undrained = false;
    } catch {
      // The state change is durable; its records stay in the outbox and are appended next time.
    }
  }

  #clearApplied(): void {
    if (this.#appliedBelow <= this.#clearedBelow) return;
    this.statement('DELETE FROM _outbox WHERE batch <= ?').run(this.#appliedBelow);
    this.#clearedBelow = this.#appliedBelow;
  }

  /**
   * A durable replay guard for signed requests (`verifySignedRequest({ nonces })`): each nonce is
   * written through the group commit before the request is handled, so a restarted service still
   * refuses a request it accepted before; expired nonces are swept every so often.
   */
  replayGuard(): ReplayGuard {
    let added = 0;
    return {
      add: (nonce: string, expiresAtMs: number, nowMs: number): Promise<NonceRefusal | null> =>
        this.commit(() => {
          const have = this.statement('SELECT expires_at FROM _nonces WHERE nonce = ?').get(nonce) as { expires_at: number } | undefined;
          if (have !== undefined && Number(have.expires_at) >= nowMs) return 'replay';
          this.statement('INSERT INTO _nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at').run(nonce, expiresAtMs);
          if (++added % NONCE_SWEEP_EVERY === 0) this.statement('DELETE FROM _nonces WHERE expires_at < ?').run(nowMs);
          return null;
        }),
    };
  }

  /** Operations queued and not yet committed. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Commits what is queued, then closes the database; later commits reject. */
  close(): void {
    if (this.#closed) return;
    if (this.#queue.length > 0) this.#flush();
    this.#closed = true;
    this.db.close();
  }
}
