// verifyResultOffline: re-checks a result from genesis + artifacts only — coordinator and vote
// signatures, membership AT the result's registry version, votes == includedVoteIds bound to the
// proposal, recomputed tally and policy decision. Never throws; 100-vote rounds; cost next to raw
// ML-DSA verification.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/core/bytes.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import { pae } from '../../src/envelope/pae.js';
import { base64Decode } from '../../src/core/bytes.js';
import { verifySignature } from '../../src/pq/ml-dsa.js';
import { Identity } from '../../src/pq/identity.js';
import {
  ConsensusRound, GovernanceNode, GovernanceProposal, MAX_OFFLINE_REASONS, QuorumPolicy, RegistryHistory, SignedVote, VOTE_PAYLOAD_TYPE,
  verifyResultOffline, type OfflineVerification,
} from '../../src/governance/index.js';
import { fiveNodes, flipSignatureBit, makeNode, tamperPayload, tamperVote } from './_fixtures.js';
import { decideOn, forgeResult, type Decided } from './_history-fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
let h: RegistryHistory;
let frank: GovernanceNode;
let d0: Decided; // authorize-model at version 0, 5 voters
beforeAll(async () => {
  f = await fiveNodes();
  frank = await makeNode('frank', 3);
  h = RegistryHistory.create(f.nodes);
  d0 = await decideOn(h, 'authorize-model', 'did:pqaid:m', {}, f.nodes, f.carol, (n) => (n === f.eve ? 'reject' : 'approve'));
});

function expectInvalid(v: OfflineVerification, pattern: RegExp): void {
  expect(v.valid).toBe(false);
  expect(v.reasons.join('\n')).toMatch(pattern);
}

