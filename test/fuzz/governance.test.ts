// Fuzzing quorumkit/governance's parsers and verifiers from the outside (src/governance is being
// rewritten by other work, so this suite reports what it finds instead of fixing it): proposal,
// vote and result envelopes, offline result verification, Byzantine evidence, registry histories,
// vote policies, genesis and peers files — on random JSON and on mutations of genuine artifacts.
// No mutated artifact may verify; every call returns or throws a typed error. Crashes in governance
// code that are already reported are listed in DEFECTS, counted and printed, not failed; anything
// else fails.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/core/bytes.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import type { Envelope } from '../../src/envelope/types.js';
import {
  ConsensusResult, ConsensusRound, GovernanceNode, GovernanceProposal, RegistryHistory, SignedVote, byzantineEvidenceToJSON,
  createByzantineEvidence, verifyByzantineEvidence, verifyConsensusResult, verifyResultOffline, verifySignedVote,
  type ByzantineEvidenceJSON, type RegistryHistoryJSON,
} from '../../src/governance/index.js';
import { VotePolicy, createGenesis, parseGenesis, parsePeers } from '../../src/governance/server/index.js';
import { Identity } from '../../src/pq/identity.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout, type KnownDefect } from './_runs.js';
import { anyValue, jsonText, jsonValue, mutateEnvelope, mutateValue, sameJson } from './_inputs.js';

const T = fuzzTimeout(1000, 30);
const RUNS = fuzzRuns(1500);

/** Crashes already reported to the governance work (see the fuzz report); each counted, not failed. */
const DEFECTS: readonly KnownDefect[] = [
  {
    reason: /Cannot convert object to primitive value/,
    what: 'String() of an attacker object in a governance message (checkWeight _wire.ts, checkFraction policy.ts, kind proposal.ts, decision vote.ts), also wrapped into RegistryHistory.fromJSON messages',
  },
];

let nodes: GovernanceNode[];
let history: RegistryHistory;
let grown: RegistryHistoryJSON; // genesis + one add-node transition
let proposal: GovernanceProposal;
let votes: SignedVote[];
let result: ConsensusResult;
let evidence: ByzantineEvidenceJSON;
/** `payloadType\npayload` of every genuine governance artifact → who signed it. */
const genuine = new Map<string, Set<string>>();

function remember(env: Envelope): void {
  const key = `${env.payloadType}\n${env.payload}`;
  const dids = genuine.get(key) ?? new Set<string>();
  for (const s of env.signatures) dids.add(s.keyid);
  genuine.set(key, dids);
}

function isGenuine(env: unknown): boolean {
  const e = env as Envelope;
  return typeof e?.payloadType === 'string' && genuine.has(`${e.payloadType}\n${e.payload}`);
}

beforeAll(async () => {
  const names = ['alice', 'bob', 'carol', 'dave', 'eve'];
  nodes = await Promise.all(names.map(async (n, i) => new GovernanceNode({ identity: await Identity.create(n, { level: 44 }), name: n, weight: i === 3 ? 2 : 1 })));
  history = RegistryHistory.create(nodes);
  proposal = GovernanceProposal.create('authorize-model', 'did:pqaid:model-x', 'Authorize model x', nodes[0]!.did, { parameters: { env: 'prod', qps: 50, '"': 'deny' } });
  await nodes[0]!.signProposal(proposal);
  const round = new ConsensusRound({ proposal, history });
  for (const n of nodes) await round.cast(await n.castVote(proposal, n === nodes[4] ? 'reject' : 'approve'));
  result = await round.finalize(nodes[2]!);
  votes = round.tally.validVotes;
  const again = await nodes[4]!.castVote(proposal, 'approve', 'changed my mind');
  evidence = byzantineEvidenceToJSON(createByzantineEvidence(votes.find((v) => v.voterDid === nodes[4]!.did)!, again));
  // a history with a transition, so fromJSON re-verifies a real add-node result
  const frank = new GovernanceNode({ identity: await Identity.create('frank', { level: 44 }), name: 'frank', weight: 3 });
  const h2 = RegistryHistory.create(nodes);
  const add = GovernanceProposal.create('add-node', frank.did, 'add frank', nodes[0]!.did, { parameters: RegistryHistory.addNodeParameters(frank) });
  const r2 = new ConsensusRound({ proposal: add, history: h2 });
  for (const n of nodes) await r2.cast(await n.castVote(add, 'approve'));
  await h2.apply({ proposal: add, result: await r2.finalize(nodes[0]!), votes: r2.tally.validVotes });
  grown = h2.toJSON();
  for (const env of [proposal.envelope!, result.envelope!, ...votes.map((v) => v.envelope), again.envelope]) remember(env);
});

