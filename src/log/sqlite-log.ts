// A durable RFC 6962 transparency log in node:sqlite (WAL). Node-only.
// Tables: `entries` (the data), `subtrees` (every complete subtree hash, level 0 = leaf hashes),
// `checkpoints` (signed heads). Appends are transactions: when append() returns, the entry and
// every subtree it completes are on disk (the WAL fdatasync'd after the COMMIT — as durable as
// synchronous=FULL, see store/_wal-sync.ts), so a kill -9 or a power cut loses no acknowledged
// write and the log reopens verifiable. An append with `deferSync` returns once committed (a
// killed process loses nothing: the frames are in the OS page cache) and {@link
// TransparencyLog.flush} makes it durable from libuv's thread pool, off the event loop. Roots and
// proofs need O(log n) point lookups (see merkle.ts).

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { canonicalize } from '../core/canonical-json.js';
import { assertOptions, optionKeys } from '../core/assert.js';
import { IoError } from '../core/errors.js';
import { parseStrict } from '../core/parse-strict.js';
import { migrate } from '../store/migrations.js';
import { inTransaction, openDurableDatabase } from '../store/sqlite.js';
import { WalSync } from '../store/_wal-sync.js';
import type { Clock } from '../core/clock.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { leafHash, nodeHash } from './_hash.js';
import { signCheckpoint } from './checkpoint.js';
import { consistencyPath, inclusionPath, treeHash, type SubtreeSource } from './merkle.js';

/** Options of {@link TransparencyLog.open}. */
export interface OpenLogOptions {
  /** The log's name, bound into every checkpoint. Fixed at creation; a mismatch on reopen throws. */
  readonly origin: string;
  readonly clock?: Clock;
}

