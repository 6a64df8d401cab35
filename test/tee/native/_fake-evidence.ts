// Structurally valid, unsigned guest evidence for the fake device's handlers: an SEV-SNP
// ATTESTATION_REPORT (AMD SEV-SNP ABI spec Table 22: VERSION @0x00, POLICY @0x08 with its
// must-be-one bit 17, VMPL @0x30, SIGNATURE_ALGO @0x34 = 1 ECDSA P-384, REPORT_DATA @0x50,
// CPUID_FAM_ID @0x188 from v3) that parseSnpReport reads, and a TDREPORT_STRUCT (1024 bytes,
// REPORTMACSTRUCT.REPORTDATA @128; Intel TDX Module ABI, TDG.MR.REPORT). The signer with a test PKI
// lives elsewhere; these only carry the request's bytes back.

/** A 1184-byte SNP report (version 2 or 3) carrying `reportData` at `vmpl`. */
export function fakeSnpReport(reportData: Uint8Array, vmpl: number, version: 2 | 3 = 3): Uint8Array {
  const out = new Uint8Array(0x4a0);
  const dv = new DataView(out.buffer);
  dv.setUint32(0x00, version, true);
  dv.setBigUint64(0x08, (1n << 17n) | (1n << 16n), true);
  dv.setUint32(0x30, vmpl, true);
  dv.setUint32(0x34, 1, true);
  out.set(reportData, 0x50);
  out.fill(0xab, 0x90, 0xc0); // MEASUREMENT
  if (version >= 3) out[0x188] = 0x19; // Milan/Genoa family
  return out;
}

/** A 1024-byte TDREPORT carrying `reportData` at offset 128. */
export function fakeTdReport(reportData: Uint8Array): Uint8Array {
  const out = new Uint8Array(1024);
  out[0] = 0x81; // REPORTTYPE.TYPE: TDX
  out.set(reportData, 128);
  return out;
}
