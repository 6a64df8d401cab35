// AMD SEV-SNP ABI specification (pub. 56860): Table 22 "ATTESTATION_REPORT Structure" (table
// numbers as in rev. 1.57; earlier revisions number it 21, and the other tables shift too, so they
// are cited by name): the GUEST_POLICY structure, the TCB_VERSION structure (Milan/Genoa layout, and
// the Turin, family 1Ah, layout with FMC), the PLATFORM_INFO field, and the chapter "Signature
// Formats" (ECDSA P-384 with SHA-384: r and s little-endian, zero-extended to 72 bytes each).
// Strict on size (exactly 1184 bytes) and on the version (2, 3 or 5); lax on reserved fields: their
// bytes are signed, so a change there fails the signature, but the parser does not require zeros.

import { TeeMalformedEvidenceError } from '../errors.js';

/** Size of an ATTESTATION_REPORT (Table 22). */
export const SNP_REPORT_BYTES = 0x4a0;
/** End (exclusive) of the bytes the report signature covers: 0x000–0x29F (Table 22, SIGNATURE). */
export const SNP_SIGNED_BYTES = 0x2a0;
/** The report versions this parser reads. */
export const SNP_REPORT_VERSIONS: readonly number[] = Object.freeze([2, 3, 5]);
/** CPUID family of Turin (Zen 5); its TCB_VERSION carries an FMC field. */
export const SNP_FAMILY_TURIN = 0x1a;

/** GUEST_POLICY (ABI spec, GUEST_POLICY structure), decoded. */
export interface SnpGuestPolicy {
  /** The raw 64-bit value. */
  readonly raw: bigint;
  readonly abiMinor: number;
  readonly abiMajor: number;
  /** Bit 16: SMT allowed. */
  readonly smt: boolean;
  /** Bit 18: association with a migration agent allowed. */
  readonly migrateMa: boolean;
  /** Bit 19: debugging allowed. */
  readonly debug: boolean;
  /** Bit 20: single socket only. */
  readonly singleSocket: boolean;
  /** Bit 21: CXL may be populated with devices or memory. */
  readonly cxlAllow: boolean;
  /** Bit 22: AES-256-XTS required for memory encryption. */
  readonly memAes256Xts: boolean;
  /** Bit 23: running average power limit must be disabled. */
  readonly raplDis: boolean;
  /** Bit 24: ciphertext hiding required. */
  readonly ciphertextHiding: boolean;
  /** Bit 25: guest page swap disabled. */
  readonly pageSwapDisable: boolean;
}

/** TCB_VERSION (ABI spec, TCB_VERSION structure), decoded; `fmc` is present for Turin (family 1Ah) only. */
export interface SnpTcb {
  /** The raw 64-bit value. */
  readonly raw: bigint;
  readonly bootloader: number;
  readonly tee: number;
  readonly snp: number;
  readonly microcode: number;
  readonly fmc?: number;
}

/** PLATFORM_INFO (ABI spec, Table 22 offset 40h), decoded. */
export interface SnpPlatformInfo {
  readonly raw: bigint;
  readonly smtEnabled: boolean;
  readonly tsmeEnabled: boolean;
  readonly eccEnabled: boolean;
  readonly raplDisabled: boolean;
  readonly ciphertextHidingEnabled: boolean;
  readonly aliasCheckComplete: boolean;
}

/** The key that signed a report (Table 22, SIGNING_KEY, bits 4:2 at 0x48). */
export type SnpSigningKey = 'vcek' | 'vlek' | 'none' | 'reserved';

/** The signer info word at 0x48 (Table 22), decoded. */
export interface SnpSignerInfo {
  readonly raw: number;
  /** Bit 0: AUTHOR_KEY_EN — the digest of the author key is in AUTHOR_KEY_DIGEST. */
  readonly authorKeyEn: boolean;
  /** Bit 1: MASK_CHIP_KEY — CHIP_ID is zeroed. */
  readonly maskChipKey: boolean;
  /** Bits 4:2: 0 VCEK, 1 VLEK, 7 none. */
  readonly signingKey: SnpSigningKey;
}

