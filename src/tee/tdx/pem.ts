// PEM certificate sequences (RFC 7468 §5, "strict" textual encoding, CERTIFICATE label) as TDX
// evidence carries them: the quote's type-5 PCK chain, the TCB-Info-Issuer-Chain, a trusted root.
// Base64 through core's strict decoder; only whitespace and NUL padding may surround the blocks.

import { base64Decode } from '../../core/bytes.js';
import { TdxCollateralMalformedError, type TdxError } from './errors.js';

const PEM_RE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----/g;

/**
 * Decodes a sequence of PEM certificates into DER, in order. `what` names the input in errors;
 * `ErrorClass` is the typed error to throw (default `TdxCollateralMalformedError`; the quote parser
 * passes `TdxQuoteMalformedError`).
 * @throws `ErrorClass` when there is no block, a block is not base64, or other text surrounds the blocks.
 * @example
 * const [rootDer] = decodePemCertificates(INTEL_SGX_ROOT_CA_PEM, 'root');
 */
export function decodePemCertificates(text: string, what: string, ErrorClass: new (message: string, options?: { cause?: unknown }) => TdxError = TdxCollateralMalformedError): Uint8Array[] {
  if (typeof text !== 'string') throw new TypeError(`"${what}" expected string, got ${typeof text}`);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const m of text.matchAll(PEM_RE)) {
    if (!/^[\s\0]*$/.test(text.slice(last, m.index))) throw new ErrorClass(`${what}: unexpected bytes between PEM blocks`);
    try {
      out.push(base64Decode(m[1]!.replace(/[\r\n]/g, '')));
    } catch (err) {
      throw new ErrorClass(`${what}: invalid base64 in a PEM block`, { cause: err });
    }
    last = m.index + m[0].length;
  }
  if (!/^[\s\0]*$/.test(text.slice(last))) throw new ErrorClass(`${what}: unexpected bytes after the last PEM block`);
  if (out.length === 0) throw new ErrorClass(`${what}: no PEM certificate`);
  return out;
}
