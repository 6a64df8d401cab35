// Telling TEE evidence apart from its first bytes: an Azure HCL report starts with the magic "HCLA"
// (src/tee/snp/hcl.ts); an Intel TDX quote starts with a u16 version 4 or 5, a u16 attestation key
// type and the u32 TEE type 0x81 (Intel TDX DCAP Quoting Library API, Appendix A.3.1, quote header);
// an AMD SEV-SNP ATTESTATION_REPORT is exactly 1184 bytes and starts with a u32 VERSION of 2, 3 or 5
// (ABI spec Table 22). Detection only: the parsers and verifiers check everything else. Browser-safe.

import { TeeMalformedEvidenceError } from './errors.js';
import { isHclReport } from './snp/hcl.js';
import { SNP_REPORT_BYTES, SNP_REPORT_VERSIONS } from './snp/report.js';
import { TDX_TEE_TYPE } from './tdx/quote.js';

/** What evidence bytes are: an SEV-SNP report, an Azure HCL report wrapping one, or a TDX quote. */
export type TeeEvidenceKind = 'sev-snp' | 'sev-snp-hcl' | 'tdx';

/**
 * The kind of `bytes` (see the header).
 * @throws TypeError when `bytes` is not a Uint8Array; TeeMalformedEvidenceError
 *   (`ERR_TEE_MALFORMED_EVIDENCE`) when they are none of the three.
 * @example
 * detectEvidenceKind(readFileSync('quote.dat')); // 'tdx'
 */
export function detectEvidenceKind(bytes: Uint8Array): TeeEvidenceKind {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  if (isHclReport(bytes)) return 'sev-snp-hcl';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 8) {
    const version = dv.getUint16(0, true);
    if ((version === 4 || version === 5) && dv.getUint32(4, true) === TDX_TEE_TYPE) return 'tdx';
  }
  if (bytes.length === SNP_REPORT_BYTES && SNP_REPORT_VERSIONS.includes(dv.getUint32(0, true))) return 'sev-snp';
  throw new TeeMalformedEvidenceError(`not TEE evidence: ${bytes.length} bytes that are neither an SEV-SNP report (${SNP_REPORT_BYTES} bytes, version 2, 3 or 5), an Azure HCL report nor a TDX quote (v4/v5)`, { details: { length: bytes.length } });
}