/** A parsed ATTESTATION_REPORT (Table 22). Byte fields are copies; `signed` is the 0x000–0x29F slice. */
export interface SnpReport {
  readonly version: number;
  readonly guest_svn: number;
  readonly policy: SnpGuestPolicy;
  readonly family_id: Uint8Array;
  readonly image_id: Uint8Array;
  readonly vmpl: number;
  readonly signature_algo: number;
  readonly current_tcb: SnpTcb;
  readonly platform_info: SnpPlatformInfo;
  readonly signer_info: SnpSignerInfo;
  readonly report_data: Uint8Array;
  readonly measurement: Uint8Array;
  readonly host_data: Uint8Array;
  readonly id_key_digest: Uint8Array;
  readonly author_key_digest: Uint8Array;
  readonly report_id: Uint8Array;
  readonly report_id_ma: Uint8Array;
  readonly reported_tcb: SnpTcb;
  /** CPUID family/model/stepping (v3+); undefined in v2 reports, where those bytes are reserved. */
  readonly cpuid?: { readonly family: number; readonly model: number; readonly stepping: number };
  readonly chip_id: Uint8Array;
  readonly committed_tcb: SnpTcb;
  readonly current_version: { readonly major: number; readonly minor: number; readonly build: number };
  readonly committed_version: { readonly major: number; readonly minor: number; readonly build: number };
  readonly launch_tcb: SnpTcb;
  /** LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR (v5+); undefined before. */
  readonly launch_mit_vector?: bigint;
  readonly current_mit_vector?: bigint;
  /** Signature r and s as big-endian 48-byte integers (P-384), and their raw little-endian 72-byte forms. */
  readonly signature: { readonly r: Uint8Array; readonly s: Uint8Array; readonly rawR: Uint8Array; readonly rawS: Uint8Array };
  /** True when the high 24 bytes of r or s are not zero: no P-384 signature has such components. */
  readonly signatureOversized: boolean;
  /** The signed bytes 0x000–0x29F. */
  readonly signed: Uint8Array;
}

function bit(v: bigint, n: number): boolean {
  return ((v >> BigInt(n)) & 1n) === 1n;
}

/** ABI spec, GUEST_POLICY structure. */
function decodePolicy(raw: bigint): SnpGuestPolicy {
  return {
    raw,
    abiMinor: Number(raw & 0xffn),
    abiMajor: Number((raw >> 8n) & 0xffn),
    smt: bit(raw, 16),
    migrateMa: bit(raw, 18),
    debug: bit(raw, 19),
    singleSocket: bit(raw, 20),
    cxlAllow: bit(raw, 21),
    memAes256Xts: bit(raw, 22),
    raplDis: bit(raw, 23),
    ciphertextHiding: bit(raw, 24),
    pageSwapDisable: bit(raw, 25),
  };
}

/**
 * Decodes a TCB_VERSION (ABI spec, TCB_VERSION structure). Milan/Genoa: byte 0 BOOT_LOADER, 1 TEE, 6 SNP, 7 MICROCODE.
 * Turin (family 1Ah): byte 0 FMC, 1 BOOT_LOADER, 2 TEE, 3 SNP, 7 MICROCODE.
 * @example decodeSnpTcb(0xd315000000000302n, false) // { bootloader: 2, tee: 3, snp: 21, microcode: 211 }
 */
export function decodeSnpTcb(raw: bigint, turin: boolean): SnpTcb {
  const byte = (i: number): number => Number((raw >> BigInt(8 * i)) & 0xffn);
  if (turin) return { raw, fmc: byte(0), bootloader: byte(1), tee: byte(2), snp: byte(3), microcode: byte(7) };
  return { raw, bootloader: byte(0), tee: byte(1), snp: byte(6), microcode: byte(7) };
}

/** ABI spec, PLATFORM_INFO field. */
function decodePlatformInfo(raw: bigint): SnpPlatformInfo {
  return {
    raw,
    smtEnabled: bit(raw, 0),
    tsmeEnabled: bit(raw, 1),
    eccEnabled: bit(raw, 2),
    raplDisabled: bit(raw, 3),
    ciphertextHidingEnabled: bit(raw, 4),
    aliasCheckComplete: bit(raw, 5),
  };
}

const SIGNING_KEYS: Record<number, SnpSigningKey> = { 0: 'vcek', 1: 'vlek', 7: 'none' };

