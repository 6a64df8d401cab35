// The signed outcome of a consensus round. Port of pqc-ai-governance `ConsensusResult`: the same
// fields in camelCase (included vote ids sorted, as the seed's canonical_bytes sorts them), signed by
// the coordinator as a `governance.result` envelope. `registryVersion` and `policy` are optional and
// signed when present: they name the registry version and the quorum thresholds the round was decided
// under (rounds run against a `RegistryHistory` always write both, so `verifyResultOffline` can
// recompute the decision from the artifacts alone).

import { toHex, utf8Encode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { canonicalizePython } from '../core/canonical-python.js';
import type { Envelope } from '../envelope/types.js';
import { sha3_256 } from './_sha3.js';
import {
  MAX_ID_LENGTH, MAX_TEXT_LENGTH, RESULT_PAYLOAD_TYPE, checkKeys, checkString, checkWeight, decodeBody, isPlainObject, isSignedBy,
} from './_wire.js';
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

/** The quorum thresholds recorded in a result: exact fractions, as `QuorumPolicy.toJSON()`. */
export interface ResultPolicy {
  readonly minParticipation: Fraction;
  readonly minApproval: Fraction;
}

const REQUIRED = ['proposalId', 'proposalHash', 'decision', 'reason', 'approveWeight', 'rejectWeight', 'abstainWeight', 'totalWeight', 'includedVoteIds', 'decidedAt'] as const;
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

function fieldsError(f: Record<string, unknown>): string | null {
  const ids = f['includedVoteIds'];
  const idsError = !Array.isArray(ids)
    ? '"includedVoteIds" expected an array'
    : ids.length > MAX_VOTES
      ? `"includedVoteIds" expected at most ${MAX_VOTES} items, got ${ids.length}`
      : ids.map((x, i) => checkString(`includedVoteIds[${i}]`, x, MAX_ID_LENGTH)).find((x) => x !== null) ?? null;
  return (
    checkString('proposalId', f['proposalId'], MAX_ID_LENGTH) ??
    checkString('proposalHash', f['proposalHash'], MAX_ID_LENGTH) ??
    (f['decision'] === 'passed' || f['decision'] === 'rejected' ? null : `"decision" expected passed or rejected, got ${JSON.stringify(String(f['decision']).slice(0, 40))}`) ??
    checkString('reason', f['reason'], MAX_TEXT_LENGTH, false) ??
    checkWeight('approveWeight', f['approveWeight']) ??
    checkWeight('rejectWeight', f['rejectWeight']) ??
    checkWeight('abstainWeight', f['abstainWeight']) ??
    checkWeight('totalWeight', f['totalWeight']) ??
    idsError ??
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
    const keys = checkKeys(d.body, REQUIRED, ['registryVersion', 'policy']);
    if (keys !== null) throw new GovernanceError(`invalid consensus result: ${keys}`);
    const r = new ConsensusResult(d.body as unknown as ConsensusResultFields);
    if (canonicalize(r.body()) !== canonicalize(d.body)) throw new GovernanceError('invalid consensus result: "includedVoteIds" is not sorted');
    r.#envelope = d.env;
    return r;
  }

  /** JSON view: the camelCase body (the signature travels in `envelope`). */
  toJSON(): ConsensusResultFields {
    return this.body();
  }
}

/** Options of {@link verifyConsensusResult}. */
export interface VerifyResultOptions {
  /** Accept only results signed by one of these dids (e.g. registry members). */
  readonly trusted?: Iterable<string>;
}

/**
 * True when the result (or its envelope) is well formed, its body is exactly the envelope's, and
 * its first signer's ML-DSA signature is valid (and trusted, when `trusted` is given). An unsigned
 * result is not valid. Never throws for bad input.
 */
export async function verifyConsensusResult(result: ConsensusResult | Envelope, options: VerifyResultOptions = {}): Promise<boolean> {
  const env = result instanceof ConsensusResult ? result.envelope : result;
  if (env === undefined) return false;
  let parsed: ConsensusResult;
  try {
    parsed = ConsensusResult.fromEnvelope(env);
  } catch {
    return false;
  }
  if (result instanceof ConsensusResult && canonicalize(parsed.body()) !== canonicalize(result.body())) return false;
  const signer = parsed.signerDid;
  if (signer === undefined) return false;
  if (options.trusted !== undefined && !new Set(options.trusted).has(signer)) return false;
  return isSignedBy(env, RESULT_PAYLOAD_TYPE, signer);
}
