// The SEV-SNP and TDX guest devices through the native addon (native/): SNP_GET_REPORT,
// SNP_GET_EXT_REPORT (report + certificate table, GHCB spec §4.1.8.1), SNP_GET_DERIVED_KEY (AMD
// SEV-SNP ABI spec, MSG_KEY_REQ) on /dev/sev-guest (Linux <linux/sev-guest.h>), and
// TDX_CMD_GET_REPORT0 on /dev/tdx_guest (Linux tdx-guest.h; a TDREPORT_STRUCT, 1024 bytes, with
// REPORTDATA at offset 128). Arguments are checked here before anything reaches the device; every
// ioctl runs on a libuv worker thread (napi_create_async_work) and its errno becomes a typed error
// (errors.ts). Device paths: the `device` option, else QUORUMKIT_SEV_GUEST_DEVICE /
// QUORUMKIT_TDX_GUEST_DEVICE, else the kernel's names. Node-only.

import { InvalidArgumentError } from '../../core/errors.js';
import { parseCertTable, type CertTableEntry } from '../cert-table.js';
import { TeeMalformedEvidenceError } from '../errors.js';
import {
  TeeCertsTooLargeError,
  TeeDeviceAbsentError,
  TeeDeviceBusyError,
  TeeDeviceError,
  TeeDeviceIoError,
  TeeDevicePermissionError,
  TeeDeviceRejectedError,
  TeeFirmwareError,
  TeeVmmError,
} from './errors.js';
import { GUEST_ABI_SIZES, nativeAddon, type NativeFailure } from './native-addon.js';

/** The kernel's SEV-SNP guest device. */
export const SEV_GUEST_DEVICE = '/dev/sev-guest';
/** The kernel's TDX guest device. */
export const TDX_GUEST_DEVICE = '/dev/tdx_guest';
/** REPORT_DATA / REPORTDATA size, bytes. */
export const GUEST_REPORT_DATA_BYTES = GUEST_ABI_SIZES.reportData;
/** TDREPORT_STRUCT size, bytes. */
export const TDX_REPORT_BYTES = GUEST_ABI_SIZES.tdxReport;
/** Offset of REPORTDATA in a TDREPORT_STRUCT (REPORTMACSTRUCT.REPORTDATA). */
export const TDX_REPORT_REPORTDATA_OFFSET = 128;
/** SNP derived key size, bytes. */
export const SNP_DERIVED_KEY_BYTES = GUEST_ABI_SIZES.snpDerivedKey;
/** GUEST_FIELD_SELECT bits the ABI defines (0 policy … 5 TCB version, 6 launch mitigation vector). */
const GUEST_FIELD_SELECT_MASK = 0x7fn;
const U64_MAX = (1n << 64n) - 1n;

/** Which device to use. */
export interface GuestDeviceOptions {
  /** Device path (default: the env var, then the kernel's name). */
  readonly device?: string;
}

/** Options of the SNP report calls. */
export interface SnpReportOptions extends GuestDeviceOptions {
  /** The VMPL to request the report at, 0..3 (default 0). */
  readonly vmpl?: number;
}

/** What {@link snpGetExtReport} returns. */
export interface SnpExtReport {
  /** The 1184-byte ATTESTATION_REPORT. */
  readonly report: Uint8Array;
  /** The certificate buffer as the host filled it (page-sized; the table says where each certificate is). */
  readonly certs: Uint8Array;
  /** The table's entries (VCEK or VLEK, ASK/ASVK, ARK, …); empty when the host supplies none. */
  readonly certificates: readonly CertTableEntry[];
}

/** MSG_KEY_REQ (AMD SEV-SNP ABI spec, "MSG_KEY_REQ Message Structure"). */
export interface SnpDerivedKeyRequest {
  /** 0: derive from the VCEK, 1: from the VMRK (default 0). */
  readonly rootKeySelect?: 0 | 1;
  /** Which guest fields are mixed in: bit 0 policy, 1 image ID, 2 family ID, 3 measurement, 4 guest SVN, 5 TCB version, 6 launch mitigation vector (default 0). */
  readonly guestFieldSelect?: bigint | number;
  /** The VMPL to mix in, 0..3 (default 0; at least the guest's own). */
  readonly vmpl?: number;
  /** The guest SVN to mix in, u32 (default 0). */
  readonly guestSvn?: number;
  /** The TCB version to mix in, u64 (default 0). */
  readonly tcbVersion?: bigint | number;
}

