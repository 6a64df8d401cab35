// GovernanceStore (node:sqlite): typed round trips, bad input → typed error with nothing written,
// and a service reopened from its data dir continues every open round (tally rebuilt from the
// stored proposal and votes, a double vote detected again on replay).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GovernanceNode, GovernanceProposal, byzantineEvidenceToJSON, ByzantineDetectedError } from '../../src/governance/index.js';
import { GovernanceService, GovernanceStore, VotePolicy, createGenesis, parseGenesis } from '../../src/governance/server/index.js';
import { APPROVE_AUTHORIZE, makeNet, tempDir, type Net } from './_nodes.js';

let net: Net;
let nodes: GovernanceNode[];

beforeAll(async () => {
  net = await makeNet();
  nodes = net.ids.map((id, i) => new GovernanceNode({ identity: id, name: id.name, weight: [1, 1, 1, 2, 1][i]! }));
});

async function proposal(kind: 'authorize-model' | 'revoke-model' = 'authorize-model', subject = 'did:pqaid:model-1'): Promise<GovernanceProposal> {
  const p = GovernanceProposal.create(kind, subject, 'title', nodes[0]!.did);
  await nodes[0]!.signProposal(p);
  return p;
}

function counts(store: GovernanceStore): string {
  return JSON.stringify({ p: store.listProposals().length, r: store.listResults().length, g: store.grants().length, q: store.queued().length, e: store.evidence().length, v: store.registryVersions().length });
}

