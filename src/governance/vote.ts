// Votes and signed votes. Port of pqc-ai-governance `vote.py`: a vote binds a voter to BOTH the
// proposal id and the proposal hash, so it cannot be replayed onto another proposal or onto an
// edited copy of the same one. Signed votes are `governance.vote` envelopes (DESIGN.md "Wire formats").
// Vote ids are content-derived (DESIGN.md "Ids": immutable things are named by their hash):
//   voteId = lowercase hex SHA3-256 (FIPS 202) of the RFC 8785 (JCS) UTF-8 bytes of the vote's body
//            WITHOUT the `voteId` member, i.e. of
//            { castAt, decision, proposalHash, proposalId, rationale, voterDid }.
// So no member can choose another voter's id ahead of it and get that vote refused as a clash, and
// two different votes never share an id. The seed chose random ids: `new Vote(fields)` still takes
// any id (to reproduce seed artifacts), but our signed wire form (`SignedVote.fromEnvelope`) and the
// offline verifier refuse a vote whose id is not its content hash.

import { base64Decode, toHex, utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { canonicalizePython } from '../core/canonical-python.js';
import { systemClock, toRfc3339, type Clock } from '../core/clock.js';
import { checkSignature } from '../envelope/_signature-check.js';
import { pae } from '../envelope/pae.js';
import type { Envelope } from '../envelope/types.js';
import { verifySignature, verifySignatureOffThread } from '../pq/ml-dsa.js';
import { sha3_256 } from './_sha3.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH, VOTE_PAYLOAD_TYPE, checkKeys, checkOptions, checkString, decodeBody } from './_wire.js';
import { describeValue } from '../core/assert.js';
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
  /** {@link voteIdOf} the other fields (any string for a seed artifact built with `new Vote`). */
  readonly voteId: string;
  readonly proposalId: string;
  /** Hex SHA3-256 of the proposal (`GovernanceProposal.proposalHash()`). */
  readonly proposalHash: string;
  readonly voterDid: string;
  readonly decision: VoteDecision;
  readonly rationale: string;
  readonly castAt: string;
}

/** Options of {@link Vote.create} (the id is never an option: it is derived from the content). */
export interface CreateVoteOptions {
  readonly rationale?: string;
  /** Time source, default the system clock. */
  readonly clock?: Clock;
}

const FIELD_KEYS = ['voteId', 'proposalId', 'proposalHash', 'voterDid', 'decision', 'rationale', 'castAt'] as const;
const CREATE_OPTIONS = ['rationale', 'clock'] as const;

/** Why {@link SignedVote.fromEnvelope} and `verifyResultOffline` refuse a vote with a chosen id. */
export const VOTE_ID_MISMATCH = 'vote id is not the SHA3-256 of its body — votes from before content-derived ids are not accepted';

function fieldsError(f: Record<string, unknown>): string | null {
  return (
    checkString('voteId', f['voteId'], MAX_ID_LENGTH) ??
    checkString('proposalId', f['proposalId'], MAX_ID_LENGTH) ??
    checkString('proposalHash', f['proposalHash'], MAX_ID_LENGTH) ??
    checkString('voterDid', f['voterDid'], MAX_ID_LENGTH) ??
    (isVoteDecision(f['decision']) ? null : `"decision" expected approve, reject or abstain, got ${describeValue(f['decision'])}`) ??
    checkString('rationale', f['rationale'], MAX_TEXT_LENGTH, false) ??
    checkString('castAt', f['castAt'], MAX_ID_LENGTH, false)
  );
}

/**
 * The content-derived id of a vote: lowercase hex SHA3-256 of the RFC 8785 bytes of
 * `{ proposalId, proposalHash, voterDid, decision, rationale, castAt }` (the body without `voteId`,
 * which cannot hash itself). Fields are read as given; validate them first (`new Vote`).
 * @example
 * voteIdOf(signed.vote) === signed.vote.voteId; // always true for a SignedVote
 */
export function voteIdOf(fields: Omit<VoteFields, 'voteId'>): string {
  const { proposalId, proposalHash, voterDid, decision, rationale, castAt } = fields;
  return toHex(sha3_256(utf8Encode(canonicalize({ proposalId, proposalHash, voterDid, decision, rationale, castAt }))));
}

/**
 * {@link voteIdOf} computed from a vote body's RFC 8785 text (what an envelope payload holds) without
 * re-encoding it: JCS sorts `voteId` before `voterDid`, so the body without `voteId` is the text
 * minus its `"voteId":"…",` member — the first `,"voteId":` in the text, since a `"` inside a JSON
 * string is always escaped. Returns null when the text has no such member. Internal fast path of
 * the offline verifier (not re-exported).
 */
