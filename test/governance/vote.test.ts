// Votes: the content-derived vote id (lowercase hex SHA3-256 of the RFC 8785 body without `voteId`),
// refusal of chosen ids in the signed wire form and offline, what the tally sees once ids cannot
// clash (a replay is a duplicate, two different votes never share an id), and the JSON round trip.
import { sha3_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8Encode } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { manualClock } from '../../src/core/clock.js';
import {
  ByzantineDetectedError, ConsensusRound, GovernanceProposal, InvalidVoteError, RegistryHistory, SignedVote, VOTE_DECISIONS,
  VOTE_ID_MISMATCH, Vote, VoteTally, createByzantineEvidence, verifyResultOffline, verifySignedVote, voteIdOf, type VoteDecision,
} from '../../src/governance/index.js';
import { voteIdFromCanonicalText } from '../../src/governance/vote.js';
import { VOTE_PAYLOAD_TYPE, isSignedBy } from '../../src/governance/_wire.js';
import { addSignature } from '../../src/envelope/index.js';
import { fiveNodes, signWithChosenId, tamperPayload } from './_fixtures.js';

let f: Awaited<ReturnType<typeof fiveNodes>>;
let p: GovernanceProposal;
beforeAll(async () => {
  f = await fiveNodes();
  p = GovernanceProposal.create('authorize-model', 'did:pqaid:m-votes', 't', f.alice.did, { clock: manualClock(new Date()), ttlSeconds: 3600 });
  await f.alice.signProposal(p);
});

describe('content-derived vote ids', () => {
  it('voteId is the lowercase hex SHA3-256 of the RFC 8785 body without voteId (checked against @noble/hashes)', () => {
    fc.assert(fc.property(
      fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom(...VOTE_DECISIONS), fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
      (proposalId, voterDid, decision, rationale, at) => {
        const v = Vote.create(proposalId, 'h'.repeat(64), voterDid, decision, { rationale, clock: manualClock(at) });
        const { voteId, ...rest } = v.body();
        expect(voteId).toBe(toHex(sha3_256(utf8Encode(canonicalize(rest)))));
        expect(voteId).toMatch(/^[0-9a-f]{64}$/);
        expect(voteIdOf(v)).toBe(voteId);
        expect(v.hasContentId()).toBe(true);
      },
    ), { numRuns: 200 });
  });

  it('the offline verifier\'s text fast path equals voteIdOf, even when the rationale spells a voteId member', () => {
    const tricky = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(',"voteId":"x",', '\\",\"voteId\":\"', '"', '\\', ',"voteId":'));
    fc.assert(fc.property(tricky, tricky, fc.constantFrom(...VOTE_DECISIONS), (rationale, proposalId, decision) => {
      const v = Vote.create(proposalId.length > 0 ? proposalId : 'p', 'h', 'did:x', decision, { rationale, clock: manualClock('2026-01-01T00:00:00Z') });
      expect(voteIdFromCanonicalText(canonicalize(v.body()), v.voteId)).toBe(v.voteId);
      expect(voteIdFromCanonicalText(canonicalize(v.body()), 'other')).toBeNull();
    }), { numRuns: 300 });
  });

  it('two different votes never share an id; the same content always has the same id', async () => {
    const ids = new Set<string>();
    const clock = manualClock('2026-01-01T00:00:00Z');
    for (const n of f.nodes) {
      for (const d of VOTE_DECISIONS) {
        for (const rationale of ['', 'a', 'b']) ids.add((await n.castVote(p, d, rationale, { clock })).vote.voteId);
      }
    }
    expect(ids.size).toBe(f.nodes.length * 3 * 3);
    // Signing is randomized, the id is not: the same ballot signed twice keeps its id.
    const a = await f.bob.castVote(p, 'approve', 'x', { clock });
    const b = await f.bob.castVote(p, 'approve', 'x', { clock });
    expect(a.envelope.signatures[0]!.sig).not.toBe(b.envelope.signatures[0]!.sig);
    expect(a.vote.voteId).toBe(b.vote.voteId);
  });

  it('SignedVote.fromEnvelope refuses a chosen id (another voter\'s, or the retired random format) with InvalidVoteError', async () => {
    const alice = await f.alice.castVote(p, 'approve');
    const bob = await f.bob.castVote(p, 'approve');
    for (const id of [alice.vote.voteId, 'v-shared', 'urn:quorumkit:vote:00000000-0000-4000-8000-000000000000', bob.vote.voteId.toUpperCase()]) {
      const env = await signWithChosenId(f.bob, bob, id);
      expect(() => SignedVote.fromEnvelope(env)).toThrow(InvalidVoteError);
      expect(() => SignedVote.fromEnvelope(env)).toThrow(VOTE_ID_MISMATCH);
      expect(await verifySignedVote(env)).toBe(false);
    }
    // An edited body keeps its old id: refused before any signature is looked at.
    expect(() => SignedVote.fromEnvelope(tamperPayload(bob.envelope, (b) => { b['rationale'] = 'edited'; }))).toThrow(VOTE_ID_MISMATCH);
    // new Vote keeps any id (seed artifacts), but says it is not content-derived.
    expect(new Vote({ ...bob.vote.body(), voteId: 'v1' }).hasContentId()).toBe(false);
  });

  it('no option picks an id: Vote.create and castVote refuse the retired voteId option', async () => {
    expect(() => Vote.create('p', 'h', f.bob.did, 'approve', { voteId: 'x' } as never)).toThrow(TypeError);
    await expect(f.bob.castVote(p, 'approve', '', { voteId: 'x' } as never)).rejects.toThrow(TypeError);
  });

  it('verifyResultOffline refuses a vote with a chosen id even when the coordinator counted it', async () => {
    const history = RegistryHistory.create(f.nodes);
    const round = new ConsensusRound({ proposal: p, history });
    for (const n of f.nodes) await round.cast(await n.castVote(p, 'approve'));
    const result = await round.finalize(f.alice);
    const honest = round.tally.validVotes;
    expect((await verifyResultOffline(result, honest, history)).valid).toBe(true);
    const bob = honest.find((v) => v.voterDid === f.bob.did)!;
    const chosen = await signWithChosenId(f.bob, bob, 'v-chosen');
    const verdict = await verifyResultOffline(result, honest.map((v) => (v === bob ? chosen : v)), history);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toContain(`votes[${honest.indexOf(bob)}]: ${VOTE_ID_MISMATCH}`);
  });
});

