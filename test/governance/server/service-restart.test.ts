// A node reopened from its data dir carries on: open rounds come back from the stored proposal and
// votes (a double vote detected again, an equivocator still excluded), a node restarted after expiry
// keeps every vote cast in time, a round rebuilt after a membership change still signs its own
// version and policy, membership changes persist and re-verify, audit events a crash kept out of
// the log arrive exactly once, and a data dir belongs to one open node at a time.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../src/core/canonical-json.js';
import { manualClock } from '../../../src/core/clock.js';
import { isQuorumkitError } from '../../../src/core/errors.js';
import { Identity } from '../../../src/pq/identity.js';
import { ByzantineDetectedError, GovernanceNode, GovernanceProposal, RegistryHistory } from '../../../src/governance/index.js';
import { createGenesis, GovernanceService, GovernanceStore } from '../../../src/governance/server/index.js';
import type { AuditSink } from '../../../src/store/index.js';
import { join } from 'node:path';
import { makeNet, openService, signedProposal, tempDir, type Net } from './_nodes.js';

let net: Net;
beforeAll(async () => {
  net = await makeNet();
});

const tally = async (svc: GovernanceService, id: string) => (await svc.proposal(id)).tally as { approveWeight: number; validVoteCount: number };
const vote = async (svc: GovernanceService, p: GovernanceProposal, i: number, decision: 'approve' | 'reject' = 'approve', clock?: ReturnType<typeof manualClock>) =>
  svc.submitVote(p.proposalId, (await net.nodes[i]!.castVote(p, decision, '', clock ? { clock } : {})).envelope);

async function addFrank(svc: GovernanceService): Promise<Identity> {
  const frank = await Identity.create('frank', { level: 44 });
  const params = RegistryHistory.addNodeParameters(new GovernanceNode({ identity: frank, name: 'frank', weight: 1 }));
  const add = await signedProposal(net, 'add-node', frank.did, { parameters: { ...params } });
  await svc.submitProposal(add.envelope);
  await svc.ballot(add.proposalId);
  for (const i of [1, 2, 3]) await vote(svc, add, i);
  expect((await svc.finalize(add.proposalId)).result).toBeDefined();
  return frank;
}

