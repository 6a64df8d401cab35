// Every signed governance artifact keeps its proof through JSON: `JSON.parse(JSON.stringify(x))` of a
// signed proposal, vote, result, Byzantine evidence, authorization grant and registry history still
// verifies with that type's verifier, and `fromJSON` takes it back. Unsigned objects serialize as
// their body. Tests use JSON.parse on purpose (it is what user code does); src parses with parseStrict.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizationGrant, ByzantineDetectedError, ConsensusResult, ConsensusRound, GovernanceError, GovernanceNode, GovernanceProposal,
  RegistryHistory, SignedVote, VoteTally, byzantineEvidenceFromJSON, byzantineEvidenceToJSON, verifyByzantineEvidence,
  verifyConsensusResult, verifyResultOffline, verifySignedVote, type ByzantineEvidence,
} from '../../src/governance/index.js';
import { fiveNodes, flipSignatureBit } from './_fixtures.js';
import { decideOn, type Decided } from './_history-fixtures.js';

const viaJson = <T>(x: unknown): T => JSON.parse(JSON.stringify(x)) as T;

let f: Awaited<ReturnType<typeof fiveNodes>>;
let history: RegistryHistory;
let decided: Decided;
let evidence: ByzantineEvidence;
beforeAll(async () => {
  f = await fiveNodes();
  history = RegistryHistory.create(f.nodes);
  decided = await decideOn(history, 'authorize-model', 'did:pqaid:m-json', { env: 'prod' }, f.nodes, f.carol);
  await f.carol.signProposal(decided.proposal);
  const p = GovernanceProposal.create('authorize-agent', 'did:pqaid:a-json', 't', f.alice.did);
  const tally = new VoteTally(p, f.registry);
  await tally.add(await f.eve.castVote(p, 'approve'));
  const err = await tally.add(await f.eve.castVote(p, 'reject')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ByzantineDetectedError);
  evidence = (err as ByzantineDetectedError).evidence;
});

