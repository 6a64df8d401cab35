// The audit trail of a quorumkit service (DESIGN.md "Persistence and logs"): canonical JSON records
// appended to an RFC 6962 transparency log (RFC 6962 §2.1; SHA3-256 as the hash) in batches, and
// ML-DSA-signed checkpoints on a schedule — at most one signature per interval however many
// batches arrive, and one on demand whenever a reader asks for a checkpoint of the current tree.
// It is the `AuditSink` of a `DurableStore`: each batch carries the store's outbox batch number,
// kept by the log in the same transaction as the entries, so `recover()` appends exactly the
// staged batches a crash kept out of the log; the store appends its committed batches a few
// milliseconds after the commit, several in one transaction, and every read here first appends
// what is pending, so readers see every acknowledged record. Records go in as bytes the caller
// already canonicalized (no text → object → text round trip). Node-only (the log lives in SQLite).

import { base64Decode, utf8Decode } from '../core/bytes.js';
import { systemClock, type Clock } from '../core/clock.js';
import { parseStrict } from '../core/parse-strict.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import type { AuditRecord, AuditSink, StagedBatch } from '../store/durable-store.js';
import { TransparencyLog } from './sqlite-log.js';

/** Options of {@link AuditTrail}. */
export interface AuditTrailOptions {
  /** Signs the checkpoints (the service's identity). */
  readonly signer: EnvelopeSigner;
  /**
   * Longest time an appended entry waits for a signed checkpoint, in ms (default 1000). 0 signs
   * right after every batch.
   */
  readonly checkpointIntervalMs?: number;
  /** Told when a scheduled checkpoint could not be signed (the next batch or reader retries). */
  readonly onError?: (error: unknown) => void;
}

/** Options of {@link AuditTrail.open}. */
export interface OpenAuditTrailOptions extends AuditTrailOptions {
  /** The log's origin, bound into every checkpoint (fixed at creation). */
  readonly origin: string;
  readonly clock?: Clock;
}

/** Default {@link AuditTrailOptions.checkpointIntervalMs}. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;
/** Most entries {@link AuditTrail.recent} returns. */
export const MAX_RECENT_ENTRIES = 1000;

/**
 * A service's audit trail over a {@link TransparencyLog}.
 * @example
 * const trail = AuditTrail.open('log.db', { origin: 'quorumkit/notes/1', signer: identity });
 * trail.append([canonicalBytes({ type: 'note.added', id })]);
 * const cp = await trail.checkpoint(); // signed { origin, treeSize, rootHash, timestamp }
 */
export class AuditTrail implements AuditSink {
  readonly #log: TransparencyLog;
  readonly #signer: EnvelopeSigner;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signing: Promise<Envelope> | undefined;
  #latest: Envelope | null;
  #latestSize: number;
  #closed = false;
  /** Appends what the store committed and has not appended yet (see {@link setPendingDrain}). */
  #pending: (() => void) | undefined;

