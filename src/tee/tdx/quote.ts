// Intel TDX quotes v4 and v5, parsed from their length fields.
// Intel TDX DCAP Quoting Library API (rev. 0.9+), Appendix A "Quote Format":
//   A.3 v4: Quote Header (A.3.1, 48 bytes) ‖ TD Quote Body (A.3.2, 584 bytes) ‖ u32 Quote Signature
//       Data Len ‖ Quote Signature Data (A.4 "ECDSA 256-bit Quote Signature Data Structure").
//   A.3 v5: Quote Header ‖ TD Quote Body Descriptor (u16 type, u32 size; type 2 = TDX 1.0 body of
//       584 bytes, type 3 = TDX 1.5 body of 648 bytes adding TEE_TCB_SVN2 and MRSERVICETD) ‖ body ‖
//       u32 Quote Signature Data Len ‖ Quote Signature Data.
//   A.4: ECDSA signature (64, r‖s big-endian) ‖ ECDSA attestation key (64, raw x‖y) ‖ Certification
//       Data (A.4.9: u16 type, u32 size, data). Type 6 = QE Report Certification Data (A.4.10: QE
//       Report (384, SGX REPORT body A.4.11), QE Report Signature (64), QE Authentication Data (A.4.12:
//       u16 size ‖ data), Certification Data (type 5 = PCK certificate chain, PEM)).
// All integers are little-endian. Every offset comes from a length field, never from the buffer
// size. Bytes after the quote are outside every signature and are ignored (counted in
// `trailingBytes`): GCE pads its quotes with zeros to 8000 bytes, and go-tdx-guest's production
// sample carries a text trailer.

import { TdxQuoteMalformedError, TdxQuoteUnsupportedError } from './errors.js';
import { decodePemCertificates } from './pem.js';

/** Size of the quote header (A.3.1). */
export const TDX_HEADER_BYTES = 48;
/** Size of the TDX 1.0 TD Quote Body (A.3.2). */
export const TDX_BODY_V10_BYTES = 584;
/** Size of the TDX 1.5 TD Quote Body (A.3.3, v5 body type 3). */
export const TDX_BODY_V15_BYTES = 648;
/** Size of the SGX REPORT body that the QE report is (A.4.11). */
export const TDX_QE_REPORT_BYTES = 384;
/** Size of an ECDSA P-256 signature r‖s or raw public key x‖y. */
export const TDX_ECDSA_BYTES = 64;

/** Attestation key type 2: ECDSA-256-with-P-256 curve (A.3.1). */
export const TDX_ATT_KEY_ECDSA_P256 = 2;
/** TEE type of TDX (A.3.1); SGX is 0. */
export const TDX_TEE_TYPE = 0x81;
/** Certification data type 5: PCK leaf ‖ intermediate ‖ root, PEM (A.4.9). */
export const TDX_CERT_PCK_CHAIN = 5;
/** Certification data type 6: QE Report Certification Data (A.4.10). */
export const TDX_CERT_QE_REPORT = 6;

/** The 48-byte quote header (A.3.1). */
export interface TdxQuoteHeader {
  /** 4 or 5. */
  readonly version: number;
  /** 2 = ECDSA-256 (the only type parsed). */
  readonly attestationKeyType: number;
  /** 0x81 = TDX. */
  readonly teeType: number;
  /** Bytes 8..12 (reserved in v4/v5; QE SVN and PCE SVN in older layouts). */
  readonly reserved: Uint8Array;
  /** QE vendor id, 16 bytes (Intel: 939a7233f79c4ca9940a0db3957f0607). */
  readonly qeVendorId: Uint8Array;
  /** 20 bytes of QE-defined user data. */
  readonly userData: Uint8Array;
}

/** The TD Quote Body (A.3.2 TDX 1.0; A.3.3 TDX 1.5 adds `teeTcbSvn2` and `mrServiceTd`). */
export interface TdxQuoteBody {
  /** 2 = TDX 1.0 body (every v4 quote), 3 = TDX 1.5 body. */
  readonly bodyType: 2 | 3;
  readonly teeTcbSvn: Uint8Array;
  readonly mrSeam: Uint8Array;
  readonly mrSignerSeam: Uint8Array;
  readonly seamAttributes: Uint8Array;
  /** TDATTRIBUTES, 8 bytes; bit 0 of byte 0 is DEBUG. */
  readonly tdAttributes: Uint8Array;
  readonly xfam: Uint8Array;
  readonly mrTd: Uint8Array;
  readonly mrConfigId: Uint8Array;
  readonly mrOwner: Uint8Array;
  readonly mrOwnerConfig: Uint8Array;
  /** RTMR0..RTMR3, 48 bytes each. */
  readonly rtmrs: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  readonly reportData: Uint8Array;
  /** TDX 1.5 only. */
  readonly teeTcbSvn2?: Uint8Array;
  /** TDX 1.5 only. */
  readonly mrServiceTd?: Uint8Array;
}