describe('a governance node reopened from its data dir', () => {
  it('continues its open round: votes replayed, the double vote detected again, its own ballot not signed twice', async () => {
    const dir = tempDir('restart');
    let svc = await openService(net, 0, { dataDir: dir });
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:restart-model');
    await svc.submitProposal(p.envelope);
    expect((await svc.ballot(p.proposalId)).status).toBe('cast');
    await vote(svc, p, 1);
    await vote(svc, p, 4);
    await expect(vote(svc, p, 4, 'reject')).rejects.toBeInstanceOf(ByzantineDetectedError);
    const logSize = svc.auditLog().size;
    await svc.close();

    await expect(GovernanceService.open({ identity: net.ids[1]!, dataDir: dir })).rejects.toThrow(/belongs to/);
    const other = createGenesis([{ did: net.genesis.genesis[0]!.did, name: 'x', weight: 1, publicKey: net.genesis.genesis[0]!.publicKey }]);
    await expect(GovernanceService.open({ identity: net.ids[0]!, dataDir: dir, genesis: other })).rejects.toThrow(/differs/);

    svc = await openService(net, 0, { dataDir: dir, genesis: undefined });
    expect(svc.auditLog().size).toBe(logSize);
    expect(await tally(svc, p.proposalId)).toMatchObject({ approveWeight: 2, validVoteCount: 2 }); // alice + bob; eve withdrawn
    expect(svc.votes(p.proposalId).evidence).toHaveLength(1);
    await expect(vote(svc, p, 4)).rejects.toMatchObject({ code: 'ERR_CONFLICT' }); // still excluded
    expect((await svc.ballot(p.proposalId)).status).toBe('cast'); // the stored vote, not a second one
    expect(svc.votes(p.proposalId).votes.filter((v) => v.signatures[0]!.keyid === net.ids[0]!.did)).toHaveLength(1);
    await vote(svc, p, 2);
    await vote(svc, p, 3);
    const r = await svc.finalize(p.proposalId);
    expect(r.votes).toHaveLength(4);
    expect(svc.authorization('did:pqaid:restart-model').authorized.model).toBe(true);
    await svc.close();

    svc = await openService(net, 0, { dataDir: dir, genesis: undefined });
    expect(svc.authorization('did:pqaid:restart-model').authorized.model).toBe(true);
    expect((await svc.proposal(p.proposalId)).status).toBe('passed');
    await svc.close();
  });

  it('restarted after expiry keeps every vote cast in time and may finalize: it signs what its peers sign', async () => {
    const dir = tempDir('restart-expiry');
    const clock = manualClock('2026-01-01T00:00:00Z');
    let svc = await openService(net, 0, { dataDir: dir, clock });
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:m-expiry', { ttlSeconds: 60, clock });
    await svc.submitProposal(p.envelope);
    await svc.ballot(p.proposalId);
    for (const i of [1, 3]) await vote(svc, p, i, 'approve', clock);
    await svc.close();
    clock.advance(120_000);
    svc = await openService(net, 0, { dataDir: dir, clock, genesis: undefined });
    expect((await tally(svc, p.proposalId)).approveWeight).toBe(4);
    const r = await svc.finalize(p.proposalId); // expired: allowed although eve and carol never voted
    expect(r.votes).toHaveLength(3);
    expect((await svc.proposal(p.proposalId)).status).toBe('passed');
    await svc.close();
  });

  it('persists a passed add-node as the next registry version and re-verifies it on reopen', async () => {
    const dir = tempDir('members');
    let svc = await openService(net, 0, { dataDir: dir });
    const frank = await addFrank(svc);
    expect(svc.registry().version).toBe(1);
    expect(svc.isMember(frank.did)).toBe(true);
    await svc.close();
    svc = await openService(net, 0, { dataDir: dir, genesis: undefined });
    expect(svc.registry().version).toBe(1);
    expect(svc.registry().members.reduce((s, m) => s + m.weight, 0)).toBe(7);
    expect(svc.registryHistory().transitions.map((t) => t.version)).toEqual([1]);
    expect(svc.registryVersion(0)).toHaveLength(5);
    expect(svc.registryVersion(2)).toBeUndefined();
    await svc.close();
  });

  it('a round opened at version 0 and rebuilt at version 1 signs registryVersion 0 and the policy', async () => {
    const dir = tempDir('restart-version');
    let svc = await openService(net, 0, { dataDir: dir });
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:m-version');
    await svc.submitProposal(p.envelope);
    await addFrank(svc);
    await svc.close();
    svc = await openService(net, 0, { dataDir: dir, genesis: undefined });
    await svc.ballot(p.proposalId);
    for (const i of [1, 2, 3]) await vote(svc, p, i);
    const { ConsensusResult } = await import('../../../src/governance/index.js');
    const r = ConsensusResult.fromEnvelope((await svc.finalize(p.proposalId)).result);
    expect(r.registryVersion).toBe(0);
    expect(r.policy).toEqual(svc.registry().policy);
    await svc.close();
  });

  it('appends audit events a crash kept out of the log when it reopens, exactly once', async () => {
    const dir = tempDir('restart-outbox');
    let svc = await openService(net, 0, { dataDir: dir });
    await svc.submitProposal((await signedProposal(net, 'authorize-model', 'did:pqaid:m-outbox')).envelope);
    const size = svc.auditLog().size;
    await svc.close();
    // A state change whose log append fails (the crash window between the two files).
    const store = GovernanceStore.open(join(dir, 'governance.db'));
    const failing: AuditSink = { appliedBatch: 0, appendBatch: () => { throw new Error('crash'); }, recover: () => 0 };
    store.attachAudit(failing);
    const event = canonicalBytes({ operation: 'test-event', at: 'x' });
    await store.commit(() => store.setMeta('probe', '1'), [event]);
    await store.close();
    svc = await openService(net, 0, { dataDir: dir, genesis: undefined });
    expect(svc.auditLog().size).toBe(size + 1);
    expect(svc.auditLog().entryBytes(size)).toEqual(event);
    await svc.close();
    svc = await openService(net, 0, { dataDir: dir, genesis: undefined });
    expect(svc.auditLog().size).toBe(size + 1);
    await svc.close();
  });

  it('a data dir is held by one open node: a second open is refused until the first closes', async () => {
    const dir = tempDir('restart-lock');
    const svc = await openService(net, 0, { dataDir: dir });
    let err: unknown;
    try {
      await openService(net, 0, { dataDir: dir });
    } catch (e) {
      err = e;
    }
    expect(isQuorumkitError(err, 'ERR_CONFLICT')).toBe(true);
    expect((err as Error).message).toMatch(/in use by another process/);
    await svc.close();
    await (await openService(net, 0, { dataDir: dir, genesis: undefined })).close();
  });
});
