// Typed errors only: every governance constructor, parser and verifier, fed fast-check's
// `anything()` and hostile objects (`{"toString":0}` and friends, null prototypes, symbols, huge
// bigints, lone surrogates) — whole, or in place of one field of a valid artifact — either returns,
// or throws a QuorumkitError / TypeError / RangeError whose message is ours (never an engine crash
// such as "Cannot convert object to primitive value"). Verifiers never throw at all. Prints counts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuorumkitError } from '../../src/core/errors.js';
import {
  AuthorizationChain, AuthorizationGrant, ConsensusResult, ConsensusRound, GovernanceAuditLog, GovernanceNode, GovernanceProposal,
  GovernanceState, NodeRegistry, QuorumPolicy, RegistryHistory, SignedVote, Vote, byzantineEvidenceFromJSON, formatPercent,
  proposalWindowError, resultPolicyError, verifyByzantineEvidence, verifyConsensusResult, verifyResultOffline, verifySignedVote,
} from '../../src/governance/index.js';
import { describeValue } from '../../src/core/assert.js';
import { fiveNodes } from './_fixtures.js';
import { decideOn, type Decided } from './_history-fixtures.js';

const RUNS = 250;
const ENGINE_MESSAGE = /Cannot (read|convert|destructure|set)|is not a function|is not iterable|is not a constructor|Maximum call stack|toPrimitive|Invalid array length/;
const counts = new Map<string, number>();

const HOSTILE: readonly unknown[] = [
  { toString: 0 }, { toString: 0, valueOf: 0 }, { [Symbol.toPrimitive]: 0 }, { toJSON: 0 }, Object.create(null), Object.assign(Object.create(null), { a: 1 }),
  [], [{ toString: 0 }], Symbol('s'), 10n ** 60n, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -1, 1.5, '', '\ud800', 'x'.repeat(70_000),
  null, undefined, true, () => 0, new Date(Number.NaN), new Map([[1, 2]]), new Uint8Array(3), { length: -1 }, { then: 0 }, new String('approve'),
];
const value = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true }),
  fc.constantFrom(...HOSTILE),
);

function isTyped(e: unknown): boolean {
  return (e instanceof QuorumkitError || e instanceof TypeError || e instanceof RangeError) && !ENGINE_MESSAGE.test(e.message);
}

/** `fn(v)` returns or throws a typed error with our own message, for every generated `v`. */
async function onlyTypedErrors(name: string, fn: (v: unknown) => unknown, arb: fc.Arbitrary<unknown> = value): Promise<void> {
  await fc.assert(fc.asyncProperty(arb, async (v) => {
    try {
      await fn(v);
    } catch (e) {
      if (!isTyped(e)) throw new Error(`${name}(${describeValue(v)}) threw an untyped error: ${e instanceof Error ? `${e.name}: ${e.message}` : describeValue(e)}`);
    }
  }), { numRuns: RUNS });
  counts.set(name, (counts.get(name) ?? 0) + RUNS);
}

/** `fn(v)` never throws, for every generated `v`. */
async function neverThrows(name: string, fn: (v: unknown) => unknown): Promise<void> {
  await fc.assert(fc.asyncProperty(value, async (v) => {
    await fn(v);
  }), { numRuns: RUNS });
  counts.set(name, (counts.get(name) ?? 0) + RUNS);
}

/** Each field of `base` in turn replaced by a generated value. */
function fieldReplaced(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...Object.keys(base)), value).map(([k, v]) => ({ ...base, [k]: v }));
}

let f: Awaited<ReturnType<typeof fiveNodes>>;
let history: RegistryHistory;
let d: Decided;
beforeAll(async () => {
  f = await fiveNodes();
  history = RegistryHistory.create(f.nodes);
  d = await decideOn(history, 'authorize-model', 'did:pqaid:m-typed', { k: 1 }, f.nodes, f.alice);
  await f.alice.signProposal(d.proposal);
});
afterAll(() => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`[typed-errors] ${total} inputs over ${counts.size} governance entry points, only typed errors`);
});

