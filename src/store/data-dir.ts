// A service's data directory, held by one process at a time. The lock is an SQLite database
// (`<dir>/lock.db`) in exclusive locking mode with one write transaction done: SQLite then keeps
// its POSIX advisory lock until the connection closes, and the kernel drops it when the process
// dies (even by SIGKILL), so a stale lock never outlives its holder. A second process — or a second
// open in the same process — is refused at once. Node-only.

import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConflictError, InvalidArgumentError, IoError } from '../core/errors.js';

/** A held data directory; `release()` (idempotent) lets another process take it. */
export interface DataDirLock {
  readonly dir: string;
  release(): void;
}

/**
 * Creates `dir` when missing and takes its lock.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` when `dir` exists but is not a directory;
 *   `ERR_CONFLICT` when another process (or another open here) holds it; `ERR_IO` when it cannot be
 *   created or locked.
 * @example
 * const lock = lockDataDir('/var/lib/quorumkit/governance');
 * try { … } finally { lock.release(); }
 */
export function lockDataDir(dir: string): DataDirLock {
  if (typeof dir !== 'string' || dir.length === 0) throw new TypeError('"dir" expected a non-empty path');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new InvalidArgumentError(`data dir ${dir} exists and is not a directory`, { cause });
    throw new IoError(`cannot create data dir ${dir}: ${code ?? (cause as Error).message}`, { cause });
  }
  if (!statSync(dir).isDirectory()) throw new InvalidArgumentError(`data dir ${dir} exists and is not a directory`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(join(dir, 'lock.db'));
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
  } catch (cause) {
    throw new IoError(`cannot lock data dir ${dir}: ${(cause as Error).message}`, { cause });
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (cause) {
    db.close();
    throw new ConflictError(`data dir ${dir} is in use by another process`, { cause });
  }
  let held = true;
  return {
    dir,
    release: () => {
      if (held) db.close();
      held = false;
    },
  };
}
