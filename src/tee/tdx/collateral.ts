// Intel PCS v4 collateral for TDX: TCB Info (GET /tdx/certification/v4/tcb) and QE Identity
// (GET /tdx/certification/v4/qe/identity), as documented in Intel's "Intel Trust Domain Extensions
// (TDX) and SGX PCS API" v4 and the TDX TCB Info / Enclave Identity JSON schemas (tcbInfo v3,
// enclaveIdentity v2). Each response body is {"<name>": {...}, "signature": "<hex r‖s>"}, the
// ECDSA P-256/SHA-256 signature covering the exact bytes of the <name> value as sent; it is signed
// by the Intel SGX TCB Signing certificate (its chain comes in the TCB-Info-Issuer-Chain header).
// Parsed with parseStrict (DESIGN.md: never JSON.parse). TCB matching follows Intel's QVL
// (TCB level = the first level whose every component is ≤ the platform's).

import { parseStrict } from '../../core/parse-strict.js';
import { fromHex } from '../../core/bytes.js';
import { isPlainObject } from '../../core/assert.js';
import { TdxCollateralMalformedError } from './errors.js';
import type { PckTcb } from './_x509.js';
import type { TdxQeReport, TdxQuoteBody } from './quote.js';

/** TCB statuses of Intel PCS (TCB Info and QE Identity `tcbStatus`). */
export type TdxTcbStatus =
  | 'UpToDate' | 'SWHardeningNeeded' | 'ConfigurationNeeded' | 'ConfigurationAndSWHardeningNeeded'
  | 'OutOfDate' | 'OutOfDateConfigurationNeeded' | 'Revoked';

/** Every TCB status, best first (the order matchTdxTcbLevel ranks them in). */
export const TDX_TCB_STATUSES: readonly TdxTcbStatus[] = ['UpToDate', 'SWHardeningNeeded', 'ConfigurationNeeded', 'ConfigurationAndSWHardeningNeeded', 'OutOfDate', 'OutOfDateConfigurationNeeded', 'Revoked'];

/** A signed collateral document: the signed bytes, the signature and the parsed value. */
export interface SignedCollateral<T> {
  /** The exact UTF-8 bytes of the signed JSON value. */
  readonly signedBytes: Uint8Array;
  /** ECDSA P-256 r‖s, 64 bytes. */
  readonly signature: Uint8Array;
  readonly value: T;
}

/** One TDX TCB level of TCB Info v3. */
export interface TdxTcbLevel {
  readonly sgxComponents: readonly number[];
  readonly pceSvn: number;
  readonly tdxComponents: readonly number[];
  readonly tcbDate: string;
  readonly tcbStatus: TdxTcbStatus;
  readonly advisoryIds: readonly string[];
}

/** TDX TCB Info v3 (the fields verification uses). */
export interface TdxTcbInfo {
  readonly id: string;
  readonly version: number;
  readonly issueDate: Date;
  readonly nextUpdate: Date;
  readonly fmspc: Uint8Array;
  readonly pceId: Uint8Array;
  readonly tdxModule: { readonly mrSigner: Uint8Array; readonly attributes: Uint8Array; readonly attributesMask: Uint8Array };
  /** Per-major-version TDX module identities (`TDX_01`, …), when the document has them. */
  readonly tdxModuleIdentities: readonly TdxModuleIdentity[];
  readonly tcbLevels: readonly TdxTcbLevel[];
}

/** One entry of TCB Info `tdxModuleIdentities`: a TDX module major version and its ISVSVN levels. */
export interface TdxModuleIdentity {
  /** `TDX_` and the major version as two hex digits (TEE_TCB_SVN[1]). */
  readonly id: string;
  readonly mrSigner: Uint8Array;
  readonly attributes: Uint8Array;
  readonly attributesMask: Uint8Array;
  readonly tcbLevels: readonly { readonly isvSvn: number; readonly tcbDate: string; readonly tcbStatus: TdxTcbStatus; readonly advisoryIds: readonly string[] }[];
}

/** TD QE Identity (enclaveIdentity v2). */
export interface TdxQeIdentity {
  readonly id: string;
  readonly version: number;
  readonly issueDate: Date;
  readonly nextUpdate: Date;
  readonly miscSelect: number;
  readonly miscSelectMask: number;
  readonly attributes: Uint8Array;
  readonly attributesMask: Uint8Array;
  readonly mrSigner: Uint8Array;
  readonly isvProdId: number;
  readonly tcbLevels: readonly { readonly isvSvn: number; readonly tcbDate: string; readonly tcbStatus: TdxTcbStatus }[];
}