describe('verifyResultOffline', () => {
  it('accepts a genuine result and recomputes its tally (objects or wire JSON)', async () => {
    const v = await verifyResultOffline(d0.result, d0.votes, h);
    expect(v).toMatchObject({ valid: true, reasons: [] });
    expect(v.tally).toMatchObject({ registryVersion: 0, approveWeight: 5, rejectWeight: 1, abstainWeight: 0, totalWeight: 6, countedVotes: 5, passed: true, reason: 'quorum met, supermajority approve' });
    const wire = JSON.parse(JSON.stringify({ result: d0.result.envelope, votes: d0.votes }));
    expect((await verifyResultOffline(wire.result, wire.votes, h)).valid).toBe(true);
    expect((await verifyResultOffline(d0.result, [...d0.votes].reverse(), h, { proposal: d0.proposal, policy: new QuorumPolicy() })).valid).toBe(true);
    expect((await verifyResultOffline(d0.result, d0.votes, h, { policy: { minParticipation: { numerator: 4, denominator: 6 }, minApproval: { numerator: 2, denominator: 3 } } })).valid).toBe(true);
  });

  it('rejects wrong, missing, extra, repeated, replayed and tampered votes', async () => {
    const other = await decideOn(h, 'authorize-model', 'did:pqaid:other', {}, f.nodes, f.carol);
    const [v0, v1] = d0.votes as [SignedVote, SignedVote];
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.slice(1), h), /1 of the result's includedVoteIds have no vote envelope/);
    expectInvalid(await verifyResultOffline(d0.result, [...d0.votes, other.votes[0]], h), /proposal id mismatch[\s\S]*not among the result's includedVoteIds/);
    expectInvalid(await verifyResultOffline(d0.result, [...d0.votes, v0], h), /vote id given twice/);
    // cross-proposal replay: bob's vote on another proposal in place of his own
    const bobOther = other.votes.find((v) => v.voterDid === v1.voterDid)!;
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v1 ? bobOther : v)), h), /proposal hash mismatch/);
    // payload edited (decision flipped): its id no longer matches; with the id re-derived, the signature fails
    const edited = tamperPayload(v0.envelope, (b) => { b['decision'] = 'reject'; });
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v0 ? edited : v)), h), /votes\[0\]: vote id is not the SHA3-256 of its body/);
    const flipped = tamperVote(v0.envelope, (b) => { b['decision'] = 'reject'; });
    const flippedId = SignedVote.fromEnvelope(flipped).vote.voteId;
    const listsFlipped = await forgeResult({ ...d0.result.body(), includedVoteIds: d0.result.includedVoteIds.map((id) => (id === v0.vote.voteId ? flippedId : id)) }, f.carol);
    expectInvalid(await verifyResultOffline(listsFlipped, d0.votes.map((v) => (v === v0 ? flipped : v)), h), new RegExp(`votes\\[0\\] \\(${flippedId}\\): signature verification failed`));
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v0 ? flipSignatureBit(v.envelope) : v)), h), /signature verification failed/);
    // a second vote by the same voter under a new id, and the result claiming it
    const again = await f.alice.castVote(d0.proposal, 'approve');
    const forgedIds = await forgeResult({ ...d0.result.body(), includedVoteIds: [...d0.result.includedVoteIds, again.vote.voteId] }, f.carol);
    expectInvalid(await verifyResultOffline(forgedIds, [...d0.votes, again], h), /second vote by the same voter/);
    // a key swap: the entry names the voter's did but carries (and is signed by) another key
    const mallory = await Identity.create('mallory', { level: 44 });
    const swapped = await signEnvelope(v0.vote.body(), VOTE_PAYLOAD_TYPE, [mallory]);
    const forgedKey = { ...swapped, signatures: [{ ...swapped.signatures[0]!, keyid: v0.voterDid }] };
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v0 ? forgedKey : v)), h), /embedded publicKey is not the key the registry holds/);
    const noKey = { ...forgedKey, signatures: [{ keyid: v0.voterDid, alg: 'ML-DSA-44', sig: forgedKey.signatures[0]!.sig }] };
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v0 ? noKey : v)), h), /signature verification failed/);
    const wrongAlg = { ...v0.envelope, signatures: [{ ...v0.envelope.signatures[0]!, alg: 'ML-DSA-65' }] };
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v0 ? wrongAlg : v)), h), /does not match the member's ML-DSA-44 key/);
    // a vote signed by someone else only
    const bySomeoneElse = await signEnvelope(v0.vote.body(), VOTE_PAYLOAD_TYPE, [f.bob.identity]);
    expectInvalid(await verifyResultOffline(d0.result, d0.votes.map((v) => (v === v0 ? bySomeoneElse : v)), h), /not signed by its voter/);
  });

  it('rejects results that lie about the tally, the decision or the coordinator', async () => {
    const body = d0.result.body();
    const lies: [Record<string, unknown>, RegExp][] = [
      [{ approveWeight: 6 }, /approveWeight 6 != recomputed 5/],
      [{ rejectWeight: 0 }, /rejectWeight 0 != recomputed 1/],
      [{ abstainWeight: 1 }, /abstainWeight 1 != recomputed 0/],
      [{ totalWeight: 5 }, /totalWeight 5 != registry version 0 total 6/],
      [{ decision: 'rejected' }, /decision rejected != recomputed passed/],
      [{ reason: 'because' }, /reason "because" != recomputed/],
      [{ policy: { minParticipation: { numerator: 1, denominator: 1 }, minApproval: { numerator: 1, denominator: 1 } } }, /decision passed != recomputed rejected/],
    ];
    for (const [edit, re] of lies) expectInvalid(await verifyResultOffline(await forgeResult({ ...body, ...edit } as never, f.carol), d0.votes, h), re);
    // tampered after signing
    expectInvalid(await verifyResultOffline(tamperPayload(d0.result.envelope!, (b) => { b['approveWeight'] = 6; }), d0.votes, h), /result: signature verification failed/);
    expectInvalid(await verifyResultOffline(flipSignatureBit(d0.result.envelope!), d0.votes, h), /result: signature verification failed/);
    // coordinator not a member at that version
    expectInvalid(await verifyResultOffline(await forgeResult(body, frank), d0.votes, h), /coordinator .* is not a member at registry version 0/);
    // no / unknown registry version
    const { registryVersion: _, ...noVersion } = body;
    expectInvalid(await verifyResultOffline(await forgeResult(noVersion, f.carol), d0.votes, h), /names no registryVersion/);
    expectInvalid(await verifyResultOffline(await forgeResult({ ...body, registryVersion: 9 }, f.carol), d0.votes, h), /registry version 9, unknown/);
    // required policy differs; proposal mismatch
    expectInvalid(await verifyResultOffline(d0.result, d0.votes, h, { policy: new QuorumPolicy({ minApproval: { numerator: 3, denominator: 4 } }) }), /different quorum policy/);
    expectInvalid(await verifyResultOffline(d0.result, d0.votes, h, { policy: { minParticipation: { numerator: 5, denominator: 1 } } as never }), /options.policy is malformed/);
    const other = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 't', f.alice.did);
    expectInvalid(await verifyResultOffline(d0.result, d0.votes, h, { proposal: other }), /not about the given proposal/);
    // result object that disagrees with its envelope; unsigned result
    const { ConsensusResult } = await import('../../src/governance/result.js');
    expectInvalid(await verifyResultOffline(new ConsensusResult({ ...body }), d0.votes, h), /result is not signed/);
  });

  it('checks membership AT the result\'s version, not the current one', async () => {
    const hh = RegistryHistory.create(f.nodes);
    const early = await decideOn(hh, 'authorize-agent', 'did:pqaid:a', {}, f.nodes, f.eve);
    await hh.apply(await decideOn(hh, 'add-node', frank.did, RegistryHistory.addNodeParameters(frank), f.nodes, f.alice));
    await hh.apply(await decideOn(hh, 'remove-node', f.eve.did, { did: f.eve.did }, [f.alice, f.bob, f.dave, frank], f.alice));
    // eve (removed at v2) coordinated and voted at v0: still valid
    expect((await verifyResultOffline(early.result, early.votes, hh)).valid).toBe(true);
    // at v2 frank counts; a result counting eve's v2 vote is invalid
    const p = GovernanceProposal.create('authorize-agent', 'did:pqaid:b', 't', f.alice.did);
    const round = new ConsensusRound({ proposal: p, history: hh });
    for (const n of [f.alice, f.bob, f.dave, frank]) await round.cast(await n.castVote(p, 'approve'));
    const r = await round.finalize(frank);
    expect(r.registryVersion).toBe(2);
    expect((await verifyResultOffline(r, round.tally.validVotes, hh)).tally).toMatchObject({ approveWeight: 7, totalWeight: 8, passed: true });
    const eveVote = await f.eve.castVote(p, 'approve');
    const padded = await forgeResult({ ...r.body(), approveWeight: 8, includedVoteIds: [...r.includedVoteIds, eveVote.vote.voteId] }, frank);
    expectInvalid(await verifyResultOffline(padded, [...round.tally.validVotes, eveVote], hh), /voter is not a member at registry version 2/);
  });

  it('never throws on garbage (property); bounded reasons', async () => {
    const pool = [d0.result, d0.result.envelope, d0.votes, h, null, undefined, 1, 'x', {}, []];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.constantFrom(...pool)), fc.oneof(fc.anything(), fc.constantFrom(...pool), fc.array(fc.anything())), fc.oneof(fc.anything(), fc.constant(h)), async (r, v, hist) => {
        const out = await verifyResultOffline(r, v, hist);
        expect(typeof out.valid).toBe('boolean');
        expect(Array.isArray(out.reasons)).toBe(true);
        if (!(r === d0.result || r === d0.result.envelope) || v !== d0.votes || hist !== h) expect(out.valid).toBe(false);
      }),
      { numRuns: 400 },
    );
    const junk = await verifyResultOffline(d0.result, Array.from({ length: 500 }, () => ({})), h);
    expect(junk.valid).toBe(false);
    expect(junk.reasons.length).toBe(MAX_OFFLINE_REASONS + 1);
    expect(junk.reasons.at(-1)).toMatch(/and \d+ more reasons/);
  });
});