describe('describeValue from core, as governance messages use it', () => {
  it('never calls user code and never throws', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const v of [...HOSTILE, revoked.proxy]) expect(typeof describeValue(v)).toBe('string');
    expect([describeValue({ toString: 0 }), describeValue([1]), describeValue('ab'), describeValue(1.5), describeValue(10n), describeValue(null), describeValue(Symbol('x'))])
      .toEqual(['object', 'array of 1', 'string "ab"', 'number 1.5', 'bigint', 'null', 'symbol']);
    expect(describeValue('x'.repeat(100))).toBe(`string "${'x'.repeat(24)}…"`);
    fc.assert(fc.property(value, (v) => {
      expect(describeValue(v).length).toBeLessThan(60);
    }), { numRuns: RUNS });
  });
});

describe('typed errors only', () => {
  it('proposals: constructor, create, fromJSON, fromEnvelope, window', async () => {
    const body = d.proposal.body() as unknown as Record<string, unknown>;
    await onlyTypedErrors('new GovernanceProposal', (v) => new GovernanceProposal(v as never));
    await onlyTypedErrors('new GovernanceProposal(field)', (v) => new GovernanceProposal(v as never), fieldReplaced(body));
    await onlyTypedErrors('GovernanceProposal.fromJSON(field)', (v) => GovernanceProposal.fromJSON(v), fieldReplaced({ ...body, status: 'open', envelope: d.proposal.envelope }));
    await onlyTypedErrors('GovernanceProposal.fromEnvelope', (v) => GovernanceProposal.fromEnvelope(v));
    await onlyTypedErrors('GovernanceProposal.fromEnvelope(field)', (v) => GovernanceProposal.fromEnvelope(v), fieldReplaced(d.proposal.envelope as never));
    await onlyTypedErrors('GovernanceProposal.create', (v) => GovernanceProposal.create(v as never, v as never, v as never, v as never));
    await onlyTypedErrors('GovernanceProposal.create(options)', (v) => GovernanceProposal.create('delegation', 's', 't', 'd', v as never),
      fc.oneof(value, fc.record({ ttlSeconds: value }), fc.record({ parameters: value }), fc.record({ description: value }), fc.record({ proposalId: value })));
    await neverThrows('proposalWindowError', (v) => proposalWindowError(v as never));
    await neverThrows('proposalWindowError(field)', (v) => proposalWindowError({ createdAt: v, expiresAt: v } as never));
  });

  it('votes: constructor, create, fromEnvelope, castVote', async () => {
    const vote = d.votes[0]!;
    await onlyTypedErrors('new Vote', (v) => new Vote(v as never));
    await onlyTypedErrors('new Vote(field)', (v) => new Vote(v as never), fieldReplaced(vote.vote.body() as never));
    await onlyTypedErrors('Vote.create', (v) => Vote.create(v as never, v as never, v as never, v as never, { rationale: v as never }));
    await onlyTypedErrors('SignedVote.fromEnvelope', (v) => SignedVote.fromEnvelope(v));
    await onlyTypedErrors('SignedVote.fromEnvelope(field)', (v) => SignedVote.fromEnvelope(v), fieldReplaced(vote.envelope as never));
    await onlyTypedErrors('castVote', (v) => f.bob.castVote(d.proposal, v as never, v as never));
  });

  it('results, policies, evidence, grants', async () => {
    const body = d.result.body() as unknown as Record<string, unknown>;
    await onlyTypedErrors('new ConsensusResult', (v) => new ConsensusResult(v as never));
    await onlyTypedErrors('new ConsensusResult(field)', (v) => new ConsensusResult(v as never), fieldReplaced(body));
    await onlyTypedErrors('ConsensusResult.fromJSON(field)', (v) => ConsensusResult.fromJSON(v), fieldReplaced({ ...body, envelope: d.result.envelope }));
    await onlyTypedErrors('ConsensusResult.fromEnvelope(field)', (v) => ConsensusResult.fromEnvelope(v), fieldReplaced(d.result.envelope as never));
    await onlyTypedErrors('new QuorumPolicy', (v) => new QuorumPolicy(v as never));
    await onlyTypedErrors('new QuorumPolicy(fraction)', (v) => new QuorumPolicy({ minParticipation: v as never }), fc.oneof(value, fieldReplaced({ numerator: 2, denominator: 3 })));
    await onlyTypedErrors('QuorumPolicy.check', (v) => new QuorumPolicy().check(v as never, v as never));
    await onlyTypedErrors('QuorumPolicy.check(weight)', (v) => new QuorumPolicy().check(v as never, 6), fieldReplaced({ approveWeight: 1, rejectWeight: 0, abstainWeight: 0 }));
    await onlyTypedErrors('formatPercent', (v) => formatPercent(v as never));
    await neverThrows('resultPolicyError', (v) => resultPolicyError(v));
    await onlyTypedErrors('byzantineEvidenceFromJSON', (v) => byzantineEvidenceFromJSON(v));
    const grant = new AuthorizationGrant({ subjectId: d.proposal.subjectId, kind: 'authorize-model', result: d.result, proposal: d.proposal }).toJSON();
    await onlyTypedErrors('AuthorizationGrant.fromJSON(field)', (v) => AuthorizationGrant.fromJSON(v), fieldReplaced(grant as never));
    await onlyTypedErrors('new AuthorizationGrant', (v) => new AuthorizationGrant(v as never), fc.oneof(value, fieldReplaced({ subjectId: 's', kind: 'authorize-model', result: d.result })));
    await onlyTypedErrors('new AuthorizationChain', (v) => new AuthorizationChain(v as never, v as never));
    await onlyTypedErrors('AuthorizationChain.isAuthorized', (v) => new AuthorizationChain('s').isAuthorized(v as never));
    await onlyTypedErrors('GovernanceState.apply', (v) => new GovernanceState().apply(v as never));
  });

  it('registries, histories, rounds, nodes, audit log', async () => {
    const member = RegistryHistory.addNodeParameters(f.alice) as unknown as Record<string, unknown>;
    await onlyTypedErrors('RegistryHistory.create', (v) => RegistryHistory.create(v as never, v as never));
    await onlyTypedErrors('RegistryHistory.create(member field)', (v) => RegistryHistory.create([v as never]), fieldReplaced(member));
    await onlyTypedErrors('RegistryHistory.fromJSON', (v) => RegistryHistory.fromJSON(v));
    await onlyTypedErrors('RegistryHistory.fromJSON(field)', (v) => RegistryHistory.fromJSON(v), fieldReplaced(history.toJSON() as never));
    await onlyTypedErrors('RegistryHistory.membersAt', (v) => history.membersAt(v as never));
    await onlyTypedErrors('NodeRegistry.register', (v) => new NodeRegistry().register(v as never), fc.oneof(value, fieldReplaced({ did: 'd', name: 'n', weight: 1 })));
    await onlyTypedErrors('NodeRegistry.get', (v) => f.registry.get(v as never));
    await onlyTypedErrors('new ConsensusRound', (v) => new ConsensusRound(v as never), fc.oneof(value, fieldReplaced({ proposal: d.proposal, history, registryVersion: 0 })));
    await onlyTypedErrors('new GovernanceNode', (v) => new GovernanceNode(v as never), fc.oneof(value, fieldReplaced({ identity: f.bob.identity, name: 'b', weight: 1 })));
    await onlyTypedErrors('new GovernanceAuditLog', (v) => new GovernanceAuditLog(v as never), fc.oneof(value, fc.record({ maxEntries: value })));
    await onlyTypedErrors('GovernanceAuditLog.entries', (v) => new GovernanceAuditLog().entries(v as never), fc.oneof(value, fc.record({ limit: value })));
  });

  it('verifiers never throw and never accept garbage', async () => {
    const no = (b: boolean): void => expect(b).toBe(false);
    await neverThrows('verifyProposal', async (v) => no(await GovernanceNode.verifyProposal(v as never)));
    await neverThrows('verifySignedVote', async (v) => no(await verifySignedVote(v as never)));
    await neverThrows('verifyConsensusResult', async (v) => no(await verifyConsensusResult(v as never, v as never)));
    await neverThrows('verifyByzantineEvidence', async (v) => no((await verifyByzantineEvidence(v)).valid));
    await neverThrows('verifyResultOffline', async (v) => no((await verifyResultOffline(v, v, history, v as never)).valid));
    await neverThrows('verifyResultOffline(options)', async (v) => no((await verifyResultOffline(d.result, [], history, { policy: v, proposal: v } as never)).valid));
  });
});