function bad(what: string, cause?: unknown): TdxCollateralMalformedError {
  return new TdxCollateralMalformedError(what, cause === undefined ? undefined : { cause });
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw bad(`${what} is not an object`);
  return v;
}
function str(o: Record<string, unknown>, k: string, what: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw bad(`${what}.${k} is not a string`);
  return v;
}
function int(o: Record<string, unknown>, k: string, what: string, max = 0xffff): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw bad(`${what}.${k} is not an integer in [0, ${max}]`);
  return v;
}
function hex(o: Record<string, unknown>, k: string, what: string, bytes: number): Uint8Array {
  const s = str(o, k, what);
  if (s.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(s)) throw bad(`${what}.${k} is not ${bytes} bytes of hex`);
  return fromHex(s.toLowerCase());
}
function date(o: Record<string, unknown>, k: string, what: string): Date {
  const s = str(o, k, what);
  const d = new Date(s);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/.test(s) || Number.isNaN(d.getTime())) throw bad(`${what}.${k} is not an RFC 3339 UTC time`);
  return d;
}
function status(o: Record<string, unknown>, what: string): TdxTcbStatus {
  const s = str(o, 'tcbStatus', what);
  if (!(TDX_TCB_STATUSES as readonly string[]).includes(s)) throw bad(`${what}.tcbStatus ${JSON.stringify(s).slice(0, 40)} is not a known TCB status`);
  return s as TdxTcbStatus;
}
function arr(o: Record<string, unknown>, k: string, what: string): unknown[] {
  const v = o[k];
  if (!Array.isArray(v)) throw bad(`${what}.${k} is not an array`);
  return v;
}
function components(o: Record<string, unknown>, k: string, what: string): number[] {
  const a = arr(o, k, what);
  if (a.length !== 16) throw bad(`${what}.${k} expected 16 components, got ${a.length}`);
  return a.map((c, i) => int(obj(c, `${what}.${k}[${i}]`), 'svn', `${what}.${k}[${i}]`, 255));
}

function advisories(level: Record<string, unknown>, what: string): string[] {
  if (level['advisoryIDs'] === undefined) return [];
  return arr(level, 'advisoryIDs', what).map((a, j) => {
    if (typeof a !== 'string') throw bad(`${what}.advisoryIDs[${j}] is not a string`);
    return a;
  });
}

/** Splits `{"<name>":<value>,"signature":"<hex>"}` into the signed bytes of <value> and the signature. */
function splitSigned(text: string, name: string): { signedBytes: Uint8Array; signature: Uint8Array; value: unknown } {
  if (typeof text !== 'string') throw new TypeError(`"${name}" expected string, got ${typeof text}`);
  const prefix = `{"${name}":`;
  const tail = /,"signature":"([0-9a-fA-F]{128})"\}\s*$/.exec(text);
  if (!text.startsWith(prefix) || tail === null) throw bad(`${name} collateral is not {"${name}":…,"signature":"<128 hex>"}`);
  let whole: unknown;
  try {
    whole = parseStrict(text);
  } catch (err) {
    throw bad(`${name} collateral is not strict JSON`, err);
  }
  const o = obj(whole, name);
  if (Object.keys(o).length !== 2) throw bad(`${name} collateral has members other than ${name} and signature`);
  const signedText = text.slice(prefix.length, tail.index);
  return { signedBytes: new TextEncoder().encode(signedText), signature: fromHex(tail[1]!.toLowerCase()), value: o[name] };
}

/**
 * Parses an Intel PCS v4 TDX TCB Info response body (`{"tcbInfo":…,"signature":…}`, tcbInfo v3, id "TDX").
 * @throws `TdxCollateralMalformedError` (`ERR_TDX_COLLATERAL_MALFORMED`) on any deviation; TypeError for a non-string.
 */
