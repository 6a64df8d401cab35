// QuorumVM's hash-chained audit log (quorumvm/coordinator/audit.py): each entry is
//   { timestamp, event, data, prev_hash, entry_hash }
// with entry_hash = SHA-256 hex of Python's json.dumps({timestamp, event, data, prev_hash},
// sort_keys=True, separators=(",", ":")) — reproduced with the Python-compat encoder
// (core/canonical-python.ts), the timestamp a Python float (`time.time()`, rendered `1700000000.0`) —
// and prev_hash the previous entry_hash (64 zeros for the first). quorumkit's coordinator keeps this
// chain for QuorumVM clients (`GET /audit`) and appends every event to its transparency log too.
// Browser-safe.

import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../core/bytes.js';
import { canonicalizePython, canonicalPythonBytes, pyFloat, PythonFloat } from '../core/canonical-python.js';

/** The prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One chain entry (data is any JSON value QuorumVM's encoder accepts). */
export interface AuditChainEntry {
  readonly timestamp: number;
  readonly event: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prev_hash: string;
  readonly entry_hash: string;
}

function entryHash(timestamp: number, event: string, data: unknown, prevHash: string): string {
  return toHex(sha256(canonicalPythonBytes({ timestamp: pyFloat(timestamp), event, data, prev_hash: prevHash })));
}

/**
 * Builds the entry that follows `prevHash`.
 * @example
 * const e = chainEntry(GENESIS_HASH, 1700000000, 'install', { program_id: 'abc', version: '1.0.0' });
 * e.entry_hash; // '82c68bde…' (QuorumVM's audit_chain_vector)
 */
export function chainEntry(prevHash: string, timestamp: number, event: string, data: Readonly<Record<string, unknown>>): AuditChainEntry {
  return { timestamp, event, data, prev_hash: prevHash, entry_hash: entryHash(timestamp, event, data, prevHash) };
}

/**
 * QuorumVM's `verify_chain`: every prev_hash links to the entry before and every entry_hash
 * recomputes. Never throws for a malformed entry (returns false).
 */
export function verifyChain(entries: readonly unknown[]): boolean {
  let prev = GENESIS_HASH;
  for (const e of entries) {
    if (typeof e !== 'object' || e === null) return false;
    const { timestamp, event, data, prev_hash, entry_hash } = e as Record<string, unknown>;
    const ts = timestamp instanceof PythonFloat ? timestamp.value : timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || typeof event !== 'string' || typeof data !== 'object' || data === null || prev_hash !== prev) return false;
    try {
      if (entryHash(ts, event, data, prev) !== entry_hash) return false;
    } catch {
      return false;
    }
    prev = entry_hash;
  }
  return true;
}

/** The entries as the JSON text QuorumVM's `GET /audit` sends (timestamps as Python floats). */
export function auditResponseText(entries: readonly AuditChainEntry[], chainValid: boolean): string {
  return canonicalizePython({ entries: entries.map((e) => ({ ...e, timestamp: pyFloat(e.timestamp) })), chain_valid: chainValid });
}