/** The QE report (an SGX REPORT body, A.4.11), fields the verifier needs. */
export interface TdxQeReport {
  /** All 384 bytes (what the QE report signature covers). */
  readonly raw: Uint8Array;
  readonly cpuSvn: Uint8Array;
  readonly miscSelect: number;
  readonly attributes: Uint8Array;
  readonly mrEnclave: Uint8Array;
  readonly mrSigner: Uint8Array;
  readonly isvProdId: number;
  readonly isvSvn: number;
  readonly reportData: Uint8Array;
}

/** The quote signature data (A.4) with type-6 certification data (A.4.10). */
export interface TdxQuoteSignature {
  /** ECDSA P-256 signature over {@link TdxQuote.signedBytes}, r‖s big-endian. */
  readonly signature: Uint8Array;
  /** Attestation public key, raw x‖y. */
  readonly attestationKey: Uint8Array;
  readonly qeReport: TdxQeReport;
  /** ECDSA P-256 signature over the QE report by the PCK leaf key, r‖s. */
  readonly qeReportSignature: Uint8Array;
  readonly qeAuthData: Uint8Array;
  /** The PCK chain's certificates, DER, in the order they appear (leaf first). */
  readonly pckChain: readonly Uint8Array[];
}

/** A parsed TDX quote. Byte fields are views into the caller's buffer. */
export interface TdxQuote {
  readonly header: TdxQuoteHeader;
  readonly body: TdxQuoteBody;
  /** Header ‖ (v5: body descriptor ‖) body: what the quote signature covers. */
  readonly signedBytes: Uint8Array;
  readonly signatureData: TdxQuoteSignature;
  /** Length of the quote by its length fields (≤ the buffer). */
  readonly length: number;
  /** Bytes of the buffer after the quote (unsigned, ignored). */
  readonly trailingBytes: number;
}

