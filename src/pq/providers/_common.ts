// Shared argument checks for the ML-DSA providers (FIPS 204 Table 2 sizes, §5.2 context length)
// and the one way a provider refuses a request it cannot honour.

import { QuorumkitError, UnsupportedError } from '../../core/errors.js';
import type { MlDsaLevel, ProviderName } from '../provider.js';
import type { ProviderInternalOptions, ProviderSignOptions } from '../signature-provider.js';
import { assertBytes, assertOptions, describeType, optionKeys } from '../../core/assert.js';
import { assertLevel, checkContext, checkPublicKey, checkRnd, checkSecretKey, hasSignatureSize } from '../params.js';

/** The error a provider throws for a feature it does not implement (never a wrong answer). */
export function unsupported(provider: ProviderName, feature: string): QuorumkitError {
  return new UnsupportedError(`ML-DSA provider "${provider}" does not support ${feature}`);
}

const SIGN_OPTION_KEYS = optionKeys<ProviderSignOptions>({ context: true, deterministic: true, rnd: true });
const VERIFY_OPTION_KEYS = optionKeys<{ readonly context?: Uint8Array }>({ context: true });
const INTERNAL_SIGN_OPTION_KEYS = optionKeys<ProviderInternalOptions>({ externalMu: true, deterministic: true, rnd: true });
const INTERNAL_VERIFY_OPTION_KEYS = optionKeys<{ readonly externalMu?: boolean }>({ externalMu: true });

/** Checks the options of a provider's `signInternal` (unknown keys refused) and returns them. */
export function checkInternalSignOptions(opts: ProviderInternalOptions | undefined): ProviderInternalOptions {
  return assertOptions('opts', opts, INTERNAL_SIGN_OPTION_KEYS);
}

/** Checks the options of a provider's `verifyInternal` (unknown keys refused) and returns them. */
export function checkInternalVerifyOptions(opts: { readonly externalMu?: boolean } | undefined): { readonly externalMu?: boolean } {
  return assertOptions('opts', opts, INTERNAL_VERIFY_OPTION_KEYS);
}

/** Checked signing inputs: level, message, secret key size, context, rnd/deterministic. */
export interface SignInputs {
  readonly context: Uint8Array;
  readonly deterministic: boolean;
  readonly rnd: Uint8Array | undefined;
}

/**
 * Validates the arguments of a sign call and normalises its options.
 * @throws RangeError / TypeError / QuorumkitError `ERR_KEY_INVALID` as the params.ts checks;
 *   TypeError for an unknown option.
 */
export function checkSignInputs(level: MlDsaLevel, msg: unknown, secretKey: unknown, options: ProviderSignOptions | undefined): SignInputs {
  const opts = assertOptions('opts', options, SIGN_OPTION_KEYS);
  assertLevel(level);
  assertBytes('msg', msg);
  checkSecretKey(level, secretKey);
  const context = checkContext(opts.context);
  const deterministic = opts.deterministic ?? false;
  if (typeof deterministic !== 'boolean') throw new TypeError(`"deterministic" expected boolean, got ${describeType(deterministic)}`);
  const rnd = opts.rnd;
  if (rnd !== undefined) {
    checkRnd(rnd);
    if (deterministic) throw new TypeError('"rnd" and "deterministic" are mutually exclusive');
  }
  return { context, deterministic, rnd };
}

/** Checked verification inputs: the context, and whether the signature has the right size to verify at all. */
export interface VerifyInputs {
  readonly context: Uint8Array;
  /** False when the signature has the wrong size (it cannot verify). */
  readonly sizeOk: boolean;
}

/**
 * Validates the arguments of a verify call.
 * @throws QuorumkitError `ERR_KEY_INVALID` for a wrong-size public key; RangeError for a long context;
 *   TypeError for an unknown option.
 */
export function checkVerifyInputs(level: MlDsaLevel, sig: unknown, msg: unknown, publicKey: unknown, options: { readonly context?: Uint8Array } | undefined): VerifyInputs {
  const opts = assertOptions('opts', options, VERIFY_OPTION_KEYS);
  assertLevel(level);
  assertBytes('sig', sig);
  assertBytes('msg', msg);
  checkPublicKey(level, publicKey);
  const context = checkContext(opts.context);
  return { context, sizeOk: hasSignatureSize(level, sig) };
}
