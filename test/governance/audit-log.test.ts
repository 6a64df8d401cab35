// GovernanceAuditLog: typed events, filters, newest-first order, limit, capacity, JSON export.
import { beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { ConsensusRound, GovernanceAuditLog, GovernanceProposal, VoteTally, type ByzantineDetectedError } from '../../src/governance/index.js';
import { fiveNodes } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
beforeAll(async () => {
  f = await fiveNodes();
});

describe('GovernanceAuditLog', () => {
  it('logs every operation with the seed names; filters; newest first; exports JSON oldest first', async () => {
    const clock = manualClock('2026-04-20T12:00:00Z');
    const audit = new GovernanceAuditLog({ clock });
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 'Authorize', f.alice.did);
    const tick = (): void => void clock.advance(1000);
    audit.logNodeAdded(f.alice.did, 'alice', 1); tick();
    audit.logProposalCreated(p); tick();
    const round = new ConsensusRound({ proposal: p, registry: f.registry });
    for (const n of f.nodes) {
      const v = await n.castVote(p, 'approve');
      await round.cast(v);
      audit.logVoteCast(v); tick();
    }
    const r = await round.finalize(f.bob);
    audit.logConsensusReached(r); tick();
    const t = new VoteTally(p, f.registry);
    await t.add(await f.eve.castVote(p, 'approve'));
    const err = (await t.add(await f.eve.castVote(p, 'reject')).catch((e: unknown) => e)) as ByzantineDetectedError;
    audit.logByzantineDetected(err.evidence); tick();
    audit.logAuthorizationGranted(p.subjectId, p.kind, p.proposalId); tick();
    audit.logAuthorizationRevoked(p.subjectId, 'revoke-model', p.proposalId); tick();
    audit.logNodeRemoved(f.eve.did);

    expect(audit.length).toBe(12);
    const all = audit.entries();
    expect(all.map((e) => e.operation)).toEqual([
      'node_removed', 'authorization_revoked', 'authorization_granted', 'byzantine_detected', 'consensus_reached',
      'vote_cast', 'vote_cast', 'vote_cast', 'vote_cast', 'vote_cast', 'proposal_created', 'node_added',
    ]);
    expect(all[0]!.timestamp > all[11]!.timestamp).toBe(true);
    expect(audit.entries({ operation: 'vote_cast' })).toHaveLength(5);
    expect(audit.entries({ actorDid: f.eve.did }).map((e) => e.operation)).toEqual(['node_removed', 'byzantine_detected', 'vote_cast']);
    expect(audit.entries({ proposalId: p.proposalId, operation: 'consensus_reached' })[0]).toMatchObject({ actorDid: f.bob.did, decision: 'passed', details: { voteCount: 5, totalWeight: 6 } });
    expect(audit.entries({ operation: 'byzantine_detected' })[0]!.details).toMatchObject({ priorDecision: 'approve', conflictingDecision: 'reject' });
    expect(audit.entries({ limit: 2 }).map((e) => e.operation)).toEqual(['node_removed', 'authorization_revoked']);
    expect(audit.entries({ limit: 0 })).toEqual([]);
    expect(audit.entries({ proposalId: 'urn:none' })).toEqual([]);
    const exported = JSON.parse(audit.exportJson()) as { operation: string; subjectId: string | null }[];
    expect(exported[0]!.operation).toBe('node_added');
    expect(exported[0]!.subjectId).toBeNull();
    expect(exported).toHaveLength(12);
    audit.clear();
    expect(audit.length).toBe(0);
  });

  it('drops the oldest entries beyond maxEntries; refuses bad input', () => {
    const audit = new GovernanceAuditLog({ maxEntries: 2 });
    audit.logNodeRemoved('a');
    audit.logNodeRemoved('b');
    audit.logNodeRemoved('c');
    expect(audit.entries().map((e) => e.actorDid)).toEqual(['c', 'b']);
    expect(() => new GovernanceAuditLog({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => audit.entries({ limit: -1 })).toThrow(RangeError);
    expect(() => audit.log({ operation: 'launch' as never })).toThrow(TypeError);
  });
});
