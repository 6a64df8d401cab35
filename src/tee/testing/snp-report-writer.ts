// Writing AMD SEV-SNP ATTESTATION_REPORTs for the TEST PKI — the inverse of src/tee/snp/report.ts:
// AMD SEV-SNP ABI specification (pub. 56860), Table 22 "ATTESTATION_REPORT Structure" (v3 layout for
// Milan/Genoa, v5 for Turin, which adds LAUNCH_MIT_VECTOR/CURRENT_MIT_VECTOR), the TCB_VERSION
// structure (Milan/Genoa and Turin layouts) and chapter "Signature Formats": ECDSA P-384 with
// SHA-384 over bytes 0x000–0x29F, r and s little-endian, zero-extended to 72 bytes each, at 0x2A0.
// Browser-safe (WebCrypto).

import { SNP_FAMILY_TURIN, SNP_REPORT_BYTES, SNP_SIGNED_BYTES } from '../snp/report.js';
import { ecdsaSign } from './_x509.js';
import type { TestSnpTcb } from './snp-pki.js';

/** Every field of a report the writer sets; byte fields must have their Table 22 sizes. */
export interface SnpReportFields {
  /** 3 (Milan/Genoa) or 5 (Turin); 2 is written too (no CPUID bytes). */
  readonly version: 2 | 3 | 5;
  readonly guestSvn: number;
  /** GUEST_POLICY (bit 17 reserved-must-be-one; bit 19 DEBUG). */
  readonly policy: bigint;
  readonly familyId: Uint8Array;
  readonly imageId: Uint8Array;
  readonly vmpl: number;
  readonly currentTcb: TestSnpTcb;
  readonly platformInfo: bigint;
  /** SIGNING_KEY, bits 4:2 at 0x48: 0 VCEK, 1 VLEK. */
  readonly signingKey: 0 | 1;
  readonly reportData: Uint8Array;
  readonly measurement: Uint8Array;
  readonly hostData: Uint8Array;
  readonly idKeyDigest: Uint8Array;
  readonly authorKeyDigest: Uint8Array;
  readonly reportId: Uint8Array;
  readonly reportIdMa: Uint8Array;
  readonly reportedTcb: TestSnpTcb;
  /** CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP (v3+). */
  readonly cpuid: { readonly family: number; readonly model: number; readonly stepping: number };
  readonly chipId: Uint8Array;
  readonly committedTcb: TestSnpTcb;
  readonly currentVersion: { readonly major: number; readonly minor: number; readonly build: number };
  readonly launchTcb: TestSnpTcb;
  /** v5 only. */
  readonly launchMitVector?: bigint;
  readonly currentMitVector?: bigint;
}

/** CPUID family/model/stepping of each test product (AMD PPRs: Milan 19h/01h, Genoa 19h/11h, Turin 1Ah/02h). */
export const SNP_TEST_CPUID = Object.freeze({
  Milan: Object.freeze({ family: 0x19, model: 0x01, stepping: 0x01 }),
  Genoa: Object.freeze({ family: 0x19, model: 0x11, stepping: 0x01 }),
  Turin: Object.freeze({ family: SNP_FAMILY_TURIN, model: 0x02, stepping: 0x00 }),
});

/**
 * Encodes a TCB_VERSION (ABI spec, TCB_VERSION structure): Milan/Genoa byte 0 BOOT_LOADER, 1 TEE,
 * 6 SNP, 7 MICROCODE; Turin byte 0 FMC, 1 BOOT_LOADER, 2 TEE, 3 SNP, 7 MICROCODE.
 * @example encodeSnpTcb({ bootloader: 2, tee: 3, snp: 21, microcode: 211 }, false) // 0xd315000000000302n
 */
