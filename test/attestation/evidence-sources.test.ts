// The Node EvidenceSources over configfs-tsm (a fake kernel tree, test/tee/_fake-tsm.ts): SEV-SNP
// evidence from the genuine report and its certificate table (auxblob) verifies against AMD's
// roots; TDX evidence is the genuine quote; another provider than the platform's, or evidence for
// other report data, is a BackendError; bad options and report data are InvalidArgumentError; and the
// TDX path end to end, quotes from the TEST PKI quoter bound to an ML-DSA report. The
// ioctl source (snpIoctlEvidenceSource) runs against the fake device in test/tee/native/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snpIoctlEvidenceSource, tsmEvidenceSource } from '../../src/attestation/node/index.js';
import { buildCertTable } from '../../src/tee/cert-table.js';
import { parseSnpReport, verifySnpReport } from '../../src/tee/snp/index.js';
import { decodePemCertificates, parseTdxQuote } from '../../src/tee/tdx/index.js';
import { attestBound, Attester, bindingDigest, createClaim, createReport, memoryRegion, snapshotOf, verifyBoundReport } from '../../src/attestation/index.js';
import { toHex } from '../../src/core/bytes.js';
import { Identity } from '../../src/pq/identity.js';
import { createTestTdxPki, FakeTdxQuoter } from '../../src/tee/testing/index.js';
import { fakeTsm } from '../tee/_fake-tsm.js';
import { readVectorBytes } from '../tee/_tee-vectors.js';
import { describeVectors } from '../_vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-tsm-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describeVectors('tsmEvidenceSource', () => {
  const snp = readVectorBytes('tee/go-sev-guest/attestation.bin');
  const vcek = readVectorBytes('tee/go-sev-guest/vcek.testcer');
  const [ask, ark] = decodePemCertificates(new TextDecoder().decode(readVectorBytes('tee/go-sev-guest/ask_ark_milan.pem')), 'chain');
  const quote = readVectorBytes('tee/go-tdx-guest/tdx_prod_quote_SPR_E4.dat');

  it('SEV-SNP: the report and the auxblob certificate table become evidence that verifies', async () => {
    const root = join(dir, 'snp');
    const fs = fakeTsm(root, 'sev_guest', () => ({ outblob: snp, auxblob: buildCertTable([{ guid: 'vcek', bytes: vcek }, { guid: 'ask', bytes: ask! }, { guid: 'ark', bytes: ark! }]) }));
    const source = tsmEvidenceSource({ platform: 'amd-sev-snp', root, fs, privlevel: 0 });
    expect(source.platform).toBe('amd-sev-snp');
    const reportData = parseSnpReport(snp).report_data;
    const ev = await source.evidence(reportData);
    if (ev.kind !== 'sev-snp') throw new Error('expected SNP evidence');
    expect(ev.vcek).toEqual(vcek);
    expect(ev.chain).toMatch(/^(-----BEGIN CERTIFICATE-----\n[^-]+-----END CERTIFICATE-----\n){2}$/);
    const v = await verifySnpReport(ev.report, { vcek: ev.vcek!, chain: ev.chain!, now: new Date('2026-06-01T00:00:00Z'), policy: { allowDebug: true, reportData } });
    expect(v.reasons).toEqual([]);
    expect(v.valid).toBe(true);
    await expect(source.evidence(new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_ATTESTATION_BACKEND', message: expect.stringMatching(/other REPORT_DATA/) });
    expect(fs.live()).toEqual([]);
  });

  it('TDX: the quote is the evidence', async () => {
    const root = join(dir, 'tdx');
    const fs = fakeTsm(root, 'tdx_guest', () => ({ outblob: quote }));
    const source = tsmEvidenceSource({ platform: 'intel-tdx', root, fs });
    const reportData = parseTdxQuote(quote).body.reportData;
    expect(await source.evidence(reportData)).toEqual({ kind: 'tdx', quote });
    await expect(source.evidence(new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_ATTESTATION_BACKEND', message: expect.stringMatching(/other REPORTDATA/) });
  });

  it("another provider than the platform's is a BackendError; bad options and report data are InvalidArgumentError", async () => {
    const root = join(dir, 'mismatch');
    const fs = fakeTsm(root, 'tdx_guest', () => ({ outblob: quote }));
    await expect(tsmEvidenceSource({ platform: 'amd-sev-snp', root, fs }).evidence(new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_ATTESTATION_BACKEND', message: expect.stringMatching(/provider is "tdx_guest", expected sev_guest/) });
    expect(() => tsmEvidenceSource({ platform: 'sgx' as 'intel-tdx' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    for (const rd of [new Uint8Array(63), new Uint8Array(65), 'x' as unknown as Uint8Array]) {
      await expect(tsmEvidenceSource({ platform: 'intel-tdx', root, fs }).evidence(rd)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    }
    expect(fs.live()).toEqual([]);
  });
});

describe('snpIoctlEvidenceSource', () => {
  it('refuses a bad VMPL at once and bad report data before the device', async () => {
    for (const vmpl of [-1, 4, 0.5]) expect(() => snpIoctlEvidenceSource({ vmpl })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    const s = snpIoctlEvidenceSource({ device: join(dir, 'nonexistent') });
    expect(s.platform).toBe('amd-sev-snp');
    await expect(s.evidence(new Uint8Array(3))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('tsmEvidenceSource end to end with the TEST PKI quoter', () => {
  it('TDX: Attester → attestBound over configfs-tsm → verifyBoundReport valid with the test root given, refused without', async () => {
    const quoter = await FakeTdxQuoter.create(await createTestTdxPki());
    const attester = new Attester(await Identity.create('tdx-attester', { level: 44 }));
    const now = new Date();
    const region = memoryRegion({ region_id: 'weights', address: 0, size: 4 });
    const report = createReport([createClaim({ region, snapshot: snapshotOf('weights', new Uint8Array([9, 8, 7, 6]), now), nonce: 'ef'.repeat(16), platform: 'intel-tdx' })], { now, ttlSeconds: 300, platform: 'intel-tdx' });
    // the fake kernel answers synchronously; the quoter signs asynchronously, so sign for the digest first
    const quoteFor = new Map([[toHex(bindingDigest(report)), await quoter.tdxQuote(bindingDigest(report))]]);
    const root = join(dir, 'tdx-e2e');
    const fs = fakeTsm(root, 'tdx_guest', (inblob) => ({ outblob: quoteFor.get(toHex(inblob)) ?? new Uint8Array(0) }));
    const bound = await attestBound(attester, report, tsmEvidenceSource({ platform: 'intel-tdx', root, fs }));
    const ok = await verifyBoundReport(bound.report, bound.evidence, { now, tdxRoot: quoter.pki.rootPem });
    expect(ok.reasons).toEqual([]);
    expect(ok).toMatchObject({ valid: true, bound: true });
    const intel = await verifyBoundReport(bound.report, bound.evidence, { now });
    expect(intel.valid).toBe(false);
    expect(intel.evidence.valid).toBe(false);
    expect(fs.live()).toEqual([]);
  });
});
