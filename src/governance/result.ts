// The signed outcome of a consensus round. Port of pqc-ai-governance `ConsensusResult`: the same
// fields in camelCase (included vote ids sorted, as the seed's canonical_bytes sorts them), signed by
// the coordinator as a `governance.result` envelope. `registryVersion` and `policy` are optional and
// signed when present: they name the registry version and the quorum thresholds the round was decided
// under (rounds run against a `RegistryHistory` always write both, so `verifyResultOffline` can
// recompute the decision from the artifacts alone).
// JSON form (`toJSON`): the signed fields, plus the coordinator's `envelope` once signed, so
// `verifyConsensusResult` still verifies `JSON.stringify(r)` parsed back; `fromJSON` refuses a JSON
// whose readable fields differ from its envelope.

import { toHex, utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { canonicalizePython } from '../core/canonical-python.js';
import type { Envelope } from '../envelope/types.js';
import { sha3_256 } from './_sha3.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH, RESULT_PAYLOAD_TYPE, checkKeys, checkString, checkWeight, decodeBody, isSignedBy } from './_wire.js';
import { describeValue, isPlainObject } from '../core/assert.js';
import type { Fraction } from './policy.js';
import { GovernanceError } from './errors.js';

/** A round's decision. */
export type ConsensusDecision = 'passed' | 'rejected';

/** The signed fields of a consensus result, camelCase. */
export interface ConsensusResultFields {
  readonly proposalId: string;
  readonly proposalHash: string;
  readonly decision: ConsensusDecision;
  /** The policy's reason (`quorum met, supermajority approve`, `participation 2/6 < 66.67%`, …). */
  readonly reason: string;
  readonly approveWeight: number;
  readonly rejectWeight: number;
  readonly abstainWeight: number;
  /** Total registry weight at decision time. */
  readonly totalWeight: number;
  /** Ids of the counted votes (stored sorted). */
  readonly includedVoteIds: readonly string[];
  readonly decidedAt: string;
  /** Registry version the round was decided under, when the registry is versioned. */
  readonly registryVersion?: number;
  /** Quorum thresholds the round applied (written by rounds run against a `RegistryHistory`). */
  readonly policy?: ResultPolicy;
}

/** JSON form of a result ({@link ConsensusResult.toJSON}); `envelope` is present once signed. */
export type ConsensusResultJSON = ConsensusResultFields & { readonly envelope?: Envelope };

/** The quorum thresholds recorded in a result: exact fractions, as `QuorumPolicy.toJSON()`. */
export interface ResultPolicy {
  readonly minParticipation: Fraction;
  readonly minApproval: Fraction;
}

const REQUIRED = ['proposalId', 'proposalHash', 'decision', 'reason', 'approveWeight', 'rejectWeight', 'abstainWeight', 'totalWeight', 'includedVoteIds', 'decidedAt'] as const;
const OPTIONAL = ['registryVersion', 'policy'] as const;
const MAX_VOTES = 100_000;

function fractionError(name: string, f: unknown): string | null {
  if (!isPlainObject(f)) return `"${name}" expected { numerator, denominator }`;
  const keys = checkKeys(f, ['numerator', 'denominator']);
  if (keys !== null) return `"${name}": ${keys}`;
  const n = f['numerator'];
  const d = f['denominator'];
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || (d as number) < 1 || (n as number) < 0 || (n as number) > (d as number)) {
    return `"${name}" expected integers 0 ≤ numerator ≤ denominator, denominator ≥ 1`;
  }
  return null;
}

/** Returns a reason when `p` is not a {@link ResultPolicy} (exact keys), else null. */
export function resultPolicyError(p: unknown): string | null {
  if (!isPlainObject(p)) return '"policy" expected { minParticipation, minApproval }';
  const keys = checkKeys(p, ['minParticipation', 'minApproval']);
  if (keys !== null) return `"policy": ${keys}`;
  return fractionError('policy.minParticipation', p['minParticipation']) ?? fractionError('policy.minApproval', p['minApproval']);
}

function idsError(ids: unknown): string | null {
  if (!Array.isArray(ids)) return `"includedVoteIds" expected an array, got ${describeValue(ids)}`;
  if (ids.length > MAX_VOTES) return `"includedVoteIds" expected at most ${MAX_VOTES} items, got ${ids.length}`;
  for (let i = 0; i < ids.length; i++) {
    const bad = checkString(`includedVoteIds[${i}]`, ids[i], MAX_ID_LENGTH);
    if (bad !== null) return bad;
  }
  return null;
}