describe('the tally once ids cannot clash', () => {
  it('a vote replayed is a duplicate; a repeat ballot with a new rationale (a new id) is a duplicate too', async () => {
    const tally = new VoteTally(p, f.registry);
    const v = await f.bob.castVote(p, 'approve');
    expect(await tally.add(v)).toBe('counted');
    expect(await tally.add(v)).toBe('duplicate');
    expect(await tally.add(SignedVote.fromEnvelope(JSON.parse(JSON.stringify(v))))).toBe('duplicate');
    expect(await tally.add(await f.bob.castVote(p, 'approve', 'again'))).toBe('duplicate');
    expect(tally.includedVoteIds()).toEqual([v.vote.voteId]);
    expect(tally.invalidVotes).toEqual([]);
  });

  it('every counted vote has its own id, so includedVoteIds never repeats and the result verifies offline', async () => {
    const history = RegistryHistory.create(f.nodes);
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom<VoteDecision>(...VOTE_DECISIONS), { minLength: 5, maxLength: 5 }), async (ds) => {
      const round = new ConsensusRound({ proposal: p, history });
      for (let i = 0; i < 5; i++) await round.cast(await f.nodes[i]!.castVote(p, ds[i]!));
      const ids = round.tally.includedVoteIds();
      expect(new Set(ids).size).toBe(5);
      expect(round.tally.invalidVotes.map((r) => r.reason)).not.toContain('duplicate vote id');
      const result = await round.finalize(f.alice);
      expect((await verifyResultOffline(result, round.tally.validVotes, history, { proposal: p })).valid).toBe(true);
    }), { numRuns: 8 });
  });

  it('an equivocator is caught (its two votes have different ids), and addEvidence re-excludes it in a fresh tally', async () => {
    const tally = new VoteTally(p, f.registry);
    const first = await f.eve.castVote(p, 'approve');
    const second = await f.eve.castVote(p, 'reject');
    expect(first.vote.voteId).not.toBe(second.vote.voteId);
    await tally.add(first);
    await expect(tally.add(second)).rejects.toBeInstanceOf(ByzantineDetectedError);
    // Rebuild: only the first vote was stored; the evidence brings the exclusion back.
    const rebuilt = new VoteTally(p, f.registry);
    expect(await rebuilt.add(first)).toBe('counted');
    expect(await rebuilt.addEvidence(createByzantineEvidence(first, second))).toBe(true);
    expect(rebuilt.approveWeight).toBe(0);
    expect(rebuilt.byzantineVoters()).toEqual([f.eve.did]);
    expect(await rebuilt.add(first)).toBe('rejected');
    expect(await rebuilt.addEvidence(createByzantineEvidence(first, second))).toBe(false);
    // Evidence that does not verify (same decision) is refused.
    await expect(rebuilt.addEvidence(createByzantineEvidence(first, first))).rejects.toMatchObject({ code: 'ERR_INVALID_VOTE' });
  });
});

