// GovernanceState + AuthorizationChain: a passed emergency-freeze unauthorizes every subject of every
// chain sharing the state until a passed update-policy { action: 'lift-freeze' } lifts it; rejected
// results never count; delegation grants are recorded and listed.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizationChain, AuthorizationGrant, ConsensusRound, GovernanceError, GovernanceProposal, GovernanceState, LIFT_FREEZE_ACTION,
  type ConsensusResult, type ProposalKind,
} from '../../src/governance/index.js';
import { fiveNodes } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
const MODEL = 'did:pqaid:model-a';
const AGENT = 'did:pqaid:agent-b';
const FLEET = 'governance:fleet';

async function decide(kind: ProposalKind, subject: string, pass = true, parameters: Record<string, unknown> = {}): Promise<{ proposal: GovernanceProposal; result: ConsensusResult }> {
  const proposal = GovernanceProposal.create(kind, subject, kind, f.alice.did, { parameters });
  const round = new ConsensusRound({ proposal, registry: f.registry });
  for (const n of f.nodes) await round.cast(await n.castVote(proposal, pass ? 'approve' : 'reject'));
  return { proposal, result: await round.finalize(f.alice) };
}
const grantOf = (d: { proposal: GovernanceProposal; result: ConsensusResult }, withProposal = true): AuthorizationGrant =>
  new AuthorizationGrant({ subjectId: d.proposal.subjectId, kind: d.proposal.kind, result: d.result, ...(withProposal ? { proposal: d.proposal } : {}) });

let model: AuthorizationChain;
let agent: AuthorizationChain;
let state: GovernanceState;
beforeAll(async () => {
  f = await fiveNodes();
});

describe('emergency freeze', () => {
  it('freezes every chain sharing the state; only a lift-freeze update-policy lifts it', async () => {
    state = new GovernanceState();
    model = new AuthorizationChain(MODEL, { state });
    agent = new AuthorizationChain(AGENT, { state });
    model.add(grantOf(await decide('authorize-model', MODEL)));
    agent.add(grantOf(await decide('authorize-agent', AGENT)));
    expect([model.isAuthorized('authorize-model'), agent.isAuthorized('authorize-agent'), state.frozen]).toEqual([true, true, false]);

    // A rejected freeze never counts.
    expect(state.apply(grantOf(await decide('emergency-freeze', FLEET, false)))).toBe(false);
    expect(state.frozen).toBe(false);

    // A passed freeze on the fleet subject freezes both chains (and a grant added while frozen stays inert).
    const freeze = grantOf(await decide('emergency-freeze', FLEET));
    expect(state.apply(freeze)).toBe(true);
    expect(state.apply(freeze)).toBe(false); // idempotent
    model.add(grantOf(await decide('authorize-model', MODEL)));
    expect([model.isAuthorized('authorize-model'), agent.isAuthorized('authorize-agent'), model.isFrozen(), agent.isFrozen()]).toEqual([false, false, true, true]);
    expect(new AuthorizationChain('did:pqaid:later', { state }).isAuthorized('delegation')).toBe(false);

    // update-policy that is not a lift, a lift without its proposal, a rejected lift: still frozen.
    expect(state.apply(grantOf(await decide('update-policy', FLEET, true, { maxQps: 10 })))).toBe(false);
    expect(state.apply(grantOf(await decide('update-policy', FLEET, true, { action: LIFT_FREEZE_ACTION }), false))).toBe(false);
    expect(state.apply(grantOf(await decide('update-policy', FLEET, false, { action: LIFT_FREEZE_ACTION })))).toBe(false);
    expect(state.frozen).toBe(true);

    // The lift restores each chain's own answer.
    expect(state.apply(grantOf(await decide('update-policy', FLEET, true, { action: LIFT_FREEZE_ACTION })))).toBe(true);
    expect([model.isAuthorized('authorize-model'), agent.isAuthorized('authorize-agent'), state.frozen]).toEqual([true, true, false]);
    expect(state.events().map((e) => e.action)).toEqual(['freeze', 'lift']);
    expect(state.toJSON()).toMatchObject({ frozen: false, events: [{ action: 'freeze', subjectId: FLEET }, { action: 'lift' }] });

    // Freezing again after a lift works; the freeze can also arrive through a chain.
    agent.add(grantOf(await decide('emergency-freeze', AGENT)));
    expect([model.isAuthorized('authorize-model'), state.frozen]).toEqual([false, true]);
  });

  it('a chain without a shared state has its own freeze flag', async () => {
    const lone = new AuthorizationChain(MODEL);
    const other = new AuthorizationChain(MODEL);
    lone.add(grantOf(await decide('authorize-model', MODEL)));
    other.add(grantOf(await decide('authorize-model', MODEL)));
    lone.add(grantOf(await decide('emergency-freeze', MODEL)));
    expect([lone.isAuthorized('authorize-model'), other.isAuthorized('authorize-model')]).toEqual([false, true]);
    lone.add(grantOf(await decide('update-policy', MODEL, true, { action: LIFT_FREEZE_ACTION })));
    expect(lone.isAuthorized('authorize-model')).toBe(true);
  });

  it('mismatched proposals are refused and change nothing', async () => {
    const s = new GovernanceState();
    const chain = new AuthorizationChain(FLEET, { state: s });
    const a = await decide('emergency-freeze', FLEET);
    const b = await decide('emergency-freeze', FLEET);
    const mixed = new AuthorizationGrant({ subjectId: FLEET, kind: 'emergency-freeze', result: a.result, proposal: b.proposal });
    expect(() => s.apply(mixed)).toThrow(GovernanceError);
    expect(() => chain.add(mixed)).toThrow(GovernanceError);
    const wrongKind = new AuthorizationGrant({ subjectId: FLEET, kind: 'update-policy', result: a.result, proposal: a.proposal });
    expect(() => s.apply(wrongKind)).toThrow(GovernanceError);
    expect([s.frozen, chain.size, s.events().length]).toEqual([false, 0, 0]);
    expect(() => s.apply({} as never)).toThrow(TypeError);
    expect(() => new AuthorizationChain(FLEET, { state: {} as never })).toThrow(TypeError);
  });
});

describe('delegation', () => {
  it('passed delegation grants are recorded with their parameters; rejected ones are not', async () => {
    const chain = new AuthorizationChain(AGENT);
    const params = { delegate: 'did:pqaid:helper', actions: ['read'], expiresAt: '2027-01-01T00:00:00Z' };
    const ok = await decide('delegation', AGENT, true, params);
    chain.add(grantOf(ok));
    chain.add(grantOf(await decide('delegation', AGENT, false, { delegate: 'did:pqaid:evil' })));
    const noProposal = await decide('delegation', AGENT, true, { delegate: 'x' });
    chain.add(new AuthorizationGrant({ subjectId: AGENT, kind: 'delegation', result: noProposal.result, scope: { note: 'n' } }));
    const ds = chain.delegations();
    expect(ds.map((d) => d.proposalId)).toEqual([ok.proposal.proposalId, noProposal.proposal.proposalId]);
    expect(ds[0]).toMatchObject({ subjectId: AGENT, parameters: params, decidedAt: ok.result.decidedAt });
    expect(ds[1]).toMatchObject({ parameters: {}, scope: { note: 'n' } });
    expect(chain.isAuthorized('delegation')).toBe(true);
    chain.add(grantOf(await decide('emergency-freeze', AGENT)));
    expect([chain.isAuthorized('delegation'), chain.delegations().length]).toEqual([false, 2]);
  });
});
