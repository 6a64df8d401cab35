// Decision records and decision receipts. A decision record is what the authorization service
// appends to its transparency log for every decision — the RFC 8785 canonical JSON object
//   { type: "authz.decision", society, request_digest, attempt, requester, action, target, atp_cost,
//     delegation_id, decision, denial_reason, atp_remaining, required_trust, actual_trust,
//     requires_witness, witnesses, decision_log_hash, decided_at, check }
// (`attempt` numbers the decisions of one request: 0, then 1 when a deferred request is decided
// again; `decision_log_hash` is the seed-compatible hash, decision-log.ts). Its id is the lower-case
// hex SHA3-256 (FIPS 202) of those bytes. A receipt is an envelope of payload type `authz-receipt`
// signed (ML-DSA, FIPS 204) by the service, body
//   { type: "authz.receipt", decision_id, record, log_index, log_origin, service }
// where `log_index` is the record's leaf index in the service's log (RFC 6962 §2.1 leaf =
// SHA3-256(0x00 ‖ record bytes)) and `log_origin` the log's origin. verifyDecisionReceipt checks a
// receipt offline: the service's signature and, given a signed checkpoint of the log and an inclusion
// proof (RFC 9162 §2.1.3.2), that the record is that leaf of the checkpointed tree. Browser-safe.

import { isPlainObject } from '../core/assert.js';
import { fromHex, toHex } from '../core/bytes.js';
import { canonicalBytes } from '../core/canonical-json.js';
import { InvalidArgumentError } from '../core/errors.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { signEnvelope } from '../envelope/sign.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { sha3_256 } from '../hash/sha3.js';
import { leafHash } from '../log/_hash.js';
import { verifyCheckpoint } from '../log/checkpoint.js';
import { verifyInclusion } from '../log/verify.js';
import type { AuthorizationResult, CheckName, Decision, DenialReason } from './types.js';

/** The payload type of a decision receipt. */
export const AUTHZ_RECEIPT_PAYLOAD_TYPE: string = payloadTypeFor('authz-receipt');

/** One decision as logged (see the header). */
export interface DecisionRecord {
  readonly type: 'authz.decision';
  readonly society: string;
  readonly request_digest: string;
  readonly attempt: number;
  readonly requester: string;
  readonly action: string;
  readonly target: string;
  readonly atp_cost: number;
  readonly delegation_id: string | null;
  readonly decision: Decision;
  readonly denial_reason: DenialReason | null;
  readonly atp_remaining: number;
  readonly required_trust: number;
  readonly actual_trust: number;
  readonly requires_witness: boolean;
  /** Distinct allowed witnesses counted for this decision. */
  readonly witnesses: number;
  readonly decision_log_hash: string;
  /** Epoch seconds. */
  readonly decided_at: number;
  /** The check that decided (`grant` for a grant). */
  readonly check: CheckName;
}

/** The signed body of a decision receipt. */
export interface DecisionReceiptBody {
  readonly type: 'authz.receipt';
  readonly decision_id: string;
  readonly record: DecisionRecord;
  readonly log_index: number;
  readonly log_origin: string;
  /** The service's did (the signer). */
  readonly service: string;
}

/** The decision record of an engine result. */
export function decisionRecord(result: AuthorizationResult, f: { society: string; requestDigest: string; attempt: number; witnesses: number }): DecisionRecord {
  const r = result.request;
  return {
    type: 'authz.decision', society: f.society, request_digest: f.requestDigest, attempt: f.attempt,
    requester: r.requesterLct, action: r.action, target: r.targetResource, atp_cost: r.atpCost, delegation_id: r.delegationId,
    decision: result.decision, denial_reason: result.denialReason, atp_remaining: result.atpRemaining,
    required_trust: result.requiredTrustScore, actual_trust: result.actualTrustScore, requires_witness: result.requiresWitness,
    witnesses: f.witnesses, decision_log_hash: result.decisionLogHash, decided_at: result.timestamp, check: result.decidedBy.check,
  };
}

/** The record's log entry bytes: its RFC 8785 canonical JSON. */
export function decisionRecordBytes(record: DecisionRecord): Uint8Array {
  return canonicalBytes(record);
}

/** The decision id: lower-case hex SHA3-256 of the record's canonical bytes. */
export function decisionId(record: DecisionRecord): string {
  return toHex(sha3_256(decisionRecordBytes(record)));
}

/**
 * Signs a receipt for `record`, logged at `logIndex` of the log `logOrigin`, as the service.
 * @throws InvalidArgumentError for a negative or non-integer index.
 */
export async function signDecisionReceipt(service: EnvelopeSigner, record: DecisionRecord, log: { index: number; origin: string }): Promise<Envelope> {
  if (!Number.isSafeInteger(log.index) || log.index < 0) throw new InvalidArgumentError('receipt: "log_index" expected a non-negative integer');
  const body: DecisionReceiptBody = { type: 'authz.receipt', decision_id: decisionId(record), record, log_index: log.index, log_origin: log.origin, service: service.did };
  return signEnvelope(body, AUTHZ_RECEIPT_PAYLOAD_TYPE, [service]);
}