describe('SignedVote JSON', () => {
  it('serializes as its envelope, which decodes and verifies after JSON.parse', async () => {
    const v = await f.carol.castVote(p, 'reject', 'ünïcode ✓');
    const back = JSON.parse(JSON.stringify(v)) as unknown;
    expect(back).toEqual(v.envelope);
    expect(SignedVote.fromEnvelope(back).vote).toEqual(v.vote);
    expect(await verifySignedVote(back as never)).toBe(true);
  });
});

describe('verifySignedVote remembers a verified vote', () => {
  it('a SignedVote cannot change after it was checked: its envelope is a frozen copy', async () => {
    const v = await f.bob.castVote(p, 'approve');
    const wire = structuredClone(v.envelope) as unknown as { signatures: { sig: string }[] };
    const sv = SignedVote.fromEnvelope(wire);
    expect(await verifySignedVote(sv)).toBe(true);
    expect(await verifySignedVote(sv)).toBe(true); // remembered
    expect(Object.isFrozen(sv.envelope) && Object.isFrozen(sv.envelope.signatures) && Object.isFrozen(sv.envelope.signatures[0])).toBe(true);
    expect(() => { (sv.envelope.signatures[0] as { sig: string }).sig = 'AAAA'; }).toThrow(TypeError);
    // Changing the caller's object changes nothing already decoded, and a new decode is checked afresh.
    wire.signatures[0]!.sig = v.envelope.signatures[0]!.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(sv.envelope.signatures[0]!.sig).toBe(v.envelope.signatures[0]!.sig);
    expect(await verifySignedVote(SignedVote.fromEnvelope(wire))).toBe(false);
  });
});

describe('verifySignedVote checks only the voter\'s entries of a decoded vote', () => {
  it('agrees with the generic envelope check (isSignedBy) on re-laid, re-keyed and flipped signature lists (property)', async () => {
    const v = await f.bob.castVote(p, 'approve');
    const other = await f.carol.castVote(p, 'approve');
    const own = v.envelope.signatures[0]!;
    const foreign = other.envelope.signatures[0]!;
    const cosigned = await addSignature(v.envelope, f.carol.identity); // carol signs bob's very vote
    const cosig = cosigned.signatures.find((x) => x.keyid !== own.keyid)!;
    const flip = (b64: string, at: number): string => {
      const i = at % b64.length;
      const c = b64[i] === 'A' ? 'B' : 'A';
      return b64.slice(0, i) + c + b64.slice(i + 1);
    };
    const entry = fc.oneof(
      fc.constant(own),
      fc.constant(foreign),
      fc.constant(cosig), // valid over this payload, but not the voter's
      fc.constant({ ...cosig, keyid: own.keyid }),
      fc.constant({ ...foreign, keyid: own.keyid }), // carol's key and signature under bob's did
      fc.constant({ ...own, publicKey: foreign.publicKey }),
      fc.constant({ keyid: own.keyid, alg: own.alg, sig: own.sig }), // no key: none supplied
      fc.constant({ ...own, alg: own.alg === 'ML-DSA-44' ? 'ML-DSA-65' : 'ML-DSA-44' }),
      fc.constant({ ...own, alg: 'RSA' }),
      fc.nat().map((at) => ({ ...own, sig: flip(own.sig, at) })),
      fc.constant({ ...own, sig: 'not base64!' }),
      fc.constant({ ...own, publicKey: 'not base64!' }),
    );
    let valid = 0;
    await fc.assert(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 4 }), async (signatures) => {
      const env = { payloadType: v.envelope.payloadType, payload: v.envelope.payload, signatures };
      let decoded: SignedVote;
      try {
        decoded = SignedVote.fromEnvelope(env);
      } catch {
        return; // not a vote envelope at all: both verifiers refuse it
      }
      const generic = await isSignedBy(env as never, VOTE_PAYLOAD_TYPE, decoded.voterDid);
      expect(await verifySignedVote(decoded)).toBe(generic);
      expect(await verifySignedVote(SignedVote.fromEnvelope(env), { offThread: true })).toBe(generic);
      if (generic) valid++;
    }), { numRuns: 150 });
    expect(valid).toBeGreaterThan(0); // the genuine entry is drawn often enough for both verdicts to occur
  });
});
