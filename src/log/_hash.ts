// RFC 6962 §2.1 hashing with SHA3-256 as HASH (DESIGN.md "Persistence and logs"):
//   leaf = HASH(0x00 ‖ d), node = HASH(0x01 ‖ left ‖ right), MTH({}) = HASH("").
// The 0x00 / 0x01 prefixes give second-preimage resistance between leaves and nodes.

import { fromHex } from '../core/bytes.js';
import { sha3_256 } from '../hash/index.js';

/** Bytes of every hash in the log (SHA3-256). */
export const LOG_HASH_BYTES = 32;

/** The Merkle tree hash of the empty tree: SHA3-256 of the empty string. */
// A literal, so importing the log never hashes at load time (FIPS 202 SHA3-256 of the empty string).
export const EMPTY_TREE_HASH: Uint8Array = fromHex('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');

/** RFC 6962 leaf hash of an entry: SHA3-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + data.length);
  buf.set(data, 1);
  return sha3_256(buf);
}

/** RFC 6962 interior node hash: SHA3-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha3_256(buf);
}
