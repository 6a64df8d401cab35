// TDREPORT_STRUCT, what TDG.MR.REPORT (the Linux tdx-guest ioctl TDX_CMD_GET_REPORT0) returns:
// Intel TDX Module ABI specification (TDX 1.5, "TDREPORT_STRUCT", "REPORTMACSTRUCT", "TEE_TCB_INFO",
// "TDINFO_STRUCT"; TDX 1.0 Module spec §22 has the same offsets with the 1.5 fields reserved):
//   0x000 REPORTMACSTRUCT (256): REPORTTYPE (type 0x81 TDX, subtype, version, reserved) ‖ reserved 12
//         ‖ CPUSVN 16 ‖ TEE_TCB_INFO_HASH 48 (SHA-384) ‖ TEE_INFO_HASH 48 (SHA-384 of TDINFO) ‖
//         REPORTDATA 64 (at 0x080) ‖ reserved 32 ‖ MAC 32 (by the CPU; verifiable only on that CPU)
//   0x100 TEE_TCB_INFO (239): VALID 8 ‖ TEE_TCB_SVN 16 ‖ MRSEAM 48 ‖ MRSIGNERSEAM 48 ‖ ATTRIBUTES 8
//         ‖ TEE_TCB_SVN2 16 (1.5) ‖ reserved 95;  0x1EF reserved 17
//   0x200 TDINFO_STRUCT (512): ATTRIBUTES 8 ‖ XFAM 8 ‖ MRTD 48 ‖ MRCONFIGID 48 ‖ MROWNER 48 ‖
//         MROWNERCONFIG 48 ‖ RTMR0–3 4×48 ‖ SERVTD_HASH 48 (1.5) ‖ reserved 64
// Strict on the size (1024) and the report type; lax on reserved bytes. A TDREPORT is a local,
// MAC'ed structure: nothing here verifies it (a quote signs its contents). Browser-safe.

import { TeeMalformedEvidenceError } from '../errors.js';

/** Size of TDREPORT_STRUCT. */
export const TDX_TDREPORT_BYTES = 1024;
/** Offset of REPORTDATA inside it (REPORTMACSTRUCT + 128). */
export const TDX_TDREPORT_REPORTDATA_OFFSET = 0x80;
/** REPORTTYPE.TYPE of a TDX TDREPORT. */
export const TDX_REPORT_TYPE = 0x81;

/** TEE_TCB_INFO fields after VALID, in order: [name, offset in TEE_TCB_INFO, size]. */
export const TDX_TEE_TCB_INFO_FIELDS = Object.freeze([
  ['teeTcbSvn', 8, 16], ['mrSeam', 24, 48], ['mrSignerSeam', 72, 48], ['seamAttributes', 120, 8], ['teeTcbSvn2', 128, 16],
] as const);
/** TDINFO_STRUCT fields other than the RTMRs (at 208, 4×48), in order: [name, offset in TDINFO, size]. */
export const TDX_TDINFO_FIELDS = Object.freeze([
  ['tdAttributes', 0, 8], ['xfam', 8, 8], ['mrTd', 16, 48], ['mrConfigId', 64, 48], ['mrOwner', 112, 48], ['mrOwnerConfig', 160, 48], ['servTdHash', 400, 48],
] as const);
/** Offsets of TEE_TCB_INFO and TDINFO_STRUCT in the report, their sizes, and RTMR0's offset in TDINFO. */
export const TDX_TDREPORT_LAYOUT = Object.freeze({ teeTcbInfo: 0x100, teeTcbInfoBytes: 239, tdInfo: 0x200, tdInfoBytes: 512, rtmr0: 208 });

type Named<T extends readonly (readonly [string, number, number])[]> = { readonly [K in T[number][0]]: Uint8Array };

/**
 * The measured fields of a TD, as a TDREPORT holds them (and the TD Quote Body copies them, with
 * SEAMATTRIBUTES = TEE_TCB_INFO.ATTRIBUTES and MRSERVICETD = SERVTD_HASH); `tdAttributes` bit 0 is DEBUG.
 */
