// Direct tests of governance exports no other test names: InvalidVoteError, isProposalKind,
// isVoteDecision, verifySignedVote, createByzantineEvidence, verifyConsensusResult,
// resultPolicyError, and the MAX_REGISTRY_MEMBERS / MAX_OFFLINE_VOTES bounds. Real ML-DSA-44 keys
// and signatures throughout.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/core/bytes.js';
import { QuorumkitError } from '../../src/core/errors.js';
import { didFromPublicKey } from '../../src/pq/did.js';
import {
  ConsensusResult, GovernanceError, GovernanceProposal, InvalidVoteError, MAX_OFFLINE_VOTES, MAX_REGISTRY_MEMBERS, PROPOSAL_KINDS,
  RegistryHistory, SignedVote, VOTE_DECISIONS, Vote, byzantineEvidenceToJSON, createByzantineEvidence, isProposalKind, isVoteDecision,
  resultPolicyError, verifyByzantineEvidence, verifyConsensusResult, verifyResultOffline, verifySignedVote,
} from '../../src/governance/index.js';
import { fiveNodes, flipSignatureBit, tamperPayload } from './_fixtures.js';
import { decideOn, type Decided } from './_history-fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
let proposal: GovernanceProposal;
let history: RegistryHistory;
let decided: Decided;
beforeAll(async () => {
  f = await fiveNodes();
  proposal = GovernanceProposal.create('authorize-model', 'did:pqaid:model-guards', 'guards', f.alice.did);
  await f.alice.signProposal(proposal);
  history = RegistryHistory.create(f.nodes);
  decided = await decideOn(history, 'authorize-model', 'did:pqaid:m-guards', {}, f.nodes, f.carol);
});

describe('InvalidVoteError', () => {
  it('is a GovernanceError / QuorumkitError with code ERR_INVALID_VOTE, name and cause', () => {
    const cause = new Error('root');
    const e = new InvalidVoteError('bad vote', { cause });
    expect(e).toBeInstanceOf(GovernanceError);
    expect(e).toBeInstanceOf(QuorumkitError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('ERR_INVALID_VOTE');
    expect(e.name).toBe('InvalidVoteError');
    expect(e.message).toBe('bad vote');
    expect(e.cause).toBe(cause);
  });

  it('is what malformed votes throw', async () => {
    const fields = { voteId: 'v1', proposalId: 'p', proposalHash: 'h', voterDid: f.bob.did, decision: 'approve' as const, rationale: '', castAt: '2026-01-01T00:00:00Z' };
    expect(new Vote(fields).decision).toBe('approve');
    expect(() => new Vote({ ...fields, decision: 'maybe' as never })).toThrow(InvalidVoteError);
    expect(() => new Vote(null as never)).toThrow(InvalidVoteError);
    expect(() => new Vote({ ...fields, voteId: 5 as never })).toThrow(InvalidVoteError);
    expect(() => SignedVote.fromEnvelope({ garbage: true })).toThrow(InvalidVoteError);
    // bob cannot sign a vote that names alice.
    await expect(f.bob.signVote(new Vote({ ...fields, voterDid: f.alice.did }))).rejects.toBeInstanceOf(InvalidVoteError);
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(() => SignedVote.fromEnvelope(v)).toThrow(InvalidVoteError);
    }), { numRuns: 200 });
  });
});

describe('isProposalKind / isVoteDecision', () => {
  it('accept exactly the listed values', () => {
    expect(PROPOSAL_KINDS).toHaveLength(9);
    for (const k of PROPOSAL_KINDS) expect(isProposalKind(k)).toBe(true);
    expect(VOTE_DECISIONS).toEqual(['approve', 'reject', 'abstain']);
    for (const d of VOTE_DECISIONS) expect(isVoteDecision(d)).toBe(true);
    for (const bad of ['', 'APPROVE', 'approve ', 'Authorize-Model', 'authorize_model', 'toString', 'constructor', null, undefined, 1, ['approve'], { kind: 'approve' }, new String('approve')]) {
      expect(isProposalKind(bad), String(bad)).toBe(false);
      expect(isVoteDecision(bad), String(bad)).toBe(false);
    }
  });

  it('are true only for members, on any input', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.constantFrom(...PROPOSAL_KINDS, ...VOTE_DECISIONS)), (v) => {
      expect(isProposalKind(v)).toBe(typeof v === 'string' && (PROPOSAL_KINDS as readonly string[]).includes(v));
      expect(isVoteDecision(v)).toBe(typeof v === 'string' && (VOTE_DECISIONS as readonly string[]).includes(v));
    }));
  });
});