function devicePath(o: GuestDeviceOptions | undefined, envName: string, fallback: string): string {
  const d = o?.device ?? (process.env[envName] || fallback);
  if (typeof d !== 'string' || d.length === 0 || d.includes('\0') || Buffer.byteLength(d) >= 4096) throw new InvalidArgumentError(`"device" expected a non-empty path, got ${JSON.stringify(d)}`);
  return d;
}

/** The SEV-SNP device path {@link snpGetReport} and friends use for these options. */
export function sevGuestDevicePath(o?: GuestDeviceOptions): string {
  return devicePath(o, 'QUORUMKIT_SEV_GUEST_DEVICE', SEV_GUEST_DEVICE);
}

/** The TDX device path {@link tdxGetReport0} uses for these options. */
export function tdxGuestDevicePath(o?: GuestDeviceOptions): string {
  return devicePath(o, 'QUORUMKIT_TDX_GUEST_DEVICE', TDX_GUEST_DEVICE);
}

function checkReportData(reportData: unknown): Uint8Array {
  if (!(reportData instanceof Uint8Array)) throw new InvalidArgumentError(`"reportData" expected Uint8Array, got ${reportData === null ? 'null' : typeof reportData}`);
  if (reportData.length !== GUEST_REPORT_DATA_BYTES) throw new InvalidArgumentError(`"reportData" expected ${GUEST_REPORT_DATA_BYTES} bytes, got ${reportData.length}`);
  return reportData.slice();
}

function checkInt(name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw new InvalidArgumentError(`"${name}" expected an integer 0..${max}, got ${String(v)}`);
  return v;
}

function checkU64(name: string, v: unknown, mask = U64_MAX): bigint {
  const b = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : null;
  if (b === null || b < 0n || (b & ~mask) !== 0n) throw new InvalidArgumentError(`"${name}" expected an integer within 0x${mask.toString(16)}, got ${String(v)}`);
  return b;
}

function checkOptions(o: unknown, allowed: readonly string[]): void {
  if (o === undefined) return;
  if (o === null || typeof o !== 'object') throw new InvalidArgumentError('"options" expected an object');
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) throw new InvalidArgumentError(`"options" has unknown key(s) ${extra.join(', ')}`);
}

function vmplOf(o: SnpReportOptions | undefined): number {
  return o?.vmpl === undefined ? 0 : checkInt('vmpl', o.vmpl, 3);
}

const KIND_CLASSES = {
  DEVICE_ABSENT: [TeeDeviceAbsentError, 'no such device'],
  PERMISSION: [TeeDevicePermissionError, 'permission denied'],
  INVALID: [TeeDeviceRejectedError, 'the driver rejected the request'],
  FIRMWARE: [TeeFirmwareError, 'the firmware failed the request'],
  VMM: [TeeVmmError, 'the hypervisor failed the request'],
  IO: [TeeDeviceIoError, 'the TEE failed the request'],
  BUSY: [TeeDeviceBusyError, 'busy, retry later'],
  CERTS_TOO_LARGE: [TeeCertsTooLargeError, 'the host wants a larger certificate buffer than allowed'],
  OTHER: [TeeDeviceError, 'the call failed'],
} as const;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The typed error for a rejection of the addon (anything else passes through unchanged). */
function typedError(e: unknown, what: string, device: string): unknown {
  const f = e as Partial<NativeFailure> | null;
  if (f === null || typeof f !== 'object' || f.code !== 'ERR_TEE_NATIVE' || typeof f.kind !== 'string') return e;
  const details = { device, op: f.op ?? '', errno: f.errno ?? 0, errnoName: f.errnoName ?? '', fwError: f.fwError ?? 0, vmmError: f.vmmError ?? 0, status: f.status ?? 0, certsNeeded: f.certsNeeded ?? 0, attempts: f.attempts ?? 0 };
  if (f.kind === 'MALFORMED') return new TeeMalformedEvidenceError(`${what} on ${device}: the firmware answered with a ${details.status}-byte report, expected ${GUEST_ABI_SIZES.snpReport}`, { details, cause: e });
  const [C, text] = KIND_CLASSES[f.kind as keyof typeof KIND_CLASSES] ?? KIND_CLASSES.OTHER;
  const codes = [
    details.errnoName && `${details.errnoName} in ${details.op}`,
    details.fwError !== 0 && `firmware error ${hex(details.fwError)}`,
    details.vmmError !== 0 && `VMM error ${hex(details.vmmError)}`,
    details.status !== 0 && `status ${hex(details.status)}`,
    details.certsNeeded !== 0 && `needs ${details.certsNeeded} certificate bytes`,
  ].filter(Boolean);
  return new C(`${what} on ${device}: ${text}${codes.length ? ` (${codes.join(', ')})` : ''}`, { details, cause: e });
}

