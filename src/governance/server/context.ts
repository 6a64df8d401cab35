// What every part of a governance node shares (the service's private state), and the one way a
// state change is written: its store writes and its audit events in one grouped commit, the events
// stamped and canonicalized once here. Node-only.

import { canonicalBytes } from '../../core/canonical-json.js';
import { toRfc3339, type Clock } from '../../core/clock.js';
import type { EnvelopeSigner } from '../../envelope/types.js';
import type { KeyedMutex } from '../../http/keyed-mutex.js';
import type { AuditTrail } from '../../log/audit-trail.js';
import type { DataDirLock } from '../../store/data-dir.js';
import { auditEntry, type AuditEntryInput, type RegistryHistory } from '../index.js';
import type { FreezeView } from './authorization-view.js';
import type { GenesisFile } from './genesis.js';
import type { RoundCache } from './round-cache.js';
import type { GovernanceStore } from './store.js';
import type { VotePolicy } from './vote-policy.js';

/** A governance node's private state, shared by its parts. */
export interface NodeContext {
  readonly identity: EnvelopeSigner;
  readonly did: string;
  readonly name: string;
  readonly clock: Clock;
  readonly store: GovernanceStore;
  readonly trail: AuditTrail;
  readonly genesis: GenesisFile;
  /** Every registry version since genesis (membership changes only by consensus). */
  readonly history: RegistryHistory;
  readonly votePolicy: VotePolicy;
  /** Per-proposal serialization (and `REGISTRY_LOCK` for membership changes). */
  readonly locks: KeyedMutex;
  readonly rounds: RoundCache;
  readonly freeze: FreezeView;
  /** The data dir lock (null for `:memory:`). */
  readonly dirLock: DataDirLock | null;
}

/** Lock key of registry changes (never a proposal id: those are non-empty strings without NUL). */
export const REGISTRY_LOCK = '\0registry';

/**
 * Runs `write` (store writes) in the next grouped commit with `events` staged as audit records in
 * the same transaction; resolves once both are durable.
 */
export function commitWithEvents<T>(ctx: NodeContext, write: () => T, events: readonly AuditEntryInput[]): Promise<T> {
  const at = toRfc3339(ctx.clock.now());
  return ctx.store.commit(write, events.map((e) => canonicalBytes(auditEntry(e, at))));
}