export function encodeSnpTcb(t: TestSnpTcb, turin: boolean): bigint {
  const bytes = turin ? [t.fmc ?? 0, t.bootloader, t.tee, t.snp, 0, 0, 0, t.microcode] : [t.bootloader, t.tee, 0, 0, 0, 0, t.snp, t.microcode];
  return bytes.reduce((acc, b, i) => acc | (BigInt(b & 0xff) << BigInt(8 * i)), 0n);
}

const SIZES = { familyId: 16, imageId: 16, reportData: 64, measurement: 48, hostData: 32, idKeyDigest: 48, authorKeyDigest: 48, reportId: 32, reportIdMa: 32, chipId: 64 } as const;

/**
 * Writes an unsigned 1184-byte report (signature bytes zero). Use {@link signSnpReport} to sign it.
 * @throws RangeError when a byte field does not have its Table 22 size.
 */
export function writeSnpReport(f: SnpReportFields): Uint8Array {
  for (const [k, n] of Object.entries(SIZES)) {
    const v = f[k as keyof typeof SIZES];
    if (!(v instanceof Uint8Array) || v.length !== n) throw new RangeError(`"${k}" expected ${n} bytes`);
  }
  const b = new Uint8Array(SNP_REPORT_BYTES);
  const dv = new DataView(b.buffer);
  const turin = f.version >= 3 && f.cpuid.family === SNP_FAMILY_TURIN;
  const tcb = (o: number, t: TestSnpTcb): void => dv.setBigUint64(o, encodeSnpTcb(t, turin), true);
  dv.setUint32(0x00, f.version, true);
  dv.setUint32(0x04, f.guestSvn, true);
  dv.setBigUint64(0x08, f.policy, true);
  b.set(f.familyId, 0x10);
  b.set(f.imageId, 0x20);
  dv.setUint32(0x30, f.vmpl, true);
  dv.setUint32(0x34, 1, true); // SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384
  tcb(0x38, f.currentTcb);
  dv.setBigUint64(0x40, f.platformInfo, true);
  dv.setUint32(0x48, f.signingKey << 2, true);
  b.set(f.reportData, 0x50);
  b.set(f.measurement, 0x90);
  b.set(f.hostData, 0xc0);
  b.set(f.idKeyDigest, 0xe0);
  b.set(f.authorKeyDigest, 0x110);
  b.set(f.reportId, 0x140);
  b.set(f.reportIdMa, 0x160);
  tcb(0x180, f.reportedTcb);
  if (f.version >= 3) b.set([f.cpuid.family, f.cpuid.model, f.cpuid.stepping], 0x188);
  b.set(f.chipId, 0x1a0);
  tcb(0x1e0, f.committedTcb);
  b.set([f.currentVersion.build, f.currentVersion.minor, f.currentVersion.major], 0x1e8);
  b.set([f.currentVersion.build, f.currentVersion.minor, f.currentVersion.major], 0x1ec); // COMMITTED_*
  tcb(0x1f0, f.launchTcb);
  if (f.version >= 5) {
    dv.setBigUint64(0x1f8, f.launchMitVector ?? 0n, true);
    dv.setBigUint64(0x200, f.currentMitVector ?? 0n, true);
  }
  return b;
}

/**
 * Signs a report in place and returns it: ECDSA P-384/SHA-384 over 0x000–0x29F, r and s written
 * little-endian into 72-byte fields at 0x2A0 and 0x2E8 ("Signature Formats").
 * @throws RangeError when `report` is not 1184 bytes.
 */
export async function signSnpReport(report: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  if (!(report instanceof Uint8Array) || report.length !== SNP_REPORT_BYTES) throw new RangeError(`"report" expected ${SNP_REPORT_BYTES} bytes`);
  const rs = await ecdsaSign(key, 'SHA-384', report.subarray(0, SNP_SIGNED_BYTES));
  report.fill(0, SNP_SIGNED_BYTES);
  for (let i = 0; i < 48; i++) {
    report[0x2a0 + i] = rs[47 - i]!;
    report[0x2e8 + i] = rs[95 - i]!;
  }
  return report;
}
