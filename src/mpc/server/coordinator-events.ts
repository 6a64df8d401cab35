// One coordinator audit event, written twice (DESIGN.md "Persistence and logs"): as the next entry
// of QuorumVM's hash chain (quorumvm/coordinator/audit.py, audit-chain.ts) in the coordinator store,
// and as a record for the transparency log, staged through the store's outbox in the same commit.
// Shared by the default and the legacy coordinator. Node-only (the store).

import { canonicalBytes, canonicalize } from '../../core/canonical-json.js';
import { parseStrict } from '../../core/parse-strict.js';
import { chainEntry, GENESIS_HASH, verifyChain, type AuditChainEntry } from '../audit-chain.js';
import type { CoordinatorStore } from './coordinator-store.js';

/** A staged event: `write` appends the chain entry (call inside a store write), `record` is the trail record. */
export interface StagedEvent {
  readonly write: () => void;
  readonly record: Uint8Array;
}

/**
 * Stages `event` with `data` at time `ts` (seconds, a float): the chain entry links to whatever
 * entry is last when `write` runs, so events committed in one group still chain in order.
 * @example
 * const e = stageEvent(store, Date.now() / 1000, 'install', { program_id, version });
 * await store.commit(() => { store.putProgram(row, caller); e.write(); }, [e.record]);
 */
export function stageEvent(store: CoordinatorStore, ts: number, event: string, data: Record<string, unknown>): StagedEvent {
  return {
    write: () => {
      const last = store.lastAuditEntry();
      const prev = last === undefined ? GENESIS_HASH : (parseStrict(last) as AuditChainEntry).entry_hash;
      store.appendAudit(canonicalize(chainEntry(prev, ts, event, data)));
    },
    record: canonicalBytes({ type: `mpc.${event}`, timestamp: ts, ...data }),
  };
}

/** QuorumVM's audit view of the store's chain: its entries and whether the chain verifies. */
export function chainView(store: CoordinatorStore): { entries: AuditChainEntry[]; chain_valid: boolean } {
  const entries = store.auditEntries().map((t) => parseStrict(t) as AuditChainEntry);
  return { entries, chain_valid: verifyChain(entries) };
}

/**
 * The audit event of an evaluation that failed with `e`: `eval_cheating` for inconsistent openings
 * (with the culprit's index when it was identified), else `eval_failed`; the data carries the
 * error's message as `reason` (messages never hold a share or a value).
 */
export function evalFailure(e: unknown): { event: 'eval_cheating' | 'eval_failed'; data: Record<string, unknown> } {
  const culprit = (e as { details?: { culprit?: number } }).details?.culprit;
  const event = (e as { code?: string }).code === 'ERR_MPC_OPENING_INCONSISTENT' ? 'eval_cheating' : 'eval_failed';
  return { event, data: { reason: (e as Error).message, ...(culprit === undefined ? {} : { culprit_index: culprit }) } };
}