/** A bounds-checked little-endian reader over one structure; every failure is a typed error. */
class Reader {
  pos: number;
  readonly bytes: Uint8Array;
  readonly end: number;
  readonly what: string;
  constructor(bytes: Uint8Array, start: number, end: number, what: string) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.what = what;
  }
  take(n: number, field: string): Uint8Array {
    if (n > this.end - this.pos) {
      throw new TdxQuoteMalformedError(`TDX quote truncated: ${this.what} ${field} needs ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left`);
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u16(field: string): number {
    const b = this.take(2, field);
    return b[0]! | (b[1]! << 8);
  }
  u32(field: string): number {
    const b = this.take(4, field);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
}

function parseHeader(r: Reader): TdxQuoteHeader {
  const version = r.u16('version');
  const attestationKeyType = r.u16('attestation key type');
  const teeType = r.u32('TEE type');
  const reserved = r.take(4, 'reserved');
  const qeVendorId = r.take(16, 'QE vendor id');
  const userData = r.take(20, 'user data');
  if (version !== 4 && version !== 5) throw new TdxQuoteUnsupportedError(`TDX quote version ${version} is not supported (expected 4 or 5)`);
  if (teeType !== TDX_TEE_TYPE) throw new TdxQuoteUnsupportedError(`quote TEE type 0x${teeType.toString(16)} is not TDX (0x81)`);
  if (attestationKeyType !== TDX_ATT_KEY_ECDSA_P256) throw new TdxQuoteUnsupportedError(`TDX attestation key type ${attestationKeyType} is not supported (expected 2, ECDSA-256)`);
  return { version, attestationKeyType, teeType, reserved, qeVendorId, userData };
}

function parseBody(r: Reader, bodyType: 2 | 3): TdxQuoteBody {
  const f = (n: number, name: string): Uint8Array => r.take(n, name);
  const teeTcbSvn = f(16, 'TEE_TCB_SVN');
  const mrSeam = f(48, 'MRSEAM');
  const mrSignerSeam = f(48, 'MRSIGNERSEAM');
  const seamAttributes = f(8, 'SEAMATTRIBUTES');
  const tdAttributes = f(8, 'TDATTRIBUTES');
  const xfam = f(8, 'XFAM');
  const mrTd = f(48, 'MRTD');
  const mrConfigId = f(48, 'MRCONFIGID');
  const mrOwner = f(48, 'MROWNER');
  const mrOwnerConfig = f(48, 'MROWNERCONFIG');
  const rtmrs = [f(48, 'RTMR0'), f(48, 'RTMR1'), f(48, 'RTMR2'), f(48, 'RTMR3')] as const;
  const reportData = f(64, 'REPORTDATA');
  const base = { bodyType, teeTcbSvn, mrSeam, mrSignerSeam, seamAttributes, tdAttributes, xfam, mrTd, mrConfigId, mrOwner, mrOwnerConfig, rtmrs, reportData };
  if (bodyType === 2) return base;
  return { ...base, teeTcbSvn2: f(16, 'TEE_TCB_SVN2'), mrServiceTd: f(48, 'MRSERVICETD') };
}

function parseQeReport(raw: Uint8Array): TdxQeReport {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    raw,
    cpuSvn: raw.subarray(0, 16),
    miscSelect: dv.getUint32(16, true),
    attributes: raw.subarray(48, 64),
    mrEnclave: raw.subarray(64, 96),
    mrSigner: raw.subarray(128, 160),
    isvProdId: dv.getUint16(256, true),
    isvSvn: dv.getUint16(258, true),
    reportData: raw.subarray(320, 384),
  };
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function parseSignatureData(r: Reader): TdxQuoteSignature {
  const signature = r.take(TDX_ECDSA_BYTES, 'quote signature');
  const attestationKey = r.take(TDX_ECDSA_BYTES, 'attestation key');
  const certType = r.u16('certification data type');
  const certSize = r.u32('certification data size');
  if (certType !== TDX_CERT_QE_REPORT) throw new TdxQuoteUnsupportedError(`TDX certification data type ${certType} is not supported (expected 6, QE report)`);
  if (certSize !== r.end - r.pos) throw new TdxQuoteMalformedError(`TDX certification data size ${certSize} disagrees with the signature data length (${r.end - r.pos} bytes left)`);
  const qe = new Reader(r.bytes, r.pos, r.pos + certSize, 'QE report certification data');
  const qeReport = parseQeReport(qe.take(TDX_QE_REPORT_BYTES, 'QE report'));
  const qeReportSignature = qe.take(TDX_ECDSA_BYTES, 'QE report signature');
  const qeAuthData = qe.take(qe.u16('QE auth data size'), 'QE auth data');
  const innerType = qe.u16('PCK certification data type');
  const innerSize = qe.u32('PCK certification data size');
  if (innerType !== TDX_CERT_PCK_CHAIN) throw new TdxQuoteUnsupportedError(`TDX PCK certification data type ${innerType} is not supported (expected 5, PEM chain)`);
  if (innerSize !== qe.end - qe.pos) throw new TdxQuoteMalformedError(`TDX PCK certification data size ${innerSize} disagrees with the QE certification data (${qe.end - qe.pos} bytes left)`);
  const pckChain = decodePemCertificates(latin1(qe.take(innerSize, 'PCK chain')), 'TDX PCK chain', TdxQuoteMalformedError);
  r.pos = qe.end;
  return { signature, attestationKey, qeReport, qeReportSignature, qeAuthData, pckChain };
}

/**
 * Parses an Intel TDX quote, version 4 or 5 (Intel TDX DCAP Quoting Library API, Appendix A).
 * Lengths are checked strictly; bytes after the quote's end (padding) are ignored and counted.
 * Does not verify anything: see `verifyTdxQuote`.
 * @returns the parsed quote, its byte fields viewing `bytes`.
 * @throws TypeError when `bytes` is not a Uint8Array; `TdxQuoteMalformedError` (`ERR_TDX_QUOTE_MALFORMED`)
 *   on truncation or inconsistent lengths; `TdxQuoteUnsupportedError` (`ERR_TDX_QUOTE_UNSUPPORTED`) for
 *   another version, TEE type, key type, body type or certification data type.
 * @example
 * const quote = parseTdxQuote(bytes);
 * quote.body.mrTd; // 48 bytes
 */
export function parseTdxQuote(bytes: Uint8Array): TdxQuote {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  const r = new Reader(bytes, 0, bytes.length, 'TDX quote');
  const header = parseHeader(r);
  let bodyType: 2 | 3 = 2;
  if (header.version === 5) {
    const t = r.u16('body type');
    const size = r.u32('body size');
    if (t !== 2 && t !== 3) throw new TdxQuoteUnsupportedError(`TDX quote v5 body type ${t} is not supported (expected 2 or 3)`);
    const expected = t === 2 ? TDX_BODY_V10_BYTES : TDX_BODY_V15_BYTES;
    if (size !== expected) throw new TdxQuoteMalformedError(`TDX quote v5 body type ${t} expected size ${expected}, got ${size}`);
    bodyType = t;
  }
  const body = parseBody(r, bodyType);
  const signedBytes = bytes.subarray(0, r.pos);
  const sigLen = r.u32('signature data length');
  const sr = new Reader(bytes, r.pos, r.pos + Math.min(sigLen, bytes.length - r.pos), 'signature data');
  if (sigLen > bytes.length - r.pos) throw new TdxQuoteMalformedError(`TDX quote truncated: signature data length ${sigLen} exceeds the ${bytes.length - r.pos} bytes left`);
  const signatureData = parseSignatureData(sr);
  const length = r.pos + sigLen;
  return { header, body, signedBytes, signatureData, length, trailingBytes: bytes.length - length };
}

/** True when the TD's DEBUG attribute (TDATTRIBUTES bit 0, A.3.2) is set. */
export function isTdxDebug(body: TdxQuoteBody): boolean {
  return (body.tdAttributes[0]! & 1) === 1;
}
