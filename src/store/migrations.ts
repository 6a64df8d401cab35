// Schema versioning for every quorumkit SQLite store: forward-only migrations numbered by SQLite's
// `PRAGMA user_version` (SQLite file format §1.3.15 "user version number" — a 32-bit integer in the
// database header that SQLite itself never reads). Migration i (0-based) takes a database from
// version i to i + 1 and runs in its own write transaction together with the version bump, so a
// crash leaves the database at a whole version. A database from a newer quorumkit (version greater
// than the migrations known here) is refused before anything is written. Node-only.

import type { DatabaseSync } from 'node:sqlite';
import { IoError } from '../core/errors.js';
import { inTransaction } from './sqlite.js';

/** One forward step: SQL run as a script, or a function given the open database. */
export type Migration = string | ((db: DatabaseSync) => void);

/** What to do with a database that has tables but `user_version` 0 (created before versioning). */
export type UnversionedPolicy =
  /** Refuse it with a clear error (its rows are in a format no migration reads). */
  | 'refuse'
  /** Treat it as version 1: migration 0 must be idempotent DDL (`CREATE … IF NOT EXISTS`). */
  | 'adopt';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Names the store in errors, e.g. `governance store`. */
  readonly what: string;
  /** Where it lives (a path or `:memory:`), for errors. */
  readonly path: string;
  /** Default `refuse`. */
  readonly unversioned?: UnversionedPolicy;
}

/** The `user_version` of an open database. */
export function schemaVersion(db: DatabaseSync): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
}

function hasTables(db: DatabaseSync): boolean {
  const row = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").get() as { n: number };
  return Number(row.n) > 0;
}

/**
 * Brings `db` to the latest version by running the migrations it has not seen, in order.
 * @returns the version the database was at before (0 for a new database).
 * @throws QuorumkitError `ERR_IO` when the database is newer than `migrations` (written by a newer
 *   quorumkit), or unversioned with tables under the `refuse` policy; nothing is written then.
 * @example
 * migrate(db, ['CREATE TABLE t (k INTEGER PRIMARY KEY)', 'ALTER TABLE t ADD COLUMN v TEXT'], { what: 'my store', path });
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[], options: MigrateOptions): number {
  if (!Array.isArray(migrations) || migrations.length === 0) throw new RangeError('"migrations" expected at least 1 item, got 0');
  let from = schemaVersion(db);
  if (from > migrations.length) {
    throw new IoError(
      `${options.what} ${options.path} has schema version ${from}, newer than this quorumkit knows (${migrations.length}): upgrade quorumkit to open it`,
    );
  }
  const before = from;
  if (from === 0 && hasTables(db)) {
    if ((options.unversioned ?? 'refuse') === 'refuse') {
      throw new IoError(
        `${options.what} ${options.path} was written by a quorumkit without schema versions; its format cannot be migrated: start from an empty data dir`,
      );
    }
  }
  for (; from < migrations.length; from++) {
    const step = migrations[from]!;
    inTransaction(db, () => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      // PRAGMA takes no bound parameters; `from + 1` is an integer we computed.
      db.exec(`PRAGMA user_version = ${from + 1}`);
    });
  }
  return before;
}
