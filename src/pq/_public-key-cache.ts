// The did:pqaid of a public key sent as base64 text (a signed request's `qk-public-key`, an
// envelope signature's `publicKey`), remembered for the few keys a service sees again and again:
// hashing a 1,952-byte ML-DSA-65 key costs more than decoding it, twice per signed vote. Keyed by
// the exact text, which strict base64 makes one spelling per key, so a hit is the same key. A
// bounded LRU: a caller sending ever-new keys only evicts entries (each still checked in full).
// Browser-safe.

import { base64Decode } from '../core/bytes.js';
import { didFromPublicKey } from './did.js';

/** Most keys remembered. */
export const PUBLIC_KEY_CACHE_SIZE = 256;

const dids = new Map<string, string>();

/**
 * Decodes a base64 public key and names its did:pqaid (SHA3-256 of the bytes).
 * @returns fresh bytes (the caller may keep them) and the did.
 * @throws QuorumkitError `ERR_ENCODING` when `text` is not strict base64.
 */
export function publicKeyFromText(text: string): { publicKey: Uint8Array; did: string } {
  const publicKey = base64Decode(text);
  let did = dids.get(text);
  if (did !== undefined) {
    // Most recently used last.
    dids.delete(text);
  } else {
    did = didFromPublicKey(publicKey);
    if (dids.size >= PUBLIC_KEY_CACHE_SIZE) dids.delete(dids.keys().next().value!);
  }
  dids.set(text, did);
  return { publicKey, did };
}
