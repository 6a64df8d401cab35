// AuthorizationEngine: the seed's check order and every decision it can reach, the stub law's roles,
// the hourly reset, stats and the decision log; bad input is a typed error that changes nothing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  AgentDelegation, AuthorizationEngine, authorizationRequest, constantTrust, decisionLogHash, isVerifiedCredential, LEGAL, SEED_STUB_LAW, seedStubCredential, tableTrust,
  type AuthorizationRequest, type Law,
} from '../../src/authz/index.js';

const T0 = 1_733_011_200; // 2024-12-01T00:00:00Z
const AGENT = 'lct:ai:assistant';
const cred = (lct = AGENT) => seedStubCredential(lct, 'society:test');
const req = (o: Partial<AuthorizationRequest> = {}): AuthorizationRequest => authorizationRequest({ requesterLct: AGENT, action: 'read', targetResource: 'data:test', atpCost: 10, delegationId: 'd1', timestamp: T0, ...o });

function engine(opts: ConstructorParameters<typeof AuthorizationEngine>[1] = {}, d: Partial<ConstructorParameters<typeof AgentDelegation>[0]> = {}) {
  const e = new AuthorizationEngine('society:test', { clock: () => T0, ...opts });
  e.registerDelegation({ delegationId: 'd1', clientLct: 'lct:human:alice', agentLct: AGENT, roleLct: 'role:researcher', grantedPermissions: ['read', 'write', 'compute'], atpBudget: 1000, maxActionsPerHour: 10, ...d });
  return e;
}

