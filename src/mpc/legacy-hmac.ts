// QuorumVM's approval signatures (quorumvm/crypto/signatures.py), for `--legacy` mode only:
// HMAC-SHA256 (RFC 2104) of the program id under a pre-shared per-custodian key, hex. quorumkit's
// default mode signs approvals with ML-DSA instead; this exists so QuorumVM's clients keep working.
// Browser-safe.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { constantTimeEqual, toHex, utf8Encode } from '../core/bytes.js';

/** QuorumVM's default custodian keys (quorumvm/config.py CUSTODIAN_KEYS), used unless `--hmac-keys` is given. */
export const QUORUMVM_DEFAULT_HMAC_KEYS: readonly string[] = Object.freeze(['custodian-key-alpha', 'custodian-key-beta', 'custodian-key-gamma']);

/**
 * QuorumVM's `signatures.sign`: HMAC-SHA256(key, message) as lowercase hex.
 * @example
 * hmacApproval('custodian-key-alpha', 'test-program-id-abc123'); // '9a359b40…'
 */
export function hmacApproval(key: string, message: string): string {
  return toHex(hmac(sha256, utf8Encode(key), utf8Encode(message)));
}

/** QuorumVM's `signatures.verify`, in constant time over the hex text. */
export function verifyHmacApproval(key: string, message: string, signature: unknown): boolean {
  if (typeof signature !== 'string') return false;
  return constantTimeEqual(utf8Encode(hmacApproval(key, message)), utf8Encode(signature));
}
