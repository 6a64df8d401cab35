// SpendingLedger: deny() applies QuorumVM's budget and rate checks without changing anything; a hold
// charges at once in memory (a concurrent check sees it), then either commits — lazily by default,
// so it lands with the caller's next commit, with the lot cursors — or is refunded (budget back, the
// rate limiter's tokens kept); charge() is a hold committed at once. A hold settles once.
// recordApproval counts a custodian once and activates the program at K distinct ones.
import { describe, expect, it } from 'vitest';
import { CoordinatorStore } from '../../../src/mpc/server/coordinator-store.js';
import { recordApproval, SpendingLedger } from '../../../src/mpc/server/coordinator-ledger.js';
import { PolicyEngine } from '../../../src/mpc/server/policy.js';
import { AuditTrail } from '../../../src/log/audit-trail.js';
import { Identity } from '../../../src/pq/identity.js';

const P = 'cd'.repeat(32);
const policy = { cost_per_eval: 2, budget_per_identity: 10, max_evals_per_minute: 4 };

describe('SpendingLedger', () => {
  it('holds, commits lazily with the cursors, refunds the budget but not the rate tokens', async () => {
    const store = CoordinatorStore.open(':memory:');
    store.transaction(() => { store.putProgram({ programId: P, packageJson: '{}', status: 'ACTIVE', extractionBound: null }, 'owner'); store.addLot(P, 'L', 100, [0, 1, 2]); });
    const ledger = new SpendingLedger(store, new PolicyEngine(() => 0));
    expect(ledger.deny(P, 'alice', policy, 3)).toBeNull();
    const h = ledger.hold(P, 'alice', policy, 3);
    expect([h.before, h.after]).toEqual([0, 3]);
    expect(ledger.deny(P, 'alice', policy, 3)).toBe('budget exhausted (remaining=4, cost=6)'); // seen at once
    const durable = h.commit([{ lotId: 'L', nextOffset: 3 }]);
    expect(store.pending).toBe(1); // lazy: waits for the next commit
    await store.commit(() => undefined);
    await durable;
    expect(store.spending(P, 'alice')).toEqual({ spent: 6, evals: 3 });
    expect(store.lots(P)[0]!.nextOffset).toBe(3);
    expect(() => h.refund()).toThrow('settled');
    const r = ledger.hold(P, 'alice', policy, 1);
    r.refund();
    expect(ledger.deny(P, 'alice', policy, 3)).toBe('budget exhausted (remaining=4, cost=6)'); // remaining 4 again, not 2
    expect(ledger.deny(P, 'alice', policy, 1)).toBe('rate limit exceeded'); // 4 tokens taken: the refund kept them
    expect(store.spending(P, 'alice')).toEqual({ spent: 6, evals: 3 });
    const bob = ledger.charge(P, 'bob', policy, 1, []);
    await bob.durable;
    expect(store.spending(P, 'bob')).toEqual({ spent: 2, evals: 1 });
    await store.close();
  });

  it('recordApproval counts each custodian once and activates at K distinct custodians', async () => {
    const store = CoordinatorStore.open(':memory:');
    const trail = AuditTrail.open(':memory:', { origin: 'test/coordinator', signer: await Identity.create('t', { level: 44 }), checkpointIntervalMs: 0 });
    store.attachAudit(trail);
    store.transaction(() => store.putProgram({ programId: P, packageJson: '{}', status: 'PENDING', extractionBound: null }, 'owner'));
    const approve = (custodian: string, index: number, active = false) => recordApproval(store, 1.5, { programId: P, custodian, index, proof: '{}', threshold: 2, active });
    expect(await approve('did:a', 0)).toBe(false);
    expect(await approve('did:a', 0)).toBe(false); // the same custodian again: nothing changes
    expect(store.approvals(P)).toHaveLength(1);
    expect(await approve('did:b', 1)).toBe(true);
    expect(store.approvals(P)).toHaveLength(2);
    expect(trail.size).toBe(3); // approve, approve, activate
    await store.close();
    await trail.close();
  });
});
