// End to end without hardware: an Attester (ML-DSA identity) binds a report to evidence from the
// FAKE SEV-SNP and TDX devices of quorumkit/tee/testing (attestBound → the in-process evidence
// sources), and verifyBoundReport accepts it with the TEST roots given explicitly. Another report's
// evidence fails the binding alone; without the explicit test root the evidence fails (the chain);
// a changed byte of the evidence fails the evidence.
import { beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';
import { attestBound, Attester, bindingDigest, createClaim, createReport, memoryRegion, snapshotOf, verifyBoundReport, type AttestationReport } from '../../src/attestation/index.js';
import { parseSnpReport, parseTdxQuote } from '../../src/tee/index.js';
import { createTestSnpPki, createTestTdxPki, FakeSnpSigner, FakeTdxQuoter, fakeSnpEvidenceSource, fakeTdxEvidenceSource, type TestSnpPki, type TestTdxPki } from '../../src/tee/testing/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const later = new Date(now.getTime() + 1000);
let attester: Attester;
let reportA: AttestationReport;
let reportB: AttestationReport;
let snp: TestSnpPki;
let tdx: TestTdxPki;

function reportWith(nonce: string): AttestationReport {
  const region = memoryRegion({ region_id: 'weights', address: 0x1000, size: 8 });
  return createReport([createClaim({ region, snapshot: snapshotOf('weights', new Uint8Array(8).fill(7), now), nonce })], { now, ttlSeconds: 300 });
}

beforeAll(async () => {
  attester = new Attester(await Identity.create('attester', { level: 44 }));
  reportA = reportWith('ab'.repeat(16));
  reportB = reportWith('cd'.repeat(16));
  [snp, tdx] = await Promise.all([createTestSnpPki({ product: 'Genoa', rsaBits: 2048, vlek: true }), createTestTdxPki()]);
});

describe('bound reports over the fake SEV-SNP device', () => {
  it('attestBound → verifyBoundReport with snpRoots: valid; the report carries the binding digest in REPORT_DATA', async () => {
    const bound = await attestBound(attester, reportA, fakeSnpEvidenceSource(new FakeSnpSigner(snp)));
    expect(bound.evidence.kind).toBe('sev-snp');
    if (bound.evidence.kind !== 'sev-snp') throw new Error('unreachable');
    expect(parseSnpReport(bound.evidence.report).report_data).toEqual(bindingDigest(reportA));
    const v = await verifyBoundReport(bound.report, bound.evidence, { now: later, snpRoots: [snp.root] });
    expect(v.reasons).toEqual([]);
    expect(v).toMatchObject({ valid: true, bound: true, evidence: { valid: true } });
    expect(v.report.valid).toBe(true);
  });

  it('the VLEK-signed path at VMPL 1 is valid too', async () => {
    const bound = await attestBound(attester, reportA, fakeSnpEvidenceSource(new FakeSnpSigner(snp, { signingKey: 'vlek' }), 1));
    const v = await verifyBoundReport(bound.report, bound.evidence, { now: later, snpRoots: [snp.root] });
    expect(v.reasons).toEqual([]);
    expect(v.valid).toBe(true);
  });

  it("another report's evidence: report and evidence verify, the binding fails", async () => {
    const source = fakeSnpEvidenceSource(new FakeSnpSigner(snp));
    const a = await attestBound(attester, reportA, source);
    const b = await attestBound(attester, reportB, source);
    const v = await verifyBoundReport(a.report, b.evidence, { now: later, snpRoots: [snp.root] });
    expect(v).toMatchObject({ valid: false, bound: false, evidence: { valid: true } });
    expect(v.reasons).toEqual(["binding: the evidence's user data is not SHA3-512 of this report's canonical body"]);
  });

  it('without the explicit test root the evidence is invalid (chain to AMD roots); a changed report byte too', async () => {
    const bound = await attestBound(attester, reportA, fakeSnpEvidenceSource(new FakeSnpSigner(snp)));
    const v = await verifyBoundReport(bound.report, bound.evidence, { now: later });
    expect(v).toMatchObject({ valid: false, bound: true, evidence: { valid: false } });
    expect(v.reasons.some((r) => r.startsWith('ASK/ASVK signed by a trusted ARK:'))).toBe(true);
    if (bound.evidence.kind !== 'sev-snp') throw new Error('unreachable');
    const changed = bound.evidence.report.slice();
    changed[0x90]! ^= 1; // MEASUREMENT
    const w = await verifyBoundReport(bound.report, { ...bound.evidence, report: changed }, { now: later, snpRoots: [snp.root] });
    expect(w.valid).toBe(false);
    expect(w.reasons).toContain('report signature: signature verification failed');
  });

  it('fakeSnpEvidenceSource refuses a VMPL outside 0–3', () => {
    expect(() => fakeSnpEvidenceSource(new FakeSnpSigner(snp), 4)).toThrow(RangeError);
  });
});

describe('bound reports over the fake TDX device', () => {
  it('attestBound → verifyBoundReport with tdxRoot: valid (v4 and v5 quotes)', async () => {
    for (const version of [4, 5] as const) {
      const bound = await attestBound(attester, reportA, fakeTdxEvidenceSource(await FakeTdxQuoter.create(tdx, { version })));
      if (bound.evidence.kind !== 'tdx') throw new Error('unreachable');
      expect(parseTdxQuote(bound.evidence.quote).body.reportData).toEqual(bindingDigest(reportA));
      const v = await verifyBoundReport(bound.report, bound.evidence, { now: later, tdxRoot: tdx.rootPem });
      expect(v.reasons).toEqual([]);
      expect(v).toMatchObject({ valid: true, bound: true });
    }
  });

  it("another report's evidence fails the binding; without the explicit root the evidence fails", async () => {
    const source = fakeTdxEvidenceSource(await FakeTdxQuoter.create(tdx));
    const a = await attestBound(attester, reportA, source);
    const b = await attestBound(attester, reportB, source);
    const swapped = await verifyBoundReport(a.report, b.evidence, { now: later, tdxRoot: tdx.rootPem });
    expect(swapped).toMatchObject({ valid: false, bound: false, evidence: { valid: true } });
    const untrusted = await verifyBoundReport(a.report, a.evidence, { now: later });
    expect(untrusted).toMatchObject({ valid: false, bound: true, evidence: { valid: false } });
    expect(untrusted.reasons[0]).toMatch(/^pck-chain: /);
    // the SNP test root does not stand in for the TDX one, nor the other way round
    const crossed = await verifyBoundReport(a.report, a.evidence, { now: later, snpRoots: [snp.root] });
    expect(crossed.evidence.valid).toBe(false);
  });
});
