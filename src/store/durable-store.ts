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
// after the transaction holding its write — and its staged audit records — is durable. The fsync
// runs off the JavaScript thread (_wal-sync.ts): requests keep being read and checked while the
// disk flushes, and what they queue meanwhile forms the next group, committed as soon as the flush
// completes; WAL checkpoints run in a worker thread (_checkpointer.ts), never inside a COMMIT here.
// The batches that became durable are appended to the trail together, in one log
// transaction, a few milliseconds later (or at once when the trail is read or the store closes),
// so the trail's own fsync is neither on any caller's path nor paid once per group; on that
// timer's path it runs off the JavaScript thread too (AuditSink.recoverLater), and the outbox rows
// are cleared only after it completed, so a power cut meanwhile loses no record. Node-only.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { InternalError } from '../core/errors.js';
import type { NonceRefusal, NonceReservation, ReplayGuard } from '../http/replay-guard.js';
import { migrate, type Migration, type UnversionedPolicy } from './migrations.js';
import { inTransaction, openDurableDatabase } from './sqlite.js';
import { Checkpointer } from './_checkpointer.js';
import { WalSync } from './_wal-sync.js';

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
  /**
   * Optional: {@link recover} that returns once the batches are committed to the sink (no process
   * kill loses them) and flushes them to stable storage off the calling thread, then calls `done`
   * with the last batch number now durable there (the store clears its outbox only up to it).
   */
  recoverLater?(batches: readonly StagedBatch[], done: (error: Error | null, applied: number) => void): number;
  /**
   * Optional: the store hands over a function that appends whatever it has committed and not yet
   * appended; the sink calls it before serving any read, so a reader sees every acknowledged record
   * although the append itself trails the commit by a few milliseconds.
   */
  setPendingDrain?(drain: () => void): void;
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
  /** A replay-guard nonce: when it cannot be written, nothing queued after it may commit. */
  readonly critical: boolean;
}

// Infrastructure tables every store has beside its own (migrated) schema: the audit outbox and the
// replay guard's nonces.
const INFRA = `CREATE TABLE IF NOT EXISTS _outbox (batch INTEGER NOT NULL, idx INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (batch, idx)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _nonces_by_expiry ON _nonces (expires_at);`;

/** Nonces added between two sweeps of expired ones. */
const NONCE_SWEEP_EVERY = 1024;
/**
 * Longest wait between a commit that staged audit records and their append to the trail: the
 * batches of every commit in that window share one log transaction (one fsync). Readers of the
 * trail never wait for it (they drain first).
 */
export const AUDIT_DRAIN_DELAY_MS = 100;
/**
 * Longest wait of a lazy operation ({@link CommitOptions.lazy}) for a group to ride in: a lazy
 * operation schedules no flush of its own, so it is committed with the next operation that does,
 * or by this timer.
 */
export const LAZY_COMMIT_MS = 25;

