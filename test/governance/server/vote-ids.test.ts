// Content-derived vote ids at a node: a vote's id is the SHA3-256 of its signed body, so a member
// cannot get another voter's vote refused by claiming its id first — a vote signed under someone
// else's id is simply invalid (400, nothing stored), the real vote still counts, and resending a
// vote is a duplicate (200), never a conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEnvelope } from '../../../src/envelope/sign.js';
import { VOTE_PAYLOAD_TYPE } from '../../../src/governance/index.js';
import { localNode, makeNet, signedProposal, type LocalNode, type Net } from './_nodes.js';

let net: Net;
let node: LocalNode;
beforeAll(async () => {
  net = await makeNet();
  node = await localNode(net, 0);
});
afterAll(() => node.close());

describe('content-derived vote ids at a node', () => {
  it('a vote signed under another voter\'s id is refused (400 ERR_INVALID_VOTE) and the real one still counts', async () => {
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:vote-ids');
    expect((await node.post('/v1/proposals', { proposal: p.envelope })).status).toBe(201);
    const id = encodeURIComponent(p.proposalId);
    const bob = await net.nodes[1]!.castVote(p, 'approve');
    const carol = await net.nodes[2]!.castVote(p, 'approve');
    // carol claims bob's id before bob's vote arrives
    const squatted = await signEnvelope({ ...carol.vote.body(), voteId: bob.vote.voteId }, VOTE_PAYLOAD_TYPE, [net.ids[2]!]);
    const refused = await node.post(`/v1/proposals/${id}/votes`, { vote: squatted }, { signer: net.ids[2]! });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('ERR_INVALID_VOTE');
    expect((await node.get(`/v1/proposals/${id}/votes`)).json.votes).toEqual([]);
    expect((await node.post(`/v1/proposals/${id}/votes`, { vote: bob.envelope }, { signer: net.ids[1]! })).json.outcome).toBe('counted');
    expect((await node.post(`/v1/proposals/${id}/votes`, { vote: carol.envelope }, { signer: net.ids[2]! })).json.outcome).toBe('counted');
    const again = await node.post(`/v1/proposals/${id}/votes`, { vote: bob.envelope }, { signer: net.ids[1]! });
    expect([again.status, again.json.outcome]).toEqual([200, 'duplicate']);
    expect((await node.get(`/v1/proposals/${id}`)).json.tally).toMatchObject({ approveWeight: 2, validVoteCount: 2 });
  });
});