export function parseTdxTcbInfo(text: string): SignedCollateral<TdxTcbInfo> {
  const { signedBytes, signature, value } = splitSigned(text, 'tcbInfo');
  const w = 'tcbInfo';
  const t = obj(value, w);
  const id = str(t, 'id', w);
  const version = int(t, 'version', w);
  if (id !== 'TDX' || version !== 3) throw bad(`tcbInfo is id ${JSON.stringify(id).slice(0, 20)} version ${version}, expected TDX version 3`);
  const mod = obj(t['tdxModule'], `${w}.tdxModule`);
  const tcbLevels = arr(t, 'tcbLevels', w).map((l, i): TdxTcbLevel => {
    const lw = `${w}.tcbLevels[${i}]`;
    const level = obj(l, lw);
    const tcb = obj(level['tcb'], `${lw}.tcb`);
    return {
      sgxComponents: components(tcb, 'sgxtcbcomponents', `${lw}.tcb`),
      pceSvn: int(tcb, 'pcesvn', `${lw}.tcb`),
      tdxComponents: components(tcb, 'tdxtcbcomponents', `${lw}.tcb`),
      tcbDate: str(level, 'tcbDate', lw),
      tcbStatus: status(level, lw),
      advisoryIds: advisories(level, lw),
    };
  });
  if (tcbLevels.length === 0) throw bad('tcbInfo.tcbLevels is empty');
  const ids = t['tdxModuleIdentities'] === undefined ? [] : arr(t, 'tdxModuleIdentities', w);
  const tdxModuleIdentities = ids.map((m, i): TdxModuleIdentity => {
    const mw = `${w}.tdxModuleIdentities[${i}]`;
    const mo = obj(m, mw);
    return {
      id: str(mo, 'id', mw), mrSigner: hex(mo, 'mrsigner', mw, 48), attributes: hex(mo, 'attributes', mw, 8), attributesMask: hex(mo, 'attributesMask', mw, 8),
      tcbLevels: arr(mo, 'tcbLevels', mw).map((l, j) => {
        const lw = `${mw}.tcbLevels[${j}]`;
        const level = obj(l, lw);
        return { isvSvn: int(obj(level['tcb'], `${lw}.tcb`), 'isvsvn', `${lw}.tcb`, 255), tcbDate: str(level, 'tcbDate', lw), tcbStatus: status(level, lw), advisoryIds: advisories(level, lw) };
      }),
    };
  });
  const value2: TdxTcbInfo = {
    id, version, issueDate: date(t, 'issueDate', w), nextUpdate: date(t, 'nextUpdate', w),
    fmspc: hex(t, 'fmspc', w, 6), pceId: hex(t, 'pceId', w, 2),
    tdxModule: { mrSigner: hex(mod, 'mrsigner', `${w}.tdxModule`, 48), attributes: hex(mod, 'attributes', `${w}.tdxModule`, 8), attributesMask: hex(mod, 'attributesMask', `${w}.tdxModule`, 8) },
    tdxModuleIdentities,
    tcbLevels,
  };
  return { signedBytes, signature, value: value2 };
}

/**
 * Parses an Intel PCS v4 TD QE Identity response body (`{"enclaveIdentity":…,"signature":…}`, id "TD_QE", version 2).
 * @throws `TdxCollateralMalformedError` (`ERR_TDX_COLLATERAL_MALFORMED`) on any deviation; TypeError for a non-string.
 */
