// The JSON form of TEE evidence: evidenceToJson → canonical text → parseStrict → parseEvidence gives
// evidence that verifies exactly as the original (genuine SEV-SNP and TDX samples); DER leaves
// become PEM text; every malformed field, unknown key and oversized value is ERR_INVALID_EVIDENCE.
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/canonical-json.js';
import { base64Encode } from '../../src/core/bytes.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { evidenceToJson, InvalidEvidenceError, MAX_EVIDENCE_BYTES, parseEvidence, verifyEvidence, type TeeEvidence } from '../../src/attestation/index.js';
import { describeVectors } from '../_vectors.js';
import { readVectorBytes } from '../tee/_tee-vectors.js';

const roundTrip = (e: TeeEvidence): TeeEvidence => parseEvidence(parseStrict(canonicalize(evidenceToJson(e))));

describeVectors('evidence JSON round trip', () => {
  it('SEV-SNP with a DER VCEK and a PEM chain: same verdict, the leaf as PEM text', async () => {
    const e: TeeEvidence = { kind: 'sev-snp', report: readVectorBytes('tee/virtee-sev/report_milan.bin'), vcek: readVectorBytes('tee/virtee-sev/vcek_milan.der'), chain: readVectorBytes('tee/go-sev-guest/ask_ark_milan.pem') };
    const back = roundTrip(e);
    expect(back.kind).toBe('sev-snp');
    if (back.kind !== 'sev-snp') return;
    expect(back.report).toEqual(e.report);
    expect(back.vcek).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const now = new Date('2026-06-01T00:00:00Z');
    const [a, b] = [await verifyEvidence(e, { now }), await verifyEvidence(back, { now })];
    expect(a.valid).toBe(true);
    expect(b.checks).toEqual(a.checks);
  });

  it('SEV-SNP with a VLEK, and TDX with CRL collateral', async () => {
    const vlek = roundTrip({ kind: 'sev-snp', report: readVectorBytes('tee/trustee/snp_test-vlek-report.bin'), vlek: readVectorBytes('tee/trustee/snp_test-vlek.der') });
    expect(await verifyEvidence(vlek, { now: new Date('2025-06-01T00:00:00Z') })).toMatchObject({ valid: true, kind: 'sev-snp' });
    const tdx: TeeEvidence = { kind: 'tdx', quote: readVectorBytes('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat'), collateral: { pckCrl: readVectorBytes('tee/go-tdx-guest/pckcrl'), rootCrl: readVectorBytes('tee/go-tdx-guest/rootcrl.der') } };
    const back = roundTrip(tdx);
    expect(back).toEqual(tdx);
    const v = await verifyEvidence(back, { now: new Date('2023-06-20T00:00:00Z') });
    expect(v.reasons).toEqual([]);
    expect(v.checks.map((c) => c.name)).toContain('pck-crl');
  });

  it('collateral text fields survive unchanged', () => {
    const e: TeeEvidence = { kind: 'tdx', quote: new Uint8Array([1, 2, 3]), collateral: { tcbInfo: '{"tcbInfo":{}}', qeIdentity: '{"x":1}' } };
    expect(roundTrip(e)).toEqual(e);
    expect(evidenceToJson(e)).toEqual({ kind: 'tdx', quote: 'AQID', collateral: { tcb_info: '{"tcbInfo":{}}', qe_identity: '{"x":1}' } });
  });
});

describe('unknown kinds', () => {
  it('evidenceToJson and verifyEvidence refuse a kind they do not know (TypeError)', async () => {
    const odd = { kind: 'sgx', quote: new Uint8Array(1) } as unknown as TeeEvidence;
    expect(() => evidenceToJson(odd)).toThrow(TypeError);
    await expect(verifyEvidence(odd, { now: new Date() })).rejects.toThrow(TypeError);
  });
});

describe('parseEvidence refuses', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n';
  const snp = { kind: 'sev-snp', report: 'AAAA', vcek: pem };
  it.each([
    ['not an object', [], /expected an object/],
    ['an unknown kind', { kind: 'sgx', quote: 'AA==' }, /"kind" expected/],
    ['an unknown field', { ...snp, extra: 1 }, /unknown field "extra"/],
    ['a TDX field on SNP evidence', { ...snp, quote: 'AA==' }, /unknown field "quote"/],
    ['both leaves', { ...snp, vlek: pem }, /exactly one of "vcek" and "vlek"/],
    ['no leaf', { kind: 'sev-snp', report: 'AAAA' }, /exactly one of/],
    ['unpadded base64', { ...snp, report: 'AAA' }, /padded standard base64/],
    ['base64url', { kind: 'tdx', quote: 'A-_A' }, /padded standard base64/],
    ['an empty report', { ...snp, report: '' }, /non-empty string/],
    ['an oversized quote', { kind: 'tdx', quote: base64Encode(new Uint8Array(MAX_EVIDENCE_BYTES + 3)) }, /at most/],
    ['a leaf that is not PEM', { ...snp, vcek: 'hello' }, /"vcek" expected PEM certificates/],
    ['text around the PEM', { ...snp, chain: `junk${pem}` }, /"chain" expected PEM/],
    ['a number for a certificate', { ...snp, vcek: 5 }, /"vcek" expected a non-empty string/],
    ['unknown collateral', { kind: 'tdx', quote: 'AA==', collateral: { crl: 'AA==' } }, /unknown field "crl"/],
    ['collateral that is not an object', { kind: 'tdx', quote: 'AA==', collateral: 'x' }, /"collateral" expected an object/],
    ['a bad CRL', { kind: 'tdx', quote: 'AA==', collateral: { pck_crl: '!!' } }, /collateral.pck_crl/],
  ])('%s', (_what, value, message) => {
    expect(() => parseEvidence(value)).toThrow(InvalidEvidenceError);
    expect(() => parseEvidence(value)).toThrow(message);
  });
});
