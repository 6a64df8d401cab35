// Sealed boxes for shares in transit: only the holder of one ML-KEM-768 secret key can open them.
//   (ct, ss) = ML-KEM-768.Encaps(pk)                                  FIPS 203 §7.2
//   key      = HKDF-SHA-256(ikm = ss, salt = ct, info = "quorumkit/mpc/seal/v1" ‖ 0x00 ‖ aad)  RFC 5869
//   data     = AES-256-GCM(key, iv = 12 random bytes, aad)            NIST SP 800-38D
// The AAD names what the box is for (purpose, program, request, recipient), so a box cannot be
// replayed into another evaluation, program or custodian: opening checks it and fails closed. The
// coordinator routes boxes it cannot open. Browser-safe (AES-GCM: node:crypto on Node, WebCrypto
// elsewhere — _aes-gcm.ts; @noble/hashes HKDF).

import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes } from '../../core/assert.js';
import { concatBytes, utf8Encode } from '../../core/bytes.js';
import { QuorumkitError } from '../../core/errors.js';
import { gcmDecrypt, gcmEncrypt } from './_aes-gcm.js';
import { kem, ML_KEM_768_CIPHERTEXT_BYTES, ML_KEM_768_PUBLIC_KEY_BYTES, ML_KEM_768_SECRET_KEY_BYTES } from './kem.js';

const INFO = utf8Encode('quorumkit/mpc/seal/v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Largest plaintext a box holds (64 MiB: a 10,000-input batch of many inputs fits easily). */
export const MAX_SEALED_BYTES = 64 * 1024 * 1024;

/** A box opened with the wrong key, for another purpose, or altered (`ERR_SEAL_OPEN_FAILED`, 400). */
export class SealOpenError extends QuorumkitError {
  static override readonly code: string = 'ERR_SEAL_OPEN_FAILED';
  static override readonly status: number = 400;
}

/** A sealed box: KEM ciphertext ‖ IV ‖ AES-GCM ciphertext and tag, as one byte string. */
export type SealedBox = Uint8Array;

/**
 * The box key: HKDF-SHA-256 computed here (@noble/hashes, a few µs for 32 bytes) rather than by
 * WebCrypto's HKDF, whose importKey + deriveKey cost two async round trips per box on an
 * evaluation's critical path; the same RFC 5869 derivation, so boxes are unchanged. The caller
 * wipes it after use.
 */
function boxKey(sharedSecret: Uint8Array, ct: Uint8Array, aad: Uint8Array): Uint8Array {
  return hkdf(sha256, sharedSecret, ct, concatBytes(INFO, new Uint8Array([0]), aad), 32);
}

/**
 * Seals `plaintext` to `recipientPublicKey` (ML-KEM-768), bound to `aad`.
 * @throws TypeError / RangeError for a wrong key size or an oversize plaintext.
 * @example
 * const box = await seal(custodianKemKey, shares, utf8Encode('eval-input|' + requestId));
 */
export async function seal(recipientPublicKey: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<SealedBox> {
  assertBytes('recipientPublicKey', recipientPublicKey, ML_KEM_768_PUBLIC_KEY_BYTES);
  assertBytes('plaintext', plaintext);
  assertBytes('aad', aad);
  if (plaintext.length > MAX_SEALED_BYTES) throw new RangeError(`"plaintext" expected at most ${MAX_SEALED_BYTES} bytes, got ${plaintext.length}`);
  const { ciphertext: ct, sharedSecret } = (await kem()).encapsulate(recipientPublicKey);
  const key = boxKey(sharedSecret, ct, aad);
  try {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
    return concatBytes(ct, iv, await gcmEncrypt(key, iv, aad, plaintext));
  } finally {
    sharedSecret.fill(0);
    key.fill(0);
  }
}

/**
 * Opens a box sealed to the key pair's public key for exactly `aad`.
 * @throws SealOpenError when the box is malformed, for another key or purpose, or altered (one
 * message for all, so a failed open says nothing about why).
 */
export async function openSealed(secretKey: Uint8Array, box: SealedBox, aad: Uint8Array): Promise<Uint8Array> {
  assertBytes('secretKey', secretKey, ML_KEM_768_SECRET_KEY_BYTES);
  assertBytes('aad', aad);
  const fail = (): never => { throw new SealOpenError('sealed box could not be opened'); };
  if (!(box instanceof Uint8Array) || box.length < ML_KEM_768_CIPHERTEXT_BYTES + IV_BYTES + TAG_BYTES) fail();
  if (box.length > ML_KEM_768_CIPHERTEXT_BYTES + IV_BYTES + TAG_BYTES + MAX_SEALED_BYTES) fail();
  const ct = box.subarray(0, ML_KEM_768_CIPHERTEXT_BYTES);
  const iv = box.subarray(ML_KEM_768_CIPHERTEXT_BYTES, ML_KEM_768_CIPHERTEXT_BYTES + IV_BYTES);
  const data = box.subarray(ML_KEM_768_CIPHERTEXT_BYTES + IV_BYTES);
  // ML-KEM decapsulation never fails (implicit rejection, FIPS 203 §6.3): a wrong key gives a
  // pseudo-random secret, so the GCM tag is what refuses the box.
  const sharedSecret = (await kem()).decapsulate(ct, secretKey);
  const key = boxKey(sharedSecret, ct, aad);
  try {
    return await gcmDecrypt(key, iv, aad, data);
  } catch {
    return fail();
  } finally {
    sharedSecret.fill(0);
    key.fill(0);
  }
}