/** The signed parts of transitions: the proposal fields (bound by their hash) and each envelope's payload type and payload. */
function signedContent(transitions: RegistryHistoryJSON['transitions']): unknown {
  const strip = (e: Envelope): unknown => ({ payloadType: e.payloadType, payload: e.payload });
  return transitions.map((t) => ({ version: t.version, proposal: t.proposal, result: strip(t.result), votes: t.votes.map(strip) }));
}

const wire = <T>(v: T): T => parseStrict(JSON.stringify(v)) as T;

describe('governance envelopes under fuzzing', () => {
  it('the genuine artifacts verify (the properties below can fail)', async () => {
    expect((await verifyResultOffline(wire(result.envelope), wire(votes.map((v) => v.envelope)), history)).valid).toBe(true);
    expect((await verifyByzantineEvidence(wire(evidence))).valid).toBe(true);
    expect(await verifySignedVote(wire(votes[0]!.envelope))).toBe(true);
    expect((await RegistryHistory.fromJSON(wire(grown))).version).toBe(1);
  });

  const cases = [
    ['GovernanceProposal.fromEnvelope', () => proposal.envelope!, (e: unknown) => GovernanceProposal.fromEnvelope(e)],
    ['SignedVote.fromEnvelope', () => votes[1]!.envelope, (e: unknown) => SignedVote.fromEnvelope(e)],
    ['ConsensusResult.fromEnvelope', () => result.envelope!, (e: unknown) => ConsensusResult.fromEnvelope(e)],
  ] as const;
  for (const [name, genuineEnv, parse] of cases) {
    it(`${name} returns an artifact or a typed error for any value and any mutated envelope`, () => {
      const inputs = fc.oneof(anyValue, jsonValue({ hostile: true }), fc.constant(null).chain(() => mutateEnvelope(genuineEnv())).map((m) => m.env));
      fuzzSync(`${name}(any)`, inputs, (v) => {
        parse(v);
      }, fuzzRuns(2000), DEFECTS);
    });
  }

  it('verifySignedVote and verifyConsensusResult are false for every mutated envelope (never throwing)', async () => {
    const inputs = fc.oneof(
      fc.constant(null).chain(() => mutateEnvelope(votes[1]!.envelope, [votes[2]!.envelope, result.envelope!])).map((m) => ({ env: m.env, vote: true })),
      fc.constant(null).chain(() => mutateEnvelope(result.envelope!, [votes[2]!.envelope, proposal.envelope!])).map((m) => ({ env: m.env, vote: false })),
    );
    await fuzzAsync('verifySignedVote / verifyConsensusResult(mutated)', inputs, async ({ env, vote }, tally) => {
      const ok = vote ? await verifySignedVote(env as Envelope) : await verifyConsensusResult(env as Envelope);
      if (ok) {
        expect(isGenuine(env), 'a mutated governance envelope verified').toBe(true);
        tally.note('accepted (genuine payload re-assembled)');
      }
    }, RUNS, DEFECTS);
  }, T);
});

describe('offline result verification under fuzzing', () => {
  it('verifyResultOffline is never valid for a mutated result, vote list or history, and never throws', async () => {
    const inputs = fc.oneof(
      fc.constant(null).chain(() => mutateEnvelope(result.envelope!, votes.map((v) => v.envelope))).map((m) => ({ r: m.env, v: votes.map((x) => x.envelope) as unknown, h: history as unknown })),
      fc.tuple(fc.nat({ max: 4 }), fc.constant(null)).chain(([i]) => mutateEnvelope(votes[i]!.envelope, [result.envelope!])).map((m) => ({ r: result.envelope as unknown, v: votes.map((x, j) => (j === 0 ? m.env : x.envelope)) as unknown, h: history as unknown })),
      fc.constant(null).chain(() => mutateValue(votes.map((v) => v.envelope))).map((v) => ({ r: result.envelope as unknown, v, h: history as unknown })),
      fc.constant(null).chain(() => mutateValue(history.toJSON())).map((h) => ({ r: result.envelope as unknown, v: votes.map((x) => x.envelope) as unknown, h })),
      fc.tuple(anyValue, anyValue, anyValue).map(([r, v, h]) => ({ r, v, h })),
    );
    await fuzzAsync('verifyResultOffline(mutated)', inputs, async ({ r, v, h }, tally) => {
      const out = await verifyResultOffline(r, v, h);
      const aborted = out.reasons.find((x) => x.startsWith('verification aborted'));
      // verifyResultOffline turns any exception into a reason: an engine error there is a crash.
      if (aborted !== undefined && /Cannot |is not |Maximum call stack|undefined|null/.test(aborted)) {
        if (!tally.defect(aborted)) expect.fail(`verifyResultOffline swallowed a crash: ${aborted}`);
        return;
      }
      if (out.valid) {
        const realHistory = h === history || sameJson(h, history.toJSON());
        expect(isGenuine(r) && realHistory, 'a mutated result verified offline').toBe(true);
        const list = v as Envelope[];
        expect(Array.isArray(list) && list.every(isGenuine), 'a mutated vote list verified offline').toBe(true);
        tally.note('valid (genuine artifacts re-assembled)');
      }
    }, RUNS, DEFECTS);
  }, T);

  it('verifyByzantineEvidence is valid only for real equivocation, never for mutated evidence, and never throws', async () => {
    const inputs = fc.oneof(mutateValue(evidence), anyValue, jsonValue({ hostile: true }));
    await fuzzAsync('verifyByzantineEvidence(mutated)', inputs, async (e, tally) => {
      const v = await verifyByzantineEvidence(e);
      if (v.valid) {
        const ev = e as ByzantineEvidenceJSON;
        expect(Array.isArray(ev.votes) && ev.votes.every(isGenuine), 'mutated evidence verified').toBe(true);
        tally.note('valid (both genuine votes)');
      }
    }, RUNS, DEFECTS);
  }, T);
});

