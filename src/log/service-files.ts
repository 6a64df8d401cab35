// The files of a service on the durable-service layer (docs/new-service.md §3), opened together:
// the data dir's lock (one process per dir), the service's DurableStore at `<dir>/<database>`, and its
// AuditTrail at `<dir>/log.db` attached to the store (so a batch a crash left in the outbox is
// appended now). `:memory:` keeps both in memory and takes no lock. On any failure what was opened is
// closed again and the lock released; `close()` closes the store, then the trail, then releases.
// Node-only.

import { join } from 'node:path';
import type { DurableStore } from '../store/durable-store.js';
import { lockDataDir, type DataDirLock } from '../store/data-dir.js';
import { AuditTrail, type OpenAuditTrailOptions } from './audit-trail.js';

/** An open service's store, trail and lock. */
export interface ServiceFiles<S extends DurableStore> {
  readonly store: S;
  readonly trail: AuditTrail;
  /** Null for `:memory:`. */
  readonly lock: DataDirLock | null;
  /** Closes the store and the trail, then releases the data dir. */
  close(): Promise<void>;
}

/** Options of {@link openServiceFiles}. */
export interface ServiceFilesOptions<S extends DurableStore> extends OpenAuditTrailOptions {
  /** The store's file name in the data dir, e.g. `custodian.db`. */
  readonly database: string;
  /** Opens the store at a path (`:memory:` for in-memory). */
  readonly openStore: (path: string) => S;
}

/**
 * Locks `dataDir` and opens the store and the trail in it.
 * @throws ConflictError when another process holds the data dir; whatever opening the store or the
 *   trail throws (nothing is left open).
 * @example
 * const files = await openServiceFiles(dir, { database: 'budget.db', openStore: BudgetStore.open, origin, signer: identity });
 */
export async function openServiceFiles<S extends DurableStore>(dataDir: string, options: ServiceFilesOptions<S>): Promise<ServiceFiles<S>> {
  const { database, openStore, ...trailOptions } = options;
  const mem = dataDir === ':memory:';
  const lock = mem ? null : lockDataDir(dataDir);
  let store: S | undefined;
  try {
    store = openStore(mem ? ':memory:' : join(dataDir, database));
    const trail = AuditTrail.open(mem ? ':memory:' : join(dataDir, 'log.db'), trailOptions);
    store.attachAudit(trail);
    const s = store;
    return {
      store: s, trail, lock,
      async close() {
        await s.close();
        await trail.close();
        lock?.release();
      },
    };
  } catch (e) {
    await store?.close().catch(() => undefined);
    lock?.release();
    throw e;
  }
}