/** An inclusion proof as `GET /v1/log/proofs/inclusion` serves it (hex hashes). */
export interface ReceiptInclusionProof {
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly string[];
}

/** Options of {@link verifyDecisionReceipt}. */
export interface VerifyDecisionReceiptOptions {
  /** The service's did: the receipt (and the checkpoint) must be signed by it. */
  readonly serviceDid: string;
  /** A signed checkpoint of the service's log (`GET /v1/log/checkpoint` → `checkpoint`). */
  readonly checkpoint?: unknown;
  /** The record's inclusion proof in the checkpoint's tree (needs `checkpoint`). */
  readonly inclusionProof?: ReceiptInclusionProof;
}

/** The verdict of {@link verifyDecisionReceipt}. */
export interface DecisionReceiptVerification {
  /** True when the signature holds and, when a proof was given, the record is in the checkpointed log. */
  readonly valid: boolean;
  /** The body when the signature holds (null otherwise). */
  readonly receipt: DecisionReceiptBody | null;
  /** True / false when a checkpoint and proof were checked; null when none was given. */
  readonly included: boolean | null;
  readonly reasons: string[];
}

function bodyError(b: unknown): string | null {
  if (!isPlainObject(b)) return 'receipt body expected an object';
  if (Object.keys(b).sort().join(',') !== 'decision_id,log_index,log_origin,record,service,type') return 'receipt body has unexpected or missing fields';
  if (b['type'] !== 'authz.receipt') return 'receipt "type" must be "authz.receipt"';
  if (!isPlainObject(b['record']) || b['record']['type'] !== 'authz.decision') return 'receipt "record" is not a decision record';
  if (!Number.isSafeInteger(b['log_index']) || (b['log_index'] as number) < 0) return 'receipt "log_index" expected a non-negative integer';
  if (typeof b['log_origin'] !== 'string') return 'receipt "log_origin" expected a string';
  if (b['decision_id'] !== toHex(sha3_256(canonicalBytes(b['record'])))) return 'receipt "decision_id" is not the hash of its record';
  return null;
}

/**
 * Verifies a decision receipt offline (see the header). Never throws for a bad receipt, checkpoint
 * or proof: the verdict lists every reason.
 * @example
 * const v = await verifyDecisionReceipt(receipt, { serviceDid, checkpoint, inclusionProof }); // v.valid && v.included
 */
export async function verifyDecisionReceipt(receipt: unknown, options: VerifyDecisionReceiptOptions): Promise<DecisionReceiptVerification> {
  const reasons: string[] = [];
  const v = await verifyEnvelope(receipt, { payloadType: AUTHZ_RECEIPT_PAYLOAD_TYPE, trusted: [options.serviceDid] });
  if (!v.valid) return { valid: false, receipt: null, included: null, reasons: v.reasons.length > 0 ? v.reasons : ['receipt is not signed by the service'] };
  // One entry: verifyEnvelope tolerates extra invalid entries beside a met threshold; a receipt has its service's only.
  if (v.signatures.length !== 1) return { valid: false, receipt: null, included: null, reasons: ['a receipt carries exactly one signature, the service\'s'] };
  const shape = bodyError(v.body);
  if (shape !== null) return { valid: false, receipt: null, included: null, reasons: [shape] };
  const body = v.body as DecisionReceiptBody;
  if (body.service !== options.serviceDid) reasons.push('receipt "service" is not the service did');
  let included: boolean | null = null;
  if (options.inclusionProof !== undefined || options.checkpoint !== undefined) {
    included = false;
    if (options.checkpoint === undefined || options.inclusionProof === undefined) reasons.push('inclusion needs both a checkpoint and a proof');
    else {
      const cp = await verifyCheckpoint(options.checkpoint, { trusted: [options.serviceDid], origin: body.log_origin });
      const p = options.inclusionProof;
      if (!cp.valid) reasons.push(...cp.reasons.map((r) => `checkpoint: ${r}`));
      else if (!isPlainObject(p) || p.index !== body.log_index || p.treeSize !== cp.checkpoint!.treeSize || !Array.isArray(p.proof) || !p.proof.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) {
        reasons.push('inclusion proof is not for this receipt\'s index in the checkpoint\'s tree');
      } else if (!verifyInclusion(leafHash(canonicalBytes(body.record)), body.log_index, cp.checkpoint!.treeSize, p.proof.map(fromHex), cp.root!)) {
        reasons.push('inclusion proof does not lead to the checkpoint\'s root');
      } else included = true;
    }
  }
  return { valid: reasons.length === 0, receipt: body, included, reasons };
}