export function parseTdxQeIdentity(text: string): SignedCollateral<TdxQeIdentity> {
  const { signedBytes, signature, value } = splitSigned(text, 'enclaveIdentity');
  const w = 'enclaveIdentity';
  const e = obj(value, w);
  const id = str(e, 'id', w);
  const version = int(e, 'version', w);
  if (id !== 'TD_QE' || version !== 2) throw bad(`enclaveIdentity is id ${JSON.stringify(id).slice(0, 20)} version ${version}, expected TD_QE version 2`);
  const u32 = (k: string): number => {
    const b = hex(e, k, w, 4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  };
  const tcbLevels = arr(e, 'tcbLevels', w).map((l, i) => {
    const lw = `${w}.tcbLevels[${i}]`;
    const level = obj(l, lw);
    return { isvSvn: int(obj(level['tcb'], `${lw}.tcb`), 'isvsvn', `${lw}.tcb`), tcbDate: str(level, 'tcbDate', lw), tcbStatus: status(level, lw) };
  });
  if (tcbLevels.length === 0) throw bad('enclaveIdentity.tcbLevels is empty');
  const v: TdxQeIdentity = {
    id, version, issueDate: date(e, 'issueDate', w), nextUpdate: date(e, 'nextUpdate', w),
    miscSelect: u32('miscselect'), miscSelectMask: u32('miscselectMask'),
    attributes: hex(e, 'attributes', w, 16), attributesMask: hex(e, 'attributesMask', w, 16),
    mrSigner: hex(e, 'mrsigner', w, 32), isvProdId: int(e, 'isvprodid', w),
    tcbLevels,
  };
  return { signedBytes, signature, value: v };
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function maskedEq(value: Uint8Array, expected: Uint8Array, mask: Uint8Array): boolean {
  return value.length === mask.length && expected.length === mask.length && value.every((x, i) => (x & mask[i]!) === (expected[i]! & mask[i]!));
}

/** The outcome of matching a platform against collateral: a status, or why no level applies. */
export type TdxTcbMatch = { readonly ok: true; readonly status: TdxTcbStatus; readonly tcbDate: string; readonly advisoryIds: readonly string[] } | { readonly ok: false; readonly reason: string };

/**
 * The TDX TCB status of a platform: the first TCB Info level whose SGX components and PCESVN are ≤
 * the PCK certificate's and whose TDX components are ≤ TEE_TCB_SVN (from byte 2 on when
 * TEE_TCB_SVN[1] > 0, the TDX module major version, as Intel's QVL does). FMSPC and PCE-ID must
 * match, and the TDX module's MRSIGNERSEAM / SEAMATTRIBUTES must equal tdxModule's (masked). With
 * `tdxModuleIdentities` and a major version ≥ 1, the module identity `TDX_<major>` must match too and
 * its first level with ISVSVN ≤ TEE_TCB_SVN[0] gives a module status; the worse of the two is returned
 * (statuses ordered UpToDate < SWHardeningNeeded < … < Revoked).
 * Does not check the collateral's signature or dates (the verifier does).
 */
export function matchTdxTcbLevel(info: TdxTcbInfo, pck: PckTcb, body: TdxQuoteBody): TdxTcbMatch {
  if (!eq(info.fmspc, pck.fmspc)) return { ok: false, reason: 'TCB Info FMSPC differs from the PCK certificate\'s' };
  if (!eq(info.pceId, pck.pceId)) return { ok: false, reason: 'TCB Info PCE-ID differs from the PCK certificate\'s' };
  if (!eq(info.tdxModule.mrSigner, body.mrSignerSeam)) return { ok: false, reason: 'MRSIGNERSEAM differs from TCB Info tdxModule.mrsigner' };
  if (!maskedEq(body.seamAttributes, info.tdxModule.attributes, info.tdxModule.attributesMask)) return { ok: false, reason: 'SEAMATTRIBUTES differ from TCB Info tdxModule.attributes' };
  const major = body.teeTcbSvn[1]!;
  const tdxFrom = major > 0 ? 2 : 0;
  const level = info.tcbLevels.find((l) => l.sgxComponents.every((svn, i) => svn <= pck.cpuSvnComponents[i]!) && l.pceSvn <= pck.pceSvn && l.tdxComponents.every((svn, i) => i < tdxFrom || svn <= body.teeTcbSvn[i]!));
  if (level === undefined) return { ok: false, reason: 'no TCB Info level matches the platform TCB (status unknown)' };
  const platform: TdxTcbMatch = { ok: true, status: level.tcbStatus, tcbDate: level.tcbDate, advisoryIds: level.advisoryIds };
  if (major === 0 || info.tdxModuleIdentities.length === 0) return platform;
  // TDX module major version ≥ 1: its identity (TEE_TCB_SVN[1] names it, TEE_TCB_SVN[0] is its ISVSVN) has its own levels; the worse status wins.
  const id = `TDX_${major.toString(16).toUpperCase().padStart(2, '0')}`;
  const mod = info.tdxModuleIdentities.find((m) => m.id.toUpperCase() === id);
  if (mod === undefined) return { ok: false, reason: `TCB Info has no TDX module identity ${id}` };
  if (!eq(mod.mrSigner, body.mrSignerSeam) || !maskedEq(body.seamAttributes, mod.attributes, mod.attributesMask)) return { ok: false, reason: `TDX module differs from TCB Info identity ${id}` };
  const ml = mod.tcbLevels.find((l) => l.isvSvn <= body.teeTcbSvn[0]!);
  if (ml === undefined) return { ok: false, reason: `no level of TDX module identity ${id} matches ISVSVN ${body.teeTcbSvn[0]!} (status unknown)` };
  if (TDX_TCB_STATUSES.indexOf(ml.tcbStatus) <= TDX_TCB_STATUSES.indexOf(level.tcbStatus)) return platform;
  return { ok: true, status: ml.tcbStatus, tcbDate: ml.tcbDate, advisoryIds: [...new Set([...level.advisoryIds, ...ml.advisoryIds])] };
}

/**
 * The QE Identity status of a QE report: MRSIGNER and ISVPRODID must equal the identity's,
 * MISCSELECT and ATTRIBUTES must match under their masks, and the first level with ISVSVN ≤ the
 * report's gives the status.
 */
export function matchTdxQeIdentity(identity: TdxQeIdentity, qe: TdxQeReport): TdxTcbMatch {
  if (!eq(identity.mrSigner, qe.mrSigner)) return { ok: false, reason: 'QE report MRSIGNER differs from QE Identity' };
  if (identity.isvProdId !== qe.isvProdId) return { ok: false, reason: 'QE report ISVPRODID differs from QE Identity' };
  if (((qe.miscSelect & identity.miscSelectMask) >>> 0) !== ((identity.miscSelect & identity.miscSelectMask) >>> 0)) return { ok: false, reason: 'QE report MISCSELECT differs from QE Identity' };
  if (!maskedEq(qe.attributes, identity.attributes, identity.attributesMask)) return { ok: false, reason: 'QE report ATTRIBUTES differ from QE Identity' };
  const level = identity.tcbLevels.find((l) => l.isvSvn <= qe.isvSvn);
  if (level === undefined) return { ok: false, reason: 'no QE Identity level matches the QE report ISVSVN (status unknown)' };
  return { ok: true, status: level.tcbStatus, tcbDate: level.tcbDate, advisoryIds: [] };
}
