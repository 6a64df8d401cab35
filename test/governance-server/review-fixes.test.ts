// Regression tests for the governance security review (node service): a vote under a chosen
// (reused) id is refused as invalid — ids are content-derived — and an equivocator stays excluded after a restart; a restart after expiry
// keeps every stored vote; finalize before expiry is refused unless settled; a round rebuilt after a
// membership change still signs its version and policy; staged audit events reach the log on reopen.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/canonical-json.js';
import { manualClock } from '../../src/core/clock.js';
import { Identity } from '../../src/pq/identity.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import { ByzantineDetectedError, GovernanceNode, GovernanceProposal, RegistryHistory, VOTE_PAYLOAD_TYPE } from '../../src/governance/index.js';
import { GovernanceService, GovernanceStore } from '../../src/governance/server/index.js';
import { APPROVE_AUTHORIZE, makeNet, tempDir, type Net } from './_nodes.js';

let net: Net;
let nodes: GovernanceNode[];
beforeAll(async () => {
  net = await makeNet();
  nodes = net.ids.map((id, i) => new GovernanceNode({ identity: id, name: id.name, weight: [1, 1, 1, 2, 1][i]! }));
});

async function proposal(opts: { ttlSeconds?: number; clock?: ReturnType<typeof manualClock> } = {}): Promise<GovernanceProposal> {
  const p = GovernanceProposal.create('authorize-model', `did:pqaid:m-${Math.random()}`, 't', nodes[0]!.did, opts);
  await nodes[0]!.signProposal(p);
  return p;
}

describe('finding 1: vote ids', () => {
  it('putVote refuses a vote whose id is not its content hash (invalid, caused by ERR_INVALID_VOTE) and accepts the same vote again', async () => {
    const store = GovernanceStore.open(':memory:');
    const p = await proposal();
    store.putProposal(p.envelope!, 0);
    const a = await nodes[1]!.castVote(p, 'approve');
    const b = await nodes[2]!.castVote(p, 'approve');
    expect(store.putVote(p.proposalId, a.envelope)).toBe(true);
    expect(store.putVote(p.proposalId, a.envelope)).toBe(false);
    // carol signs her vote under bob's id: no longer a clash to resolve, an invalid vote.
    const chosen = await signEnvelope({ ...b.vote.body(), voteId: a.vote.voteId }, VOTE_PAYLOAD_TYPE, [nodes[2]!.identity]);
    expect(() => store.putVote(p.proposalId, chosen)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', cause: expect.objectContaining({ code: 'ERR_INVALID_VOTE' }) }));
    expect(store.votes(p.proposalId)).toHaveLength(1);
    store.close();
  });

  it('a vote under another voter\'s id answers ERR_INVALID_VOTE; an equivocator stays excluded after restart', async () => {
    const dir = tempDir('review-ids');
    let svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
    const p = await proposal();
    await svc.submitProposal(p.envelope);
    const bob = await nodes[1]!.castVote(p, 'approve');
    await svc.submitVote(p.proposalId, bob.envelope);
    const carol = await nodes[2]!.castVote(p, 'approve');
    const chosen = await signEnvelope({ ...carol.vote.body(), voteId: bob.vote.voteId }, VOTE_PAYLOAD_TYPE, [nodes[2]!.identity]);
    await expect(svc.submitVote(p.proposalId, chosen)).rejects.toMatchObject({ code: 'ERR_INVALID_VOTE' });
    await svc.submitVote(p.proposalId, (await nodes[4]!.castVote(p, 'approve')).envelope);
    await expect(svc.submitVote(p.proposalId, (await nodes[4]!.castVote(p, 'reject')).envelope)).rejects.toBeInstanceOf(ByzantineDetectedError);
    expect(svc.tally(p.proposalId)!.approveWeight).toBe(1);
    svc.close();
    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir });
    const t = svc.tally(p.proposalId)!;
    expect(t.approveWeight).toBe(1); // bob only: eve's first vote no longer counts
    expect(t.byzantineVoters()).toEqual([net.ids[4]!.did]);
    svc.close();
  });
});

