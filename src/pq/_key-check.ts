// Does an expanded ML-DSA secret key belong to a public key? FIPS 204 Algorithm 24 skEncode is
// ρ ‖ K ‖ tr ‖ s1 ‖ s2 ‖ t0 with tr = H(pk, 64) (Algorithm 6 line 6), and pk = ρ ‖ t1 where
// t1 = Power2Round(A·s1 + s2)_1. Checked here: ρ, tr, t1 (recomputed from s1, s2 by noble), and a
// probe signature that must verify. Where node:crypto is available the probe goes through it, and
// OpenSSL's import recomputes t0 and tr too (a full check). Without it a changed t0 is not always
// caught (small t0 errors still give valid signatures) and K never is (any K signs validly); the
// AEAD of encrypted key files covers every byte regardless.

import { shake256 } from '../hash/index.js';
import { constantTimeEqual } from '../core/bytes.js';
import { QuorumkitError } from '../core/errors.js';
import { KeyFileError } from './errors.js';
import type { MlDsaLevel } from './provider.js';
import { checkPublicKey, checkSecretKey } from './params.js';
import { publicKeyFromSecretKey } from './providers/noble.js';
import { mlDsa } from './ml-dsa.js';
import { getProvider } from './registry.js';

const PROBE = new TextEncoder().encode('quorumkit key-pair consistency probe');

function mismatch(cause?: unknown): QuorumkitError {
  return new KeyFileError('invalid key file: secret key does not match publicKey', cause === undefined ? undefined : { cause });
}

/**
 * Resolves when `secretKey` is the FIPS 204 expanded secret key of `publicKey`.
 * @throws QuorumkitError `ERR_KEY_FILE` when it is not (or is malformed); `ERR_KEY_INVALID` for wrong sizes.
 */
export async function checkKeyPairMatches(level: MlDsaLevel, publicKey: Uint8Array, secretKey: Uint8Array): Promise<void> {
  checkPublicKey(level, publicKey);
  checkSecretKey(level, secretKey);
  if (!constantTimeEqual(secretKey.subarray(0, 32), publicKey.subarray(0, 32))) throw mismatch();
  if (!constantTimeEqual(secretKey.subarray(64, 128), shake256(publicKey, { dkLen: 64 }))) throw mismatch();
  let ok: boolean;
  try {
    ok = constantTimeEqual(publicKeyFromSecretKey(level, secretKey), publicKey);
    if (ok) {
      const dsa = mlDsa(level, { provider: getProvider('node').knownAvailable() === true ? 'node' : 'auto' });
      ok = await dsa.verify(await dsa.sign(PROBE, secretKey), PROBE, publicKey);
    }
  } catch (cause) {
    throw mismatch(cause);
  }
  if (!ok) throw mismatch();
}