  constructor(log: TransparencyLog, options: AuditTrailOptions) {
    if (!(log instanceof TransparencyLog)) throw new TypeError('"log" expected a TransparencyLog');
    if (options?.signer === undefined || typeof options.signer.sign !== 'function') throw new TypeError('"signer" expected an identity');
    const ms = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > 3_600_000) throw new RangeError(`"checkpointIntervalMs" expected 0..3600000, got ${String(ms)}`);
    this.#log = log;
    this.#signer = options.signer;
    this.#intervalMs = ms;
    this.#onError = options.onError ?? (() => undefined);
    this.#latest = log.latestCheckpoint();
    this.#latestSize = this.#latest === null ? -1 : checkpointSize(this.#latest);
  }

  /**
   * Opens (creating when needed) the trail's log at `path` (`:memory:` for tests).
   * @throws QuorumkitError `ERR_IO` when the log cannot be opened or belongs to another origin.
   */
  static open(path: string, options: OpenAuditTrailOptions): AuditTrail {
    const log = TransparencyLog.open(path, { origin: options.origin, clock: options.clock ?? systemClock });
    try {
      return new AuditTrail(log, options);
    } catch (e) {
      log.close();
      throw e;
    }
  }

  /** The log's origin. */
  get origin(): string {
    return this.#log.origin;
  }

  /** Number of entries (every acknowledged record included). */
  get size(): number {
    this.#pending?.();
    return this.#log.size;
  }

  /** The last outbox batch number appended (0 when none; every acknowledged batch included). */
  get appliedBatch(): number {
    this.#pending?.();
    return this.#log.cursor;
  }

  /**
   * {@link AuditSink.setPendingDrain}: `drain` appends the batches the store has committed but not
   * appended yet; every read below calls it first, so readers see every acknowledged record.
   */
  setPendingDrain(drain: () => void): void {
    if (typeof drain !== 'function') throw new TypeError('"drain" expected a function');
    this.#pending = drain;
  }

  /**
   * Appends canonical records in one durable transaction and schedules a checkpoint.
   * @returns the log index of the first record.
   * @throws RangeError for an empty batch or an oversize record (nothing appended).
   */
  append(records: readonly AuditRecord[]): number {
    const first = this.#log.appendMany(records);
    this.#schedule();
    return first;
  }

  /** {@link AuditSink.appendBatch}: {@link append} that records `batch` with the entries. */
  appendBatch(records: readonly AuditRecord[], batch: number): void {
    this.#log.appendMany(records, { cursor: batch });
    this.#schedule();
  }

  /**
   * {@link AuditSink.recover}: appends the batches above {@link appliedBatch}, in order, all in one
   * log transaction (one fsync) that records the last batch number.
   */
  recover(batches: readonly StagedBatch[]): number {
    return this.#appendAbove(batches, false);
  }

  /**
   * {@link AuditSink.recoverLater}: {@link recover} whose fsync runs in libuv's thread pool; `done`
   * gets the last batch number durable in the trail. While an earlier flush runs, this is
   * {@link recover} (its fsync covers both).
   */
  recoverLater(batches: readonly StagedBatch[], done: (error: Error | null, applied: number) => void): number {
    if (this.#log.flushing) {
      const n = this.recover(batches);
      done(null, this.#log.cursor);
      return n;
    }
    const n = this.#appendAbove(batches, true);
    const applied = this.#log.cursor;
    this.#log.flush((error) => done(error, applied));
    return n;
  }

  #appendAbove(batches: readonly StagedBatch[], deferSync: boolean): number {
    const records: AuditRecord[] = [];
    let n = 0;
    let last = this.#log.cursor;
    for (const b of batches) {
      if (b.batch <= last || b.records.length === 0) continue;
      records.push(...b.records);
      last = b.batch;
      n++;
    }
    if (n > 0) {
      this.#log.appendMany(records, { cursor: last, deferSync });
      this.#schedule();
    }
    return n;
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    if (this.#intervalMs === 0) {
      this.checkpoint().catch(this.#onError);
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.checkpoint().catch(this.#onError);
    }, this.#intervalMs);
    // A pending checkpoint never keeps a process alive; close() signs what is left.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /**
   * A signed checkpoint covering at least every entry appended before the call: the stored one when
   * it does, else a new one (concurrent callers share one signature).
   * @throws whatever the signer throws (nothing is stored then).
   */
  async checkpoint(): Promise<Envelope> {
    this.#pending?.();
    const want = this.#log.size;
    while (this.#latest === null || this.#latestSize < want) {
      this.#signing ??= this.#sign();
      await this.#signing;
    }
    return this.#latest;
  }

  async #sign(): Promise<Envelope> {
    const size = this.#log.size;
    try {
      const env = await this.#log.checkpoint([this.#signer]);
      if (size > this.#latestSize) {
        this.#latest = env;
        this.#latestSize = size;
      }
      return env;
    } finally {
      this.#signing = undefined;
    }
  }

  /** The newest stored checkpoint (may lag the tree by up to one interval), or null. */
  latestCheckpoint(): Envelope | null {
    this.#pending?.();
    return this.#latest;
  }

  /** The raw bytes of entry `index`. @throws RangeError when out of range. */
  entryBytes(index: number): Uint8Array {
    this.#pending?.();
    return this.#log.entry(index);
  }

  /** Entry `index` parsed as JSON. @throws RangeError when out of range. */
  entry(index: number): unknown {
    return parseStrict(utf8Decode(this.entryBytes(index)));
  }

  /** The newest `limit` entries (at most 1000), newest first. */
  recent(limit = 100): { index: number; entry: unknown }[] {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`"limit" expected a non-negative integer, got ${String(limit)}`);
    this.#pending?.();
    const out: { index: number; entry: unknown }[] = [];
    for (let i = this.#log.size - 1; i >= 0 && out.length < Math.min(limit, MAX_RECENT_ENTRIES); i--) out.push({ index: i, entry: this.entry(i) });
    return out;
  }

  /** RFC 6962 leaf hash of entry `index`. */
  leafHash(index: number): Uint8Array {
    this.#pending?.();
    return this.#log.leafHash(index);
  }

  /** Root of the tree of the first `size` entries (default: all). */
  rootHash(size?: number): Uint8Array {
    this.#pending?.();
    return this.#log.rootHash(size);
  }

  /** Audit path of entry `index` in the tree of `size` entries (default: all). */
  inclusionProof(index: number, size?: number): Uint8Array[] {
    this.#pending?.();
    return this.#log.inclusionProof(index, size);
  }

  /** Consistency proof from `oldSize` to `newSize` (default: all). */
  consistencyProof(oldSize: number, newSize?: number): Uint8Array[] {
    this.#pending?.();
    return this.#log.consistencyProof(oldSize, newSize);
  }

  /** Signs a final checkpoint when entries are not covered yet, then closes the log. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      if (this.#log.size > 0) await this.checkpoint();
    } finally {
      this.#log.close();
    }
  }
}

function checkpointSize(env: Envelope): number {
  // Our own stored checkpoint: the body is canonical JSON we signed.
  const body = parseStrict(utf8Decode(base64Decode(env.payload))) as { treeSize?: unknown };
  return typeof body.treeSize === 'number' ? body.treeSize : -1;
}
