// RegistryHistory: membership changes only by a passed, re-verifiable add-node / remove-node result
// decided under the current version; every rejection path leaves the history unchanged; strict JSON
// round trip that re-verifies every transition from genesis.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ConsensusRound, GovernanceError, GovernanceNode, GovernanceProposal, NodeRegistry, QuorumPolicy, REGISTRY_HISTORY_FORMAT,
  RegistryHistory, RegistryTransitionError, UnknownNodeError, verifyResultOffline, type RegistryHistoryJSON, type RegistryTransitionRejection,
} from '../../src/governance/index.js';
import { fiveNodes, makeNode, tamperPayload } from './_fixtures.js';
import { decideOn, forgeResult, type Decided } from './_history-fixtures.js';
import { ConsensusResult } from '../../src/governance/result.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
let frank: GovernanceNode;
let grace: GovernanceNode;
beforeAll(async () => {
  f = await fiveNodes();
  frank = await makeNode('frank', 3);
  grace = await makeNode('grace');
});

const fresh = (): RegistryHistory => RegistryHistory.create(f.nodes);

async function expectRejected(history: RegistryHistory, d: Decided | Promise<void>, rejection: RegistryTransitionRejection): Promise<void> {
  const before = JSON.stringify(history.toJSON());
  const p = d instanceof Promise ? d : history.apply(d);
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RegistryTransitionError);
  expect((err as RegistryTransitionError).rejection).toBe(rejection);
  expect((err as RegistryTransitionError).code).toBe('ERR_GOVERNANCE');
  expect(JSON.stringify(history.toJSON())).toBe(before);
}

