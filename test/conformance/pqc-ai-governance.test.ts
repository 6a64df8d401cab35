// pqc-ai-governance seed conformance (vectors: <vectors>/seeds/pqc-ai-governance/vectors.json):
// our GovernanceProposal / Vote / ConsensusResult built from the vector's fixed ids and timestamps
// produce the seed's canonical bytes and SHA3-256 digests, and QuorumPolicy reproduces the 11-case
// default table (passed flag and reason strings exactly).
import { sha3_256 } from '@noble/hashes/sha3.js';
import { expect, it } from 'vitest';
import { toHex, utf8Decode } from '../../src/core/bytes.js';
import { fixedClock } from '../../src/core/clock.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { ConsensusResult, GovernanceProposal, QuorumPolicy, Vote, type ProposalKind, type VoteDecision } from '../../src/governance/index.js';
import { describeVectors, readVectorText } from '../_vectors.js';

interface Doc {
  proposal: { fields: Record<string, unknown>; canonical_bytes_utf8: string; proposal_hash_sha3_256: string };
  vote: { fields: Record<string, string>; canonical_bytes_utf8: string; signing_digest_sha3_256_hex: string };
  consensus_result: { fields: Record<string, unknown>; canonical_bytes_utf8: string; signing_digest_sha3_256_hex: string };
  quorum_policy_default_cases: { approve: number; reject: number; abstain: number; total_weight: number; passed: boolean; reason: string }[];
}

describeVectors('pqc-ai-governance seed vectors', () => {
  // JSON.parse is exact here: the vector has no Python-only float spellings (seed-canonical.test.ts checks that).
  const doc = (): Doc => parseStrict(readVectorText('seeds/pqc-ai-governance/vectors.json')) as Doc;

  it('GovernanceProposal: seed canonical bytes and proposal hash', () => {
    const v = doc().proposal;
    const f = v.fields;
    const p = new GovernanceProposal({
      proposalId: f['proposal_id'] as string, kind: f['kind'] as ProposalKind, subjectId: f['subject_id'] as string, title: f['title'] as string,
      description: f['description'] as string, proposerDid: f['proposer_did'] as string, parameters: f['parameters'] as Record<string, unknown>,
      createdAt: f['created_at'] as string, expiresAt: f['expires_at'] as string,
    });
    expect(utf8Decode(p.seedCanonicalBytes())).toBe(v.canonical_bytes_utf8);
    expect(toHex(sha3_256(p.seedCanonicalBytes()))).toBe(v.proposal_hash_sha3_256);
    expect(p.proposalHash()).toBe(v.proposal_hash_sha3_256);
    expect(p.status).toBe(f['status']);
    // create() with an injected clock and id: same id, same expiry rule (created + 86400 s).
    const c = GovernanceProposal.create('authorize-model', f['subject_id'] as string, f['title'] as string, f['proposer_did'] as string, {
      proposalId: f['proposal_id'] as string, description: f['description'] as string, parameters: f['parameters'] as Record<string, unknown>,
      clock: fixedClock(f['created_at'] as string),
    });
    expect(Date.parse(c.createdAt)).toBe(Date.parse(f['created_at'] as string));
    expect(Date.parse(c.expiresAt)).toBe(Date.parse(f['expires_at'] as string));
    expect(c.seedBody()).toEqual({ ...p.seedBody(), created_at: c.createdAt, expires_at: c.expiresAt });
    console.log('[pqc-ai-governance] proposal: canonical bytes and hash match');
  });

  it('Vote: seed canonical bytes and signing digest; bound to the proposal hash', () => {
    const d = doc();
    const f = d.vote.fields;
    const v = Vote.create(f['proposal_id']!, f['proposal_hash']!, f['voter_did']!, f['decision'] as VoteDecision, {
      rationale: f['rationale']!, clock: fixedClock(f['cast_at']!),
    });
    // Our clock writes `Z`; the seed wrote Python isoformat `+00:00`: same instant.
    expect(Date.parse(v.castAt)).toBe(Date.parse(f['cast_at']!));
    expect(v.hasContentId()).toBe(true);
    // The seed's ids are its own (random): `new Vote` reproduces its artifact, id and all.
    const exact = new Vote({ ...v.body(), voteId: f['vote_id']!, castAt: f['cast_at']! });
    expect(exact.hasContentId()).toBe(false);
    expect(utf8Decode(exact.seedCanonicalBytes())).toBe(d.vote.canonical_bytes_utf8);
    expect(exact.seedSigningDigest()).toBe(d.vote.signing_digest_sha3_256_hex);
    expect(exact.proposalHash).toBe(d.proposal.proposal_hash_sha3_256);
    console.log('[pqc-ai-governance] vote: canonical bytes and digest match');
  });

  it('ConsensusResult: seed canonical bytes (sorted vote ids) and signing digest', () => {
    const v = doc().consensus_result;
    const f = v.fields;
    const r = new ConsensusResult({
      proposalId: f['proposal_id'] as string, proposalHash: f['proposal_hash'] as string, decision: f['decision'] as 'passed', reason: f['reason'] as string,
      approveWeight: f['approve_weight'] as number, rejectWeight: f['reject_weight'] as number, abstainWeight: f['abstain_weight'] as number,
      totalWeight: f['total_weight'] as number, includedVoteIds: f['included_vote_ids'] as string[], decidedAt: f['decided_at'] as string,
    });
    expect(r.includedVoteIds).toEqual(['v1', 'v2', 'v3']);
    expect(utf8Decode(r.seedCanonicalBytes())).toBe(v.canonical_bytes_utf8);
    expect(r.seedSigningDigest()).toBe(v.signing_digest_sha3_256_hex);
    // The vector's reason is exactly what our policy says for its weights.
    expect(new QuorumPolicy().check(r, r.totalWeight)).toEqual({ passed: true, reason: r.reason });
    console.log('[pqc-ai-governance] consensus_result: canonical bytes and digest match');
  });

  it('QuorumPolicy reproduces the default-policy table', () => {
    const cases = doc().quorum_policy_default_cases;
    expect(cases.length, 'policy cases found').toBeGreaterThan(0);
    const policy = new QuorumPolicy();
    let matched = 0;
    for (const c of cases) {
      const got = policy.check({ approveWeight: c.approve, rejectWeight: c.reject, abstainWeight: c.abstain }, c.total_weight);
      expect(got, JSON.stringify(c)).toEqual({ passed: c.passed, reason: c.reason });
      matched++;
    }
    console.log(`[pqc-ai-governance] QuorumPolicy: ${matched}/${cases.length} cases match`);
    expect(matched).toBe(11);
  });
});
