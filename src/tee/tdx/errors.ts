// Intel TDX evidence errors (see core/errors.ts for the pattern): one base class for the TDX half
// of src/tee, one subclass per failure, each with a static `code` and HTTP `status`. Malformed
// evidence is the caller's input, so every class answers 400.

import { QuorumkitError } from '../../core/errors.js';

/** Base of every TDX evidence failure (`ERR_TDX`, 400). */
export class TdxError extends QuorumkitError {
  static override readonly code: string = 'ERR_TDX';
  static override readonly status: number = 400;
}

/** A TDX quote is truncated or its length fields disagree with its structure (`ERR_TDX_QUOTE_MALFORMED`, 400). */
export class TdxQuoteMalformedError extends TdxError {
  static override readonly code: string = 'ERR_TDX_QUOTE_MALFORMED';
  static override readonly status: number = 400;
}

/**
 * A well-formed TDX quote uses a version, TEE type, attestation key type, body type or certification
 * data type this library does not verify (`ERR_TDX_QUOTE_UNSUPPORTED`, 400).
 */
export class TdxQuoteUnsupportedError extends TdxError {
  static override readonly code: string = 'ERR_TDX_QUOTE_UNSUPPORTED';
  static override readonly status: number = 400;
}

/** A collateral document (TCB Info, QE Identity, CRL, PEM chain) is malformed (`ERR_TDX_COLLATERAL_MALFORMED`, 400). */
export class TdxCollateralMalformedError extends TdxError {
  static override readonly code: string = 'ERR_TDX_COLLATERAL_MALFORMED';
  static override readonly status: number = 400;
}

/** The codes of this module's classes. Stable: new codes may be added, none renamed. */
export type TdxErrorCode = 'ERR_TDX' | 'ERR_TDX_QUOTE_MALFORMED' | 'ERR_TDX_QUOTE_UNSUPPORTED' | 'ERR_TDX_COLLATERAL_MALFORMED';
