// Durable commits of a WAL-mode SQLite database with the fsync off the JavaScript thread.
//
// With synchronous=FULL, SQLite fsyncs the WAL inside every COMMIT, and node:sqlite is synchronous:
// the event loop stands still for the disk's flush latency (1–10 ms on the machines measured) while
// requests wait to be read. With synchronous=NORMAL, COMMIT only writes the transaction's frames to
// the WAL file — into the OS page cache, so a killed process (kill -9) already loses nothing — and
// this module makes them durable by calling fdatasync on the WAL file from libuv's thread pool; the
// store acknowledges the transaction's operations only after it completes. That is as durable as
// FULL: every acknowledged transaction's frames were in the file when its fdatasync began, and WAL
// frames carry cumulative checksums, so recovery after a power loss keeps a prefix of the
// transactions — never a later one without an earlier one. Checkpoints stay safe: under NORMAL,
// SQLite still syncs the WAL before copying it into the database, and the database after (SQLite
// file format §4.3 "WAL", pragma synchronous). Node-only.

import { closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

/** Flushes one WAL-mode database's committed transactions to stable storage. */
export class WalSync {
  readonly #walPath: string | null;
  #fd: number | undefined;
  #syncing = false;
  #closed = false;

  /** Takes over the fsync of `db` (WAL mode, on a file): sets synchronous=NORMAL. An in-memory database needs none. */
  constructor(db: DatabaseSync) {
    const file = db.location();
    this.#walPath = file === null || file === '' ? null : `${file}-wal`;
    if (this.#walPath !== null) db.exec('PRAGMA synchronous = NORMAL');
  }

  /** True while an fdatasync runs (the store commits nothing new meanwhile: what queues, waits for it). */
  get inFlight(): boolean {
    return this.#syncing;
  }

  /**
   * Makes every transaction committed so far durable, then calls `done` (with the error when the
   * flush failed). In-memory: `done` runs at once.
   */
  sync(done: (error: Error | null) => void): void {
    if (this.#walPath === null || this.#closed) return done(null);
    let fd: number;
    try {
      fd = this.#open();
    } catch (e) {
      return done(e as Error);
    }
    this.#syncing = true;
    fdatasync(fd, (error) => {
      this.#syncing = false;
      if (this.#closed) this.#closeFd();
      done(error);
    });
  }

  /** {@link sync}, blocking: for bootstrap writes and close. @throws the flush's error. */
  syncNow(): void {
    if (this.#walPath !== null && !this.#closed) fdatasyncSync(this.#open());
  }

  /** Closes the WAL file (after the flush in flight, if any). */
  close(): void {
    this.#closed = true;
    if (!this.#syncing) this.#closeFd();
  }

  #open(): number {
    if (this.#fd === undefined) {
      this.#fd = openSync(this.#walPath!, 'r');
      // The WAL file may just have been created: its directory entry must be durable too (once).
      const dir = openSync(dirname(this.#walPath!), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.#fd;
  }

  #closeFd(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
