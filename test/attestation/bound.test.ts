// verifyBoundReport puts the three checks together: the ML-DSA report, the TEE evidence and the
// binding. With genuine SEV-SNP and TDX evidence (which cannot carry our REPORT_DATA) the report and
// the evidence each verify and the binding alone fails; broken evidence is an invalid result with
// its reason, never a throw. (The passing path needs evidence that embeds the digest: the fake
// devices signing with a test PKI, in bound-fake.test.ts.)
import { beforeAll, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';
import { Attester, createClaim, createReport, memoryRegion, snapshotOf, verifyBoundReport, type AttestationReport } from '../../src/attestation/index.js';
import { readVectorBytes } from '../tee/_tee-vectors.js';
import { describeVectors } from '../_vectors.js';

const now = new Date('2026-06-01T00:00:00Z');
let report: AttestationReport;
beforeAll(async () => {
  const region = memoryRegion({ region_id: 'w', address: 0, size: 4 });
  report = await new Attester(await Identity.create('a', { level: 44 })).sign(createReport([createClaim({ region, snapshot: snapshotOf('w', new Uint8Array(4), now), nonce: 'ab'.repeat(16) })], { now, ttlSeconds: 300 }));
});

describeVectors('verifyBoundReport against genuine evidence', () => {
  it('SEV-SNP: report and evidence verify, the binding does not — not valid', async () => {
    const v = await verifyBoundReport(report, { kind: 'sev-snp', report: readVectorBytes('tee/teekit/sev-gcp.bin'), vcek: readVectorBytes('tee/teekit/sev-gcp-vcek.pem'), chain: readVectorBytes('tee/go-sev-guest/ask_ark_milan.pem') }, { now: new Date(now.getTime() + 1000) });
    expect(v.report.valid).toBe(true);
    expect(v.evidence).toEqual({ valid: true, reasons: [] });
    expect(v.bound).toBe(false);
    expect(v.valid).toBe(false);
    expect(v.reasons).toEqual(["binding: the evidence's user data is not SHA3-512 of this report's canonical body"]);
  });

  it('TDX: the same with a genuine quote', async () => {
    const v = await verifyBoundReport(report, { kind: 'tdx', quote: readVectorBytes('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat') }, { now: new Date(now.getTime() + 1000) });
    expect(v.report.valid).toBe(true);
    expect(v.evidence.valid).toBe(true);
    expect(v).toMatchObject({ valid: false, bound: false });
  });

  it('broken evidence and an expired report are reasons, not throws', async () => {
    const flipped = readVectorBytes('tee/teekit/sev-gcp.bin');
    flipped[0x60]! ^= 1;
    const v = await verifyBoundReport(report, { kind: 'sev-snp', report: flipped, vcek: readVectorBytes('tee/teekit/sev-gcp-vcek.pem') }, { now: new Date(now.getTime() + 10 * 60_000) });
    expect(v.valid).toBe(false);
    expect(v.reasons[0]).toBe('report: report expired');
    expect(v.evidence.valid).toBe(false);
    const garbage = await verifyBoundReport(report, { kind: 'tdx', quote: new Uint8Array(10) }, { now });
    expect(garbage).toMatchObject({ valid: false, bound: false, evidence: { valid: false } });
    expect(garbage.evidence.reasons.length).toBeGreaterThan(0);
  });
});