describe('RegistryHistory genesis', () => {
  it('version 0 holds the members with weights and keys; views are copies', () => {
    const h = fresh();
    expect(h.version).toBe(0);
    expect(h.membersAt().map((m) => m.did)).toEqual(f.registry.listDids());
    expect(h.totalWeightAt(0)).toBe(6);
    expect(h.memberAt(f.dave.did)).toEqual({ did: f.dave.did, name: 'dave', weight: 2, publicKey: f.dave.toJSON().publicKey });
    expect(h.isMemberAt(frank.did)).toBe(false);
    const reg = h.registryAt(0);
    reg.remove(f.alice.did);
    expect(h.isMemberAt(f.alice.did, 0)).toBe(true);
    expect(() => h.membersAt(1)).toThrow(RangeError);
    expect(() => h.membersAt(-1)).toThrow(RangeError);
    expect(h.genesisHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(RegistryHistory.create([...f.nodes].reverse()).genesisHash()).toBe(h.genesisHash());
  });

  it('refuses malformed genesis', () => {
    const rec = RegistryHistory.addNodeParameters(f.alice);
    expect(() => RegistryHistory.create([])).toThrow(RangeError);
    expect(() => RegistryHistory.create('x' as never)).toThrow(TypeError);
    expect(() => RegistryHistory.create([f.alice, f.alice])).toThrow(RangeError);
    expect(() => RegistryHistory.create([{ ...rec, did: f.bob.did }])).toThrow(/did:pqaid of "publicKey"/);
    expect(() => RegistryHistory.create([{ ...rec, publicKey: 'AAAA' }])).toThrow(/ML-DSA-44\/65\/87/);
    expect(() => RegistryHistory.create([{ ...rec, publicKey: '%%' }])).toThrow(/base64/);
    expect(() => RegistryHistory.create([{ ...rec, weight: -1 }])).toThrow(TypeError);
    expect(() => RegistryHistory.create([{ ...rec, name: '' }])).toThrow(TypeError);
    expect(() => RegistryHistory.create([{ ...rec, extra: 1 } as never])).toThrow(/unexpected field/);
    expect(() => RegistryHistory.create([{ ...rec, weight: Number.MAX_SAFE_INTEGER }, f.bob])).toThrow(RangeError);
  });

  it('refuses a genesis whose total weight is 0 (no round could ever pass), from create and fromJSON', async () => {
    const zero = [f.alice, f.bob].map((n) => ({ ...RegistryHistory.addNodeParameters(n), weight: 0 }));
    expect(() => RegistryHistory.create(zero)).toThrow(RangeError);
    expect(() => RegistryHistory.create(zero)).toThrow('"genesis" total weight is 0');
    const json = { ...RegistryHistory.create([f.alice]).toJSON(), genesis: [...zero].sort((a, b) => (a.did < b.did ? -1 : 1)) };
    await expect(RegistryHistory.fromJSON(json)).rejects.toThrow(GovernanceError);
    await expect(RegistryHistory.fromJSON(json)).rejects.toThrow(/total weight is 0/);
    // One member with weight suffices.
    expect(RegistryHistory.create([...zero.slice(1), RegistryHistory.addNodeParameters(f.alice)]).totalWeightAt()).toBe(1);
  });
});

describe('RegistryHistory transitions', () => {
  it('add-node then remove-node by consensus: versions advance, rounds bind registryVersion', async () => {
    const h = fresh();
    const add = await decideOn(h, 'add-node', frank.did, RegistryHistory.addNodeParameters(frank), f.nodes, f.alice);
    expect([add.result.decision, add.result.registryVersion]).toEqual(['passed', 0]);
    expect(add.result.policy).toEqual(new QuorumPolicy().toJSON());
    expect(await h.apply(add)).toBe(1);
    expect([h.version, h.totalWeightAt(), h.isMemberAt(frank.did), h.isMemberAt(frank.did, 0)]).toEqual([1, 9, true, false]);
    expect(h.appliedProposalIds()).toEqual([add.proposal.proposalId]);

    // Frank now votes (weight 3); eve is removed with frank's help.
    const rm = await decideOn(h, 'remove-node', f.eve.did, RegistryHistory.removeNodeParameters(f.eve.did), [f.alice, f.bob, f.dave, frank], frank);
    expect([rm.result.registryVersion, rm.result.approveWeight, rm.result.totalWeight]).toEqual([1, 7, 9]);
    expect(await h.apply(rm)).toBe(2);
    expect(h.isMemberAt(f.eve.did)).toBe(false);
    expect(h.isMemberAt(f.eve.did, 1)).toBe(true);

    // A removed node's vote no longer counts, and it cannot coordinate.
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:m', 't', f.alice.did);
    const round = new ConsensusRound({ proposal: p, history: h });
    expect(await round.cast(await f.eve.castVote(p, 'approve'))).toBe('rejected');
    expect(round.tally.invalidVotes[0]!.reason).toBe('non-member voter');
    await expect(round.finalize(f.eve)).rejects.toThrow(UnknownNodeError);

    // Both results still re-verify offline at their own versions.
    expect((await verifyResultOffline(add.result, add.votes, h)).valid).toBe(true);
    expect((await verifyResultOffline(rm.result, rm.votes, h)).valid).toBe(true);
  });

  it('every rejection path leaves the history unchanged', async () => {
    const h = fresh();
    const addFrank = RegistryHistory.addNodeParameters(frank);
    // failed result
    await expectRejected(h, await decideOn(h, 'add-node', frank.did, addFrank, f.nodes, f.alice, 'reject'), 'not-passed');
    // wrong kind
    await expectRejected(h, await decideOn(h, 'authorize-model', frank.did, addFrank, f.nodes, f.alice), 'not-membership-kind');
    // adding an existing member
    await expectRejected(h, await decideOn(h, 'add-node', f.bob.did, RegistryHistory.addNodeParameters(f.bob), f.nodes, f.alice), 'already-member');
    // removing a non-member
    await expectRejected(h, await decideOn(h, 'remove-node', frank.did, { did: frank.did }, f.nodes, f.alice), 'not-member');
    // bad parameters: subject mismatch, missing key, extra key, remove with extra key
    await expectRejected(h, await decideOn(h, 'add-node', grace.did, addFrank, f.nodes, f.alice), 'bad-parameters');
    await expectRejected(h, await decideOn(h, 'add-node', frank.did, { did: frank.did, name: 'frank', weight: 3 }, f.nodes, f.alice), 'bad-parameters');
    await expectRejected(h, await decideOn(h, 'add-node', frank.did, { ...addFrank, admin: true }, f.nodes, f.alice), 'bad-parameters');
    await expectRejected(h, await decideOn(h, 'remove-node', f.eve.did, { did: f.eve.did, why: 'x' }, f.nodes, f.alice), 'bad-parameters');
    // result for another proposal
    const good = await decideOn(h, 'add-node', frank.did, addFrank, f.nodes, f.alice);
    const other = await decideOn(h, 'add-node', grace.did, RegistryHistory.addNodeParameters(grace), f.nodes, f.alice);
    await expectRejected(h, { ...good, result: other.result }, 'proposal-mismatch');
    // votes missing / of another proposal / tampered result → does not re-verify
    await expectRejected(h, { ...good, votes: good.votes.slice(1) }, 'invalid-result');
    await expectRejected(h, { ...good, votes: other.votes }, 'invalid-result');
    const tampered = ConsensusResult.fromEnvelope(tamperPayload(good.result.envelope!, (b) => { b['decidedAt'] = '2030-01-01T00:00:00Z'; }));
    await expectRejected(h, { ...good, result: tampered }, 'invalid-result');
    // coordinator lies: claims passed on too little weight, genuinely signed by a member
    const few = await decideOn(h, 'add-node', frank.did, addFrank, [f.alice, f.bob], f.alice);
    expect(few.result.decision).toBe('rejected');
    const lie = await forgeResult({ ...few.result.body(), decision: 'passed', reason: 'quorum met, supermajority approve' }, f.alice);
    await expectRejected(h, { ...few, result: lie }, 'invalid-result');
    // legacy round (plain registry): no registryVersion / no policy
    const legacyP = GovernanceProposal.create('add-node', frank.did, 't', f.alice.did, { parameters: addFrank });
    const legacy = new ConsensusRound({ proposal: legacyP, registry: f.registry });
    for (const n of f.nodes) await legacy.cast(await n.castVote(legacyP, 'approve'));
    await expectRejected(h, { proposal: legacyP, result: await legacy.finalize(f.alice), votes: legacy.tally.validVotes }, 'missing-version');
    const vRound = new ConsensusRound({ proposal: legacyP, registry: f.registry, registryVersion: 0 });
    for (const n of f.nodes) await vRound.cast(await n.castVote(legacyP, 'approve'));
    await expectRejected(h, { proposal: legacyP, result: await vRound.finalize(f.alice), votes: vRound.tally.validVotes }, 'wrong-policy');

    // the good one applies; applying it again is a duplicate; a result decided at v0 is now stale
    expect(await h.apply(good)).toBe(1);
    await expectRejected(h, good, 'duplicate');
    await expectRejected(h, other, 'wrong-version');
    await expect(h.apply({ ...good, votes: 'x' as never })).rejects.toThrow(TypeError);
    await expect(h.apply({ ...good, proposal: {} as never })).rejects.toThrow(TypeError);
    await expect(h.apply(null as never)).rejects.toThrow(TypeError);
  });

  it('cannot remove the last member or the last voting weight', async () => {
    const solo = RegistryHistory.create([f.alice]);
    await expectRejected(solo, await decideOn(solo, 'remove-node', f.alice.did, { did: f.alice.did }, [f.alice], f.alice), 'last-member');
    const zeroBob = new GovernanceNode({ identity: f.bob.identity, name: 'bob', weight: 0 });
    const two = RegistryHistory.create([f.alice, zeroBob]);
    await expectRejected(two, await decideOn(two, 'remove-node', f.alice.did, { did: f.alice.did }, [f.alice], f.alice), 'last-member');
  });

  it('a round against a history refuses conflicting registry/version/policy options', () => {
    const h = fresh();
    const p = GovernanceProposal.create('add-node', frank.did, 't', f.alice.did);
    expect(() => new ConsensusRound({ proposal: p, history: h, registry: new NodeRegistry() })).toThrow(TypeError);
    expect(() => new ConsensusRound({ proposal: p, history: h, registryVersion: 3 })).toThrow(RangeError);
    expect(() => new ConsensusRound({ proposal: p, history: h, policy: new QuorumPolicy({ minApproval: { numerator: 1, denominator: 2 } }) })).toThrow(RangeError);
    expect(() => new ConsensusRound({ proposal: p, history: {} as never })).toThrow(TypeError);
    expect(new ConsensusRound({ proposal: p, history: h, registryVersion: 0, policy: new QuorumPolicy() }).history).toBe(h);
  });
});

describe('RegistryHistory JSON', () => {
  let h: RegistryHistory;
  let json: RegistryHistoryJSON;
  beforeAll(async () => {
    h = fresh();
    await h.apply(await decideOn(h, 'add-node', frank.did, RegistryHistory.addNodeParameters(frank), f.nodes, f.alice));
    await h.apply(await decideOn(h, 'remove-node', f.eve.did, { did: f.eve.did }, [f.alice, f.bob, f.dave, frank], f.bob));
    json = JSON.parse(JSON.stringify(h));
  });

  it('round trips (object and text) and re-verifies from genesis', async () => {
    expect(json.format).toBe(REGISTRY_HISTORY_FORMAT);
    expect(json.transitions.map((t) => t.version)).toEqual([1, 2]);
    for (const src of [json, JSON.stringify(json)]) {
      const back = await RegistryHistory.fromJSON(src);
      expect(back.version).toBe(2);
      expect(JSON.stringify(back)).toBe(JSON.stringify(h));
      expect(back.genesisHash()).toBe(h.genesisHash());
      expect(back.membersAt(1)).toEqual(h.membersAt(1));
    }
  });

  it('refuses tampered or malformed histories', async () => {
    const edit = (fn: (j: Record<string, any>) => void): unknown => {
      const j = JSON.parse(JSON.stringify(json));
      fn(j);
      return j;
    };
    const cases: [string, unknown, new (...args: never[]) => Error][] = [
      ['vote dropped', edit((j) => j.transitions[0].votes.pop()), RegistryTransitionError],
      ['transitions swapped', edit((j) => j.transitions.reverse()), GovernanceError],
      ['proposal edited', edit((j) => { j.transitions[1].proposal.title = 'x'; }), RegistryTransitionError],
      ['proposal with status', edit((j) => { j.transitions[1].proposal.status = 'passed'; }), GovernanceError],
      ['genesis member removed', edit((j) => j.genesis.pop()), RegistryTransitionError],
      ['genesis unsorted', edit((j) => j.genesis.reverse()), GovernanceError],
      ['genesis weight edited', edit((j) => { j.genesis[0].weight = 50; }), RegistryTransitionError],
      ['policy edited', edit((j) => { j.policy.minApproval = { numerator: 1, denominator: 2 }; }), RegistryTransitionError],
      ['policy extra key', edit((j) => { j.policy.minApproval.x = 1; }), GovernanceError],
      ['wrong format', edit((j) => { j.format = 'v0'; }), GovernanceError],
      ['extra key', edit((j) => { j.extra = 1; }), GovernanceError],
      ['version gap', edit((j) => { j.transitions[0].version = 5; }), GovernanceError],
      // One stored form per transition: genuine signatures re-laid are refused too.
      ['result signature entry duplicated', edit((j) => { j.transitions[0].result.signatures.push(j.transitions[0].result.signatures[0]); }), GovernanceError],
      ['vote signature entry duplicated', edit((j) => { j.transitions[0].votes[0].signatures.push(j.transitions[0].votes[0].signatures[0]); }), GovernanceError],
      ['embedded key dropped', edit((j) => { delete j.transitions[0].votes[0].signatures[0].publicKey; }), GovernanceError],
      ['votes reordered', edit((j) => j.transitions[0].votes.reverse()), GovernanceError],
      ['not JSON', '{"format":', GovernanceError],
      ['duplicate key', '{"format":1,"format":2}', GovernanceError],
    ];
    for (const [name, input, type] of cases) {
      const err = await RegistryHistory.fromJSON(input).then(() => null, (e: unknown) => e);
      expect(err, name).toBeInstanceOf(type);
    }
  });

  it('garbage is either rejected with a GovernanceError or is a valid history that round-trips (property)', async () => {
    const keys = ['format', 'policy', 'genesis', 'transitions'];
    const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, fc.anything()])));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.json(), shaped, fc.constantFrom(...keys).chain((k) => fc.anything().map((v) => ({ ...json, [k]: v })))), async (g) => {
        const r = await RegistryHistory.fromJSON(g).then((h) => h, (e: unknown) => e);
        // A replaced field can land on a valid value (e.g. `transitions: []`); then it must round-trip.
        if (r instanceof RegistryHistory) expect(JSON.parse(JSON.stringify(r))).toEqual(g);
        else expect(r).toBeInstanceOf(GovernanceError);
      }),
      { numRuns: 300 },
    );
  });
});
