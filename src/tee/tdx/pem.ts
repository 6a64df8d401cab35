// PEM certificate sequences (RFC 7468 §5, "strict" textual encoding, CERTIFICATE label) as TDX
// evidence carries them: the quote's type-5 PCK chain, the TCB-Info-Issuer-Chain, a trusted root.
// Strict: only whitespace and NUL padding may surround the blocks (src/tee/x509.ts).

import { decodePemBlocks } from '../x509.js';
import { TdxCollateralMalformedError, type TdxError } from './errors.js';

/**
 * Decodes a sequence of PEM certificates into DER, in order. `what` names the input in errors;
 * `ErrorClass` is the typed error to throw (default `TdxCollateralMalformedError`; the quote parser
 * passes `TdxQuoteMalformedError`).
 * @throws `ErrorClass` when there is no block, a block is not base64, or other text surrounds the blocks.
 * @example
 * const [rootDer] = decodePemCertificates(INTEL_SGX_ROOT_CA_PEM, 'root');
 */
export function decodePemCertificates(text: string, what: string, ErrorClass: new (message: string, options?: { cause?: unknown }) => TdxError = TdxCollateralMalformedError): Uint8Array[] {
  return decodePemBlocks(text, what, { ErrorClass, strict: true });
}
