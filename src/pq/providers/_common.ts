// Shared argument checks for the ML-DSA providers (FIPS 204 Table 2 sizes, §5.2 context length)
// and the one way a provider refuses a request it cannot honour.

import { QuorumkitError, UnsupportedError } from '../../core/errors.js';
import type { MlDsaLevel, ProviderName } from '../provider.js';
import type { ProviderSignOptions } from '../signature-provider.js';
import { assertBytes, assertLevel, checkContext, checkPublicKey, checkRnd, checkSecretKey, hasSignatureSize } from '../params.js';

/** The error a provider throws for a feature it does not implement (never a wrong answer). */
export function unsupported(provider: ProviderName, feature: string): QuorumkitError {
  return new UnsupportedError(`ML-DSA provider "${provider}" does not support ${feature}`);
}

/** Checked signing inputs: level, message, secret key size, context, rnd/deterministic. */
export interface SignInputs {
  readonly context: Uint8Array;
  readonly deterministic: boolean;
  readonly rnd: Uint8Array | undefined;
}

/**
 * Validates the arguments of a sign call and normalises its options.
 * @throws RangeError / TypeError / QuorumkitError `ERR_KEY_INVALID` as the params.ts checks.
 */
export function checkSignInputs(level: MlDsaLevel, msg: unknown, secretKey: unknown, opts: ProviderSignOptions | undefined): SignInputs {
  assertLevel(level);
  assertBytes('msg', msg);
  checkSecretKey(level, secretKey);
  const context = checkContext(opts?.context);
  const deterministic = opts?.deterministic ?? false;
  if (typeof deterministic !== 'boolean') throw new TypeError(`"deterministic" expected boolean, got ${typeof deterministic}`);
  const rnd = opts?.rnd;
  if (rnd !== undefined) {
    checkRnd(rnd);
    if (deterministic) throw new TypeError('"rnd" and "deterministic" are mutually exclusive');
  }
  return { context, deterministic, rnd };
}

/**
 * Validates the arguments of a verify call. Returns false when the signature has the wrong size
 * (it cannot verify), true when the call may proceed.
 * @throws QuorumkitError `ERR_KEY_INVALID` for a wrong-size public key; RangeError for a long context.
 */
export function checkVerifyInputs(level: MlDsaLevel, sig: unknown, msg: unknown, publicKey: unknown, context: unknown): boolean {
  assertLevel(level);
  assertBytes('sig', sig);
  assertBytes('msg', msg);
  checkPublicKey(level, publicKey);
  checkContext(context);
  return hasSignatureSize(level, sig);
}