describe('100-node history (ML-DSA-44)', () => {
  it('a 100-node genesis adds a node by a 100-vote round; the result verifies offline', async () => {
    const nodes = await Promise.all(Array.from({ length: 100 }, (_, i) => makeNode(`n${i}`, 1 + (i % 3))));
    const hist = RegistryHistory.create(nodes);
    const newcomer = await makeNode('newcomer', 5);
    const d = await decideOn(hist, 'add-node', newcomer.did, RegistryHistory.addNodeParameters(newcomer), nodes, nodes[0]!, (n) => (n === nodes[1] ? 'reject' : 'approve'));
    expect([d.result.decision, d.result.includedVoteIds.length]).toEqual(['passed', 100]);
    const v = await verifyResultOffline(d.result, d.votes, hist);
    expect(v.valid).toBe(true);
    expect(v.tally!.countedVotes).toBe(100);
    expect(await hist.apply(d)).toBe(1);
    expect(hist.membersAt().length).toBe(101);
    const back = await RegistryHistory.fromJSON(JSON.parse(JSON.stringify(hist)));
    expect(back.totalWeightAt()).toBe(hist.totalWeightAt());
  });

  it('offline verification of a 100-vote ML-DSA-65 result costs little more than 100 raw verifications', async () => {
    const nodes = await Promise.all(Array.from({ length: 100 }, async (_, i) => new GovernanceNode({ identity: await Identity.create(`m${i}`, { level: 65 }), name: `m${i}` })));
    const hist = RegistryHistory.create(nodes);
    const d = await decideOn(hist, 'authorize-model', 'did:pqaid:big', {}, nodes, nodes[0]!);
    const raw = d.votes.map((sv) => ({ sig: base64Decode(sv.envelope.signatures[0]!.sig), msg: pae(sv.envelope.payloadType, base64Decode(sv.envelope.payload)), pk: base64Decode(sv.envelope.signatures[0]!.publicKey!) }));
    const envs = JSON.parse(JSON.stringify({ r: d.result.envelope, v: d.votes }));
    // Baseline and ours alternate, best of 10 each: other test files share the 2 cores, and load that
    // comes and goes must hit both sides alike (measured back to back, the ratio ranged 1.2–2.0).
    const baseRun = async (): Promise<void> => { for (const x of raw) if (!(await verifySignature('ML-DSA-65', x.sig, x.msg, x.pk))) throw new Error('bad'); };
    const oursRun = async (): Promise<void> => { if (!(await verifyResultOffline(envs.r, envs.v, hist)).valid) throw new Error('bad'); };
    let base = Infinity;
    let ours = Infinity;
    for (let i = 0; i < 10; i++) {
      for (const [run, set] of [[baseRun, (t: number) => { base = Math.min(base, t); }], [oursRun, (t: number) => { ours = Math.min(ours, t); }]] as const) {
        const t = performance.now();
        await run();
        set(performance.now() - t);
      }
    }
    const ratio = ours / base;
    console.log(`[bench] offline verify 100 votes: ${ours.toFixed(1)} ms vs 100 raw ML-DSA-65 verifies ${base.toFixed(1)} ms → ratio ${ratio.toFixed(2)} (target ≤ 1.3; ours also checks the result signature)`);
    expect(ratio).toBeLessThan(2); // generous in a unit test (noisy CI); the bench enforces 1.3
    expect(base64Encode(raw[0]!.pk).length).toBeGreaterThan(0);
  });
});
