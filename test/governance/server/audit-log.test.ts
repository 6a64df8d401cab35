// A node's audit trail: its origin names the node, every accepted change appends the governance
// events the domain maps it to (RFC 8785 bytes, in commit order), and the checkpoint a reader gets
// is signed by the node, names the origin and commits to every entry (inclusion proofs verify).
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8Decode } from '../../../src/core/bytes.js';
import { canonicalize } from '../../../src/core/canonical-json.js';
import { leafHash, verifyCheckpoint, verifyInclusion } from '../../../src/log/index.js';
import { governanceLogOrigin } from '../../../src/governance/server/index.js';
import { makeNet, openService, signedProposal, type Net } from './_nodes.js';

let net: Net;
beforeAll(async () => {
  net = await makeNet();
});

describe('governance audit trail', () => {
  it('origin: quorumkit/governance/ + the first 16 hex digits of the did', () => {
    const did = net.ids[0]!.did;
    expect(governanceLogOrigin(did)).toBe(`quorumkit/governance/${did.slice('did:pqaid:'.length, 'did:pqaid:'.length + 16)}`);
    expect(governanceLogOrigin(did)).toMatch(/^quorumkit\/governance\/[0-9a-f]{16}$/);
  });

  it('each accepted change appends its events as canonical entries; checkpoints verify and cover them', async () => {
    const svc = await openService(net, 0);
    const log = svc.auditLog();
    expect(log.size).toBe(0);
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:model-audit');
    await svc.submitProposal(p.envelope);
    await svc.ballot(p.proposalId);
    for (const i of [1, 2, 3]) await svc.submitVote(p.proposalId, (await net.nodes[i]!.castVote(p, 'approve')).envelope);
    await svc.finalize(p.proposalId);
    const ops = svc.auditLog().recent(100).reverse().map((e) => (e.entry as { operation: string }).operation);
    expect(ops).toEqual(['proposal_created', 'vote_cast', 'vote_cast', 'vote_cast', 'vote_cast', 'consensus_reached', 'authorization_granted']);
    for (let i = 0; i < log.size; i++) expect(utf8Decode(log.entryBytes(i))).toBe(canonicalize(log.entry(i)));
    expect(log.entry(0)).toMatchObject({ operation: 'proposal_created', proposalId: p.proposalId, actorDid: net.ids[0]!.did, kind: 'authorize-model' });

    const checkpoint = await log.checkpoint();
    const v = await verifyCheckpoint(checkpoint, { trusted: [svc.did], origin: governanceLogOrigin(svc.did) });
    expect(v.valid, v.reasons.join('; ')).toBe(true);
    expect(v.checkpoint!.treeSize).toBe(7);
    for (let i = 0; i < 7; i++) expect(verifyInclusion(leafHash(log.entryBytes(i)), i, 7, log.inclusionProof(i, 7), v.root!)).toBe(true);
    expect((await verifyCheckpoint(checkpoint, { trusted: [net.ids[1]!.did] })).valid).toBe(false);
    expect(log.recent(2).map((x) => x.index)).toEqual([6, 5]);
    expect(log.recent(0)).toEqual([]);
    await svc.close();
  });
});
