// Post-quantum signature errors (see core/errors.ts for the pattern): providers, algorithms, keys,
// key files and signatures. Key problems are 500 (a service's own key is broken), a bad algorithm
// name or signature from a caller is 400.

import { QuorumkitError } from '../core/errors.js';

/** The chosen ML-DSA provider cannot run on this runtime (`ERR_PROVIDER_UNAVAILABLE`, 500). */
export class ProviderUnavailableError extends QuorumkitError {
  static override readonly code: string = 'ERR_PROVIDER_UNAVAILABLE';
  static override readonly status: number = 500;
}

/** An algorithm name quorumkit does not know (`ERR_UNKNOWN_ALG`, 400). */
export class UnknownAlgError extends QuorumkitError {
  static override readonly code: string = 'ERR_UNKNOWN_ALG';
  static override readonly status: number = 400;
}

/** A key has the wrong size or cannot be decoded (`ERR_KEY_INVALID`, 500). */
export class KeyInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_KEY_INVALID';
  static override readonly status: number = 500;
}

/** A key file is malformed, or its keys do not belong together (`ERR_KEY_FILE`, 500). */
export class KeyFileError extends QuorumkitError {
  static override readonly code: string = 'ERR_KEY_FILE';
  static override readonly status: number = 500;
}

/** A key file's password is wrong or missing, or the file was tampered with (`ERR_KEY_PASSWORD`, 500). */
export class KeyPasswordError extends QuorumkitError {
  static override readonly code: string = 'ERR_KEY_PASSWORD';
  static override readonly status: number = 500;
}

/** A signature does not verify (`ERR_SIGNATURE_INVALID`, 400). */
export class SignatureInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_SIGNATURE_INVALID';
  static override readonly status: number = 400;
}

/** Codes thrown by `quorumkit/pq`. */
export type PqErrorCode =
  | 'ERR_PROVIDER_UNAVAILABLE'
  | 'ERR_UNKNOWN_ALG'
  | 'ERR_KEY_INVALID'
  | 'ERR_KEY_FILE'
  | 'ERR_KEY_PASSWORD'
  | 'ERR_SIGNATURE_INVALID';
