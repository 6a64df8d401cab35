// Decision gates with real governance objects: a passed emergency freeze denies every request
// (law_violation); an agent without a passed authorize-agent (or with a later revoke) is invalid_lct;
// an unauthorized model is law_violation; a role that requires attestation needs a fresh verified
// report. The seed's order is kept: gates sit after the credential and after the role.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizationChain, AuthorizationGrant, ConsensusRound, GovernanceProposal, GovernanceState, type ProposalKind,
} from '../../src/governance/index.js';
import { attestationGate, AuthorizationEngine, authorizationRequest, governanceGate, seedStubCredential, type DecisionGate } from '../../src/authz/index.js';
import { fiveNodes } from '../governance/_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
beforeAll(async () => { f = await fiveNodes(); });
const T0 = 1_733_011_200;
const AGENT = 'lct:ai:assistant';
const MODEL = 'did:pqaid:model-llama';

async function grant(kind: ProposalKind, subject: string, params: Record<string, unknown> = {}): Promise<AuthorizationGrant> {
  const proposal = GovernanceProposal.create(kind, subject, kind, f.alice.did, { parameters: params });
  const round = new ConsensusRound({ proposal, registry: f.registry });
  for (const n of f.nodes) await round.cast(await n.castVote(proposal, 'approve'));
  return new AuthorizationGrant({ subjectId: subject, kind, result: await round.finalize(f.alice), proposal });
}

function engineWith(gates: DecisionGate[]) {
  const e = new AuthorizationEngine('society:test', { clock: () => T0, gates });
  e.registerDelegation({ delegationId: 'd1', clientLct: 'lct:human:alice', agentLct: AGENT, roleLct: 'role:researcher', grantedPermissions: ['read'], atpBudget: 100 });
  return e;
}
const decide = (e: AuthorizationEngine, o: { now?: number; atpCost?: number } = {}) =>
  e.authorize(authorizationRequest({ requesterLct: AGENT, action: 'read', targetResource: 'data:t', atpCost: o.atpCost ?? 1, delegationId: 'd1', timestamp: T0 }), { credential: seedStubCredential(AGENT, 'society:test'), ...(o.now !== undefined ? { now: o.now } : {}) });

describe('governanceGate', () => {
  it('agent and model authorization through AuthorizationChain; a revoke takes effect; a freeze denies everything until lifted', async () => {
    const state = new GovernanceState();
    const agentChain = new AuthorizationChain(AGENT, { state });
    const modelChain = new AuthorizationChain(MODEL, { state });
    const e = engineWith([governanceGate({ state, agentChain: (a) => (a === AGENT ? agentChain : undefined), modelOf: () => MODEL, modelChain: (m) => (m === MODEL ? modelChain : undefined) })]);
    expect(decide(e)).toMatchObject({ decision: 'denied', denialReason: 'invalid_lct', decidedBy: { check: 'governance', why: `governance has not authorized agent ${AGENT}` } });
    agentChain.add(await grant('authorize-agent', AGENT));
    expect(decide(e)).toMatchObject({ denialReason: 'law_violation', decidedBy: { why: expect.stringMatching(/has not authorized model did:pqaid:model-llama/) } });
    modelChain.add(await grant('authorize-model', MODEL));
    expect(decide(e).decision).toBe('granted');
    const freeze = await grant('emergency-freeze', 'fleet');
    state.apply(freeze);
    expect(decide(e)).toMatchObject({ denialReason: 'law_violation', decidedBy: { check: 'governance', why: 'an emergency freeze is in force' } });
    state.apply(await grant('update-policy', 'fleet', { action: 'lift-freeze' }));
    expect(decide(e).decision).toBe('granted');
    agentChain.add(await grant('revoke-agent', AGENT));
    expect(decide(e).denialReason).toBe('invalid_lct');
    expect(e.delegation('d1')!.atpSpent).toBe(2);
  }, 60_000);

  it('runs before the delegation checks: a frozen fleet reports the freeze even for an over-budget request', () => {
    const e = engineWith([governanceGate({ state: { frozen: true } })]);
    expect(decide(e, { atpCost: 10_000 }).denialReason).toBe('law_violation');
    expect(decide(engineWith([]), { atpCost: 10_000 }).denialReason).toBe('atp_budget_exceeded');
  });
});

describe('attestationGate', () => {
  it('a role that requires attestation needs a verified report no older than its limit', () => {
    let latest: { verifiedAt: number } | undefined;
    const e = engineWith([attestationGate({ roles: { 'role:researcher': 300 }, latest: () => latest })]);
    expect(decide(e)).toMatchObject({ denialReason: 'invalid_lct', decidedBy: { check: 'attestation', why: expect.stringMatching(/requires a verified attestation report/) } });
    latest = { verifiedAt: T0 - 100 };
    expect(decide(e).decision).toBe('granted');
    expect(decide(e, { now: T0 + 201 }).decidedBy.why).toMatch(/at most 300 s old; the latest is 301 s old/);
    latest = { verifiedAt: T0 + 50 }; // from the future: refused
    expect(decide(e).denialReason).toBe('invalid_lct');
    const other = engineWith([attestationGate({ roles: (r) => (r === 'role:operator' ? 60 : undefined), latest: () => undefined })]);
    expect(decide(other).decision).toBe('granted');
  });

  it('bad gates are InvalidArgumentError', () => {
    expect(() => new AuthorizationEngine('s', { gates: [{ name: 'x', stage: 'later', check: () => null } as never] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