export type TdReportMeasurements = Named<typeof TDX_TEE_TCB_INFO_FIELDS> & Named<typeof TDX_TDINFO_FIELDS> & {
  /** RTMR0–3, 48 bytes each. */
  readonly rtmrs: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
};

/** A parsed TDREPORT_STRUCT. Byte fields are copies. */
export interface TdReport extends TdReportMeasurements {
  readonly reportType: { readonly type: number; readonly subtype: number; readonly version: number };
  readonly cpuSvn: Uint8Array;
  readonly teeTcbInfoHash: Uint8Array;
  readonly teeInfoHash: Uint8Array;
  readonly reportData: Uint8Array;
  readonly mac: Uint8Array;
  /** The 256-byte REPORTMACSTRUCT (the MAC covers its first 0xE0 bytes). */
  readonly reportMacStruct: Uint8Array;
  /** TEE_TCB_INFO.VALID, 8 bytes. */
  readonly teeTcbInfoValid: Uint8Array;
  /** The 239 raw bytes of TEE_TCB_INFO (what TEE_TCB_INFO_HASH hashes). */
  readonly teeTcbInfo: Uint8Array;
  /** The 512 raw bytes of TDINFO_STRUCT (what TEE_INFO_HASH hashes). */
  readonly tdInfo: Uint8Array;
}

function readFields<T extends readonly (readonly [string, number, number])[]>(b: Uint8Array, base: number, fields: T): Named<T> {
  return Object.fromEntries(fields.map(([name, o, n]) => [name, b.slice(base + o, base + o + n)])) as Named<T>;
}

/**
 * Parses a 1024-byte TDREPORT_STRUCT (see the header). Does not check the MAC.
 * @throws TypeError when `bytes` is not a Uint8Array; TeeMalformedEvidenceError
 *   (`ERR_TEE_MALFORMED_EVIDENCE`) when it is not 1024 bytes or its REPORTTYPE.TYPE is not 0x81.
 * @example
 * const r = parseTdReport(bytes); // from TDX_CMD_GET_REPORT0
 * r.reportData; // the 64 bytes asked for
 */
export function parseTdReport(bytes: Uint8Array): TdReport {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length !== TDX_TDREPORT_BYTES) {
    throw new TeeMalformedEvidenceError(`TDREPORT expected ${TDX_TDREPORT_BYTES} bytes, got ${bytes.length}`, { details: { length: bytes.length } });
  }
  const b = bytes.slice();
  if (b[0] !== TDX_REPORT_TYPE) throw new TeeMalformedEvidenceError(`TDREPORT type 0x${b[0]!.toString(16)} is not TDX (0x81)`, { details: { type: b[0]! } });
  const at = (o: number, n: number): Uint8Array => b.slice(o, o + n);
  const L = TDX_TDREPORT_LAYOUT;
  const rtmr = (i: number): Uint8Array => at(L.tdInfo + L.rtmr0 + 48 * i, 48);
  return {
    reportType: { type: b[0]!, subtype: b[1]!, version: b[2]! },
    cpuSvn: at(0x10, 16),
    teeTcbInfoHash: at(0x20, 48),
    teeInfoHash: at(0x50, 48),
    reportData: at(TDX_TDREPORT_REPORTDATA_OFFSET, 64),
    mac: at(0xe0, 32),
    reportMacStruct: at(0, 256),
    teeTcbInfoValid: at(L.teeTcbInfo, 8),
    teeTcbInfo: at(L.teeTcbInfo, L.teeTcbInfoBytes),
    tdInfo: at(L.tdInfo, L.tdInfoBytes),
    ...readFields(b, L.teeTcbInfo, TDX_TEE_TCB_INFO_FIELDS),
    ...readFields(b, L.tdInfo, TDX_TDINFO_FIELDS),
    rtmrs: [rtmr(0), rtmr(1), rtmr(2), rtmr(3)],
  };
}
