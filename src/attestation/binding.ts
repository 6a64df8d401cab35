// Binding a post-quantum report to TEE evidence: the attester asks the hardware for a report or
// quote whose 64-byte user field — SEV-SNP REPORT_DATA (AMD SEV-SNP ABI, Table 22, offset 0x50),
// TDX REPORTDATA (TD quote body, offset 520 of the v4 body) — holds SHA3-512 (FIPS 202) of the
// ML-DSA report's canonical body, whose claims carry the verifier's nonce. A verifier that checks
// both signatures and this equality knows the hardware vouched for exactly that report: neither can
// be replayed with another. Browser-safe.

import { constantTimeEqual } from '../core/bytes.js';
import { sha3_512 } from '../hash/index.js';
import { canonicalReportBytes, type ReportBody } from './report.js';

/** Bytes of the TEE user-data field the binding fills. */
export const BINDING_BYTES = 64;

/** SHA3-512 of the report body's canonical bytes: what goes into REPORT_DATA / REPORTDATA. */
export function bindingDigest(report: ReportBody): Uint8Array {
  return sha3_512(canonicalReportBytes(report));
}

/** Does the evidence's 64-byte user field carry this report's binding digest? */
export function isBoundTo(report: ReportBody, reportData: Uint8Array): boolean {
  return reportData instanceof Uint8Array && reportData.length === BINDING_BYTES && constantTimeEqual(reportData, bindingDigest(report));
}
