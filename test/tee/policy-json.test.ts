// TEE policy files (src/tee/policy-json.ts): both parts parse into the verifiers' policies and take
// effect on genuine samples (a measurement allow-list, a minimum TCB, REPORTDATA, debug); every
// malformed field or unknown key is ERR_TEE_POLICY_INVALID.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { parseSnpPolicyJson, parseTdxPolicyJson, parseSnpReport, parseTdxQuote, parseTeePolicy, TeePolicyInvalidError, verifySnpReport, verifyTdxQuote, detectEvidenceKind, TeeMalformedEvidenceError } from '../../src/tee/index.js';
import { describeVectors } from '../_vectors.js';
import { readVectorBytes } from './_tee-vectors.js';

describe('parseTeePolicy', () => {
  it('parses both parts', () => {
    const p = parseTeePolicy({
      'sev-snp': { allow_debug: true, measurements: ['ab'.repeat(48)], minimum_tcb: { bootloader: 1, microcode: 200 }, report_data: 'AB'.repeat(64), allowed_signers: ['vcek'] },
      tdx: { allow_debug: false, mr_td: ['cd'.repeat(48)], rtmrs: [null, 'ef'.repeat(48)], report_data: '00'.repeat(64), accepted_tcb_statuses: ['UpToDate', 'OutOfDate'] },
    });
    expect(p.snp).toMatchObject({ allowDebug: true, minimumTcb: { bootloader: 1, microcode: 200 }, allowedSigners: ['vcek'] });
    expect(toHex(p.snp!.reportData!)).toBe('ab'.repeat(64));
    expect(p.snp!.measurements![0]).toHaveLength(48);
    expect(p.tdx!.rtmrs![0]).toBeUndefined();
    expect(p.tdx!.rtmrs![1]).toHaveLength(48);
    expect(p.tdx!.acceptedTcbStatuses).toEqual(['UpToDate', 'OutOfDate']);
    expect(parseTeePolicy({})).toEqual({});
  });

  it('parses one part alone, naming fields under the given prefix', () => {
    expect(parseSnpPolicyJson({ allow_debug: true, allowed_signers: ['vlek'] })).toEqual({ allowDebug: true, allowedSigners: ['vlek'] });
    expect(parseTdxPolicyJson({ accepted_tcb_statuses: ['Revoked'] })).toEqual({ acceptedTcbStatuses: ['Revoked'] });
    expect(() => parseSnpPolicyJson({ report_data: 'ab' }, 'snp')).toThrow('"snp.report_data" expected 128 hex digits');
    expect(() => parseTdxPolicyJson(null)).toThrow(TeePolicyInvalidError);
  });

  it.each([
    [[], /expected an object/],
    [{ sgx: {} }, /unknown field "sgx"/],
    [{ 'sev-snp': { debug: true } }, /unknown field "debug"/],
    [{ 'sev-snp': { allow_debug: 'yes' } }, /allow_debug" expected true or false/],
    [{ 'sev-snp': { measurements: ['ab'] } }, /measurements\[0\]" expected 96 hex digits/],
    [{ 'sev-snp': { measurements: 'ab' } }, /expected an array/],
    [{ 'sev-snp': { measurements: Array(257).fill('ab'.repeat(48)) } }, /at most 256/],
    [{ 'sev-snp': { minimum_tcb: { snp: 256 } } }, /minimum_tcb.snp" expected an integer in \[0, 255\]/],
    [{ 'sev-snp': { minimum_tcb: { spl: 1 } } }, /unknown field "spl"/],
    [{ 'sev-snp': { allowed_signers: ['ark'] } }, /"vcek" or "vlek"/],
    [{ 'sev-snp': { report_data: 'zz'.repeat(64) } }, /128 hex digits/],
    [{ tdx: { rtmrs: [null, null, null, null, null] } }, /at most 4/],
    [{ tdx: { accepted_tcb_statuses: ['Fine'] } }, /accepted_tcb_statuses\[0\]" expected one of/],
    [{ tdx: { mr_td: [1] } }, /mr_td\[0\]/],
  ])('refuses %j', (value, message) => {
    expect(() => parseTeePolicy(value)).toThrow(TeePolicyInvalidError);
    expect(() => parseTeePolicy(value)).toThrow(message);
  });
});

describeVectors('policy files take effect', () => {
  it('SEV-SNP: the measurement allow-list, the minimum TCB and report_data', async () => {
    const bytes = readVectorBytes('tee/teekit/sev-gcp.bin');
    const r = parseSnpReport(bytes);
    const base = { vcek: readVectorBytes('tee/teekit/sev-gcp-vcek.pem'), now: new Date('2026-06-01T00:00:00Z') };
    const ok = parseTeePolicy({ 'sev-snp': { measurements: [toHex(r.measurement)], minimum_tcb: { snp: r.reported_tcb.snp }, report_data: toHex(r.report_data) } });
    expect((await verifySnpReport(bytes, { ...base, policy: ok.snp! })).reasons).toEqual([]);
    const no = parseTeePolicy({ 'sev-snp': { measurements: ['00'.repeat(48)], minimum_tcb: { snp: 255 } } });
    expect((await verifySnpReport(bytes, { ...base, policy: no.snp! })).reasons).toEqual([expect.stringMatching(/^policy: measurement/), expect.stringMatching(/^policy: minimum TCB/)]);
  });

  it('TDX: MRTD and REPORTDATA', async () => {
    const bytes = readVectorBytes('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat');
    const q = parseTdxQuote(bytes);
    const now = new Date('2026-06-01T00:00:00Z');
    const ok = parseTeePolicy({ tdx: { mr_td: [toHex(q.body.mrTd)], report_data: toHex(q.body.reportData) } });
    expect((await verifyTdxQuote(bytes, { now, policy: ok.tdx! })).reasons).toEqual([]);
    const no = parseTeePolicy({ tdx: { report_data: '11'.repeat(64) } });
    expect((await verifyTdxQuote(bytes, { now, policy: no.tdx! })).valid).toBe(false);
  });
});

describeVectors('detectEvidenceKind', () => {
  it.each([
    ['tee/teekit/sev-gcp.bin', 'sev-snp'],
    ['tee/trustee/snp_test-vlek-report.bin', 'sev-snp'],
    ['tee/trustee/az-snp-vtpm_genoa-hcl-report.bin', 'sev-snp-hcl'],
    ['tee/trustee/az-snp-vtpm_hcl-report.bin', 'sev-snp-hcl'],
    ['tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat', 'tdx'],
    ['tee/go-tdx-guest/cos-113-tdx-quote.dat', 'tdx'],
    ['tee/go-tdx-guest/quote_v5_sample.dat', 'tdx'],
  ])('%s is %s', (file, kind) => {
    expect(detectEvidenceKind(readVectorBytes(file))).toBe(kind);
  });

  it('refuses anything else', () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array(1184), readVectorBytes('tee/go-tdx-guest/pckcrl'), readVectorBytes('tee/teekit/sev-gcp.bin').subarray(0, 1183)]) {
      expect(() => detectEvidenceKind(bytes)).toThrow(TeeMalformedEvidenceError);
    }
    expect(() => detectEvidenceKind('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