function fieldsError(f: Record<string, unknown>): string | null {
  return (
    checkString('proposalId', f['proposalId'], MAX_ID_LENGTH) ??
    checkString('proposalHash', f['proposalHash'], MAX_ID_LENGTH) ??
    (f['decision'] === 'passed' || f['decision'] === 'rejected' ? null : `"decision" expected passed or rejected, got ${describeValue(f['decision'])}`) ??
    checkString('reason', f['reason'], MAX_TEXT_LENGTH, false) ??
    checkWeight('approveWeight', f['approveWeight']) ??
    checkWeight('rejectWeight', f['rejectWeight']) ??
    checkWeight('abstainWeight', f['abstainWeight']) ??
    checkWeight('totalWeight', f['totalWeight']) ??
    idsError(f['includedVoteIds']) ??
    checkString('decidedAt', f['decidedAt'], MAX_ID_LENGTH, false) ??
    (f['registryVersion'] === undefined ? null : checkWeight('registryVersion', f['registryVersion'])) ??
    (f['policy'] === undefined ? null : resultPolicyError(f['policy']))
  );
}

/**
 * A consensus result. Fields are frozen; `envelope` holds the coordinator's signature when the
 * result came from `ConsensusRound.finalize` or {@link ConsensusResult.fromEnvelope}.
 */
export class ConsensusResult implements ConsensusResultFields {
  readonly proposalId: string;
  readonly proposalHash: string;
  readonly decision: ConsensusDecision;
  readonly reason: string;
  readonly approveWeight: number;
  readonly rejectWeight: number;
  readonly abstainWeight: number;
  readonly totalWeight: number;
  readonly includedVoteIds: readonly string[];
  readonly decidedAt: string;
  readonly registryVersion?: number;
  readonly policy?: ResultPolicy;
  #envelope: Envelope | undefined;

  /**
   * A result from explicit fields (`includedVoteIds` is sorted).
   * @throws GovernanceError when a field is missing or of the wrong type.
   */
  constructor(fields: ConsensusResultFields) {
    if (fields === null || typeof fields !== 'object') throw new GovernanceError('consensus result fields expected an object');
    const why = fieldsError(fields as unknown as Record<string, unknown>);
    if (why !== null) throw new GovernanceError(`invalid consensus result: ${why}`);
    this.proposalId = fields.proposalId;
    this.proposalHash = fields.proposalHash;
    this.decision = fields.decision;
    this.reason = fields.reason;
    this.approveWeight = fields.approveWeight;
    this.rejectWeight = fields.rejectWeight;
    this.abstainWeight = fields.abstainWeight;
    this.totalWeight = fields.totalWeight;
    this.includedVoteIds = Object.freeze([...fields.includedVoteIds].sort());
    this.decidedAt = fields.decidedAt;
    if (fields.registryVersion !== undefined) this.registryVersion = fields.registryVersion;
    if (fields.policy !== undefined) {
      const { minParticipation: mp, minApproval: ma } = fields.policy;
      this.policy = Object.freeze({
        minParticipation: Object.freeze({ numerator: mp.numerator, denominator: mp.denominator }),
        minApproval: Object.freeze({ numerator: ma.numerator, denominator: ma.denominator }),
      });
    }
  }

  /** True when the decision is `passed`. */
  isPassed(): boolean {
    return this.decision === 'passed';
  }

  /** The signed fields as a plain camelCase object (our wire body). */
  body(): ConsensusResultFields {
    const o: Record<string, unknown> = {};
    for (const k of REQUIRED) o[k] = k === 'includedVoteIds' ? [...this.includedVoteIds] : this[k];
    if (this.registryVersion !== undefined) o['registryVersion'] = this.registryVersion;
    if (this.policy !== undefined) {
      const { minParticipation: mp, minApproval: ma } = this.policy;
      o['policy'] = { minParticipation: { numerator: mp.numerator, denominator: mp.denominator }, minApproval: { numerator: ma.numerator, denominator: ma.denominator } };
    }
    return o as unknown as ConsensusResultFields;
  }

