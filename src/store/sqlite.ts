// Durable node:sqlite databases for every quorumkit store (DESIGN.md "Persistence and logs"):
// WAL journal with synchronous=FULL, so a committed transaction survives a process kill (and a
// power cut) and readers never block the writer. Node-only.

import { DatabaseSync } from 'node:sqlite';
import { IoError } from '../core/errors.js';

/**
 * Opens (creating when needed) a database at `path` (`:memory:` for tests — the same code path)
 * in WAL mode with full fsync and foreign keys, and applies `schema` (idempotent DDL).
 * @throws QuorumkitError `ERR_IO` naming `what` when it cannot be opened.
 */
export function openDurableDatabase(path: string, schema: string, what: string): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    db.exec(schema);
    return db;
  } catch (cause) {
    db?.close();
    throw new IoError(`cannot open ${what} ${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE): committed when it returns, rolled back
 * when it throws, so a failed operation leaves no partial state.
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
