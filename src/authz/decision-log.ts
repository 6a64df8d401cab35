// The decision log's record and hash (the Web4 reference engine, authorization_engine.py b62c7bee:
// AuthorizationResult.to_audit_record and AuthorizationEngine._log_decision):
//   record = {decision, requester, action, target, atp_cost, denial_reason, trust_required,
//             trust_actual, timestamp, log_hash: ""}
//   hash   = sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
// json.dumps with its default separators (", ", ": ") and ensure_ascii; the trust scores and the
// timestamp are Python floats (0.0, 1733011200.0), atp_cost an int. The record is hashed while
// `log_hash` is still empty, and — as the seed — an insufficient_trust denial is hashed before its
// trust scores are filled in (both 0.0 in the record). Browser-safe.

import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalPythonBytes, pyFloat, type PythonFloat } from '../core/canonical-python.js';
import { toHex } from '../core/bytes.js';
import type { Decision, DenialReason } from './types.js';

/** The seed's audit record, as Python holds it. */
export interface DecisionAuditRecord {
  readonly decision: Decision;
  readonly requester: string;
  readonly action: string;
  readonly target: string;
  readonly atp_cost: number;
  readonly denial_reason: DenialReason | null;
  readonly trust_required: PythonFloat;
  readonly trust_actual: PythonFloat;
  readonly timestamp: PythonFloat;
  readonly log_hash: string;
}

/** The fields a record is made from. */
export interface DecisionRecordFields {
  readonly decision: Decision;
  readonly requester: string;
  readonly action: string;
  readonly target: string;
  readonly atpCost: number;
  readonly denialReason: DenialReason | null;
  readonly trustRequired: number;
  readonly trustActual: number;
  readonly timestamp: number;
}

/** The record `_log_decision` hashes (its `log_hash` still empty). */
export function decisionAuditRecord(f: DecisionRecordFields): DecisionAuditRecord {
  return {
    decision: f.decision,
    requester: f.requester,
    action: f.action,
    target: f.target,
    atp_cost: f.atpCost,
    denial_reason: f.denialReason,
    trust_required: pyFloat(f.trustRequired),
    trust_actual: pyFloat(f.trustActual),
    timestamp: pyFloat(f.timestamp),
    log_hash: '',
  };
}

/**
 * SHA-256 (lowercase hex) of Python's `json.dumps(record, sort_keys=True)` — the seed's decision log hash.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` for a non-finite number or a lone surrogate in a string.
 * @example
 * decisionLogHash({ decision: 'granted', requester: 'lct:ai:assistant', action: 'read', target: 'data:test',
 *   atpCost: 10, denialReason: null, trustRequired: 0.5, trustActual: 0.75, timestamp: 1733011200 });
 */
export function decisionLogHash(f: DecisionRecordFields): string {
  return toHex(sha256(canonicalPythonBytes(decisionAuditRecord(f), { separators: 'default' })));
}
