// GovernanceStore on DurableStore: rows come back exactly as the service stored them (no
// re-validation on read), a decided round's writes land together, grants replay in decision order
// whatever order results arrived in, a superseded result is kept as evidence, and databases from
// before schema versions (the old vote-id format) or from a newer quorumkit are refused.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/core/canonical-json.js';
import { isQuorumkitError } from '../../../src/core/errors.js';
import { fixedClock } from '../../../src/core/clock.js';
import { byzantineEvidenceToJSON, ConsensusRound, RegistryHistory, type GovernanceProposal } from '../../../src/governance/index.js';
import { GovernanceStore, type ProposalRow } from '../../../src/governance/server/index.js';
import { makeNet, signedProposal, tempDir, type Net } from './_nodes.js';

let net: Net;
let history: RegistryHistory;
beforeAll(async () => {
  net = await makeNet();
  history = await RegistryHistory.fromJSON(net.genesis);
});

/** A signed result of `p` decided at `at` with votes of members `voters` (approve). */
async function decide(p: GovernanceProposal, voters: number[], at: string) {
  const round = new ConsensusRound({ proposal: p, history, clock: fixedClock(at) });
  for (const i of voters) await round.replay(await net.nodes[i]!.castVote(p, 'approve'));
  const result = await round.finalize(net.nodes[0]!);
  return { result, votes: round.tally.validVotes.map((v) => v.envelope) };
}

const record = (row: ProposalRow, d: Awaited<ReturnType<typeof decide>>) => ({
  proposal: row, decision: d.result.decision, reason: d.result.reason, decidedAt: d.result.decidedAt, envelope: d.result.envelope!, votes: d.votes, registry: null,
});