// Version 1 is the layout logs had before schema versions, so such a log is adopted as version 1.
const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
   CREATE TABLE IF NOT EXISTS subtrees (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
   CREATE TABLE IF NOT EXISTS checkpoints (tree_size INTEGER PRIMARY KEY, envelope TEXT NOT NULL);`,
] as const;

const APPEND_OPTION_KEYS = ['cursor', 'deferSync'] as const;
const OPEN_LOG_OPTION_KEYS = optionKeys<OpenLogOptions>({ origin: true, clock: true });

/** Options of {@link TransparencyLog.appendMany}. */
export interface AppendOptions {
  /**
   * A non-decreasing number stored with the entries in the same transaction (an outbox batch
   * number, see `AuditTrail`): after a crash, {@link TransparencyLog.cursor} tells which batch was
   * the last to land.
   */
  readonly cursor?: number;
  /**
   * True: return once the transaction is committed (no process kill loses it), without waiting
   * for stable storage; the caller makes it durable with {@link TransparencyLog.flush}.
   */
  readonly deferSync?: boolean;
}

/** Largest entry accepted (bytes): bounds a single append. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** An append-only Merkle log persisted in SQLite. */
export class TransparencyLog implements SubtreeSource {
  readonly origin: string;
  readonly #db: DatabaseSync;
  readonly #clock: Clock | undefined;
  #size: number;
  /** Right edge of the tree: the last complete subtree hash per level still waiting for a sibling. */
  readonly #frontier: (Uint8Array | undefined)[] = [];
  readonly #insertEntry: StatementSync;
  readonly #insertSubtree: StatementSync;
  readonly #getSubtree: StatementSync;
  readonly #getEntry: StatementSync;
  readonly #setCursor: StatementSync;
  #cursor: number;
  readonly #wal: WalSync;

  private constructor(db: DatabaseSync, origin: string, clock: Clock | undefined) {
    this.#db = db;
    this.#wal = new WalSync(db);
    this.origin = origin;
    this.#clock = clock;
    this.#insertEntry = db.prepare('INSERT INTO entries (idx, data) VALUES (?, ?)');
    this.#insertSubtree = db.prepare('INSERT INTO subtrees (level, idx, hash) VALUES (?, ?, ?)');
    this.#getSubtree = db.prepare('SELECT hash FROM subtrees WHERE level = ? AND idx = ?');
    this.#getEntry = db.prepare('SELECT data FROM entries WHERE idx = ?');
    this.#setCursor = db.prepare("INSERT INTO meta (key, value) VALUES ('cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const cur = db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get() as { value: string } | undefined;
    this.#cursor = cur === undefined ? 0 : Number(cur.value);
    const row = db.prepare('SELECT COALESCE(MAX(idx), -1) + 1 AS n FROM entries').get() as { n: number };
    this.#size = Number(row.n);
    this.#loadFrontier();
  }

  /**
   * Opens (creating when needed) the log at `path` (`:memory:` for tests — the same code path).
   * @throws QuorumkitError `ERR_IO` when the database cannot be opened or belongs to another origin.
   */
  static open(path: string, options: OpenLogOptions): TransparencyLog {
    assertOptions('options', options, OPEN_LOG_OPTION_KEYS);
    if (typeof options?.origin !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(options.origin)) {
      throw new RangeError('"origin" expected 1..256 printable ASCII characters');
    }
    const db = openDurableDatabase(path, '', 'log database');
    try {
      migrate(db, MIGRATIONS, { what: 'log database', path, unversioned: 'adopt' });
    } catch (e) {
      db.close();
      throw e;
    }
    const have = db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string } | undefined;
    if (have === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('origin', ?)").run(options.origin);
    else if (have.value !== options.origin) {
      db.close();
      throw new IoError(`log database ${path} belongs to origin ${JSON.stringify(have.value)}, not ${JSON.stringify(options.origin)}`);
    }
    return new TransparencyLog(db, options.origin, options.clock);
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The cursor stored by the last append that carried one (0 when none). */
  get cursor(): number {
    return this.#cursor;
  }

  #loadFrontier(): void {
    // For size n, level l has floor(n / 2^l) complete subtrees; when that count is odd the last one
    // (an even index) still waits for its right sibling.
    this.#frontier.length = 0;
    for (let level = 0, span = 1; span <= this.#size; level++, span *= 2) {
      const count = Math.floor(this.#size / span);
      this.#frontier[level] = count % 2 === 1 ? this.subtree(level, count - 1) : undefined;
    }
  }

  /**
   * Appends entries in one transaction and returns the index of the first. Durable on return.
   * @throws TypeError / RangeError for non-bytes or oversize entries (nothing is written).
   */
  appendMany(entries: readonly Uint8Array[], options: AppendOptions = {}): number {
    assertOptions('options', options, APPEND_OPTION_KEYS);
    if (!Array.isArray(entries) || entries.length === 0) throw new RangeError('"entries" expected at least 1 item, got 0');
    const cursor = options.cursor;
    if (options.deferSync !== undefined && typeof options.deferSync !== 'boolean') throw new TypeError('"deferSync" expected a boolean');
    if (cursor !== undefined && (!Number.isSafeInteger(cursor) || cursor < this.#cursor)) {
      throw new RangeError(`"cursor" expected an integer >= ${this.#cursor}, got ${String(cursor)}`);
    }
    for (const e of entries) {
      if (!(e instanceof Uint8Array)) throw new TypeError('"entries" expected Uint8Array items');
      if (e.length > MAX_ENTRY_BYTES) throw new RangeError(`entry expected at most ${MAX_ENTRY_BYTES} bytes, got ${e.length}`);
    }
    const first = this.#size;
    const frontier = [...this.#frontier];
    const size = inTransaction(this.#db, () => {
      let n = first;
      for (const data of entries) {
        this.#insertEntry.run(n, data);
        let h = leafHash(data);
        let level = 0;
        let idx = n;
        this.#insertSubtree.run(0, idx, h);
        while (idx % 2 === 1) {
          h = nodeHash(frontier[level]!, h);
          frontier[level] = undefined;
          level++;
          idx = (idx - 1) / 2;
          this.#insertSubtree.run(level, idx, h);
        }
        frontier[level] = h;
        n++;
      }
      if (cursor !== undefined) this.#setCursor.run(String(cursor));
      return n;
    });
    if (options.deferSync !== true) this.#wal.syncNow();
    // Only a committed transaction moves the in-memory tree edge.
    this.#size = size;
    if (cursor !== undefined) this.#cursor = cursor;
    this.#frontier.length = 0;
    this.#frontier.push(...frontier);
    return first;
  }

  /** True while a {@link flush} runs (a second one must wait for it; an append without `deferSync` need not). */
  get flushing(): boolean {
    return this.#wal.inFlight;
  }

  /**
   * Makes every append committed so far durable (fdatasync in libuv's thread pool), then calls
   * `done` (with the error when the flush failed). Not while {@link flushing}.
   */
  flush(done: (error: Error | null) => void): void {
    if (this.#wal.inFlight) throw new Error('a flush is already in flight');
    this.#wal.sync(done);
  }

  /** Appends one entry; returns its index. Durable on return. */
  append(data: Uint8Array): number {
    return this.appendMany([data]);
  }

  /** The entry at `index`. @throws RangeError when out of range. */
  entry(index: number): Uint8Array {
    this.#checkIndex(index);
    return (this.#getEntry.get(index) as { data: Uint8Array }).data;
  }

  /** The RFC 6962 leaf hash of entry `index`. */
  leafHash(index: number): Uint8Array {
    this.#checkIndex(index);
    return this.subtree(0, index);
  }

  /** Hash of complete subtree (level, index) — the SubtreeSource the proofs read. */
  subtree(level: number, index: number): Uint8Array {
    const row = this.#getSubtree.get(level, index) as { hash: Uint8Array } | undefined;
    if (!row) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return row.hash;
  }

  /** Root of the tree of the first `size` entries (default: all). */
  rootHash(size = this.#size): Uint8Array {
    this.#checkSize(size);
    return treeHash(this, size);
  }

  /** Audit path of entry `index` in the tree of `size` entries (default: all). */
  inclusionProof(index: number, size = this.#size): Uint8Array[] {
    this.#checkSize(size);
    return inclusionPath(this, index, size);
  }

  /** Consistency proof from `oldSize` to `newSize` (default: all). */
  consistencyProof(oldSize: number, newSize = this.#size): Uint8Array[] {
    this.#checkSize(newSize);
    return consistencyPath(this, oldSize, newSize);
  }

  /** Signs, stores and returns a checkpoint of the current tree (async). */
  async checkpoint(signers: readonly EnvelopeSigner[]): Promise<Envelope> {
    const size = this.#size;
    const env = await signCheckpoint(this.origin, size, this.rootHash(size), signers, this.#clock);
    this.#db.prepare('INSERT OR REPLACE INTO checkpoints (tree_size, envelope) VALUES (?, ?)').run(size, canonicalize(env));
    // Durable before it is handed out — and with it every entry it covers (deferred appends too).
    this.#wal.syncNow();
    return env;
  }

  /** The stored checkpoint with the largest tree size, or null. */
  latestCheckpoint(): Envelope | null {
    const row = this.#db.prepare('SELECT envelope FROM checkpoints ORDER BY tree_size DESC LIMIT 1').get() as { envelope: string } | undefined;
    return row ? (parseStrict(row.envelope) as Envelope) : null;
  }

  /** Closes the database. */
  close(): void {
    try {
      this.#wal.syncNow();
    } finally {
      this.#wal.close();
      this.#db.close();
    }
  }

  #checkIndex(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#size) {
      throw new RangeError(`"index" expected 0..${this.#size - 1}, got ${String(index)}`);
    }
  }

  #checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.#size) {
      throw new RangeError(`"size" expected 0..${this.#size}, got ${String(size)}`);
    }
  }
}
