// Votes and signed votes. Port of pqc-ai-governance `vote.py`: a vote binds a voter to BOTH the
// proposal id and the proposal hash, so it cannot be replayed onto another proposal or onto an
// edited copy of the same one. Signed votes are `governance.vote` envelopes (DESIGN.md "Wire formats").

import { toHex, utf8Encode } from '../core/bytes.js';
import { canonicalizePython } from '../core/canonical-python.js';
import { systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import type { Envelope } from '../envelope/types.js';
import { sha3_256 } from './_sha3.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH, VOTE_PAYLOAD_TYPE, checkKeys, checkString, decodeBody, isSignedBy } from './_wire.js';
import { InvalidVoteError } from './errors.js';

/** The three decisions a node may vote. */
export const VOTE_DECISIONS = Object.freeze(['approve', 'reject', 'abstain'] as const);

/** A node's decision on a proposal. */
export type VoteDecision = (typeof VOTE_DECISIONS)[number];

/** True when `v` is a {@link VoteDecision}. */
export function isVoteDecision(v: unknown): v is VoteDecision {
  return typeof v === 'string' && (VOTE_DECISIONS as readonly string[]).includes(v);
}

/** The signed fields of a vote, camelCase. */
export interface VoteFields {
  readonly voteId: string;
  readonly proposalId: string;
  /** Hex SHA3-256 of the proposal (`GovernanceProposal.proposalHash()`). */
  readonly proposalHash: string;
  readonly voterDid: string;
  readonly decision: VoteDecision;
  readonly rationale: string;
  readonly castAt: string;
}

/** Options of {@link Vote.create}. */
export interface CreateVoteOptions {
  readonly rationale?: string;
  /** Time source, default the system clock. */
  readonly clock?: Clock;
  /** A fixed id (tests, seed artifacts); default `randomId('vote')`. */
  readonly voteId?: string;
}

const FIELD_KEYS = ['voteId', 'proposalId', 'proposalHash', 'voterDid', 'decision', 'rationale', 'castAt'] as const;

function fieldsError(f: Record<string, unknown>): string | null {
  return (
    checkString('voteId', f['voteId'], MAX_ID_LENGTH) ??
    checkString('proposalId', f['proposalId'], MAX_ID_LENGTH) ??
    checkString('proposalHash', f['proposalHash'], MAX_ID_LENGTH) ??
    checkString('voterDid', f['voterDid'], MAX_ID_LENGTH) ??
    (isVoteDecision(f['decision']) ? null : `"decision" expected approve, reject or abstain, got ${JSON.stringify(String(f['decision']).slice(0, 40))}`) ??
    checkString('rationale', f['rationale'], MAX_TEXT_LENGTH, false) ??
    checkString('castAt', f['castAt'], MAX_ID_LENGTH, false)
  );
}

/** An unsigned vote (frozen value). */
export class Vote implements VoteFields {
  readonly voteId: string;
  readonly proposalId: string;
  readonly proposalHash: string;
  readonly voterDid: string;
  readonly decision: VoteDecision;
  readonly rationale: string;
  readonly castAt: string;

  /**
   * A vote from explicit fields.
   * @throws InvalidVoteError when a field is missing or of the wrong type.
   */
  constructor(fields: VoteFields) {
    if (fields === null || typeof fields !== 'object') throw new InvalidVoteError('vote fields expected an object');
    const why = fieldsError(fields as unknown as Record<string, unknown>);
    if (why !== null) throw new InvalidVoteError(`invalid vote: ${why}`);
    this.voteId = fields.voteId;
    this.proposalId = fields.proposalId;
    this.proposalHash = fields.proposalHash;
    this.voterDid = fields.voterDid;
    this.decision = fields.decision;
    this.rationale = fields.rationale;
    this.castAt = fields.castAt;
    Object.freeze(this);
  }

  /**
   * A fresh vote cast now.
   * @throws InvalidVoteError for a bad field.
   */
  static create(proposalId: string, proposalHash: string, voterDid: string, decision: VoteDecision, options: CreateVoteOptions = {}): Vote {
    return new Vote({
      voteId: options.voteId ?? randomId('vote'),
      proposalId,
      proposalHash,
      voterDid,
      decision,
      rationale: options.rationale ?? '',
      castAt: toRfc3339((options.clock ?? systemClock).now()),
    });
  }

  /** The signed fields as a plain camelCase object (our wire body). */
  body(): VoteFields {
    const o: Record<string, unknown> = {};
    for (const k of FIELD_KEYS) o[k] = this[k];
    return o as unknown as VoteFields;
  }

  /** The seed's snake_case signing body. */
  seedBody(): Record<string, string> {
    return {
      vote_id: this.voteId,
      proposal_id: this.proposalId,
      proposal_hash: this.proposalHash,
      voter_did: this.voterDid,
      decision: this.decision,
      rationale: this.rationale,
      cast_at: this.castAt,
    };
  }

  /** The seed's `canonical_bytes()` (Python encoder, `ensure_ascii=False`). */
  seedCanonicalBytes(): Uint8Array {
    return utf8Encode(canonicalizePython(this.seedBody(), { ensureAscii: false }));
  }

  /** Hex SHA3-256 of {@link seedCanonicalBytes}: the digest the seed signs. */
  seedSigningDigest(): string {
    return toHex(sha3_256(this.seedCanonicalBytes()));
  }

  /** True when both votes have the same voter, proposal and decision (rationale, id and time may differ). */
  sameBallot(other: Vote): boolean {
    return this.voterDid === other.voterDid && this.proposalId === other.proposalId && this.proposalHash === other.proposalHash && this.decision === other.decision;
  }
}

/**
 * A vote plus its `governance.vote` envelope. The vote is always decoded FROM the envelope payload,
 * so the two can never disagree; tampering with the payload breaks the signature.
 */
export class SignedVote {
  /** The decoded vote. */
  readonly vote: Vote;
  /** The signed envelope (the wire form). */
  readonly envelope: Envelope;

  private constructor(vote: Vote, envelope: Envelope) {
    this.vote = vote;
    this.envelope = envelope;
    Object.freeze(this);
  }

  /**
   * Decodes a vote envelope (signatures are NOT checked here; see {@link verifySignedVote}).
   * @throws InvalidVoteError for a malformed envelope or body.
   */
  static fromEnvelope(env: unknown): SignedVote {
    const d = decodeBody(env, VOTE_PAYLOAD_TYPE);
    if (typeof d === 'string') throw new InvalidVoteError(`vote envelope rejected: ${d}`);
    const keys = checkKeys(d.body, FIELD_KEYS);
    if (keys !== null) throw new InvalidVoteError(`invalid vote: ${keys}`);
    return new SignedVote(new Vote(d.body as unknown as VoteFields), d.env);
  }

  /** The voter's did (shortcut for `vote.voterDid`). */
  get voterDid(): string {
    return this.vote.voterDid;
  }

  /** The wire form: the envelope. */
  toJSON(): Envelope {
    return this.envelope;
  }
}

// A SignedVote never changes (it is frozen, and `fromEnvelope` keeps a deep-frozen copy of the
// envelope), so once its signature verified, the answer stands: remembered per object, a vote that
// the node's intake checked costs the tally no second ML-DSA verification.
const VERIFIED = new WeakSet<SignedVote>();

/**
 * True when `signed` carries a valid ML-DSA signature by its own `voterDid` over exactly its vote.
 * Never throws for bad input (a non-SignedVote envelope is decoded first). A valid answer is
 * remembered for that SignedVote object. `offThread`: check the signature off the calling thread
 * where the runtime can (a server's request path; see `verifyEnvelope`).
 */
export async function verifySignedVote(signed: SignedVote | Envelope, options: { readonly offThread?: boolean } = {}): Promise<boolean> {
  let sv: SignedVote;
  try {
    sv = signed instanceof SignedVote ? signed : SignedVote.fromEnvelope(signed);
  } catch {
    return false;
  }
  if (VERIFIED.has(sv)) return true;
  const ok = await isSignedBy(sv.envelope, VOTE_PAYLOAD_TYPE, sv.vote.voterDid, options.offThread === true);
  if (ok) VERIFIED.add(sv);
  return ok;
}
