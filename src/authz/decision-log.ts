// The decision log's record and hash (the Web4 reference engine, authorization_engine.py b62c7bee:
// AuthorizationResult.to_audit_record and AuthorizationEngine._log_decision):
//   record = {decision, requester, action, target, atp_cost, denial_reason, trust_required,
//             trust_actual, timestamp, log_hash: ""}
//   hash   = sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
// json.dumps with its default separators (", ", ": ") and ensure_ascii; the trust scores and the
// timestamp are Python floats (0.0, 1733011200.0), atp_cost an int. The record is hashed while
// `log_hash` is still empty, and — as the seed — an insufficient_trust denial is hashed before its
// trust scores are filled in (both 0.0 in the record). Browser-safe.
// The hash is on every decision's path, so the usual record — every string printable ASCII without
// `"` or `\`, finite scores and timestamp, an integer cost — is written directly in its sorted key
// order (the bytes the generic encoder writes, without building the record, sorting keys or
// escaping); anything else goes through the generic encoder.

import { canonicalPythonBytes, pyFloat, pythonFloatRepr, type PythonFloat } from '../core/canonical-python.js';
import { sha256Hex } from '../hash/sha256.js';
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
  const text = plainRecordText(f);
  if (text === null) return sha256Hex(canonicalPythonBytes(decisionAuditRecord(f), { separators: 'default' }));
  // ASCII: one byte per character. Short texts (all usual ones) reuse one buffer: hashing is synchronous.
  if (text.length > SCRATCH.length) return sha256Hex(ASCII.encode(text));
  return sha256Hex(SCRATCH, ASCII.encodeInto(text, SCRATCH).written);
}

/** Encodes the plain record text (ASCII: its UTF-8 is one byte per character). */
const ASCII = new TextEncoder();
const SCRATCH = new Uint8Array(2048);
/** Printable ASCII other than `"` and `\`: what Python's ensure_ascii encoder writes unchanged. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const plain = (s: unknown): s is string => typeof s === 'string' && PLAIN.test(s);
/**
 * Python's float repr of a finite number; null for anything else. The common cases directly — an
 * integral value below 10^16 is its digits and `.0`; a fraction with magnitude 10^-4 and up is
 * positional in both languages, with the same shortest round-trip digits — the rest by pythonFloatRepr.
 */
const float = (n: number): string | null => {
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  const m = Math.abs(n);
  if (Number.isInteger(n)) return m < 1e16 && !Object.is(n, -0) ? `${n}.0` : pythonFloatRepr(n);
  return m >= 1e-4 ? String(n) : pythonFloatRepr(n);
};

/**
 * `json.dumps(record, sort_keys=True)` of the record, written in its sorted key order, when every field
 * is plain (see {@link PLAIN}; an integer cost; finite floats); null otherwise (the generic encoder
 * then writes it, or throws).
 */
function plainRecordText(f: DecisionRecordFields): string | null {
  if (!plain(f.decision) || !plain(f.requester) || !plain(f.action) || !plain(f.target) || !(f.denialReason === null || plain(f.denialReason))) return null;
  if (!Number.isSafeInteger(f.atpCost)) return null;
  const required = float(f.trustRequired);
  const actual = float(f.trustActual);
  const timestamp = float(f.timestamp);
  if (required === null || actual === null || timestamp === null) return null;
  const reason = f.denialReason === null ? 'null' : `"${f.denialReason}"`;
  return `{"action": "${f.action}", "atp_cost": ${f.atpCost}, "decision": "${f.decision}", "denial_reason": ${reason}, "log_hash": "", "requester": "${f.requester}", "target": "${f.target}", "timestamp": ${timestamp}, "trust_actual": ${actual}, "trust_required": ${required}}`;
}
