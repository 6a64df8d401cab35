// AMD SEV-SNP ABI spec, Table 22 ATTESTATION_REPORT: the genuine reports of $QUORUMKIT_VECTORS/tee
// parse to the fields their provenance README lists; wrong sizes and versions are typed errors.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { TeeMalformedEvidenceError } from '../../../src/tee/errors.js';
import { isHclReport, unwrapHclSnpReport } from '../../../src/tee/snp/hcl.js';
import { decodeSnpTcb, parseSnpReport, SNP_REPORT_BYTES } from '../../../src/tee/snp/report.js';
import { describeVectors, readVectorBytes } from '../../_vectors.js';

describeVectors('SEV-SNP report parsing (genuine reports)', () => {
  it('reads version, signer, TCB and report_data of the go-sev-guest v2 report', () => {
    const r = parseSnpReport(readVectorBytes('tee/go-sev-guest/attestation.bin'));
    expect(r.version).toBe(2);
    expect(r.signer_info.signingKey).toBe('vcek');
    expect(r.reported_tcb).toMatchObject({ bootloader: 2, tee: 0, snp: 5, microcode: 68 });
    expect(r.reported_tcb.fmc).toBeUndefined();
    expect(toHex(r.report_data.subarray(0, 6))).toBe('010203040500');
    expect(r.cpuid).toBeUndefined();
    expect(r.signatureOversized).toBe(false);
    expect(r.signature_algo).toBe(1);
  });

  it('reads the virtee Milan report TCB 3/0/8/115', () => {
    const r = parseSnpReport(readVectorBytes('tee/virtee-sev/report_milan.bin'));
    expect(r.reported_tcb).toMatchObject({ bootloader: 3, tee: 0, snp: 8, microcode: 115 });
  });

  it('reads the v3 VLEK report: signer_info 4, CPUID 19h/01h/01h, TCB 4/0/24/217', () => {
    const r = parseSnpReport(readVectorBytes('tee/trustee/snp_test-vlek-report.bin'));
    expect(r.version).toBe(3);
    expect(r.signer_info.raw).toBe(4);
    expect(r.signer_info.signingKey).toBe('vlek');
    expect(r.cpuid).toEqual({ family: 0x19, model: 0x01, stepping: 0x01 });
    expect(r.reported_tcb).toMatchObject({ bootloader: 4, tee: 0, snp: 24, microcode: 217 });
  });

  it('reads the v3 Genoa report: CPUID 19h/11h/01h, TCB 10/0/23/84, firmware 1.55.40', () => {
    const r = parseSnpReport(readVectorBytes('tee/trustee/az-snp-vtpm_genoa-snp-report.bin'));
    expect(r.cpuid).toEqual({ family: 0x19, model: 0x11, stepping: 0x01 });
    expect(r.reported_tcb).toMatchObject({ bootloader: 10, tee: 0, snp: 23, microcode: 84 });
    expect(r.current_version).toEqual({ major: 1, minor: 55, build: 40 });
  });

  it('reads the v5 GCP report: TCB 4/0/27/222, firmware 1.55.35, mitigation vectors', () => {
    const r = parseSnpReport(readVectorBytes('tee/teekit/sev-gcp.bin'));
    expect(r.version).toBe(5);
    expect(r.reported_tcb).toMatchObject({ bootloader: 4, tee: 0, snp: 27, microcode: 222 });
    expect(r.current_version).toEqual({ major: 1, minor: 55, build: 35 });
    expect(typeof r.launch_mit_vector).toBe('bigint');
  });

  it('unwraps both Azure HCL reports to the derived report bytes', () => {
    for (const [hcl, bin] of [['az-snp-vtpm_hcl-report.bin', 'az-snp-vtpm_milan-snp-report.bin'], ['az-snp-vtpm_genoa-hcl-report.bin', 'az-snp-vtpm_genoa-snp-report.bin']] as const) {
      const bytes = readVectorBytes(`tee/trustee/${hcl}`);
      expect(isHclReport(bytes)).toBe(true);
      const u = unwrapHclSnpReport(bytes);
      expect(u.reportType).toBe(2);
      expect(toHex(u.report)).toBe(toHex(readVectorBytes(`tee/trustee/${bin}`)));
    }
  });

  it('refuses an HCL report whose report type is not SEV-SNP (the Azure TDX one)', () => {
    expect(() => unwrapHclSnpReport(readVectorBytes('tee/trustee/az-tdx-vtpm_hcl-report.bin'))).toThrow(TeeMalformedEvidenceError);
  });

  it('refuses every truncation and extension of a report with ERR_TEE_MALFORMED_EVIDENCE', () => {
    const bytes = readVectorBytes('tee/teekit/sev-gcp.bin');
    for (const n of [0, 1, 0x2a0, SNP_REPORT_BYTES - 1, SNP_REPORT_BYTES + 1, 2 * SNP_REPORT_BYTES]) {
      const b = new Uint8Array(n);
      b.set(bytes.subarray(0, Math.min(n, bytes.length)));
      expect(() => parseSnpReport(b)).toThrow(expect.objectContaining({ code: 'ERR_TEE_MALFORMED_EVIDENCE' }));
    }
  });
});

describe('SEV-SNP report parsing (synthetic)', () => {
  it('refuses versions other than 2, 3 and 5', () => {
    for (const v of [0, 1, 4, 6, 0xffffffff]) {
      const b = new Uint8Array(SNP_REPORT_BYTES);
      new DataView(b.buffer).setUint32(0, v, true);
      expect(() => parseSnpReport(b)).toThrow(TeeMalformedEvidenceError);
    }
  });

  it('refuses a non-Uint8Array with a TypeError', () => {
    expect(() => parseSnpReport('x' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('decodes the Turin TCB layout (FMC in byte 0, SNP in byte 3)', () => {
    expect(decodeSnpTcb(0x4800000003020105n, true)).toMatchObject({ fmc: 5, bootloader: 1, tee: 2, snp: 3, microcode: 0x48 });
    expect(decodeSnpTcb(0x4803000000000201n, false)).toMatchObject({ bootloader: 1, tee: 2, snp: 3, microcode: 0x48 });
  });

  it('marks a signature with high bytes set as oversized', () => {
    const b = new Uint8Array(SNP_REPORT_BYTES);
    b[0] = 2;
    b[0x2a0 + 71] = 1;
    expect(parseSnpReport(b).signatureOversized).toBe(true);
  });
});