function decodeSignerInfo(raw: number): SnpSignerInfo {
  return { raw, authorKeyEn: (raw & 1) === 1, maskChipKey: (raw & 2) === 2, signingKey: SIGNING_KEYS[(raw >>> 2) & 7] ?? 'reserved' };
}

/** A 72-byte little-endian component → 48-byte big-endian (P-384), and whether its high bytes are set. */
function componentBE(le: Uint8Array): { be: Uint8Array; oversized: boolean } {
  const be = new Uint8Array(48);
  for (let i = 0; i < 48; i++) be[i] = le[47 - i]!;
  let high = 0;
  for (let i = 48; i < 72; i++) high |= le[i]!;
  return { be, oversized: high !== 0 };
}

/**
 * Parses an AMD SEV-SNP ATTESTATION_REPORT (Table 22) of version 2, 3 or 5. Does not verify
 * anything: see `verifySnpReport`.
 * @throws TypeError when `bytes` is not a Uint8Array; TeeMalformedEvidenceError
 *   (`ERR_TEE_MALFORMED_EVIDENCE`) when it is not 1184 bytes or its version is not 2, 3 or 5.
 * @example
 * const report = parseSnpReport(bytes);
 * report.policy.debug; // false on a production guest
 */
export function parseSnpReport(bytes: Uint8Array): SnpReport {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length !== SNP_REPORT_BYTES) {
    throw new TeeMalformedEvidenceError(`SNP report expected ${SNP_REPORT_BYTES} bytes, got ${bytes.length}`, { details: { length: bytes.length } });
  }
  const b = bytes.slice();
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number): bigint => dv.getBigUint64(o, true);
  const at = (o: number, n: number): Uint8Array => b.slice(o, o + n);
  const version = u32(0x00);
  if (!SNP_REPORT_VERSIONS.includes(version)) {
    throw new TeeMalformedEvidenceError(`SNP report version ${version} is not supported (expected 2, 3 or 5)`, { details: { version } });
  }
  // CPUID_FAM_ID/MOD_ID/STEP at 0x188–0x18A exist from version 3; in v2 they are reserved, and
  // v2 reports come only from Milan and Genoa firmware, whose TCB layout is the older one.
  const cpuid = version >= 3 ? { family: b[0x188]!, model: b[0x189]!, stepping: b[0x18a]! } : undefined;
  const turin = cpuid?.family === SNP_FAMILY_TURIN;
  const tcb = (o: number): SnpTcb => decodeSnpTcb(u64(o), turin);
  const r = componentBE(at(0x2a0, 72));
  const s = componentBE(at(0x2e8, 72));
  return {
    version,
    guest_svn: u32(0x04),
    policy: decodePolicy(u64(0x08)),
    family_id: at(0x10, 16),
    image_id: at(0x20, 16),
    vmpl: u32(0x30),
    signature_algo: u32(0x34),
    current_tcb: tcb(0x38),
    platform_info: decodePlatformInfo(u64(0x40)),
    signer_info: decodeSignerInfo(u32(0x48)),
    report_data: at(0x50, 64),
    measurement: at(0x90, 48),
    host_data: at(0xc0, 32),
    id_key_digest: at(0xe0, 48),
    author_key_digest: at(0x110, 48),
    report_id: at(0x140, 32),
    report_id_ma: at(0x160, 32),
    reported_tcb: tcb(0x180),
    ...(cpuid === undefined ? {} : { cpuid }),
    chip_id: at(0x1a0, 64),
    committed_tcb: tcb(0x1e0),
    current_version: { build: b[0x1e8]!, minor: b[0x1e9]!, major: b[0x1ea]! },
    committed_version: { build: b[0x1ec]!, minor: b[0x1ed]!, major: b[0x1ee]! },
    launch_tcb: tcb(0x1f0),
    ...(version >= 5 ? { launch_mit_vector: u64(0x1f8), current_mit_vector: u64(0x200) } : {}),
    signature: { r: r.be, s: s.be, rawR: at(0x2a0, 72), rawS: at(0x2e8, 72) },
    signatureOversized: r.oversized || s.oversized,
    signed: at(0, SNP_SIGNED_BYTES),
  };
}
