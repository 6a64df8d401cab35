// One signature entry of an envelope checked against a message (internal): the key embedded in the
// entry (or supplied by did) must hash to its keyid, and the ML-DSA signature must verify. Shared
// by verifyEnvelope and by verifiers of artifacts already decoded (a SignedVote checks only its
// voter's entry, without decoding and re-canonicalizing its payload a second time). Never throws.

import { base64Decode } from '../core/bytes.js';
import { didFromPublicKey } from '../pq/did.js';
import { publicKeyFromText } from '../pq/_public-key-cache.js';
import { levelFromAlg, type verifySignature } from '../pq/ml-dsa.js';
import type { EnvelopeSignature } from './types.js';

/** The verdict on one signature entry. */
export interface SignatureCheck {
  readonly index: number;
  readonly keyid: string;
  readonly alg: string;
  /** The signature verified under a key that hashes to `keyid`. */
  readonly valid: boolean;
  /** `keyid` is in the trusted set (always true when no trusted set was given). */
  readonly trusted: boolean;
  /** Why it is not valid, when it is not. */
  readonly reason?: string;
}

/**
 * Checks signature entry `s` (at `index`) over `message`: a known alg, a key that hashes to
 * `s.keyid` (embedded, else from `publicKeys`), and a valid signature under it (`verify`).
 * `trusted` null: every keyid counts as trusted.
 */
export async function checkSignature(
  index: number,
  s: EnvelopeSignature,
  message: Uint8Array,
  publicKeys: Readonly<Record<string, Uint8Array>> | undefined,
  trusted: Set<string> | null,
  verify: typeof verifySignature,
): Promise<SignatureCheck> {
  const base = { index, keyid: s.keyid, alg: s.alg, trusted: trusted === null || trusted.has(s.keyid) };
  const fail = (reason: string): SignatureCheck => ({ ...base, valid: false, reason });
  try {
    levelFromAlg(s.alg);
  } catch {
    return fail(`unknown alg ${JSON.stringify(s.alg)}`);
  }
  let publicKey: Uint8Array | undefined;
  if (s.publicKey !== undefined) {
    let key: { publicKey: Uint8Array; did: string };
    try {
      key = publicKeyFromText(s.publicKey);
    } catch {
      return fail('publicKey is not valid base64');
    }
    if (key.did !== s.keyid) return fail('publicKey does not hash to keyid');
    publicKey = key.publicKey;
  } else {
    const supplied = publicKeys !== undefined && Object.hasOwn(publicKeys, s.keyid) ? publicKeys[s.keyid] : undefined;
    if (!(supplied instanceof Uint8Array)) return fail('no public key for keyid');
    publicKey = supplied;
    if (didFromPublicKey(publicKey) !== s.keyid) return fail('supplied public key does not hash to keyid');
  }
  let sig: Uint8Array;
  try {
    sig = base64Decode(s.sig);
  } catch {
    return fail('sig is not valid base64');
  }
  try {
    if (await verify(s.alg, sig, message, publicKey)) return { ...base, valid: true };
  } catch {
    // A malformed key is a failed signature check, not a crash.
  }
  return fail('signature verification failed');
}
