// did:pqaid identifiers (DESIGN.md "Identity"): `did:pqaid:` + lowercase hex of SHA3-256 (FIPS 202
// §6.1) over the raw public key bytes (FIPS 204 pkEncode). Matches the QuantumShield seed's rule
// `"did:pqaid:" + sha3_256(public_key_bytes).hexdigest()`.

import { sha3_256 } from '../hash/sha3.js';
import { toHex } from '../core/bytes.js';
import { assertBytes } from '../core/assert.js';

/** The method prefix of every quorumkit identifier. */
export const PQAID_PREFIX = 'did:pqaid:';

const PQAID_RE = /^did:pqaid:[0-9a-f]{64}$/;

/**
 * The did:pqaid of a public key.
 * @throws TypeError when `publicKey` is not a Uint8Array.
 * @example
 * didFromPublicKey(publicKey); // 'did:pqaid:050a4873…0d94'
 */
export function didFromPublicKey(publicKey: Uint8Array): string {
  assertBytes('publicKey', publicKey);
  return PQAID_PREFIX + toHex(sha3_256(publicKey));
}

/** True when `s` is a well-formed did:pqaid (prefix + 64 lowercase hex digits). */
export function isPqaidDid(s: unknown): s is string {
  return typeof s === 'string' && PQAID_RE.test(s);
}