export function voteIdFromCanonicalText(text: string, voteId: string): string | null {
  const member = `,"voteId":${JSON.stringify(voteId)},`;
  const at = text.indexOf(member);
  if (at < 0) return null;
  return toHex(sha3_256(utf8Encode(`${text.slice(0, at)},${text.slice(at + member.length)}`)));
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
   * A fresh vote cast now, its id derived from its content ({@link voteIdOf}).
   * @throws InvalidVoteError for a bad field; TypeError for an unknown option (e.g. the retired `voteId`).
   */
  static create(proposalId: string, proposalHash: string, voterDid: string, decision: VoteDecision, options: CreateVoteOptions = {}): Vote {
    checkOptions(options, CREATE_OPTIONS, 'Vote.create');
    const fields = {
      voteId: '',
      proposalId,
      proposalHash,
      voterDid,
      decision,
      rationale: options.rationale ?? '',
      castAt: toRfc3339((options.clock ?? systemClock).now()),
    };
    // Validate before hashing, so a bad field is an InvalidVoteError, not a canonicalize failure.
    const why = fieldsError({ ...fields, voteId: 'pending' });
    if (why !== null) throw new InvalidVoteError(`invalid vote: ${why}`);
    return new Vote({ ...fields, voteId: voteIdOf(fields) });
  }

  /** True when {@link voteId} is the content hash of the other fields ({@link voteIdOf}). */
  hasContentId(): boolean {
    return this.voteId === voteIdOf(this);
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
   * @throws InvalidVoteError for a malformed envelope or body, or a `voteId` that is not the
   *   content hash of the body ({@link VOTE_ID_MISMATCH}).
   */
  static fromEnvelope(env: unknown): SignedVote {
    const d = decodeBody(env, VOTE_PAYLOAD_TYPE);
    if (typeof d === 'string') throw new InvalidVoteError(`vote envelope rejected: ${d}`);
    const keys = checkKeys(d.body, FIELD_KEYS);
    if (keys !== null) throw new InvalidVoteError(`invalid vote: ${keys}`);
    const vote = new Vote(d.body as unknown as VoteFields);
    if (!vote.hasContentId()) throw new InvalidVoteError(VOTE_ID_MISMATCH);
    // decodeBody's envelope is already a deep-frozen copy: its proof cannot change after the check.
    return new SignedVote(vote, d.env);
  }

  /** The voter's did (shortcut for `vote.voterDid`). */
  get voterDid(): string {
    return this.vote.voterDid;
  }

  /** The wire form: the envelope (`JSON.stringify(sv)` parsed back is what `SignedVote.fromEnvelope` takes). */
  toJSON(): Envelope {
    return this.envelope;
  }
}

/**
 * SignedVotes whose signature already verified: a SignedVote and its envelope are immutable, so a
 * vote checked once (say by a node's intake) is not verified again by the tally it joins.
 */
const VERIFIED = new WeakSet<SignedVote>();

/**
 * True when `signed` carries a valid ML-DSA signature by its own `voterDid` over exactly its vote.
 * A SignedVote found valid once is remembered (it cannot change). `offThread`: check the signature
 * off the calling thread where the runtime can (a server's request path; see `verifyEnvelope`).
 * Never throws for bad input (a non-SignedVote envelope is decoded first).
 */
export async function verifySignedVote(signed: SignedVote | Envelope, options: { readonly offThread?: boolean } = {}): Promise<boolean> {
  let sv: SignedVote;
  try {
    sv = signed instanceof SignedVote ? signed : SignedVote.fromEnvelope(signed);
  } catch {
    return false;
  }
  if (VERIFIED.has(sv)) return true;
  // fromEnvelope already checked what verifyEnvelope would check besides the signatures (shape,
  // payload type, canonical payload), so only the voter's entries are checked here — the verdict
  // `isSignedBy(envelope, VOTE_PAYLOAD_TYPE, voterDid)` gives, without decoding the payload again.
  const env = sv.envelope;
  const message = pae(env.payloadType, base64Decode(env.payload));
  const verify = options.offThread === true ? verifySignatureOffThread : verifySignature;
  for (let i = 0; i < env.signatures.length; i++) {
    const s = env.signatures[i]!;
    if (s.keyid !== sv.vote.voterDid) continue;
    if ((await checkSignature(i, s, message, undefined, null, verify)).valid) {
      VERIFIED.add(sv);
      return true;
    }
  }
  return false;
}