describe('AuthorizationEngine — the seed check order', () => {
  it('grants and consumes ATP only on grant; atpRemaining and trust as the seed', () => {
    const e = engine();
    const r = e.authorize(req(), { credential: cred() });
    expect(r).toMatchObject({ decision: 'granted', denialReason: null, atpRemaining: 990, requiredTrustScore: 0.5, actualTrustScore: 0.75, requiresWitness: false, decidedBy: { check: 'grant' } });
    expect(e.delegation('d1')).toMatchObject({ atpSpent: 10, actionsThisHour: 1 });
  });

  it('1 credential: none, a hand-made look-alike, another LCT, a bare signature without seedCompat → invalid_lct', () => {
    const e = engine();
    expect(e.authorize(req()).denialReason).toBe('invalid_lct');
    const fake = { ...cred() };
    expect(isVerifiedCredential(fake)).toBe(false);
    expect(e.authorize(req(), { credential: fake }).decidedBy.why).toMatch(/did not come from a verifier/);
    expect(e.authorize(req(), { credential: cred('lct:ai:other') }).decidedBy.why).toMatch(/not the requester/);
    expect(e.authorize(req(), { signature: new Uint8Array([1]) }).decidedBy.why).toMatch(/bare signature/);
    expect(engine({ seedCompat: { bareSignatures: true } }).authorize(req(), { signature: 'ab' }).decision).toBe('granted');
    expect(e.delegation('d1')!.atpSpent).toBe(0);
    expect(e.stats(AGENT)).toMatchObject({ total: 4, denied: 4 });
  });

  it('2 delegation: unknown, not yet valid, expired → delegation_expired; held by another agent → role_mismatch', () => {
    expect(engine().authorize(req({ delegationId: 'nope' }), { credential: cred() })).toMatchObject({ denialReason: 'delegation_expired', decidedBy: { why: 'no delegation nope' } });
    expect(engine({}, { validFrom: T0 + 10 }).authorize(req(), { credential: cred() }).denialReason).toBe('delegation_expired');
    expect(engine({}, { validFrom: T0 - 100, validUntil: T0 - 1 }).authorize(req(), { credential: cred() }).decidedBy.why).toMatch(/outside its validity window/);
    expect(engine({}, { validUntil: T0 }).authorize(req(), { credential: cred() }).decision).toBe('granted'); // ≤ valid_until
    expect(engine({}, { agentLct: 'lct:ai:other' }).authorize(req(), { credential: cred() })).toMatchObject({ denialReason: 'role_mismatch', decidedBy: { check: 'action_permitted' } });
    expect(new AgentDelegation({ delegationId: 'x', clientLct: 'c', agentLct: 'a', roleLct: 'r', grantedPermissions: [], atpBudget: 1 }, T0).validUntil).toBe(T0 + 86_400);
  });

  it('3–5: an action the delegation does not grant, over budget, over the hourly rate — in that order', () => {
    const e = engine({}, { atpBudget: 15, maxActionsPerHour: 1 });
    expect(e.authorize(req({ action: 'delete', atpCost: 99 }), { credential: cred() })).toMatchObject({ denialReason: 'role_mismatch', decidedBy: { check: 'action_permitted' } });
    expect(e.authorize(req({ atpCost: 16 }), { credential: cred() })).toMatchObject({ denialReason: 'atp_budget_exceeded', decidedBy: { check: 'atp_budget' } });
    expect(e.authorize(req(), { credential: cred() }).decision).toBe('granted');
    expect(e.authorize(req({ atpCost: 1 }), { credential: cred() })).toMatchObject({ denialReason: 'rate_limit_exceeded', atpRemaining: 0, decidedBy: { check: 'hourly_rate' } });
    expect(e.authorize(req({ atpCost: 6 }), { credential: cred() }).denialReason).toBe('atp_budget_exceeded'); // budget before rate
  });

  it('5: the hourly counter resets after more than 3600 s — even when a later check denies', () => {
    const e = engine({}, { maxActionsPerHour: 1, lastHourReset: T0 });
    expect(e.authorize(req(), { credential: cred() }).decision).toBe('granted');
    expect(e.authorize(req(), { credential: cred(), now: T0 + 3600 }).denialReason).toBe('rate_limit_exceeded'); // not > 3600
    const later = T0 + 3601;
    expect(e.authorize(req({ atpCost: 600 }), { credential: cred(), now: later }).denialReason).toBe('atp_budget_exceeded'); // role max, after the reset
    expect(e.delegation('d1')).toMatchObject({ actionsThisHour: 0, lastHourReset: later });
    expect(e.authorize(req(), { credential: cred(), now: later }).decision).toBe('granted');
  });

  it('6 role permissions: the stub roles by substring; the citizen role without a delegation; an unknown role → role_mismatch', () => {
    const role = (roleLct: string) => engine({}, { roleLct, grantedPermissions: ['read', 'write', 'compute', 'delegate', 'spend'], atpBudget: 10_000 });
    expect(role('role:spender').authorize(req({ action: 'delegate' }), { credential: cred() })).toMatchObject({ denialReason: 'role_mismatch', decidedBy: { check: 'role_permissions' } });
    expect(role('role:assistant-lead').authorize(req({ action: 'delegate' }), { credential: cred() }).decision).toBe('granted');
    expect(role('role:auditor').authorize(req({ action: 'write' }), { credential: cred() }).denialReason).toBe('role_mismatch');
    // the citizen role of lct:ai:assistant contains "assistant"; of lct:ai:bot it is the default role (read only, trust 0.7, witness)
    expect(engine().authorize(req({ delegationId: null }), { credential: cred() })).toMatchObject({ decision: 'granted', atpRemaining: 0 });
    const bot = engine().authorize(req({ requesterLct: 'lct:ai:bot', delegationId: null, atpCost: 5 }), { credential: cred('lct:ai:bot') });
    expect(bot).toMatchObject({ decision: 'deferred', requiresWitness: true, requiredTrustScore: 0.7, actualTrustScore: 0.75 });
    const noRoles: Law = { version: 't', rolePermissions: () => null, checkLegality: () => LEGAL };
    expect(engine({ law: noRoles }).authorize(req(), { credential: cred() }).decidedBy.why).toMatch(/knows no role/);
  });

  it('7 trust: below the threshold → insufficient_trust with both scores; the hash is taken with 0.0 as the seed', () => {
    const e = engine({ trust: constantTrust(0.4) });
    const r = e.authorize(req(), { credential: cred() });
    expect(r).toMatchObject({ decision: 'denied', denialReason: 'insufficient_trust', requiredTrustScore: 0.5, actualTrustScore: 0.4, atpRemaining: 0 });
    const base = { decision: 'denied' as const, requester: AGENT, action: 'read', target: 'data:test', atpCost: 10, denialReason: 'insufficient_trust' as const, timestamp: T0 };
    expect(r.decisionLogHash).toBe(decisionLogHash({ ...base, trustRequired: 0, trustActual: 0 }));
    expect(e.stats(AGENT).avgTrustScore).toBe(0.4);
    expect(engine({ trust: tableTrust({ [`${AGENT}|role:researcher`]: 0.55 }) }).authorize(req(), { credential: cred() })).toMatchObject({ decision: 'deferred', requiresWitness: true });
  });

  it('8 law: an illegal action → law_violation with the law\'s reason, after trust', () => {
    const law: Law = { version: 't', rolePermissions: (r) => SEED_STUB_LAW.rolePermissions(r), checkLegality: (q) => (q.action === 'write' ? { ...LEGAL, legal: false, violation: 'NORM-1: no writes' } : LEGAL) };
    expect(engine({ law }).authorize(req({ action: 'write' }), { credential: cred() })).toMatchObject({ denialReason: 'law_violation', decidedBy: { check: 'law', why: 'NORM-1: no writes' } });
    expect(engine({ law, trust: constantTrust(0.1) }).authorize(req({ action: 'write' }), { credential: cred() }).denialReason).toBe('insufficient_trust');
  });

  it("9 the role's max per action → atp_budget_exceeded (the seed's reason); 10 witnesses: deferred, then granted with them", () => {
    expect(engine().authorize(req({ atpCost: 501 }), { credential: cred() })).toMatchObject({ denialReason: 'atp_budget_exceeded', decidedBy: { check: 'role_max_atp' } });
    const law: Law = { version: 't', rolePermissions: (r) => SEED_STUB_LAW.rolePermissions(r), checkLegality: (q) => (q.atpCost > 100 ? { ...LEGAL, witnessesRequired: 2, procedures: ['PROC-HIGH-VALUE'] } : LEGAL) };
    const e = engine({ law });
    const d = e.authorize(req({ atpCost: 200 }), { credential: cred() });
    expect(d).toMatchObject({ decision: 'deferred', requiresWitness: true, atpRemaining: 1000, decidedBy: { check: 'witness', why: '2 witnesses required (PROC-HIGH-VALUE), 0 supplied' } });
    expect(e.authorize(req({ atpCost: 200 }), { credential: cred(), witnesses: 1 }).decision).toBe('deferred');
    expect(e.authorize(req({ atpCost: 200 }), { credential: cred(), witnesses: 1, witnessShortfall: 'deny' })).toMatchObject({ decision: 'denied', denialReason: 'missing_witness' });
    expect(e.delegation('d1')!.atpSpent).toBe(0);
    expect(e.authorize(req({ atpCost: 200 }), { credential: cred(), witnesses: 2 })).toMatchObject({ decision: 'granted', requiresWitness: true, atpRemaining: 800 });
    // a context witness_attestation counts as one witness only in seed compatibility (default with the stub law)
    const bot = (opts = {}) => engine(opts).authorize(req({ requesterLct: 'lct:ai:bot', delegationId: null, atpCost: 1, context: { witness_attestation: 'w1' } }), { credential: cred('lct:ai:bot') }).decision;
    expect(bot()).toBe('granted');
    expect(bot({ seedCompat: { contextWitness: false } })).toBe('deferred');
  });
});

