// ConsensusRound over its life: stored votes replay past the expiry (where cast refuses),
// `isSettled` agrees with brute force over every completion of the remaining weight, and a round
// rebuilt under an older registry version of a history still signs that version and the policy.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import {
  ByzantineDetectedError, ConsensusRound, GovernanceProposal, ProposalExpiredError, QuorumPolicy,
  RegistryHistory, verifyResultOffline, type VoteDecision,
} from '../../src/governance/index.js';
import { fiveNodes, makeNode } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
beforeAll(async () => {
  f = await fiveNodes();
});

async function proposal(clock = manualClock('2026-01-01T00:00:00Z'), ttlSeconds = 60): Promise<GovernanceProposal> {
  const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 't', f.alice.did, { ttlSeconds, clock });
  await f.alice.signProposal(p);
  return p;
}

describe('ConsensusRound.replay after the expiry', () => {
  it('replay() adds stored votes after expiry where cast() refuses', async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    const p = await proposal(clock, 60);
    const votes = await Promise.all([f.alice, f.bob, f.dave].map((n) => n.castVote(p, 'approve', '', { clock })));
    clock.advance(61_000);
    const round = new ConsensusRound({ proposal: p, registry: f.registry, clock });
    await expect(round.cast(votes[0]!)).rejects.toBeInstanceOf(ProposalExpiredError);
    const again = new ConsensusRound({ proposal: p, registry: f.registry, clock });
    for (const v of votes) expect(await again.replay(v)).toBe('counted');
    expect((await again.finalize(f.alice)).approveWeight).toBe(4);
  });
});

describe('ConsensusRound.isSettled', () => {
  const decisions: (VoteDecision | null)[] = ['approve', 'reject', 'abstain', null];
  it('true exactly when every completion of the remaining votes gives the same decision (brute force)', async () => {
    const p = await proposal(manualClock(new Date()), 3600);
    const cast = await Promise.all(f.nodes.map(async (n) => Object.fromEntries(await Promise.all((['approve', 'reject', 'abstain'] as const).map(async (d) => [d, await n.castVote(p, d)])))));
    const policy = new QuorumPolicy();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...decisions), { minLength: 5, maxLength: 5 }), async (choice) => {
        const round = new ConsensusRound({ proposal: p, registry: f.registry, policy });
        for (let i = 0; i < 5; i++) if (choice[i] !== null) await round.cast(cast[i]![choice[i]!]);
        const open = choice.flatMap((c, i) => (c === null ? [i] : []));
        const outcomes = new Set<boolean>();
        for (let mask = 0; mask < 4 ** open.length; mask++) {
          const w = { approveWeight: round.tally.approveWeight, rejectWeight: round.tally.rejectWeight, abstainWeight: round.tally.abstainWeight };
          open.forEach((i, k) => {
            const d = decisions[Math.floor(mask / 4 ** k) % 4];
            const weight = f.nodes[i]!.weight;
            if (d === 'approve') w.approveWeight += weight;
            if (d === 'reject') w.rejectWeight += weight;
            if (d === 'abstain') w.abstainWeight += weight;
          });
          outcomes.add(policy.check(w, 6).passed);
        }
        expect(round.isSettled()).toBe(outcomes.size === 1);
      }),
      { numRuns: 120 },
    );
  });

  it('an equivocator counts as having voted', async () => {
    const p = await proposal(manualClock(new Date()), 3600);
    const round = new ConsensusRound({ proposal: p, registry: f.registry });
    for (const n of [f.alice, f.bob, f.carol, f.dave]) await round.cast(await n.castVote(p, 'approve'));
    await round.cast(await f.eve.castVote(p, 'approve'));
    await expect(round.cast(await f.eve.castVote(p, 'reject'))).rejects.toBeInstanceOf(ByzantineDetectedError);
    expect(round.remainingWeight()).toBe(0);
    expect(round.isSettled()).toBe(true);
  });
});

describe('ConsensusRound under an older registry version of a history', () => {
  it('keeps that version\'s members, signs its version and the policy, and requires a coordinator of that version', async () => {
    const history = RegistryHistory.create(f.nodes);
    const frank = await makeNode('frank');
    const add = GovernanceProposal.create('add-node', frank.did, 'add frank', f.alice.did, { parameters: { ...RegistryHistory.addNodeParameters(frank) } });
    await f.alice.signProposal(add);
    const addRound = new ConsensusRound({ proposal: add, history });
    const addVotes = [];
    for (const n of [f.alice, f.bob, f.carol, f.dave]) {
      const v = await n.castVote(add, 'approve');
      addVotes.push(v);
      await addRound.cast(v);
    }
    const addResult = await addRound.finalize(f.alice);
    await history.apply({ proposal: add, result: addResult, votes: addVotes });
    expect(history.version).toBe(1);

    const p = await proposal(manualClock(new Date()), 3600); // submitted under version 0
    const round = new ConsensusRound({ proposal: p, history, registryVersion: 0 });
    expect(round.registry.isMember(frank.did)).toBe(false);
    expect(await round.cast(await frank.castVote(p, 'approve'))).toBe('rejected');
    const votes = [];
    for (const n of [f.alice, f.bob, f.dave]) {
      const v = await n.castVote(p, 'approve');
      votes.push(v);
      await round.cast(v);
    }
    await expect(round.finalize(frank)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_NODE' });
    const result = await round.finalize(f.alice);
    expect(result.registryVersion).toBe(0);
    expect(result.policy).toEqual(history.policy.toJSON());
    expect((await verifyResultOffline(result, votes, history, { proposal: p })).valid).toBe(true);
    expect(() => new ConsensusRound({ proposal: p, history, registryVersion: 2 })).toThrow(RangeError);
    expect(() => new ConsensusRound({ proposal: p, history, registryVersion: -1 })).toThrow(RangeError);
  });
});