/** Options of {@link DurableStore.commit} and {@link DurableStore.replayGuard}. */
export interface CommitOptions {
  /**
   * Commit with the next group rather than in a group of its own: the operation waits (at most
   * {@link LAZY_COMMIT_MS}) for a non-lazy commit to carry it, so a request that queues a lazy
   * write and, later, the write it acknowledges pays one transaction and one fsync, not two. Order
   * is kept: a lazy operation is in the same group as every operation queued after it, or an
   * earlier one. Its promise still settles only once it is durable.
   */
  readonly lazy?: boolean;
}

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
  #lazyTimer: ReturnType<typeof setTimeout> | undefined;
  #audit: AuditSink | undefined;
  #nextBatch = 1;
  /** The last batch committed, and the last one known durable (only those may reach the trail). */
  #committedBatch = 0;
  #durableBatch = 0;
  readonly #wal: WalSync;
  readonly #checkpointer: Checkpointer | undefined;
  /** Batches at or below this number are in the trail; their rows go in the next transaction. */
  #appliedBelow = 0;
  #clearedBelow = 0;
  #undrained = false;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #draining = false;
  #closed = false;
  /** Set when a nonce could not be written or a flush failed: every later commit is refused (fail-stop). */
  #stopped: Error | undefined;
  /** Nonces reserved and not yet committed → their expiry (refused to replays meanwhile). */
  readonly #pendingNonces = new Map<string, number>();

  protected constructor(db: DatabaseSync) {
    this.db = db;
    this.#wal = new WalSync(db);
    const file = db.location();
    if (file !== null && file !== '') {
      this.#checkpointer = new Checkpointer(db, file);
      this.#checkpointer.touch(); // the schema's migrations, if any, are still in the WAL
    }
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
   * carry no audit records. Operations already queued for the group commit are committed first, so
   * these writes never become durable before a nonce reserved earlier.
   */
  transaction<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError('"fn" expected a function');
    if (this.#depth > 0) return fn();
    if (this.#queue.length > 0) this.#flush('now');
    const out = this.#inTransaction(fn);
    this.#wal.syncNow();
    return out;
  }

  #inTransaction<T>(fn: () => T): T {
    this.#depth++;
    try {
      return inTransaction(this.db, fn);
    } finally {
      this.#depth--;
      this.#checkpointer?.touch();
    }
  }

  /**
   * Connects the audit trail and appends any batch a crash left staged (the outbox recovery).
   * @returns how many staged batches were appended.
   */
  attachAudit(sink: AuditSink): number {
    this.#audit = sink;
    const staged = this.#durableStaged();
    const maxStaged = staged.at(-1)?.batch ?? 0;
    const appended = sink.recover(staged);
    this.#nextBatch = Math.max(maxStaged, sink.appliedBatch) + 1;
    this.#appliedBelow = sink.appliedBatch;
    this.#undrained = false;
    this.#clearApplied();
    sink.setPendingDrain?.(() => this.#drain());
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
   * with it; resolves with `write`'s value once the transaction — records included — is on disk.
   * The records reach the audit trail within {@link AUDIT_DRAIN_DELAY_MS}, and before anything
   * reads the trail. When `write` throws, its writes are rolled back, nothing is staged, and the
   * promise rejects with that error (other operations in the group are unaffected).
   * With `{ lazy: true }` the group it joins is the next one some other commit starts (or the one
   * {@link LAZY_COMMIT_MS} later), see {@link CommitOptions.lazy}.
   * @throws QuorumkitError `ERR_INTERNAL` (rejects) when records are given but no audit trail is
   *   attached, when the store is closed, or when it stopped after a failed nonce write or flush.
   */
  commit<T>(write: () => T, records: readonly AuditRecord[] = [], options: CommitOptions = {}): Promise<T> {
    if (typeof write !== 'function') return Promise.reject(new TypeError('"write" expected a function'));
    if (records.length > 0 && this.#audit === undefined) return Promise.reject(new InternalError('store has no audit trail attached'));
    return this.#enqueue(write, records, false, options.lazy === true);
  }

  #enqueue<T>(write: () => T, records: readonly AuditRecord[], critical: boolean, lazy = false): Promise<T> {
    if (this.#closed) return Promise.reject(new InternalError('store is closed'));
    if (this.#stopped !== undefined) return Promise.reject(this.#stoppedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ write, records, resolve: resolve as (v: unknown) => void, reject, critical });
      if (lazy) {
        this.#lazyTimer ??= setTimeout(() => {
          this.#lazyTimer = undefined;
          this.#schedule();
        }, LAZY_COMMIT_MS);
        this.#lazyTimer.unref?.();
      } else {
        this.#schedule();
      }
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  /**
   * Commits the queued operations as one group. `async` (the scheduled path) waits while a flush
   * is in flight — its completion commits what queued meanwhile — and settles the group after an
   * off-thread fsync; `now` (transaction(), close()) commits and flushes at once.
   */
  #flush(mode: 'async' | 'now' = 'async'): void {
    if (mode === 'async') {
      this.#scheduled = false;
      if (this.#wal.inFlight) return;
    }
    const group = this.#queue;
    this.#queue = [];
    if (group.length === 0) return;
    // Every lazy operation queued so far rides in this group.
    if (this.#lazyTimer !== undefined) clearTimeout(this.#lazyTimer);
    this.#lazyTimer = undefined;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const batch = this.#nextBatch;
    let staged = 0;
    try {
      this.#inTransaction(() => {
        this.#clearApplied();
        for (const op of group) {
          const outcome = this.#runOne(op, batch, () => staged++);
          // Rolls the whole group back: an operation queued after a nonce (the request's own
          // state change) must never become durable without it.
          if (!outcome.ok && op.critical) throw outcome.value;
          outcomes.push(outcome);
        }
      });
    } catch (e) {
      if (group.some((op) => op.critical)) this.#stop(e);
      for (const op of group) op.reject(e);
      return;
    }
    if (staged > 0) this.#committedBatch = this.#nextBatch++;
    const committed = staged > 0 ? batch : 0;
    if (mode === 'async') {
      this.#wal.sync((error) => this.#settle(group, outcomes, committed, error));
      return;
    }
    let error: Error | null = null;
    try {
      this.#wal.syncNow();
    } catch (e) {
      error = e as Error;
    }
    this.#settle(group, outcomes, committed, error);
  }

  /** Answers a committed group once its flush completed, then commits what queued meanwhile. */
  #settle(group: readonly Queued[], outcomes: readonly { ok: boolean; value: unknown }[], batch: number, error: Error | null): void {
    if (error !== null) {
      // After a failed fsync nothing written since the last good one can be trusted to be on disk.
      this.#stop(error);
      for (const op of group) op.reject(this.#stoppedError());
      return;
    }
    if (batch > this.#durableBatch) {
      this.#durableBatch = batch;
      this.#undrained = true;
      if (!this.#closed) this.#drainTimer ??= setTimeout(() => this.#drain(true), AUDIT_DRAIN_DELAY_MS);
    }
    group.forEach((op, i) => (outcomes[i]!.ok ? op.resolve(outcomes[i]!.value) : op.reject(outcomes[i]!.value)));
    if (this.#queue.length > 0 && !this.#closed && !this.#wal.inFlight) this.#flush();
  }

  /** Staged batches that are durable (a batch whose flush is still in flight never reaches the trail). */
  #durableStaged(): StagedBatch[] {
    const staged = this.stagedBatches();
    return this.#committedBatch > this.#durableBatch ? staged.filter((b) => b.batch <= this.#durableBatch || b.batch > this.#committedBatch) : staged;
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

  /**
   * Appends every committed, unappended batch to the trail (in one log transaction). A failure
   * keeps them staged: the next commit's drain, the next read of the trail or the next open
   * appends them. `later` (the timer's drain): the trail's fsync runs off the event loop when the
   * sink can, and the outbox rows are cleared only once it completed; a reader's drain and close()
   * flush at once.
   */
  #drain(later = false): void {
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    this.#drainTimer = undefined;
    if (!this.#undrained || this.#draining || this.#closed) return;
    const sink = this.#audit!;
    this.#draining = true;
    try {
      if (later && sink.recoverLater !== undefined) {
        sink.recoverLater(this.#durableStaged(), (error, applied) => {
          if (error === null) this.#appliedBelow = Math.max(this.#appliedBelow, applied);
        });
      } else {
        sink.recover(this.#durableStaged());
        this.#appliedBelow = Math.max(this.#appliedBelow, sink.appliedBatch);
      }
      this.#undrained = false;
    } catch {
      // The state change is durable; its records stay in the outbox and are appended next time.
    } finally {
      this.#draining = false;
    }
  }

  #clearApplied(): void {
    if (this.#appliedBelow <= this.#clearedBelow) return;
    this.statement('DELETE FROM _outbox WHERE batch <= ?').run(this.#appliedBelow);
    this.#clearedBelow = this.#appliedBelow;
  }

  /**
   * A durable replay guard for signed requests (`requireSignedRequest({ nonces })`), so a
   * restarted service still refuses a request it accepted before. `reserve` refuses a replay at
   * once (a nonce is held in memory until its row is committed, then found on disk) and writes the
   * new nonce through the group commit: the request's own state change, queued after it, lands in
   * the same transaction or a later one, never an earlier one — and if a nonce cannot be written,
   * its whole group rolls back and the store stops (fail-stop: every later commit is refused), so
   * no state change is ever durable without its nonce. `add` waits for the write. Expired nonces
   * are swept every so often. `{ lazy: true }`: the nonce's write waits for the request's own
   * commit (see {@link CommitOptions.lazy}) — for routes whose handler always commits before it
   * answers, so request and nonce share one transaction.
   */
  replayGuard(options: CommitOptions = {}): Required<ReplayGuard> {
    const lazy = options.lazy === true;
    let added = 0;
    const reserve = (nonce: string, expiresAtMs: number, nowMs: number): { refused: NonceRefusal } | NonceReservation => {
      const pending = this.#pendingNonces.get(nonce);
      if (pending !== undefined && pending >= nowMs) return { refused: 'replay' };
      const have = this.statement('SELECT expires_at FROM _nonces WHERE nonce = ?').get(nonce) as { expires_at: number } | undefined;
      if (have !== undefined && Number(have.expires_at) >= nowMs) return { refused: 'replay' };
      this.#pendingNonces.set(nonce, expiresAtMs);
      const durable = this.#enqueue(() => {
        this.statement('INSERT INTO _nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at').run(nonce, expiresAtMs);
        if (++added % NONCE_SWEEP_EVERY === 0) this.statement('DELETE FROM _nonces WHERE expires_at < ?').run(nowMs);
      }, [], true, lazy);
      // Committed: on disk from now on. Failed: the store has stopped, so nothing can use it.
      void durable.then(() => this.#pendingNonces.delete(nonce), () => undefined);
      return { refused: null, durable };
    };
    return {
      reserve,
      add: async (nonce: string, expiresAtMs: number, nowMs: number): Promise<NonceRefusal | null> => {
        const r = reserve(nonce, expiresAtMs, nowMs);
        if (r.refused !== null) return r.refused;
        await r.durable;
        return null;
      },
    };
  }

  /** Fail-stop: after a lost nonce or a failed flush, every queued and later commit is refused. */
  #stop(cause: unknown): void {
    this.#stopped ??= cause instanceof Error ? cause : new Error(String(cause));
    for (const op of this.#queue.splice(0)) op.reject(this.#stoppedError());
  }

  #stoppedError(): InternalError {
    return new InternalError('store stopped after a failed write (a nonce, or a flush to disk); restart the service', { cause: this.#stopped });
  }

  /** Operations queued and not yet committed. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Commits what is queued and appends its audit records, then closes the database (all of it at
   * once, before this returns); later commits reject. The promise settles when nothing of this store
   * touches its files any more (the checkpoint worker's last checkpoint is done) — await it before
   * removing or copying the data dir.
   */
  close(): Promise<void> {
    if (this.#closed) return this.#checkpointer?.exited ?? Promise.resolve();
    if (this.#queue.length > 0) this.#flush('now');
    if (this.#stopped === undefined) {
      // A group whose off-thread flush is still running is made durable here, so its records go too.
      this.#wal.syncNow();
      this.#durableBatch = this.#committedBatch;
      this.#drain();
    }
    this.#closed = true;
    const ended = this.#checkpointer?.close() ?? Promise.resolve();
    this.#wal.close();
    this.db.close();
    return ended;
  }
}
