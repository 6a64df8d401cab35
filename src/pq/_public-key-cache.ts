// The did:pqaid of a public key sent as base64 text (a signed request's `qk-public-key`, an
// envelope signature's `publicKey`), remembered for the few keys a service sees again and again:
// hashing a 1,952-byte ML-DSA-65 key costs more than decoding it, and decoding more than copying
// remembered bytes — twice per signed vote. Keyed by the exact text, which strict base64 makes one
// spelling per key, so a hit is the same key (and only text that decoded is ever remembered). A
// bounded LRU: a caller sending ever-new keys only evicts entries (each still checked in full).
// Browser-safe.

import { base64Decode } from '../core/bytes.js';
import { didFromPublicKey } from './did.js';

/** Most keys remembered. */
export const PUBLIC_KEY_CACHE_SIZE = 256;

const keys = new Map<string, { readonly did: string; readonly bytes: Uint8Array }>();

/**
 * Decodes a base64 public key and names its did:pqaid (SHA3-256 of the bytes).
 * @returns fresh bytes (the caller may keep them) and the did.
 * @throws QuorumkitError `ERR_ENCODING` when `text` is not strict base64.
 */
export function publicKeyFromText(text: string): { publicKey: Uint8Array; did: string } {
  let entry = keys.get(text);
  if (entry !== undefined) {
    // Most recently used last.
    keys.delete(text);
  } else {
    const bytes = base64Decode(text);
    entry = { did: didFromPublicKey(bytes), bytes };
    if (keys.size >= PUBLIC_KEY_CACHE_SIZE) keys.delete(keys.keys().next().value!);
  }
  keys.set(text, entry);
  // A copy (cheaper than decoding again): the remembered bytes never leave this module.
  return { publicKey: entry.bytes.slice(), did: entry.did };
}
