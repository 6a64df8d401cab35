// The coordinator's durable bookkeeping shared by the default and the legacy coordinator:
// approvals, counted once per distinct custodian, with activation at K (QuorumVM counts repeated
// approvals; quorumkit does not) — each staged as chain + trail events in one commit — and
// per-(program, identity) spending under policy.ts, charged only after every check passed and
// committed together with the triple-cursor advances of the same evaluation. Node-only (the store).

import type { PolicyManifest } from '../package.js';
import { stageEvent } from './coordinator-events.js';
import type { CoordinatorStore } from './coordinator-store.js';
import type { PolicyEngine } from './policy.js';

/** One approval to record: `custodian` is what makes custodians distinct (a did, or `hmac:<index>`). */
export interface ApprovalRecord {
  readonly programId: string;
  readonly custodian: string;
  readonly index: number;
  /** The approval as stored (envelope JSON or HMAC hex). */
  readonly proof: string;
  readonly threshold: number;
  /** The program is already active. */
  readonly active: boolean;
}

/**
 * Records an approval unless this custodian already approved (then nothing changes), with its
 * `approve` event and, at the K-th distinct custodian, the activation and its `activate` event.
 * Call under the program's lock. Returns true when this approval activated the program.
 */
export async function recordApproval(store: CoordinatorStore, ts: number, a: ApprovalRecord): Promise<boolean> {
  const approvals = store.approvals(a.programId);
  if (approvals.some((x) => x.custodian === a.custodian)) return false;
  const activate = approvals.length + 1 >= a.threshold && !a.active;
  const ev = stageEvent(store, ts, 'approve', { program_id: a.programId, custodian_index: a.index });
  const act = activate ? stageEvent(store, ts, 'activate', { program_id: a.programId }) : undefined;
  await store.commit(() => {
    store.addApproval(a.programId, a.custodian, a.index, a.proof);
    ev.write();
    if (act) { store.setStatus(a.programId, 'ACTIVE'); act.write(); }
  }, act ? [ev.record, act.record] : [ev.record]);
  return activate;
}

/** Spending per (program, identity): cached from the store, checked and charged with the policy engine. */
export class SpendingLedger {
  readonly #store: CoordinatorStore;
  readonly #policy: PolicyEngine;
  readonly #spent = new Map<string, { spent: number; evals: number }>();

  constructor(store: CoordinatorStore, policy: PolicyEngine) {
    this.#store = store;
    this.#policy = policy;
  }

  #of(programId: string, identity: string): { spent: number; evals: number } {
    const key = `${programId}\u0000${identity}`;
    let s = this.#spent.get(key);
    if (s === undefined) this.#spent.set(key, (s = this.#store.spending(programId, identity)));
    return s;
  }

  /** QuorumVM's reason for refusing `evals` evaluations now, or null. Changes nothing. */
  deny(programId: string, identity: string, policy: PolicyManifest, evals: number): string | null {
    return this.#policy.check(programId, identity, policy, this.#of(programId, identity).spent, evals);
  }

  /**
   * Holds `evals` evaluations (call in the same synchronous turn as a {@link deny} that returned
   * null): charged at once in memory — so concurrent evaluations cannot overspend — and later either
   * made durable by `commit` (with the given lot-cursor advances, lazily: in the caller's next
   * commit, DurableStore's CommitOptions.lazy; await it before acknowledging anything) or given back
   * by `refund` when the evaluation never started (the rate limiter's tokens stay taken).
   */
  hold(programId: string, identity: string, policy: PolicyManifest, evals: number): { before: number; after: number; commit: (cursors: readonly { lotId: string; nextOffset: number }[], options?: { lazy: boolean }) => Promise<void>; refund: () => void } {
    const s = this.#of(programId, identity);
    this.#policy.charge(programId, identity, policy, evals);
    const cost = policy.cost_per_eval * evals;
    s.spent += cost;
    s.evals += evals;
    const after = s.evals;
    let settled = false;
    return {
      before: after - evals,
      after,
      commit: (cursors, options = { lazy: true }) => {
        if (settled) throw new Error('hold already settled');
        settled = true;
        return this.#store.commit(() => {
          this.#store.addSpending(programId, identity, cost, evals);
          for (const c of cursors) this.#store.advanceLot(programId, c.lotId, c.nextOffset);
        }, [], options);
      },
      refund: () => {
        if (settled) throw new Error('hold already settled');
        settled = true;
        s.spent -= cost;
        s.evals -= evals;
      },
    };
  }

  /**
   * Charges `evals` evaluations (call in the same synchronous turn as a {@link deny} that returned
   * null): at once in memory, and in a commit of the spending with the given lot-cursor advances,
   * `durable`, which the caller awaits before it acknowledges anything. Returns the identity's
   * evaluation count before and after.
   */
  charge(programId: string, identity: string, policy: PolicyManifest, evals: number, cursors: readonly { lotId: string; nextOffset: number }[]): { before: number; after: number; durable: Promise<void> } {
    const h = this.hold(programId, identity, policy, evals);
    return { before: h.before, after: h.after, durable: h.commit(cursors, { lazy: false }) };
  }
}