describe('registry, policy, genesis and peers files under fuzzing', () => {
  it('RegistryHistory.fromJSON returns a history or a typed error for any value and mutated histories', async () => {
    const inputs = fc.oneof(fc.constant(null).chain(() => mutateValue(grown)), fc.constant(null).chain(() => mutateValue(history.toJSON())), anyValue, jsonText);
    await fuzzAsync('RegistryHistory.fromJSON(any)', inputs, async (j, tally) => {
      const h = await RegistryHistory.fromJSON(j);
      if (h.version > 0) {
        // The genesis (members, policy) is the root of trust: nothing signs it, so a changed genesis
        // is a different network, not a forgery — as long as the signed transition still re-verifies.
        const got = h.toJSON();
        // What was signed must be exactly the genuine transition, in its one stored form (no
        // duplicated or dropped signature entry, no re-ordered vote list).
        expect(sameJson(signedContent(got.transitions), signedContent(grown.transitions)), 'a mutated transition was accepted').toBe(true);
        expect(sameJson(got.transitions, grown.transitions), 'a re-laid transition was accepted').toBe(true);
        if (!sameJson(got, grown)) tally.note(`accepted with a changed ${sameJson(got.policy, grown.policy) ? 'genesis member list' : 'policy'} (unsigned root of trust)`);
        else tally.note('accepted the genuine grown history');
      }
    }, RUNS, DEFECTS);
  }, T);

  it('parseGenesis returns a genesis or a typed error for any value', async () => {
    const genesis = createGenesis(nodes.map((n) => ({ did: n.did, name: n.name, weight: n.weight, publicKey: base64Encode(n.identity.publicKey) })));
    await fuzzAsync('parseGenesis(any)', fc.oneof(fc.constant(null).chain(() => mutateValue(genesis)), anyValue), async (j) => {
      await parseGenesis(j);
    }, RUNS, DEFECTS);
  }, T);

  it('VotePolicy.parse returns a policy or a typed error for any value, and decides any proposal', () => {
    const policy = { type: 'quorumkit-vote-policy', version: 1, default: 'queue', rules: [{ kind: 'authorize-model', subject: 'did:pqaid:medical-*', decision: 'approve', rationale: 'cleared' }] };
    fuzzSync('VotePolicy.parse(any)', fc.oneof(fc.constant(null).chain(() => mutateValue(policy)), anyValue, jsonValue({ hostile: true })), (j) => {
      VotePolicy.parse(j).decide(proposal);
    }, fuzzRuns(2000), DEFECTS);
  });

  it('parsePeers returns peers or a typed error for any value', () => {
    const peers = { peers: [{ url: 'http://127.0.0.1:7001', did: 'did:pqaid:00' }, { url: 'https://node.example:8443' }] };
    fuzzSync('parsePeers(any)', fc.oneof(fc.constant(null).chain(() => mutateValue(peers)), anyValue, jsonValue({ hostile: true })), (j) => {
      parsePeers(j);
    }, fuzzRuns(2000), DEFECTS);
  });
});

describe('proposal parameters in a process where JSON.parse misreads escaped keys', () => {
  // proposal.ts copies the signed parameters with parseStrict; V8's JSON.parse, once it has seen a
  // "\\" key after the same preceding keys (nodejs/node#63785), would turn a "\"" parameter into "\\".
  it('a proposal keeps a signed "\\"" parameter after JSON.parse has misread one', () => {
    JSON.parse(String.raw`{"!":0,"\\":0}`);
    const p = GovernanceProposal.create('authorize-model', 'did:pqaid:model-y', 'y', nodes[0]!.did, { parameters: { '!': 1, '"': 'deny' } });
    expect(Object.keys(p.parameters)).toEqual(['!', '"']);
    expect(p.parameters['"']).toBe('deny');
  });
});