describe('verifySignedVote', () => {
  it('true for a genuine vote (object or wire JSON)', async () => {
    const v = await f.bob.castVote(proposal, 'approve');
    expect(await verifySignedVote(v)).toBe(true);
    expect(await verifySignedVote(JSON.parse(JSON.stringify(v.envelope)))).toBe(true);
  });

  it('false for tampered payloads, flipped signatures, a signature by someone else, garbage — never throws', async () => {
    const v = await f.bob.castVote(proposal, 'approve');
    expect(await verifySignedVote(tamperPayload(v.envelope, (b) => { b['decision'] = 'reject'; }))).toBe(false);
    expect(await verifySignedVote(tamperPayload(v.envelope, (b) => { b['voterDid'] = f.alice.did; }))).toBe(false);
    expect(await verifySignedVote(flipSignatureBit(v.envelope))).toBe(false);
    // carol's genuine signature over bob's vote body: signed, but not by the named voter.
    const carolVote = await f.carol.castVote(proposal, 'approve');
    expect(await verifySignedVote({ ...v.envelope, signatures: carolVote.envelope.signatures })).toBe(false);
    expect(await verifySignedVote({ ...v.envelope, signatures: [] })).toBe(false);
    await fc.assert(fc.asyncProperty(fc.jsonValue(), async (g) => {
      expect(await verifySignedVote(g as never)).toBe(false);
    }), { numRuns: 100 });
  });
});

describe('createByzantineEvidence', () => {
  it('builds frozen evidence from the first vote\'s claim; verification is separate', async () => {
    const a = await f.eve.castVote(proposal, 'approve');
    const r = await f.eve.castVote(proposal, 'reject');
    const e = createByzantineEvidence(a, r);
    expect(Object.isFrozen(e)).toBe(true);
    expect(e).toEqual({ voterDid: f.eve.did, proposalId: proposal.proposalId, proposalHash: proposal.proposalHash(), first: a, second: r });
    expect(await verifyByzantineEvidence(e)).toEqual({ valid: true });
    expect((await verifyByzantineEvidence(JSON.parse(JSON.stringify(byzantineEvidenceToJSON(e))))).valid).toBe(true);
    // Not verified at creation: the same decision twice, or two voters, build but do not verify.
    const a2 = await f.eve.castVote(proposal, 'approve');
    expect(createByzantineEvidence(a, a2).voterDid).toBe(f.eve.did);
    expect((await verifyByzantineEvidence(createByzantineEvidence(a, a2))).valid).toBe(false);
    const bobNo = await f.bob.castVote(proposal, 'reject');
    expect((await verifyByzantineEvidence(createByzantineEvidence(a, bobNo))).valid).toBe(false);
  });
});

describe('verifyConsensusResult', () => {
  it('true for a genuine signed result (object or envelope), honours `trusted`', async () => {
    const r = decided.result;
    expect(await verifyConsensusResult(r)).toBe(true);
    expect(await verifyConsensusResult(JSON.parse(JSON.stringify(r.envelope)))).toBe(true);
    expect(await verifyConsensusResult(r, { trusted: [f.carol.did] })).toBe(true);
    expect(await verifyConsensusResult(r, { trusted: [f.alice.did, f.bob.did] })).toBe(false);
    expect(await verifyConsensusResult(r, { trusted: [] })).toBe(false);
  });

  it('false for unsigned, tampered, re-signed-by-another body, garbage — never throws', async () => {
    const r = decided.result;
    expect(await verifyConsensusResult(new ConsensusResult(r.body()))).toBe(false);
    expect(await verifyConsensusResult(tamperPayload(r.envelope!, (b) => { b['decision'] = 'rejected'; }))).toBe(false);
    expect(await verifyConsensusResult(tamperPayload(r.envelope!, (b) => { b['approveWeight'] = 99; }))).toBe(false);
    expect(await verifyConsensusResult(flipSignatureBit(r.envelope!))).toBe(false);
    expect(await verifyConsensusResult({ ...r.envelope!, signatures: [] })).toBe(false);
    expect(await verifyConsensusResult({ ...r.envelope!, payloadType: 'application/vnd.quorumkit.governance.vote+json;v=1' })).toBe(false);
    await fc.assert(fc.asyncProperty(fc.jsonValue(), async (g) => {
      expect(await verifyConsensusResult(g as never)).toBe(false);
    }), { numRuns: 100 });
  });
});

