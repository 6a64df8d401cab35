// Writing TDREPORT_STRUCTs for a FAKE TDX guest — the inverse of src/tee/tdx/tdreport.ts (Intel TDX
// Module ABI specification, TDX 1.5: "TDREPORT_STRUCT", "REPORTMACSTRUCT", "TEE_TCB_INFO",
// "TDINFO_STRUCT"). TEE_TCB_INFO_HASH and TEE_INFO_HASH are SHA-384 of their structures, as the
// module computes them; the MAC is a FAKE — HMAC-SHA-256 under a per-quoter secret over
// REPORTMACSTRUCT bytes 0x00–0xDF (a real MAC is keyed by the CPU and checkable only on it).
// Browser-safe (WebCrypto).

import { TDX_REPORT_TYPE, TDX_TDINFO_FIELDS, TDX_TDREPORT_BYTES, TDX_TDREPORT_LAYOUT, TDX_TDREPORT_REPORTDATA_OFFSET, TDX_TEE_TCB_INFO_FIELDS, type TdReportMeasurements } from '../tdx/tdreport.js';

/** Every field of a fake TD's TDREPORT: its measurements (ABI sizes), CPUSVN (16 bytes) and REPORTDATA (64). */
export interface TdReportFields extends TdReportMeasurements {
  readonly cpuSvn: Uint8Array;
  readonly reportData: Uint8Array;
}

/** REPORTMACSTRUCT bytes the fake MAC covers (all but the MAC field). */
const MAC_COVERED_BYTES = 0xe0;

async function sha384(b: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-384', new Uint8Array(b)));
}

/** The fake MAC of a TDREPORT (see the header) under `macKey` (HMAC-SHA-256). */
export async function fakeTdReportMac(report: Uint8Array, macKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', macKey, new Uint8Array(report.subarray(0, MAC_COVERED_BYTES))));
}

/**
 * Writes a 1024-byte TDREPORT_STRUCT (REPORTTYPE 0x81/0/version 1 — SERVTD_HASH populated), its
 * two SHA-384 hashes computed, MAC'ed with the fake MAC under `macKey`.
 * @throws RangeError when a field does not have its ABI size.
 */
export async function writeTdReport(f: TdReportFields, macKey: CryptoKey): Promise<Uint8Array> {
  const L = TDX_TDREPORT_LAYOUT;
  const fields = [['cpuSvn', 0x10, 16], ['reportData', TDX_TDREPORT_REPORTDATA_OFFSET, 64],
    ...TDX_TEE_TCB_INFO_FIELDS.map(([k, o, n]) => [k, L.teeTcbInfo + o, n] as const), ...TDX_TDINFO_FIELDS.map(([k, o, n]) => [k, L.tdInfo + o, n] as const)] as const;
  for (const [k, , n] of fields) {
    const v: unknown = f[k];
    if (!(v instanceof Uint8Array) || v.length !== n) throw new RangeError(`"${k}" expected ${n} bytes`);
  }
  if (!Array.isArray(f.rtmrs) || f.rtmrs.length !== 4 || f.rtmrs.some((r) => !(r instanceof Uint8Array) || r.length !== 48)) throw new RangeError('"rtmrs" expected four 48-byte arrays');
  const b = new Uint8Array(TDX_TDREPORT_BYTES);
  b.set([TDX_REPORT_TYPE, 0, 1, 0], 0);
  b.set(new Uint8Array(8).fill(0xff), L.teeTcbInfo); // VALID: every TEE_TCB_INFO field is valid
  for (const [k, o] of fields) b.set(f[k], o);
  f.rtmrs.forEach((r, i) => b.set(r, L.tdInfo + L.rtmr0 + 48 * i));
  const tcb = L.teeTcbInfo;
  const td = L.tdInfo;
  b.set(await sha384(b.subarray(tcb, tcb + L.teeTcbInfoBytes)), 0x20);
  b.set(await sha384(b.subarray(td, td + L.tdInfoBytes)), 0x50);
  b.set(await fakeTdReportMac(b, macKey), MAC_COVERED_BYTES);
  return b;
}
