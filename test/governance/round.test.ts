// ConsensusRound: the seed's quick start line by line, no-quorum, expiry, finalize-once,
// signed results (tampered results rejected), and the registryVersion hook.
import { beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { Identity } from '../../src/pq/identity.js';
import {
  AuthorizationChain, AuthorizationGrant, ConsensusFailedError, ConsensusResult, ConsensusRound, GovernanceNode, GovernanceProposal,
  NodeRegistry, ProposalExpiredError, QuorumPolicy, RESULT_PAYLOAD_TYPE,
} from '../../src/governance/index.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import { fiveNodes, flipSignatureBit, tamperPayload } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
beforeAll(async () => {
  f = await fiveNodes();
});

describe('ConsensusRound', () => {
  it('quick start (pqc-ai-governance README, translated)', async () => {
    const alice = new GovernanceNode({ identity: await Identity.create('alice', { level: 44 }), name: 'alice', weight: 1 });
    const bob = new GovernanceNode({ identity: await Identity.create('bob', { level: 44 }), name: 'bob', weight: 1 });
    const registry = new NodeRegistry();
    registry.register(alice);
    registry.register(bob);
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:medical-ai-v2', 'Authorize medical-ai-v2', alice.did, { parameters: { environment: 'prod' } });
    await alice.signProposal(p);
    const round = new ConsensusRound({ proposal: p, registry, policy: new QuorumPolicy() });
    await round.cast(await alice.castVote(p, 'approve'));
    await round.cast(await bob.castVote(p, 'approve'));
    const result = await round.finalize(alice);
    expect(result.decision === 'passed').toBe(true);
    expect(await ConsensusRound.verifyResult(result)).toBe(true);
    const chain = new AuthorizationChain(p.subjectId);
    chain.add(new AuthorizationGrant({ subjectId: p.subjectId, kind: p.kind, result }));
    expect(chain.isAuthorized('authorize-model')).toBe(true);
  });

  it('happy path with weights (seed integration test): 5 approve / 1 reject of 6', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 't', f.alice.did);
    const round = new ConsensusRound({ proposal: p, registry: f.registry });
    for (const n of [f.alice, f.bob, f.carol, f.dave]) await round.cast(await n.castVote(p, 'approve'));
    await round.cast(await f.eve.castVote(p, 'reject'));
    const r = await round.finalize(f.alice);
    expect(r.body()).toMatchObject({ decision: 'passed', reason: 'quorum met, supermajority approve', approveWeight: 5, rejectWeight: 1, abstainWeight: 0, totalWeight: 6 });
    expect(r.includedVoteIds).toEqual(round.tally.includedVoteIds());
    expect(r.proposalHash).toBe(p.proposalHash());
    expect(r.signerDid).toBe(f.alice.did);
    expect(p.status).toBe('passed');
    expect(await ConsensusRound.verifyResult(r, { trusted: f.registry.listDids() })).toBe(true);
    expect(await ConsensusRound.verifyResult(r, { trusted: [f.bob.did] })).toBe(false);
  });

  it('no quorum: rejected with the participation reason', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 't', f.alice.did);
    const round = new ConsensusRound({ proposal: p, registry: f.registry, policy: new QuorumPolicy() });
    await round.cast(await f.alice.castVote(p, 'approve'));
    await round.cast(await f.bob.castVote(p, 'approve'));
    const r = await round.finalize(f.alice);
    expect([r.decision, r.reason, p.status]).toEqual(['rejected', 'participation 2/6 < 66.67%', 'rejected']);
    expect(await ConsensusRound.verifyResult(r)).toBe(true);
  });

  it('zero total weight and all-abstain rounds are rejected', async () => {
    const zero = new NodeRegistry();
    zero.register({ did: f.alice.did, name: 'alice', weight: 0 });
    const p = GovernanceProposal.create('update-policy', 'policy:x', 't', f.alice.did);
    const r0 = new ConsensusRound({ proposal: p, registry: zero });
    await r0.cast(await f.alice.castVote(p, 'approve'));
    expect((await r0.finalize(f.alice)).reason).toBe('total weight is zero');
    const q = GovernanceProposal.create('update-policy', 'policy:x', 't', f.alice.did);
    const r1 = new ConsensusRound({ proposal: q, registry: f.registry });
    for (const n of f.nodes) await r1.cast(await n.castVote(q, 'abstain'));
    const res = await r1.finalize(f.bob);
    expect([res.decision, res.reason, res.abstainWeight]).toEqual(['rejected', 'all votes are abstain', 6]);
  });

  it('votes after the TTL raise ProposalExpiredError; the round finalizes once', async () => {
    const clock = manualClock('2026-04-20T12:00:00Z');
    const p = GovernanceProposal.create('authorize-agent', 'did:pqaid:agent', 't', f.alice.did, { clock, ttlSeconds: 60 });
    const round = new ConsensusRound({ proposal: p, registry: f.registry, clock });
    await round.cast(await f.alice.castVote(p, 'approve', '', { clock }));
    clock.advance(61_000);
    const late = await f.bob.castVote(p, 'approve', '', { clock });
    await expect(round.cast(late)).rejects.toThrow(ProposalExpiredError);
    expect(p.status).toBe('expired');
    const r = await round.finalize(f.alice);
    expect(r.decidedAt).toBe('2026-04-20T12:01:01Z');
    await expect(round.finalize(f.alice)).rejects.toThrow(ConsensusFailedError);
    await expect(round.cast(late)).rejects.toThrow(ConsensusFailedError);
    expect(round.result).toBe(r);
  });

  it('tampered or forged results are rejected', async () => {
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 't', f.alice.did);
    const round = new ConsensusRound({ proposal: p, registry: f.registry });
    for (const n of f.nodes) await round.cast(await n.castVote(p, 'approve'));
    const r = await round.finalize(f.carol);
    const env = r.envelope!;
    expect(await ConsensusRound.verifyResult(JSON.parse(JSON.stringify(env)))).toBe(true);
    expect(await ConsensusRound.verifyResult(tamperPayload(env, (b) => { b['approveWeight'] = 60; }))).toBe(false);
    expect(await ConsensusRound.verifyResult(tamperPayload(env, (b) => { b['decision'] = 'rejected'; }))).toBe(false);
    expect(await ConsensusRound.verifyResult(flipSignatureBit(env))).toBe(false);
    expect(await ConsensusRound.verifyResult(tamperPayload(env, (b) => { b['includedVoteIds'] = [...(b['includedVoteIds'] as string[])].reverse(); }))).toBe(false);
    // A result object whose fields disagree with its envelope, or with no envelope at all.
    const unsigned = new ConsensusResult({ ...r.body(), decision: 'rejected' });
    expect(await ConsensusRound.verifyResult(unsigned)).toBe(false);
    expect(() => unsigned.attachEnvelope(env)).toThrow();
    // Correct fields, but signed under the proposal payload type.
    expect(await ConsensusRound.verifyResult(await signEnvelope(r.body(), 'governance.proposal', [f.carol.identity]))).toBe(false);
    for (const g of [null, 1, 'x', {}, { payloadType: RESULT_PAYLOAD_TYPE, payload: '', signatures: [] }]) {
      expect(await ConsensusRound.verifyResult(g as never)).toBe(false);
    }
  });

  it('records the registry version when given (versioned registries)', async () => {
    const p = GovernanceProposal.create('add-node', 'did:pqaid:new', 't', f.alice.did);
    const round = new ConsensusRound({ proposal: p, registry: f.registry, registryVersion: 7 });
    for (const n of f.nodes) await round.cast(await n.castVote(p, 'approve'));
    const r = await round.finalize(f.alice);
    expect(r.registryVersion).toBe(7);
    expect(ConsensusResult.fromEnvelope(r.envelope).registryVersion).toBe(7);
    expect(await ConsensusRound.verifyResult(tamperPayload(r.envelope!, (b) => { b['registryVersion'] = 8; }))).toBe(false);
    expect(() => new ConsensusRound({ proposal: p, registry: f.registry, registryVersion: -1 })).toThrow(RangeError);
    expect(() => new ConsensusRound({ proposal: p, registry: f.registry, policy: {} as never })).toThrow(TypeError);
  });
});
