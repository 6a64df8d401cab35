// replayScenarios beyond the vectors' keys: per-request clocks, delegation windows and counters,
// events with what they returned, oracle overrides, credential_lct, the seed's signature-only path,
// final_state; a malformed file is refused before anything runs.
import { describe, expect, it } from 'vitest';
import { parseScenarioFile, replayScenarios, decisionLogHash } from '../../src/authz/index.js';

const T0 = 1_733_011_200;
const deleg = { delegation_id: 'd', client_lct: 'lct:human:alice', agent_lct: 'lct:ai:assistant', role_lct: 'role:researcher', granted_permissions: ['read', 'write'], atp_budget: 100 };
const read = (o: Record<string, unknown> = {}) => ({ requester_lct: 'lct:ai:assistant', action: 'read', target_resource: 'data:t', atp_cost: 10, context: {}, delegation_id: 'd', ...o });

describe('replayScenarios', () => {
  it('clocks, windows, counters and the hourly reset; timestamps and hashes in the output; final_state', async () => {
    const [s] = await replayScenarios([{
      name: 'clock', with_credential: true,
      delegations: [{ ...deleg, valid_from: T0, valid_until: T0 + 7200, max_actions_per_hour: 1, last_hour_reset: T0, atp_spent: 50 }],
      requests: [read({ now: T0 - 1 }), read({ now: T0 + 1 }), read({ now: T0 + 2 }), read({ now: T0 + 3602 }), read({ now: T0 + 7201 })],
    }]);
    expect(s!.results.map((r) => r.denial_reason ?? r.decision)).toEqual(['delegation_expired', 'granted', 'rate_limit_exceeded', 'granted', 'delegation_expired']);
    expect(s!.results.map((r) => r.atp_remaining)).toEqual([0, 40, 0, 30, 0]);
    expect(s!.results[1]!.timestamp).toBe(T0 + 1);
    expect(s!.results[1]!.decision_log_hash).toBe(decisionLogHash({ decision: 'granted', requester: 'lct:ai:assistant', action: 'read', target: 'data:t', atpCost: 10, denialReason: null, trustRequired: 0.5, trustActual: 0.75, timestamp: T0 + 1 }));
    expect(s!.final_state).toEqual({
      delegations: { d: { atp_spent: 70, actions_this_hour: 1, last_hour_reset: T0 + 3602 } },
      stats: { 'lct:ai:assistant': { total: 5, granted: 2, denied: 3, deferred: 0, success_rate: 0.4, avg_trust_score: 0.3, total_atp_cost: 20 } },
    });
  });

  it('events apply before their request and report what they returned', async () => {
    const [s] = await replayScenarios([{
      name: 'events', with_credential: true, delegations: [deleg],
      requests: [read({ now: T0 }), read({ now: T0 }), read({ now: T0, delegation_id: 'd2' })],
      events: [
        { before_request: 1, op: 'revoke_delegation', delegation_id: 'd' },
        { before_request: 1, op: 'revoke_delegation', delegation_id: 'd' },
        { before_request: 2, op: 'register_delegation', delegation: { ...deleg, delegation_id: 'd2', atp_budget: 15 } },
      ],
    }]);
    expect(s!.results.map((r) => r.denial_reason ?? r.decision)).toEqual(['granted', 'delegation_expired', 'granted']);
    expect(s!.events!.map((e) => e['returned'])).toEqual([true, false, null]);
    expect(Object.keys(s!.final_state.delegations)).toEqual(['d2']);
  });

  it('oracle overrides, credential_lct, the signature-only path', async () => {
    const out = await replayScenarios([
      { name: 'low-trust', with_credential: true, delegations: [deleg], requests: [read({ now: T0 })], oracle_overrides: { trust_score: 0.3 } },
      { name: 'witness-trust', with_credential: true, delegations: [deleg], requests: [read({ now: T0 }), read({ now: T0, context: { witness_attestation: 'w' } })], oracle_overrides: { trust_score: 0.55 } },
      { name: 'illegal', with_credential: true, delegations: [deleg], requests: [read({ now: T0, action: 'write' }), read({ now: T0 })], oracle_overrides: { illegal_actions: ['write'] } },
      { name: 'other-lct', with_credential: true, delegations: [deleg], requests: [read({ now: T0 })], credential_lct: 'lct:ai:mallory' },
      { name: 'sig-only', with_credential: false, signature: 'deadbeef', delegations: [deleg], requests: [read({ now: T0 })] },
    ]);
    const flat = out.map((s) => s.results.map((r) => [r.decision, r.denial_reason, r.required_trust, r.actual_trust]));
    expect(flat).toEqual([
      [['denied', 'insufficient_trust', 0.5, 0.3]],
      [['deferred', null, 0.5, 0.55], ['granted', null, 0.5, 0.55]],
      [['denied', 'law_violation', 0, 0], ['granted', null, 0.5, 0.75]],
      [['denied', 'invalid_lct', 0, 0]],
      [['granted', null, 0.5, 0.75]],
    ]);
  });

  it('a malformed file is InvalidArgumentError naming the place, before anything runs', async () => {
    const ok = { name: 'n', with_credential: true, delegations: [deleg], requests: [read()] };
    const bad: [unknown, RegExp][] = [
      [{}, /top level: expected a list/],
      [[{ ...ok, extra: 1 }], /scenarios\[0\]: unknown field "extra"/],
      [[{ ...ok, name: '' }], /"name"/],
      [[{ ...ok, with_credential: 'yes' }], /with_credential/],
      [[{ ...ok, delegations: [{ ...deleg, atp_budget: -5 }] }], /atpBudget/],
      [[{ ...ok, requests: [read({ bogus: 1 })] }], /requests\[0\]: unknown field "bogus"/],
      [[{ ...ok, requests: [read({ now: 'soon' })] }], /now/],
      [[{ ...ok, events: [{ before_request: 0, op: 'explode' }] }], /"op"/],
      [[{ ...ok, oracle_overrides: { trust_score: 2 } }], /trust score/],
      [[{ ...ok, signature: 'xyz' }], /signature/],
      [[{ ...ok, requests: [read({ atp_cost: -1 })] }], /atpCost/],
      ['[1,', /JSON|json|Unexpected|end/i],
    ];
    for (const [doc, re] of bad) {
      await expect(replayScenarios(typeof doc === 'string' ? doc : JSON.stringify(doc)), JSON.stringify(doc).slice(0, 60)).rejects.toThrow(re);
    }
    expect(() => parseScenarioFile(Array.from({ length: 1001 }, () => ok))).toThrow(/at most 1000/);
  });
});