  /** The seed's snake_case signing body (no `registryVersion` / `policy`: the seed has neither). */
  seedBody(): Record<string, unknown> {
    return {
      proposal_id: this.proposalId,
      proposal_hash: this.proposalHash,
      decision: this.decision,
      reason: this.reason,
      approve_weight: this.approveWeight,
      reject_weight: this.rejectWeight,
      abstain_weight: this.abstainWeight,
      total_weight: this.totalWeight,
      included_vote_ids: [...this.includedVoteIds],
      decided_at: this.decidedAt,
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

  /** The coordinator's envelope, when signed. */
  get envelope(): Envelope | undefined {
    return this.#envelope;
  }

  /** The did of the (first) signer, when signed. */
  get signerDid(): string | undefined {
    return this.#envelope?.signatures[0]?.keyid;
  }

  /**
   * Attaches an envelope whose body is exactly this result (signatures are checked by `verifyConsensusResult`).
   * @throws GovernanceError when the envelope is malformed or carries a different result.
   */
  attachEnvelope(env: Envelope): void {
    const d = decodeBody(env, RESULT_PAYLOAD_TYPE);
    if (typeof d === 'string') throw new GovernanceError(`result envelope rejected: ${d}`);
    if (canonicalize(d.body) !== canonicalize(this.body())) throw new GovernanceError('result envelope carries a different result');
    this.#envelope = d.env;
  }

  /**
   * Parses a result envelope (signatures are NOT checked; use `ConsensusRound.verifyResult`).
   * @throws GovernanceError for a malformed envelope or body.
   */
  static fromEnvelope(env: unknown): ConsensusResult {
    const d = decodeBody(env, RESULT_PAYLOAD_TYPE);
    if (typeof d === 'string') throw new GovernanceError(`result envelope rejected: ${d}`);
    const keys = checkKeys(d.body, REQUIRED, OPTIONAL);
    if (keys !== null) throw new GovernanceError(`invalid consensus result: ${keys}`);
    const r = new ConsensusResult(d.body as unknown as ConsensusResultFields);
    if (canonicalize(r.body()) !== canonicalize(d.body)) throw new GovernanceError('invalid consensus result: "includedVoteIds" is not sorted');
    r.#envelope = d.env;
    return r;
  }

  /**
   * JSON view ({@link ConsensusResultJSON}): the camelCase body and — when signed — the
   * coordinator's `envelope`, so the proof survives `JSON.stringify`.
   */
  toJSON(): ConsensusResultJSON {
    return this.#envelope === undefined ? this.body() : { ...this.body(), envelope: this.#envelope };
  }

  /**
   * Parses {@link toJSON} output. With `envelope`, the result is decoded from the envelope
   * (signatures are NOT checked; use `verifyConsensusResult`) and the readable fields must equal
   * the signed ones.
   * @throws GovernanceError for a malformed object or readable fields that differ from the envelope.
   */
  static fromJSON(json: unknown): ConsensusResult {
    if (!isPlainObject(json)) throw new GovernanceError(`consensus result JSON expected an object, got ${describeValue(json)}`);
    const keys = checkKeys(json, REQUIRED, [...OPTIONAL, 'envelope']);
    if (keys !== null) throw new GovernanceError(`invalid consensus result: ${keys}`);
    const readable = new ConsensusResult(json as unknown as ConsensusResultFields);
    if (!Object.hasOwn(json, 'envelope')) return readable;
    const r = ConsensusResult.fromEnvelope(json['envelope']);
    if (canonicalize(r.body()) !== canonicalize(readable.body())) throw new GovernanceError('consensus result fields differ from its signed envelope');
    return r;
  }
}

/** Options of {@link verifyConsensusResult}. */
export interface VerifyResultOptions {
  /** Accept only results signed by one of these dids (e.g. registry members). */
  readonly trusted?: Iterable<string>;
}

/**
 * The signed result `x` stands for: a `ConsensusResult` (its fields must still equal its
 * envelope's), its JSON form, or a bare envelope. Throws GovernanceError for anything else.
 */
function signedResultFrom(x: unknown): ConsensusResult {
  if (x instanceof ConsensusResult) {
    const env = x.envelope;
    if (env === undefined) throw new GovernanceError('result is not signed');
    const parsed = ConsensusResult.fromEnvelope(env);
    if (canonicalize(parsed.body()) !== canonicalize(x.body())) throw new GovernanceError('result fields differ from its signed envelope');
    return parsed;
  }
  const r = isPlainObject(x) && Object.hasOwn(x, 'proposalId') ? ConsensusResult.fromJSON(x) : ConsensusResult.fromEnvelope(x);
  if (r.envelope === undefined) throw new GovernanceError('result is not signed');
  return r;
}

/**
 * True when the result is well formed, its fields are exactly the envelope's, and its first
 * signer's ML-DSA signature is valid (and trusted, when `trusted` is given). Takes a
 * `ConsensusResult`, its JSON form (`JSON.stringify(r)` parsed back) or the bare envelope. An
 * unsigned result is not valid. Never throws for bad input.
 */
export async function verifyConsensusResult(result: ConsensusResult | ConsensusResultJSON | Envelope, options: VerifyResultOptions = {}): Promise<boolean> {
  let parsed: ConsensusResult;
  try {
    parsed = signedResultFrom(result);
    const signer = parsed.signerDid;
    if (signer === undefined) return false;
    const trusted = options?.trusted;
    if (trusted !== undefined && !new Set(trusted).has(signer)) return false;
    return await isSignedBy(parsed.envelope!, RESULT_PAYLOAD_TYPE, signer);
  } catch {
    return false;
  }
}