describe('resultPolicyError', () => {
  const F = (numerator: unknown, denominator: unknown): unknown => ({ numerator, denominator });
  it('null for exact { minParticipation, minApproval } fractions', () => {
    expect(resultPolicyError({ minParticipation: F(2, 3), minApproval: F(2, 3) })).toBeNull();
    expect(resultPolicyError({ minParticipation: F(0, 1), minApproval: F(1, 1) })).toBeNull();
  });

  it('a reason for every malformed shape', () => {
    const ok = F(2, 3);
    const cases: [unknown, RegExp][] = [
      [null, /expected \{ minParticipation, minApproval \}/],
      [[], /expected \{ minParticipation, minApproval \}/],
      ['2/3', /expected \{ minParticipation, minApproval \}/],
      [{ minParticipation: ok }, /"policy": /],
      [{ minParticipation: ok, minApproval: ok, extra: 1 }, /"policy": /],
      [{ minParticipation: '2/3', minApproval: ok }, /policy\.minParticipation/],
      [{ minParticipation: ok, minApproval: null }, /policy\.minApproval/],
      [{ minParticipation: { numerator: 1 }, minApproval: ok }, /policy\.minParticipation/],
      [{ minParticipation: { numerator: 1, denominator: 2, x: 0 }, minApproval: ok }, /policy\.minParticipation/],
      [{ minParticipation: F(3, 2), minApproval: ok }, /0 ≤ numerator ≤ denominator/],
      [{ minParticipation: F(-1, 2), minApproval: ok }, /0 ≤ numerator ≤ denominator/],
      [{ minParticipation: F(1, 0), minApproval: ok }, /0 ≤ numerator ≤ denominator/],
      [{ minParticipation: ok, minApproval: F(0.5, 1) }, /policy\.minApproval/],
      [{ minParticipation: ok, minApproval: F(1, 2 ** 53) }, /policy\.minApproval/],
      [{ minParticipation: ok, minApproval: F('1', '2') }, /policy\.minApproval/],
    ];
    for (const [p, re] of cases) expect(resultPolicyError(p), JSON.stringify(p)).toMatch(re);
  });

  it('garbage → string or null, null only for valid fractions', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ minParticipation: fc.jsonValue(), minApproval: fc.jsonValue() })), (p) => {
      const r = resultPolicyError(p);
      expect(r === null || typeof r === 'string').toBe(true);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.nat(1000), (a, b, c, d) => {
      const frac = (x: number, y: number): unknown => F(Math.min(x, y), Math.max(x, y) + 1);
      expect(resultPolicyError({ minParticipation: frac(a, b), minApproval: frac(c, d) })).toBeNull();
    }));
  });
});

describe('limits', () => {
  it(`MAX_REGISTRY_MEMBERS (${MAX_REGISTRY_MEMBERS}): a genesis at the limit is accepted, one over is a RangeError`, () => {
    expect(MAX_REGISTRY_MEMBERS).toBe(10_000);
    // memberEntry checks the key length and that the did is its hash, not that the key is a valid
    // ML-DSA key, so 1312-byte (ML-DSA-44) pseudo-keys stand in for 10 000 real keygens.
    const members = Array.from({ length: MAX_REGISTRY_MEMBERS }, (_, i) => {
      const pk = new Uint8Array(1312);
      new DataView(pk.buffer).setUint32(0, i);
      return { did: didFromPublicKey(pk), name: `n${i}`, weight: 1, publicKey: base64Encode(pk) };
    });
    const h = RegistryHistory.create(members);
    expect(h.membersAt().length).toBe(MAX_REGISTRY_MEMBERS);
    expect(h.totalWeightAt()).toBe(MAX_REGISTRY_MEMBERS);
    const over = [...members, members[0]!];
    expect(() => RegistryHistory.create(over)).toThrow(RangeError);
    expect(() => RegistryHistory.create(over)).toThrow(`"genesis" expected at most ${MAX_REGISTRY_MEMBERS} items, got ${MAX_REGISTRY_MEMBERS + 1}`);
  });

  it(`MAX_OFFLINE_VOTES (${MAX_OFFLINE_VOTES}): at the limit every item is examined, one over is refused outright`, async () => {
    expect(MAX_OFFLINE_VOTES).toBe(100_000);
    const tooMany = `signedVotes expected at most ${MAX_OFFLINE_VOTES} items, got ${MAX_OFFLINE_VOTES + 1}`;
    const pad = (n: number): unknown[] => [...decided.votes, ...Array.from({ length: n - decided.votes.length }, () => null)];
    const atLimit = await verifyResultOffline(decided.result, pad(MAX_OFFLINE_VOTES), history);
    expect(atLimit.valid).toBe(false); // the null padding is garbage…
    expect(atLimit.reasons.join('\n')).toMatch(/votes\[\d+\]: envelope rejected/); // …and was examined
    expect(atLimit.reasons.join('\n')).not.toContain('expected at most');
    const over = await verifyResultOffline(decided.result, pad(MAX_OFFLINE_VOTES + 1), history);
    expect(over.valid).toBe(false);
    expect(over.reasons).toContain(tooMany);
    // Sanity: the genuine votes alone verify.
    expect((await verifyResultOffline(decided.result, decided.votes, history)).valid).toBe(true);
  });
});