describe('AuthorizationEngine — log, stats, delegations, bad input', () => {
  it('stats as the seed: counts, success rate, average trust, ATP of granted requests', () => {
    const e = engine({}, { atpBudget: 25 });
    for (const cost of [10, 10, 10]) e.authorize(req({ atpCost: cost }), { credential: cred() });
    expect(e.stats(AGENT)).toEqual({ total: 3, granted: 2, denied: 1, deferred: 0, successRate: 2 / 3, avgTrustScore: 0.5, totalAtpCost: 20 });
    expect(e.stats('lct:nobody')).toEqual({ total: 0 });
  });

  it('the decision log keeps the newest logCapacity decisions in order; onDecision sees every one', () => {
    const seen: number[] = [];
    const e = engine({ logCapacity: 3, onDecision: (r) => seen.push(r.request.atpCost) }, { atpBudget: 100_000, maxActionsPerHour: 1000 });
    for (let i = 1; i <= 5; i++) e.authorize(req({ atpCost: i }), { credential: cred() });
    expect(e.decisionLog().map((r) => r.request.atpCost)).toEqual([3, 4, 5]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(e.stats(AGENT).total).toBe(5);
  });

  it('the record hash is SHA-256 of CPython json.dumps(record, sort_keys=True)', () => {
    const e = engine();
    const records = [e.authorize(req(), { credential: cred(), now: T0 + 0.123456 }), e.authorize(req({ action: 'delete', targetResource: 'données:é' }), { credential: cred() })];
    const py = records.map((r) => ({ decision: r.decision, requester: r.request.requesterLct, action: r.request.action, target: r.request.targetResource, atp_cost: r.request.atpCost, denial_reason: r.denialReason, trust_required: r.requiredTrustScore, trust_actual: r.actualTrustScore, timestamp: r.timestamp }));
    const script = 'import json,hashlib,sys\nfor r in json.load(sys.stdin):\n  r["trust_required"]=float(r["trust_required"]); r["trust_actual"]=float(r["trust_actual"]); r["timestamp"]=float(r["timestamp"]); r["log_hash"]=""\n  print(hashlib.sha256(json.dumps(r, sort_keys=True).encode()).hexdigest())';
    const out = execFileSync('python3', ['-c', script], { input: JSON.stringify(py), encoding: 'utf8' }).trim().split('\n');
    expect(records.map((r) => r.decisionLogHash)).toEqual(out);
  });

  it('revoke and re-register; malformed delegations and requests are InvalidArgumentError and change nothing', () => {
    const e = engine();
    expect(e.revokeDelegation('d1')).toBe(true);
    expect(e.revokeDelegation('d1')).toBe(false);
    expect(e.authorize(req(), { credential: cred() }).denialReason).toBe('delegation_expired');
    const good = { delegationId: 'd2', clientLct: 'c', agentLct: AGENT, roleLct: 'role:researcher', grantedPermissions: ['read'], atpBudget: 10 };
    for (const bad of [{ ...good, atpBudget: -1 }, { ...good, atpBudget: 1.5 }, { ...good, grantedPermissions: 'read' }, { ...good, delegationId: '' }, { ...good, validFrom: T0, validUntil: T0 - 1 }, { ...good, atpSpent: 11 }, { ...good, depth: 4, parentId: 'p' }, { ...good, depth: 2 }, { ...good, grantedPermissions: Array.from({ length: 65 }, (_, i) => `a${i}`) }]) {
      expect(() => e.registerDelegation(bad as never), JSON.stringify(bad).slice(0, 60)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
    expect(e.delegationIds()).toEqual([]);
    const before = e.stats(AGENT).total;
    for (const bad of [{ atpCost: -1 }, { atpCost: 1.5 }, { action: '' }, { requesterLct: 'x'.repeat(257) }, { context: [] }, { timestamp: NaN }]) {
      expect(() => e.authorize({ ...req(), ...bad } as AuthorizationRequest, { credential: cred() })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
    expect(() => e.authorize(req(), { credential: cred(), witnesses: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => e.authorize(req(), { credential: cred(), witnessShortfall: 'later' as 'deny' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => new AuthorizationEngine('')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => new AuthorizationEngine('s', { logCapacity: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => constantTrust(1.5)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(e.stats(AGENT).total).toBe(before);
    expect(e.registerDelegation(good).atpRemaining).toBe(10);
    expect(e.activeDelegation('d2')).toBeDefined();
    expect(e.activeDelegation('d2', T0 + 86_401)).toBeUndefined();
  });
});

describe('SEED_STUB_LAW', () => {
  it('answers the same frozen permissions for a role id every time; its action sets refuse changes', () => {
    const a = SEED_STUB_LAW.rolePermissions('role:researcher')!;
    expect(SEED_STUB_LAW.rolePermissions('role:researcher')).toBe(a);
    expect([...a.allowedActions].sort()).toEqual(['compute', 'delegate', 'read', 'write']);
    expect(() => (a.allowedActions as Set<string>).add('delete')).toThrow(TypeError);
    expect(() => (a.allowedActions as Set<string>).delete('read')).toThrow(TypeError);
    expect(() => (a.allowedActions as Set<string>).clear()).toThrow(TypeError);
    expect(Object.isFrozen(a)).toBe(true);
    expect(SEED_STUB_LAW.rolePermissions('role:spender-x')).toMatchObject({ trustThreshold: 0.5, maxAtpPerAction: 100, requiresWitness: false });
    expect(SEED_STUB_LAW.rolePermissions('role:auditor')).toMatchObject({ trustThreshold: 0.7, maxAtpPerAction: 10, requiresWitness: true });
    for (let i = 0; i < 5000; i++) SEED_STUB_LAW.rolePermissions(`role:r${i}`); // the cache starts over instead of growing
    expect(SEED_STUB_LAW.rolePermissions('role:researcher')!.allowedActions.has('read')).toBe(true);
  });
});

describe('AuthorizationEngine — re-delegated budgets', () => {
  it("a child spends its registered parent's budget and rate too: two children never exceed the parent", () => {
    const e = new AuthorizationEngine('society:test', { clock: () => T0 });
    const base = { clientLct: 'lct:human:alice', roleLct: 'role:researcher', grantedPermissions: ['read'] };
    e.registerDelegation({ ...base, delegationId: 'p', agentLct: 'lct:ai:planner', atpBudget: 100, maxActionsPerHour: 3 });
    e.registerDelegation({ ...base, delegationId: 'c1', agentLct: 'lct:ai:a', atpBudget: 80, depth: 2, parentId: 'p' });
    e.registerDelegation({ ...base, delegationId: 'c2', agentLct: 'lct:ai:b', atpBudget: 80, depth: 2, parentId: 'p' });
    const as = (lct: string, d: string, cost: number) => e.authorize(authorizationRequest({ requesterLct: lct, action: 'read', targetResource: 't', atpCost: cost, delegationId: d, timestamp: T0 }), { credential: seedStubCredential(lct, 'society:test') });
    expect(as('lct:ai:a', 'c1', 60)).toMatchObject({ decision: 'granted', atpRemaining: 20 }); // c1 has 20 left, p 40
    expect(as('lct:ai:b', 'c2', 50)).toMatchObject({ decision: 'denied', denialReason: 'atp_budget_exceeded', decidedBy: { why: 'cost 50 exceeds the 40 ATP left in p, which c2 was delegated from' } });
    expect(as('lct:ai:b', 'c2', 40)).toMatchObject({ decision: 'granted', atpRemaining: 0 }); // c2 has 40 left, p 0
    expect(e.delegation('p')).toMatchObject({ atpSpent: 100, actionsThisHour: 2 });
    expect(as('lct:ai:a', 'c1', 0)).toMatchObject({ decision: 'granted' }); // the parent's third action this hour
    expect(as('lct:ai:b', 'c2', 0)).toMatchObject({ denialReason: 'rate_limit_exceeded', decidedBy: { why: expect.stringMatching(/in p, which c2/) } });
    // a parent that is not one hop nearer the client is not followed (no cycles, no double charge)
    e.registerDelegation({ ...base, delegationId: 'x', agentLct: 'lct:ai:x', atpBudget: 10, depth: 2, parentId: 'y' });
    e.registerDelegation({ ...base, delegationId: 'y', agentLct: 'lct:ai:y', atpBudget: 10, depth: 2, parentId: 'x' });
    expect(as('lct:ai:x', 'x', 4)).toMatchObject({ decision: 'granted', atpRemaining: 6 });
    expect(e.delegation('y')!.atpSpent).toBe(0);
  });
});
