// Byzantine evidence: two votes signed by one voter on one proposal (same id and hash) with
// different decisions. Self-contained proof of equivocation that any third party can check from the
// two envelopes alone, in the manner of CometBFT's DuplicateVoteEvidence (two signed votes, same
// validator, same height/round/type, different block ids). JSON form: evidence made by
// `createByzantineEvidence` serializes (`JSON.stringify`) as ByzantineEvidenceJSON — the claim plus
// both envelopes — which `verifyByzantineEvidence` and `byzantineEvidenceFromJSON` take back.

import type { Envelope } from '../envelope/types.js';
import { checkKeys } from './_wire.js';
import { describeValue, isPlainObject } from '../core/assert.js';
import { InvalidVoteError } from './errors.js';
import { SignedVote, verifySignedVote } from './vote.js';

/** Proof that `voterDid` signed two conflicting votes on one proposal. */
export interface ByzantineEvidence {
  readonly voterDid: string;
  readonly proposalId: string;
  readonly proposalHash: string;
  /** The vote seen first. */
  readonly first: SignedVote;
  /** The conflicting vote. */
  readonly second: SignedVote;
}

/** Wire form of {@link ByzantineEvidence}: the claim plus both envelopes. */
export interface ByzantineEvidenceJSON {
  readonly type: 'duplicate-vote';
  readonly voterDid: string;
  readonly proposalId: string;
  readonly proposalHash: string;
  readonly votes: readonly [Envelope, Envelope];
}

/** The verdict of {@link verifyByzantineEvidence}. */
export interface EvidenceVerification {
  readonly valid: boolean;
  /** Why not, when not valid. */
  readonly reason?: string;
}

/**
 * Builds evidence from two conflicting signed votes (not verified here). The object serializes
 * (`JSON.stringify`) as its {@link ByzantineEvidenceJSON} wire form.
 * @throws TypeError when either vote is not a SignedVote.
 */
export function createByzantineEvidence(first: SignedVote, second: SignedVote): ByzantineEvidence {
  if (!(first instanceof SignedVote) || !(second instanceof SignedVote)) throw new TypeError('"first" and "second" expected SignedVotes');
  return withWireForm({ voterDid: first.vote.voterDid, proposalId: first.vote.proposalId, proposalHash: first.vote.proposalHash, first, second });
}

function withWireForm(evidence: ByzantineEvidence): ByzantineEvidence {
  // Not enumerable: the evidence still compares equal to the plain { voterDid, …, first, second } record.
  Object.defineProperty(evidence, 'toJSON', { value: () => byzantineEvidenceToJSON(evidence) });
  return Object.freeze(evidence);
}

/** The wire form of `evidence`. */
export function byzantineEvidenceToJSON(evidence: ByzantineEvidence): ByzantineEvidenceJSON {
  return {
    type: 'duplicate-vote',
    voterDid: evidence.voterDid,
    proposalId: evidence.proposalId,
    proposalHash: evidence.proposalHash,
    votes: [evidence.first.envelope, evidence.second.envelope],
  };
}

function fromJSON(json: unknown): ByzantineEvidence | string {
  if (!isPlainObject(json)) return `evidence expected an object, got ${describeValue(json)}`;
  const keys = checkKeys(json, ['type', 'voterDid', 'proposalId', 'proposalHash', 'votes']);
  if (keys !== null) return `evidence: ${keys}`;
  if (json['type'] !== 'duplicate-vote') return 'evidence "type" expected "duplicate-vote"';
  const votes = json['votes'];
  if (!Array.isArray(votes) || votes.length !== 2) return 'evidence "votes" expected exactly 2 envelopes';
  let first: SignedVote;
  let second: SignedVote;
  try {
    first = SignedVote.fromEnvelope(votes[0]);
    second = SignedVote.fromEnvelope(votes[1]);
  } catch (err) {
    return (err as Error).message;
  }
  const { voterDid, proposalId, proposalHash } = json;
  if (typeof voterDid !== 'string' || typeof proposalId !== 'string' || typeof proposalHash !== 'string') {
    return 'evidence "voterDid", "proposalId" and "proposalHash" expected strings';
  }
  return { voterDid, proposalId, proposalHash, first, second };
}

/**
 * Parses the wire form ({@link byzantineEvidenceToJSON}, or `JSON.stringify` of evidence) back into
 * evidence (not verified here; see {@link verifyByzantineEvidence}).
 * @throws InvalidVoteError for a malformed object or vote envelope.
 */
export function byzantineEvidenceFromJSON(json: unknown): ByzantineEvidence {
  const e = fromJSON(json);
  if (typeof e === 'string') throw new InvalidVoteError(`evidence rejected: ${e}`);
  return withWireForm(e);
}

/**
 * Checks evidence of a double vote: both envelopes carry valid ML-DSA signatures by `voterDid`,
 * both name the evidence's proposal id and hash, and their decisions differ.
 * @param evidence a {@link ByzantineEvidence} (e.g. `err.evidence`) or its JSON form.
 * @returns a verdict; never throws for bad input.
 * @example
 * const { valid } = await verifyByzantineEvidence(parseStrict(received)); // true only for real equivocation
 */
export async function verifyByzantineEvidence(evidence: ByzantineEvidence | ByzantineEvidenceJSON | unknown): Promise<EvidenceVerification> {
  let e: ByzantineEvidence;
  if (isPlainObject(evidence) && evidence['first'] instanceof SignedVote && evidence['second'] instanceof SignedVote) {
    e = evidence as unknown as ByzantineEvidence;
  } else {
    const parsed = fromJSON(evidence);
    if (typeof parsed === 'string') return { valid: false, reason: parsed };
    e = parsed;
  }
  const fail = (reason: string): EvidenceVerification => ({ valid: false, reason });
  const [a, b] = [e.first.vote, e.second.vote];
  if (a.voterDid !== e.voterDid || b.voterDid !== e.voterDid) return fail('votes are not both by the accused voter');
  if (a.proposalId !== e.proposalId || b.proposalId !== e.proposalId) return fail('votes are not both on the same proposal id');
  if (a.proposalHash !== e.proposalHash || b.proposalHash !== e.proposalHash) return fail('votes are not both on the same proposal hash');
  if (a.decision === b.decision) return fail('votes do not conflict (same decision)');
  if (!(await verifySignedVote(e.first))) return fail('first vote: signature verification failed');
  if (!(await verifySignedVote(e.second))) return fail('second vote: signature verification failed');
  return { valid: true };
}
