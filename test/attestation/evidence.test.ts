// attestBound asks the evidence source for evidence carrying the report's binding digest (SHA3-512 of
// the canonical body), then signs; a source answering with the wrong kind of evidence is refused
// before anything is signed.
import { beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';
import { attestBound, Attester, BackendError, bindingDigest, createClaim, createReport, memoryRegion, snapshotOf, type AttestationReport } from '../../src/attestation/index.js';
import { recordingSource } from './_recording-source.js';

const now = new Date('2026-06-01T00:00:00Z');
let attester: Attester;
let report: AttestationReport;
beforeAll(async () => {
  attester = new Attester(await Identity.create('a', { level: 44 }));
  const region = memoryRegion({ region_id: 'w', address: 0, size: 4 });
  report = createReport([createClaim({ region, snapshot: snapshotOf('w', new Uint8Array(4), now), nonce: 'cd'.repeat(16) })], { now, ttlSeconds: 300 });
});

describe('attestBound', () => {
  it('asks for the binding digest, returns the signed report and the evidence', async () => {
    const src = recordingSource('intel-tdx', 'tdx');
    const b = await attestBound(attester, report, src);
    expect(src.asked).toHaveLength(1);
    expect(src.asked[0]).toEqual(bindingDigest(report));
    expect(src.asked[0]).toHaveLength(64);
    expect(b.report.signer_did).toBe(attester.identity.did);
    expect(b.report.envelope).toBeDefined();
    expect(bindingDigest(b.report)).toEqual(bindingDigest(report)); // signing does not change the body
    expect(b.evidence).toEqual({ kind: 'tdx', quote: bindingDigest(report) });
  });

  it('refuses evidence of another kind than the source platform', async () => {
    await expect(attestBound(attester, report, recordingSource('amd-sev-snp', 'tdx'))).rejects.toThrow(BackendError);
    await expect(attestBound(attester, report, recordingSource('amd-sev-snp', 'tdx'))).rejects.toThrow('evidence source for amd-sev-snp returned tdx evidence');
  });
});
