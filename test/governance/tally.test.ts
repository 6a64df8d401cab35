// VoteTally: every rejection path with the seed's reason strings, idempotent repeats, Byzantine
// double votes with third-party-verifiable evidence, cross-proposal replay, and forged evidence.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ByzantineDetectedError, GovernanceProposal, VOTE_PAYLOAD_TYPE, NodeRegistry, SignedVote, Vote, VoteTally, byzantineEvidenceToJSON,
  verifyByzantineEvidence, type GovernanceNode,
} from '../../src/governance/index.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import { fiveNodes, flipSignatureBit, makeNode, tamperPayload, tamperVote } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
let proposal: GovernanceProposal;
let other: GovernanceProposal;

beforeAll(async () => {
  f = await fiveNodes();
  proposal = GovernanceProposal.create('authorize-model', 'did:pqaid:medical-ai-v2', 'Authorize v2', f.alice.did);
  other = GovernanceProposal.create('authorize-model', 'did:pqaid:medical-ai-v2', 'Authorize v2', f.alice.did);
});

describe('VoteTally', () => {
  it('counts approve, reject and abstain weight once per did', async () => {
    const t = new VoteTally(proposal, f.registry);
    expect(await t.add(await f.alice.castVote(proposal, 'approve'))).toBe('counted');
    expect(await t.add(await f.dave.castVote(proposal, 'reject'))).toBe('counted');
    expect(await t.add(await f.eve.castVote(proposal, 'abstain'))).toBe('counted');
    expect([t.approveWeight, t.rejectWeight, t.abstainWeight, t.totalCastWeight()]).toEqual([1, 2, 1, 4]);
    expect(t.validVotes).toHaveLength(3);
    expect(t.includedVoteIds()).toEqual(t.validVotes.map((v) => v.vote.voteId).sort());
    expect(t.toJSON()).toMatchObject({ validVoteCount: 3, invalidVoteCount: 0 });
  });

  it('an identical repeat (even a new vote id) is idempotent', async () => {
    const t = new VoteTally(proposal, f.registry);
    await t.add(await f.dave.castVote(proposal, 'approve'));
    expect(await t.add(await f.dave.castVote(proposal, 'approve', 'again'))).toBe('duplicate');
    expect(t.approveWeight).toBe(2);
    expect(t.validVotes).toHaveLength(1);
  });

  it('records "proposal hash mismatch" for a vote on an edited proposal', async () => {
    const t = new VoteTally(proposal, f.registry);
    const bogus = await f.alice.signVote(Vote.create(proposal.proposalId, '0'.repeat(64), f.alice.did, 'approve'));
    expect(await t.add(bogus)).toBe('rejected');
    expect(t.invalidVotes.map((r) => r.reason)).toEqual(['proposal hash mismatch']);
    expect(t.approveWeight).toBe(0);
  });

  it('records "proposal id mismatch" when only the id differs', async () => {
    const t = new VoteTally(proposal, f.registry);
    const v = await f.alice.signVote(Vote.create('urn:other', proposal.proposalHash(), f.alice.did, 'approve'));
    expect(await t.add(v)).toBe('rejected');
    expect(t.invalidVotes[0]!.reason).toBe('proposal id mismatch');
  });

  it('rejects a vote replayed from another proposal (cross-proposal replay)', async () => {
    const t = new VoteTally(proposal, f.registry);
    const v = await f.bob.castVote(other, 'approve');
    expect(await t.add(v)).toBe('rejected');
    expect(t.invalidVotes[0]!.reason).toBe('proposal hash mismatch');
    // Even if the attacker rewrites the binding, the signature no longer verifies.
    const rebound = SignedVote.fromEnvelope(tamperVote(v.envelope, (b) => { b['proposalId'] = proposal.proposalId; b['proposalHash'] = proposal.proposalHash(); }));
    expect(await t.add(rebound)).toBe('rejected');
    expect(t.invalidVotes[1]!.reason).toBe('invalid signature');
    expect(t.totalCastWeight()).toBe(0);
  });

  it('records "invalid signature" for a tampered vote, a flipped signature bit, or a vote signed by someone else', async () => {
    const t = new VoteTally(proposal, f.registry);
    const v = await f.carol.castVote(proposal, 'approve', 'ok');
    // (tamperVote re-derives the content id, or decoding alone would refuse the edit.)
    await t.add(SignedVote.fromEnvelope(tamperVote(v.envelope, (b) => { b['rationale'] = 'TAMPERED'; })));
    await t.add(SignedVote.fromEnvelope(flipSignatureBit(v.envelope)));
    // Bob signs a vote naming carol as voter: a valid signature, but not by the voter.
    const forged = SignedVote.fromEnvelope(await signEnvelope(v.vote.body(), VOTE_PAYLOAD_TYPE, [f.bob.identity]));
    await t.add(forged);
    expect(t.invalidVotes.map((r) => r.reason)).toEqual(['invalid signature', 'invalid signature', 'invalid signature']);
    expect(t.approveWeight).toBe(0);
  });

  it('records "non-member voter" for a signed vote by an unregistered node', async () => {
    const mallory = await makeNode('mallory');
    const t = new VoteTally(proposal, f.registry);
    expect(await t.add(await mallory.castVote(proposal, 'approve'))).toBe('rejected');
    expect(t.invalidVotes[0]!.reason).toBe('non-member voter');
  });

  it('a conflicting repeat raises ByzantineDetectedError with evidence a third party verifies', async () => {
    const t = new VoteTally(proposal, f.registry);
    const first = await f.eve.castVote(proposal, 'approve');
    const second = await f.eve.castVote(proposal, 'reject');
    await t.add(first);
    const err = await t.add(second).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ByzantineDetectedError);
    const e = err as ByzantineDetectedError;
    expect(e.code).toBe('ERR_BYZANTINE_DETECTED');
    expect(e.message).toBe(`voter ${f.eve.did} cast conflicting votes: approve then reject`);
    expect(e.evidence.first.envelope).toEqual(first.envelope);
    expect(e.evidence.second.envelope).toEqual(second.envelope);
    // The third party only has the JSON.
    const wire = JSON.parse(JSON.stringify(byzantineEvidenceToJSON(e.evidence))) as unknown;
    expect(await verifyByzantineEvidence(wire)).toEqual({ valid: true });
    expect(await verifyByzantineEvidence(e.evidence)).toEqual({ valid: true });
    // The equivocator's weight is withdrawn and later votes refused.
    expect(t.approveWeight + t.rejectWeight).toBe(0);
    expect(t.evidence).toHaveLength(1);
    expect(await t.add(await f.eve.castVote(proposal, 'approve'))).toBe('rejected');
    expect(t.invalidVotes.at(-1)!.reason).toBe('byzantine voter');
  });

  it('the final tally does not depend on vote order, even with an equivocator', async () => {
    const votes = [
      await f.alice.castVote(proposal, 'approve'), await f.eve.castVote(proposal, 'approve'),
      await f.dave.castVote(proposal, 'reject'), await f.eve.castVote(proposal, 'reject'),
    ];
    const run = async (order: number[]): Promise<number[]> => {
      const t = new VoteTally(proposal, f.registry);
      for (const i of order) {
        await t.add(votes[i]!).catch((e: unknown) => {
          if (!(e instanceof ByzantineDetectedError)) throw e;
        });
      }
      return [t.approveWeight, t.rejectWeight, t.abstainWeight];
    };
    const expected = await run([0, 1, 2, 3]);
    expect(expected).toEqual([1, 2, 0]);
    for (const order of [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) expect(await run(order)).toEqual(expected);
  });

  it('forged evidence is rejected', async () => {
    const a = await f.bob.castVote(proposal, 'approve');
    const r = await f.bob.castVote(proposal, 'reject');
    const good = byzantineEvidenceToJSON({ voterDid: f.bob.did, proposalId: proposal.proposalId, proposalHash: proposal.proposalHash(), first: a, second: r });
    expect((await verifyByzantineEvidence(good)).valid).toBe(true);
    const cases: [string, unknown][] = [
      ['same decision', { ...good, votes: [a.envelope, (await f.bob.castVote(proposal, 'approve')).envelope] }],
      ['tampered second vote', { ...good, votes: [a.envelope, tamperVote(r.envelope, (b) => { b['rationale'] = 'x'; })] }],
      ['forged decision flip', { ...good, votes: [a.envelope, tamperVote(a.envelope, (b) => { b['decision'] = 'reject'; })] }],
      ['other voter', { ...good, votes: [a.envelope, (await f.carol.castVote(proposal, 'reject')).envelope] }],
      ['wrong accused', { ...good, voterDid: f.carol.did }],
      ['different proposals', { ...good, votes: [a.envelope, (await f.bob.castVote(other, 'reject')).envelope] }],
      ['wrong claimed hash', { ...good, proposalHash: '0'.repeat(64) }],
      ['one vote', { ...good, votes: [a.envelope] }],
      ['garbage', { type: 'duplicate-vote', votes: [1, 2] }],
      ['not an object', 'evidence'],
      ['null', null],
    ];
    for (const [name, ev] of cases) {
      const v = await verifyByzantineEvidence(ev);
      expect(v.valid, name).toBe(false);
      expect(typeof v.reason, name).toBe('string');
    }
  });

  it('refuses non-SignedVote input and bad constructor arguments', async () => {
    const t = new VoteTally(proposal, f.registry);
    await expect(t.add({} as SignedVote)).rejects.toThrow(TypeError);
    expect(() => new VoteTally({} as GovernanceProposal, f.registry)).toThrow(TypeError);
    expect(() => new VoteTally(proposal, {} as NodeRegistry)).toThrow(TypeError);
  });

  it('concurrent conflicting adds still detect the equivocation', async () => {
    const t = new VoteTally(proposal, f.registry);
    const node: GovernanceNode = f.carol;
    const results = await Promise.allSettled([t.add(await node.castVote(proposal, 'approve')), t.add(await node.castVote(proposal, 'reject'))]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(t.evidence).toHaveLength(1);
  });
});