async function call<T>(what: string, device: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw typedError(e, what, device);
  }
}

/**
 * An SEV-SNP ATTESTATION_REPORT (1184 bytes) carrying `reportData`, via SNP_GET_REPORT.
 * @throws InvalidArgumentError before any ioctl for report data other than 64 bytes, a VMPL outside
 *   0..3 or a bad device path; TeeNativeUnavailableError; a TeeDeviceError subclass by errno.
 * @example
 * const report = await snpGetReport(bindingDigest(report), { vmpl: 0 });
 */
export async function snpGetReport(reportData: Uint8Array, options?: SnpReportOptions): Promise<Uint8Array> {
  checkOptions(options, ['device', 'vmpl']);
  const rd = checkReportData(reportData);
  const vmpl = vmplOf(options);
  const device = sevGuestDevicePath(options);
  const addon = nativeAddon();
  return new Uint8Array(await call('SNP_GET_REPORT', device, () => addon.snpGetReport(device, rd, vmpl)));
}

/**
 * An SEV-SNP report and the host's certificate table, via SNP_GET_EXT_REPORT; a too-small
 * certificate buffer is retried with the size the driver asks for (page-aligned, capped).
 * @throws as {@link snpGetReport}; TeeCertsTooLargeError past the cap; InvalidArgumentError for a
 *   certificate table that does not parse.
 */
export async function snpGetExtReport(reportData: Uint8Array, options?: SnpReportOptions): Promise<SnpExtReport> {
  checkOptions(options, ['device', 'vmpl']);
  const rd = checkReportData(reportData);
  const vmpl = vmplOf(options);
  const device = sevGuestDevicePath(options);
  const addon = nativeAddon();
  const r = await call('SNP_GET_EXT_REPORT', device, () => addon.snpGetExtReport(device, rd, vmpl));
  const certs = new Uint8Array(r.certs);
  return { report: new Uint8Array(r.report), certs, certificates: parseCertTable(certs) };
}

/**
 * A 32-byte key derived by the SEV-SNP firmware (SNP_GET_DERIVED_KEY, MSG_KEY_REQ). The key is
 * secret: the caller owns the only copy and should wipe it after use.
 * @throws InvalidArgumentError before any ioctl for fields out of range (reserved GUEST_FIELD_SELECT
 *   bits included); TeeNativeUnavailableError; a TeeDeviceError subclass by errno.
 */
export async function snpGetDerivedKey(request: SnpDerivedKeyRequest = {}, options?: GuestDeviceOptions): Promise<Uint8Array> {
  checkOptions(request, ['rootKeySelect', 'guestFieldSelect', 'vmpl', 'guestSvn', 'tcbVersion']);
  checkOptions(options, ['device']);
  const req = {
    rootKeySelect: checkInt('rootKeySelect', request.rootKeySelect ?? 0, 1),
    guestFieldSelect: checkU64('guestFieldSelect', request.guestFieldSelect ?? 0n, GUEST_FIELD_SELECT_MASK),
    vmpl: checkInt('vmpl', request.vmpl ?? 0, 3),
    guestSvn: checkInt('guestSvn', request.guestSvn ?? 0, 0xffff_ffff),
    tcbVersion: checkU64('tcbVersion', request.tcbVersion ?? 0n),
  };
  const device = sevGuestDevicePath(options);
  const addon = nativeAddon();
  const buf = await call('SNP_GET_DERIVED_KEY', device, () => addon.snpGetDerivedKey(device, req));
  try {
    return new Uint8Array(buf);
  } finally {
    buf.fill(0);
  }
}

/**
 * A TDX TDREPORT_STRUCT (1024 bytes; REPORTDATA at offset 128) carrying `reportData`, via
 * TDX_CMD_GET_REPORT0. A TDREPORT is MAC'd for this platform only; a remote verifier needs the quote
 * (configfs-tsm, tsmReport) made from it.
 * @throws InvalidArgumentError before any ioctl for report data other than 64 bytes or a bad device
 *   path; TeeNativeUnavailableError; a TeeDeviceError subclass by errno.
 */
export async function tdxGetReport0(reportData: Uint8Array, options?: GuestDeviceOptions): Promise<Uint8Array> {
  checkOptions(options, ['device']);
  const rd = checkReportData(reportData);
  const device = tdxGuestDevicePath(options);
  const addon = nativeAddon();
  return new Uint8Array(await call('TDX_CMD_GET_REPORT0', device, () => addon.tdxGetReport0(device, rd)));
}