describe('GovernanceStore', () => {
  it('round-trips proposals, votes, evidence, queue and registry versions; identical re-puts are no-ops', async () => {
    const store = GovernanceStore.open(':memory:');
    const p = await proposal();
    expect(store.putProposal(p.envelope!, 0)).toBe(true);
    expect(store.putProposal(p.envelope!, 0)).toBe(false);
    const got = store.getProposal(p.proposalId)!;
    expect(got.proposal.proposalHash()).toBe(p.proposalHash());
    expect(got.status).toBe('open');
    const v1 = await nodes[1]!.castVote(p, 'approve');
    const v2 = await nodes[1]!.castVote(p, 'reject');
    expect(store.putVote(p.proposalId, v1.envelope)).toBe(true);
    expect(store.putVote(p.proposalId, v1.envelope)).toBe(false);
    store.putVote(p.proposalId, v2.envelope);
    expect(store.votes(p.proposalId)).toEqual([v1.envelope, v2.envelope]);
    store.putEvidence(byzantineEvidenceToJSON({ voterDid: nodes[1]!.did, proposalId: p.proposalId, proposalHash: p.proposalHash(), first: v1, second: v2 }));
    expect(store.evidence(p.proposalId)).toHaveLength(1);
    store.enqueue(p.proposalId, '2026-01-01T00:00:00Z');
    store.enqueue(p.proposalId, '2026-01-01T00:00:01Z');
    expect(store.queued()).toEqual([{ proposalId: p.proposalId, queuedAt: '2026-01-01T00:00:00Z' }]);
    expect(store.dequeue(p.proposalId)).toBe(true);
    expect(store.listProposals({ status: 'open' })).toHaveLength(1);
    expect(store.listProposals({ status: 'passed' })).toHaveLength(0);
    store.close();
  });

  it('bad input → typed errors, nothing written', async () => {
    const store = GovernanceStore.open(':memory:');
    const p = await proposal();
    store.putProposal(p.envelope!, 0);
    const before = counts(store);
    const other = await proposal();
    const vOther = await nodes[2]!.castVote(other, 'approve');
    const garbage: unknown[] = [null, 1, 'x', {}, { payloadType: 'x', payload: 'e30=', signatures: [] }, vOther.envelope];
    for (const g of garbage) expect(() => store.putProposal(g as never, 0)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => store.putProposal(p.envelope!, -1)).toThrow(RangeError);
    for (const g of garbage.slice(0, 5)) expect(() => store.putVote(p.proposalId, g as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => store.putVote(p.proposalId, vOther.envelope)).toThrow(/is for proposal/);
    expect(() => store.putVote(other.proposalId, vOther.envelope)).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    expect(() => store.putEvidence({ type: 'nope' } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => store.recordResult({ proposalId: p.proposalId, envelope: p.envelope!, votes: [] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => store.recordResult(null as never)).toThrow(TypeError);
    expect(() => store.setProposalStatus(p.proposalId, 'weird' as never)).toThrow(RangeError);
    expect(() => store.setProposalStatus('urn:none', 'passed')).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    expect(() => store.enqueue('urn:none', 'now')).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    expect(() => store.putRegistryVersion({ version: 5, members: [], transition: null })).toThrow();
    expect(() => store.listProposals({ status: 'x' as never })).toThrow(RangeError);
    expect(counts(store)).toBe(before);
    store.close();
  });

  it('a node reopened from its data dir continues its open round (votes and Byzantine evidence replayed)', async () => {
    const dir = tempDir('restart');
    let svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
    const p = await proposal('authorize-model', 'did:pqaid:restart-model');
    await svc.submitProposal(p.envelope);
    expect((await svc.ballot(p.proposalId)).status).toBe('cast');
    await svc.submitVote(p.proposalId, (await nodes[1]!.castVote(p, 'approve')).envelope);
    await svc.submitVote(p.proposalId, (await nodes[4]!.castVote(p, 'approve')).envelope);
    await expect(svc.submitVote(p.proposalId, (await nodes[4]!.castVote(p, 'reject')).envelope)).rejects.toBeInstanceOf(ByzantineDetectedError);
    const logSize = svc.trail.log.size;
    svc.close();

    await expect(GovernanceService.open({ identity: net.ids[1]!, dataDir: dir })).rejects.toThrow(/belongs to/);
    const other = createGenesis([{ did: net.genesis.genesis[0]!.did, name: 'x', weight: 1, publicKey: net.genesis.genesis[0]!.publicKey }]);
    await expect(GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: other })).rejects.toThrow(/differs/);

    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, votePolicy: APPROVE_AUTHORIZE });
    expect(svc.trail.log.size).toBe(logSize);
    const t = svc.tally(p.proposalId)!;
    expect(t.toJSON()).toMatchObject({ approveWeight: 2, validVoteCount: 2 }); // alice + bob; eve withdrawn
    expect(t.evidence).toHaveLength(1);
    expect((await svc.ballot(p.proposalId)).status).toBe('cast'); // the stored vote, not a second one
    expect(svc.store.votes(p.proposalId).filter((v) => v.signatures[0]!.keyid === net.ids[0]!.did)).toHaveLength(1);
    await svc.submitVote(p.proposalId, (await nodes[2]!.castVote(p, 'approve')).envelope);
    await svc.submitVote(p.proposalId, (await nodes[3]!.castVote(p, 'approve')).envelope);
    const r = await svc.finalize(p.proposalId);
    expect(r.result.decision).toBe('passed');
    expect(r.result.approveWeight).toBe(5);
    expect(svc.authorization('did:pqaid:restart-model').authorized.model).toBe(true);
    svc.close();

    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir });
    expect(svc.authorization('did:pqaid:restart-model').authorized.model).toBe(true);
    expect(svc.store.getProposal(p.proposalId)!.status).toBe('passed');
    svc.close();
  });

  it('membership by consensus: a passed add-node is the next registry version, persisted and re-verified on reopen', async () => {
    const dir = tempDir('members');
    const { Identity } = await import('../../src/pq/identity.js');
    const { RegistryHistory } = await import('../../src/governance/index.js');
    const frank = await Identity.create('frank', { level: 44 });
    let svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
    const params = RegistryHistory.addNodeParameters(new GovernanceNode({ identity: frank, name: 'frank', weight: 1 }));
    const p = GovernanceProposal.create('add-node', frank.did, 'add frank', nodes[0]!.did, { parameters: { ...params } });
    await nodes[0]!.signProposal(p);
    await svc.submitProposal(p.envelope);
    await svc.ballot(p.proposalId);
    for (const i of [1, 2, 3]) await svc.submitVote(p.proposalId, (await nodes[i]!.castVote(p, 'approve')).envelope);
    expect((await svc.finalize(p.proposalId)).result.decision).toBe('passed');
    expect(svc.history.version).toBe(1);
    expect(svc.isMember(frank.did)).toBe(true);
    svc.close();
    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir });
    expect(svc.history.version).toBe(1);
    expect(svc.history.totalWeightAt()).toBe(7);
    expect(svc.store.registryVersions().map((v) => v.version)).toEqual([0, 1]);
    svc.close();
  });

  it('a vote after the proposal expires is refused without changing state; the round can still be finalized', async () => {
    const { manualClock } = await import('../../src/core/clock.js');
    const clock = manualClock('2026-01-01T00:00:00Z');
    const svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: ':memory:', genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE, clock });
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:short-lived', 't', nodes[0]!.did, { ttlSeconds: 60, clock });
    await nodes[0]!.signProposal(p);
    await svc.submitProposal(p.envelope);
    const vote = await nodes[1]!.castVote(p, 'approve', '', { clock });
    clock.advance(61_000);
    await expect(svc.submitVote(p.proposalId, vote.envelope)).rejects.toMatchObject({ code: 'ERR_PROPOSAL_EXPIRED' });
    expect(svc.store.getProposal(p.proposalId)!.status).toBe('open');
    expect(svc.store.votes(p.proposalId)).toEqual([]);
    await expect(svc.ballot(p.proposalId)).rejects.toMatchObject({ code: 'ERR_PROPOSAL_EXPIRED' });
    expect(svc.store.votes(p.proposalId)).toEqual([]);
    const r = await svc.finalize(p.proposalId); // expired: allowed, decided on the votes cast in time (none)
    expect(r.result.decision).toBe('rejected');
    expect(svc.store.getProposal(p.proposalId)!.status).toBe('rejected');
    svc.close();
  });

  it('genesis files are parsed strictly', async () => {
    await expect(parseGenesis({})).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(parseGenesis({ ...net.genesis, genesis: [...net.genesis.genesis, net.genesis.genesis[0]] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(parseGenesis({ ...net.genesis, genesis: [{ ...net.genesis.genesis[0]!, did: net.genesis.genesis[1]!.did }] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((await parseGenesis(JSON.parse(JSON.stringify(net.genesis)))).history.totalWeightAt()).toBe(6);
  });
});

describe('VotePolicy', () => {
  const policy = VotePolicy.parse({
    type: 'quorumkit-vote-policy',
    version: 1,
    default: 'reject',
    rules: [
      { kind: 'authorize-model', subject: 'did:pqaid:medical-*', decision: 'approve', rationale: 'cleared' },
      { kind: ['revoke-model', 'revoke-agent'], decision: 'queue' },
      { kind: '*', subject: '*.internal', decision: 'abstain' },
    ],
  });
  const mk = (kind: 'authorize-model' | 'revoke-agent' | 'delegation', subject: string): GovernanceProposal => GovernanceProposal.create(kind, subject, 't', 'did:pqaid:x');
  it('first matching rule decides, else the default', () => {
    expect(policy.decide(mk('authorize-model', 'did:pqaid:medical-ai-v2'))).toMatchObject({ decision: 'approve', rationale: 'cleared', rule: 0 });
    expect(policy.decide(mk('authorize-model', 'did:pqaid:other'))).toMatchObject({ decision: 'reject', rule: -1 });
    expect(policy.decide(mk('revoke-agent', 'a'))).toMatchObject({ decision: 'queue', rule: 1 });
    expect(policy.decide(mk('delegation', 'svc.internal'))).toMatchObject({ decision: 'abstain', rule: 2 });
    expect(policy.decide(mk('delegation', 'svc.internal.x')).rule).toBe(-1); // glob anchors at both ends
    expect(policy.decide(mk('authorize-model', 'did:pqaid:medical.x')).rule).toBe(-1); // '.' is literal
    expect(VotePolicy.queueAll().decide(mk('delegation', 'x')).decision).toBe('queue');
  });
  it('garbage policies are refused with ERR_INVALID_ARGUMENT', () => {
    const base = { type: 'quorumkit-vote-policy', version: 1 };
    for (const bad of [null, [], 'x', {}, { ...base, version: 2 }, { ...base, extra: 1 }, { ...base, default: 'maybe' }, { ...base, rules: {} },
      { ...base, rules: [{ decision: 'approve', kind: 'launch' }] }, { ...base, rules: [{ decision: 'yes' }] }, { ...base, rules: [{ decision: 'approve', subject: '' }] },
      { ...base, rules: [{ decision: 'approve', other: 1 }] }, { ...base, rules: [{ decision: 'approve', kind: [] }] }, { ...base, rules: [1] }]) {
      expect(() => VotePolicy.parse(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
    expect(VotePolicy.parse(policy.toJSON()).rules).toEqual(policy.rules);
  });
});