describe('signed artifacts through JSON', () => {
  it('proposal: JSON carries the envelope; verifyProposal and fromJSON accept it', async () => {
    const json = viaJson<Record<string, unknown>>(decided.proposal);
    expect(json['envelope']).toEqual(decided.proposal.envelope);
    expect(await GovernanceNode.verifyProposal(json as never)).toBe(true);
    expect(GovernanceProposal.fromJSON(json).envelope).toEqual(decided.proposal.envelope);
  });

  it('vote: JSON is the envelope; verifySignedVote and SignedVote.fromEnvelope accept it', async () => {
    const json = viaJson<unknown>(decided.votes[0]);
    expect(await verifySignedVote(json as never)).toBe(true);
    expect(SignedVote.fromEnvelope(json).vote).toEqual(decided.votes[0]!.vote);
  });

  it('result: JSON is the body plus its envelope; verifyConsensusResult, ConsensusRound.verifyResult, fromJSON and verifyResultOffline accept it', async () => {
    const json = viaJson<Record<string, unknown>>(decided.result);
    expect(json).toMatchObject({ ...decided.result.body(), envelope: decided.result.envelope });
    expect(await verifyConsensusResult(json as never)).toBe(true);
    expect(await ConsensusRound.verifyResult(json as never)).toBe(true);
    expect(await verifyConsensusResult(json as never, { trusted: [f.alice.did] })).toBe(false);
    const back = ConsensusResult.fromJSON(json);
    expect([back.body(), back.envelope]).toEqual([decided.result.body(), decided.result.envelope]);
    const offline = await verifyResultOffline(json, viaJson(decided.votes), history, { proposal: decided.proposal });
    expect(offline.reasons).toEqual([]);
    expect(offline.valid).toBe(true);
  });

  it('result: readable fields that differ from the envelope, a tampered envelope, or no envelope never verify', async () => {
    const json = viaJson<Record<string, unknown>>(decided.result);
    const lied = { ...json, decision: 'rejected' };
    expect(await verifyConsensusResult(lied as never)).toBe(false);
    expect(() => ConsensusResult.fromJSON(lied)).toThrow('consensus result fields differ from its signed envelope');
    expect((await verifyResultOffline(lied, decided.votes, history)).reasons).toContain('result fields differ from its signed envelope');
    expect(await verifyConsensusResult({ ...json, envelope: flipSignatureBit(decided.result.envelope!) } as never)).toBe(false);
    const { envelope: _e, ...unsigned } = json;
    expect(await verifyConsensusResult(unsigned as never)).toBe(false);
    expect((await verifyResultOffline(unsigned, decided.votes, history)).reasons).toEqual(['result is not signed']);
    expect(ConsensusResult.fromJSON(unsigned).envelope).toBeUndefined();
    expect(() => ConsensusResult.fromJSON({ ...json, extra: 1 })).toThrow(GovernanceError);
    // An unsigned result serializes as its body.
    expect(viaJson(new ConsensusResult(decided.result.body()))).toEqual(decided.result.body());
  });

  it('Byzantine evidence: JSON is the wire form; verifyByzantineEvidence and byzantineEvidenceFromJSON accept it', async () => {
    const json = viaJson<unknown>(evidence);
    expect(json).toEqual(viaJson(byzantineEvidenceToJSON(evidence)));
    expect(await verifyByzantineEvidence(json)).toEqual({ valid: true });
    const back = byzantineEvidenceFromJSON(json);
    expect(await verifyByzantineEvidence(back)).toEqual({ valid: true });
    expect(viaJson(back)).toEqual(json);
    expect(() => byzantineEvidenceFromJSON({ ...(json as object), extra: 1 })).toThrow(/unexpected field "extra"/);
    expect(() => byzantineEvidenceFromJSON(null)).toThrow(/evidence expected an object, got null/);
  });

  it('authorization grant: JSON keeps the result\'s and proposal\'s envelopes; fromJSON(...).verify() holds', async () => {
    const grant = new AuthorizationGrant({ subjectId: decided.proposal.subjectId, kind: 'authorize-model', result: decided.result, proposal: decided.proposal, scope: { env: 'prod' } });
    const json = viaJson<Record<string, unknown>>(grant);
    const back = AuthorizationGrant.fromJSON(json);
    expect(await back.verify()).toBe(true);
    expect(await back.verify({ trusted: [f.carol.did] })).toBe(true);
    expect([back.scope, back.kind, back.proposal?.envelope]).toEqual([{ env: 'prod' }, 'authorize-model', decided.proposal.envelope]);
    expect(viaJson(back)).toEqual(json);
    // Without the proposal; with a foreign kind; with garbage.
    const bare = AuthorizationGrant.fromJSON(viaJson(new AuthorizationGrant({ subjectId: 'x', kind: 'authorize-model', result: decided.result })));
    expect(await bare.verify()).toBe(true);
    expect(await AuthorizationGrant.fromJSON({ ...json, kind: 'revoke-model' }).verify()).toBe(false);
    for (const bad of [null, [], { ...json, extra: 1 }, { ...json, kind: { toString: 0 } }, { ...json, scope: 'x' }, { ...json, result: {} }]) {
      expect(() => AuthorizationGrant.fromJSON(bad)).toThrow(GovernanceError);
    }
  });

  it('registry history: JSON is the envelopes of every transition; fromJSON re-verifies it', async () => {
    const h = RegistryHistory.create(f.nodes);
    const frank = (await fiveNodes()).alice;
    await h.apply(await decideOn(h, 'add-node', frank.did, RegistryHistory.addNodeParameters(frank), f.nodes, f.alice));
    const back = await RegistryHistory.fromJSON(viaJson(h));
    expect(back.version).toBe(1);
    expect(viaJson(back)).toEqual(viaJson(h));
  });
});