describe('GovernanceStore', () => {
  it('keeps proposals, votes, evidence and the queue as given, and lists by status and kind', async () => {
    const store = GovernanceStore.open(':memory:');
    const p = await signedProposal(net, 'authorize-model', 'did:pqaid:model-1');
    const q = await signedProposal(net, 'revoke-agent', 'did:pqaid:agent-1');
    const v1 = await net.nodes[1]!.castVote(p, 'approve');
    const v2 = await net.nodes[1]!.castVote(p, 'reject');
    await store.commit(() => {
      store.insertProposal(p, 0);
      store.insertProposal(q, 3);
      store.insertVote(v1);
      store.insertVote(v2);
      store.insertEvidence(byzantineEvidenceToJSON({ voterDid: net.ids[1]!.did, proposalId: p.proposalId, proposalHash: p.proposalHash(), first: v1, second: v2 }));
      store.enqueue(p.proposalId, '2026-01-01T00:00:00Z');
      store.enqueue(p.proposalId, '2026-01-01T00:00:01Z'); // idempotent: the first time stays
    });
    expect(store.proposal(p.proposalId)).toEqual({
      proposalId: p.proposalId, proposalHash: p.proposalHash(), kind: 'authorize-model', subjectId: 'did:pqaid:model-1', title: p.title, expiresAt: p.expiresAt, status: 'open', registryVersion: 0,
    });
    expect(canonicalize(store.proposalEnvelope(p.proposalId))).toBe(canonicalize(p.envelope));
    expect(store.proposal('urn:none')).toBeUndefined();
    expect(store.votes(p.proposalId)).toEqual([v1.envelope, v2.envelope]);
    expect(store.hasVote(v1.vote.voteId)).toBe(true);
    expect(store.evidence(p.proposalId)).toHaveLength(1);
    expect(store.queued()).toEqual([{ proposalId: p.proposalId, queuedAt: '2026-01-01T00:00:00Z', proposal: store.proposalEnvelope(p.proposalId) }]);
    expect(store.proposals({ kind: 'revoke-agent' }).map((r) => r.registryVersion)).toEqual([3]);
    expect(store.proposals({ status: 'open', limit: 1 }).map((r) => r.proposalId)).toEqual([p.proposalId]);
    expect(store.proposals({ status: 'passed' })).toEqual([]);
    await store.commit(() => expect(store.dequeue(p.proposalId)).toBe(true));
    expect(store.queued()).toEqual([]);
    await store.close();
  });

  it('records a decided round in one transaction, and replays grants in decision order, not arrival order', async () => {
    const store = GovernanceStore.open(':memory:');
    const subject = 'did:pqaid:ordered';
    const authorize = await signedProposal(net, 'authorize-model', subject);
    const revoke = await signedProposal(net, 'revoke-model', subject);
    await store.commit(() => {
      store.insertProposal(authorize, 0);
      store.insertProposal(revoke, 0);
      store.enqueue(revoke.proposalId, 'now');
    });
    const late = await decide(revoke, [0, 1, 2, 3], '2026-03-02T00:00:00Z');
    const early = await decide(authorize, [0, 1, 2, 3], '2026-03-01T00:00:00Z');
    await store.commit(() => store.insertResult(record(store.proposal(revoke.proposalId)!, late)));
    await store.commit(() => store.insertResult(record(store.proposal(authorize.proposalId)!, early)));
    expect(store.proposal(revoke.proposalId)!.status).toBe('passed');
    expect(store.queued()).toEqual([]);
    expect(store.grants(subject).map((g) => g.kind)).toEqual(['authorize-model', 'revoke-model']);
    expect(store.result(authorize.proposalId)).toEqual({ envelope: early.result.envelope, votes: early.votes });
    expect(store.freezeGrants()).toEqual([]);
    // A failing write inside the commit leaves nothing behind.
    await expect(store.commit(() => store.insertResult(record(store.proposal(authorize.proposalId)!, early)))).rejects.toThrow(/UNIQUE/);
    expect(store.grants(subject)).toHaveLength(2);
    await store.close();
  });

  it('a superseded result is kept as evidence; status and grant follow the superseding one', async () => {
    const store = GovernanceStore.open(':memory:');
    const p = await signedProposal(net, 'authorize-agent', 'did:pqaid:agent-s');
    await store.commit(() => store.insertProposal(p, 0));
    const partial = await decide(p, [], '2026-03-01T00:00:00Z'); // participation 0/6: rejected
    const full = await decide(p, [0, 1, 2, 3], '2026-03-01T00:01:00Z');
    const row = store.proposal(p.proposalId)!;
    await store.commit(() => store.insertResult(record(row, partial)));
    expect(store.grants('did:pqaid:agent-s').map((g) => g.decision)).toEqual(['rejected']);
    expect(store.participationFailures(10)).toEqual([p.proposalId]);
    await store.commit(() => store.supersedeResult(record(row, full)));
    expect(store.result(p.proposalId)!.envelope).toEqual(full.result.envelope);
    expect(store.participationFailures(10)).toEqual([]);
    expect(store.supersededResults(p.proposalId)).toEqual([{ envelope: partial.result.envelope, votes: [] }]);
    expect(store.proposal(p.proposalId)!.status).toBe('passed');
    expect(store.grants('did:pqaid:agent-s').map((g) => [g.decision, g.decidedAt])).toEqual([['passed', full.result.decidedAt]]);
    await store.close();
  });

  it('refuses a governance database from before schema versions (old vote-id format) and one from a newer quorumkit', () => {
    const dir = tempDir('store-versions');
    const old = join(dir, 'old.db');
    const db = new DatabaseSync(old);
    db.exec('CREATE TABLE votes (seq INTEGER PRIMARY KEY AUTOINCREMENT, vote_id TEXT NOT NULL UNIQUE, envelope TEXT NOT NULL)');
    db.close();
    const refused = (path: string): Error => {
      try {
        GovernanceStore.open(path);
      } catch (e) {
        expect(isQuorumkitError(e, 'ERR_IO')).toBe(true);
        return e as Error;
      }
      throw new Error('opened');
    };
    expect(refused(old).message).toMatch(/governance store .* without schema versions; its format cannot be migrated/);
    const newer = join(dir, 'newer.db');
    GovernanceStore.open(newer).close();
    const n = new DatabaseSync(newer);
    n.exec('PRAGMA user_version = 99');
    n.close();
    expect(refused(newer).message).toMatch(/schema version 99, newer than this quorumkit knows \(1\)/);
  });
});
