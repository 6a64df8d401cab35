// When a round may end: before its proposal expires only once the outcome is settled (no way the
// members who have not voted could change it), after expiry always, on the votes cast in time; a
// vote or ballot after expiry is refused and changes nothing; a decided round takes no vote whether
// its round was in memory or not, and rounds pushed out of a small in-memory cache count the same.
import { beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import { ConsensusResult } from '../../../src/governance/index.js';
import { makeNet, openService, signedProposal, type Net } from './_nodes.js';

let net: Net;
beforeAll(async () => {
  net = await makeNet();
});

describe('round lifecycle on a node', () => {
  it('finalize before expiry is refused while unsettled, allowed once settled', async () => {
    const svc = await openService(net, 0);
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:m-settle');
    await svc.submitProposal(p.envelope);
    await expect(svc.finalize(p.proposalId)).rejects.toMatchObject({ code: 'ERR_CONSENSUS_FAILED' });
    expect((await svc.proposal(p.proposalId)).status).toBe('open');
    await svc.ballot(p.proposalId);
    for (const i of [1, 2]) await svc.submitVote(p.proposalId, (await net.nodes[i]!.castVote(p, 'approve')).envelope);
    await expect(svc.finalize(p.proposalId)).rejects.toMatchObject({ code: 'ERR_CONSENSUS_FAILED' }); // 3/6: dave could decide
    await svc.submitVote(p.proposalId, (await net.nodes[3]!.castVote(p, 'approve')).envelope);
    expect(ConsensusResult.fromEnvelope((await svc.finalize(p.proposalId)).result).decision).toBe('passed'); // 5/6: eve cannot change it
    await expect(svc.finalize(p.proposalId)).rejects.toMatchObject({ code: 'ERR_CONFLICT' }); // decided
    await svc.close();
  });

  it('a vote or ballot after expiry is refused without changing state; the round can still be finalized', async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    const svc = await openService(net, 0, { clock });
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:short-lived', { ttlSeconds: 60, clock });
    await svc.submitProposal(p.envelope);
    const vote = await net.nodes[1]!.castVote(p, 'approve', '', { clock });
    clock.advance(61_000);
    const logSize = svc.auditLog().size;
    await expect(svc.submitVote(p.proposalId, vote.envelope)).rejects.toMatchObject({ code: 'ERR_PROPOSAL_EXPIRED' });
    await expect(svc.ballot(p.proposalId)).rejects.toMatchObject({ code: 'ERR_PROPOSAL_EXPIRED' });
    expect((await svc.proposal(p.proposalId)).status).toBe('open');
    expect(svc.votes(p.proposalId).votes).toEqual([]);
    expect(svc.auditLog().size).toBe(logSize);
    const r = ConsensusResult.fromEnvelope((await svc.finalize(p.proposalId)).result); // expired: decided on the votes cast in time (none)
    expect(r.decision).toBe('rejected');
    expect((await svc.proposal(p.proposalId)).status).toBe('rejected');
    await svc.close();
  });

  it('a decided round refuses votes (conflict) from memory or store; rounds evicted from a 1-round cache count the same', async () => {
    const svc = await openService(net, 0, { roundCacheSize: 1 });
    const [p, q] = [await signedProposal(net, 'authorize-model', 'did:pqaid:m-cache-p'), await signedProposal(net, 'authorize-model', 'did:pqaid:m-cache-q')];
    await svc.submitProposal(p.envelope);
    await svc.submitProposal(q.envelope); // p's round leaves the cache
    for (const i of [1, 2, 3]) {
      // alternate, so every vote finds the other round in the one slot and rebuilds its own
      await svc.submitVote(p.proposalId, (await net.nodes[i]!.castVote(p, 'approve')).envelope);
      await svc.submitVote(q.proposalId, (await net.nodes[i]!.castVote(q, 'reject')).envelope);
    }
    await expect(svc.submitVote(p.proposalId, (await net.nodes[1]!.castVote(p, 'reject')).envelope)).rejects.toMatchObject({ code: 'ERR_BYZANTINE_DETECTED' });
    expect((await svc.proposal(p.proposalId)).tally).toMatchObject({ approveWeight: 3, rejectWeight: 0 }); // bob excluded: nodes 2 and 3 (weights 1 + 2)
    expect((await svc.proposal(q.proposalId)).tally).toMatchObject({ approveWeight: 0, rejectWeight: 4 });
    await svc.ballot(q.proposalId); // node 0 (the policy approves authorize-model)
    const decidedQ = ConsensusResult.fromEnvelope((await svc.finalize(q.proposalId)).result);
    expect(decidedQ.decision).toBe('rejected');
    const late = (await net.nodes[4]!.castVote(q, 'approve')).envelope;
    await expect(svc.submitVote(q.proposalId, late)).rejects.toMatchObject({ code: 'ERR_CONFLICT' }); // q was the cached round
    await svc.submitVote(p.proposalId, (await net.nodes[4]!.castVote(p, 'approve')).envelope); // p back in the slot
    await svc.ballot(p.proposalId);
    expect(ConsensusResult.fromEnvelope((await svc.finalize(p.proposalId)).result).decision).toBe('passed');
    await expect(svc.submitVote(q.proposalId, late)).rejects.toMatchObject({ code: 'ERR_CONFLICT' }); // q read from the store
    expect(svc.votes(q.proposalId).votes).toHaveLength(4);
    await svc.close();
  });
});