describe('finding 2 + 3: expiry, restart and early finalize', () => {
  it('finalize before expiry is refused while unsettled, allowed once settled', async () => {
    const svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: ':memory:', genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
    const p = await proposal();
    await svc.submitProposal(p.envelope);
    await expect(svc.finalize(p.proposalId)).rejects.toMatchObject({ code: 'ERR_CONSENSUS_FAILED' });
    expect(svc.store.getProposal(p.proposalId)!.status).toBe('open');
    await svc.ballot(p.proposalId);
    for (const i of [1, 2]) await svc.submitVote(p.proposalId, (await nodes[i]!.castVote(p, 'approve')).envelope);
    await expect(svc.finalize(p.proposalId)).rejects.toMatchObject({ code: 'ERR_CONSENSUS_FAILED' }); // 3/6: dave could decide
    await svc.submitVote(p.proposalId, (await nodes[3]!.castVote(p, 'approve')).envelope);
    expect((await svc.finalize(p.proposalId)).result.decision).toBe('passed'); // 5/6: eve cannot change it
    svc.close();
  });

  it('a node restarted after expiry replays every stored vote and may finalize: it signs what its peers sign', async () => {
    const dir = tempDir('review-expiry');
    const clock = manualClock('2026-01-01T00:00:00Z');
    let svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE, clock });
    const p = await proposal({ ttlSeconds: 60, clock });
    await svc.submitProposal(p.envelope);
    await svc.ballot(p.proposalId);
    for (const i of [1, 3]) await svc.submitVote(p.proposalId, (await nodes[i]!.castVote(p, 'approve', '', { clock })).envelope);
    svc.close();
    clock.advance(120_000);
    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, clock });
    expect(svc.tally(p.proposalId)!.approveWeight).toBe(4);
    const r = await svc.finalize(p.proposalId); // expired: allowed although eve and carol never voted
    expect(r.result).toMatchObject({ decision: 'passed', approveWeight: 4, totalWeight: 6 });
    svc.close();
  });
});

describe('finding 4: rounds rebuilt after a membership change', () => {
  it('a round of version 0 rebuilt at version 1 signs registryVersion 0 and the policy, and peers accept it', async () => {
    const dir = tempDir('review-version');
    const frank = await Identity.create('frank', { level: 44 });
    let svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
    const p = await proposal();
    await svc.submitProposal(p.envelope);
    const params = RegistryHistory.addNodeParameters(new GovernanceNode({ identity: frank, name: 'frank', weight: 1 }));
    const add = GovernanceProposal.create('add-node', frank.did, 'add frank', nodes[0]!.did, { parameters: { ...params } });
    await nodes[0]!.signProposal(add);
    await svc.submitProposal(add.envelope);
    await svc.ballot(add.proposalId);
    for (const i of [1, 2, 3]) await svc.submitVote(add.proposalId, (await nodes[i]!.castVote(add, 'approve')).envelope);
    await svc.finalize(add.proposalId);
    expect(svc.history.version).toBe(1);
    svc.close();
    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir });
    await svc.ballot(p.proposalId);
    for (const i of [1, 2, 3]) await svc.submitVote(p.proposalId, (await nodes[i]!.castVote(p, 'approve')).envelope);
    const r = await svc.finalize(p.proposalId);
    expect(r.result.registryVersion).toBe(0);
    expect(r.result.policy).toEqual(svc.history.policy.toJSON());
    svc.close();
  });
});

describe('finding 6: audit events staged with the state change', () => {
  it('a batch staged but not appended (crash window) is appended once on reopen, and not twice', async () => {
    const dir = tempDir('review-outbox');
    let svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: net.genesis, votePolicy: APPROVE_AUTHORIZE });
    const p = await proposal();
    await svc.submitProposal(p.envelope);
    const size = svc.trail.log.size;
    expect(svc.store.stagedAudit()).toEqual([]);
    // Simulate a crash between the store transaction and the log append.
    const entry = canonicalize({ operation: 'test-event', proposalId: p.proposalId, at: 'x' });
    svc.store.stageAudit([entry]);
    // And one between the append and the clear.
    const logged = canonicalize({ operation: 'test-event-2', at: 'y' });
    svc.trail.log.appendMany([new TextEncoder().encode(logged)]);
    svc.store.stageAudit([logged]);
    svc.close();
    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir });
    expect(svc.trail.log.size).toBe(size + 2);
    expect(svc.store.stagedAudit()).toEqual([]);
    expect(new TextDecoder().decode(svc.trail.log.entry(size + 1))).toBe(entry);
    svc.close();
    svc = await GovernanceService.open({ identity: net.ids[0]!, dataDir: dir });
    expect(svc.trail.log.size).toBe(size + 2);
    svc.close();
  });
});
