// Azure confidential VM "HCL report" (the vTPM NV index 0x01400001 blob of Azure's paravisor, as
// read by Microsoft's azure-cvm-tooling and confidential-containers/trustee az-snp-vtpm): a 0x20-byte
// header — u32 magic "HCLA", u32 version, u32 report_size, u32 request_type, 16 reserved bytes —
// then a 1184-byte hardware report area (for SEV-SNP the ATTESTATION_REPORT of AMD's ABI spec, Table
// 22; a TDX TDREPORT is 1024 bytes, padded), then the runtime data: a header of u32 data_size, u32
// version, u32 report_type (2 SEV-SNP, 4 TDX), u32 hash_type, u32 runtime_data_size, then JSON whose
// digest the hardware report binds. request_type in the first header is 2 for both TEEs, so the TEE
// kind is read from report_type.

import { TeeMalformedEvidenceError } from '../errors.js';
import { SNP_REPORT_BYTES } from './report.js';

/** Size of the HCL header before the hardware report. */
export const HCL_HEADER_BYTES = 0x20;
/** HCL runtime-data report_type of an AMD SEV-SNP report (Intel TDX reports use 4). */
export const HCL_REPORT_TYPE_SNP = 2;
const RUNTIME_HEADER_BYTES = 20;
const HCL_MAGIC = 0x414c4348; // "HCLA" read as a little-endian u32

/** An unwrapped HCL report: its header fields, the SNP report bytes, and what follows them. */
export interface HclSnpReport {
  readonly version: number;
  readonly reportSize: number;
  readonly requestType: number;
  /** report_type of the runtime-data header (2: SEV-SNP). */
  readonly reportType: number;
  /** The 1184-byte ATTESTATION_REPORT at offset 0x20. */
  readonly report: Uint8Array;
  /** The bytes after the report (runtime data header and JSON), unparsed. */
  readonly runtimeData: Uint8Array;
}

/** True when `bytes` starts with the HCL magic "HCLA". */
export function isHclReport(bytes: Uint8Array): boolean {
  return bytes instanceof Uint8Array && bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === HCL_MAGIC;
}

/**
 * Takes the SEV-SNP ATTESTATION_REPORT out of an Azure HCL report (magic "HCLA", report at 0x20).
 * @throws TypeError when `bytes` is not a Uint8Array; TeeMalformedEvidenceError
 *   (`ERR_TEE_MALFORMED_EVIDENCE`) when the magic is wrong, the bytes end before the runtime-data
 *   header does, or its report_type is not SEV-SNP (2).
 * @example
 * const { report } = unwrapHclSnpReport(hclBytes);
 * const parsed = parseSnpReport(report);
 */
export function unwrapHclSnpReport(bytes: Uint8Array): HclSnpReport {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (!isHclReport(bytes)) throw new TeeMalformedEvidenceError('HCL report expected magic "HCLA"');
  const end = HCL_HEADER_BYTES + SNP_REPORT_BYTES;
  if (bytes.length < end + RUNTIME_HEADER_BYTES) {
    throw new TeeMalformedEvidenceError(`HCL report expected at least ${end + RUNTIME_HEADER_BYTES} bytes, got ${bytes.length}`, { details: { length: bytes.length } });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reportType = dv.getUint32(end + 8, true);
  if (reportType !== HCL_REPORT_TYPE_SNP) {
    throw new TeeMalformedEvidenceError(`HCL report type ${reportType} is not SEV-SNP (${HCL_REPORT_TYPE_SNP})`, { details: { reportType } });
  }
  return {
    version: dv.getUint32(4, true),
    reportSize: dv.getUint32(8, true),
    requestType: dv.getUint32(12, true),
    reportType,
    report: bytes.slice(HCL_HEADER_BYTES, end),
    runtimeData: bytes.slice(end),
  };
}
