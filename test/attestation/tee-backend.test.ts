// The seed's SEV-SNP and TDX backends: a memory backend plus an evidence source. Regions and
// snapshots come from the memory backend, the platform from the TEE; ContinuousAttester's bound
// variants fetch evidence carrying each report's binding digest, and refuse a backend without one.
import { beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';
import {
  AmdSevSnpBackend, Attester, BackendError, bindingDigest, ContinuousAttester, InMemoryBackend, IntelTdxBackend, isTeeBackend, memoryRegion, snapshotOf, TeeBackend,
} from '../../src/attestation/index.js';
import { recordingSource } from './_recording-source.js';

let attester: Attester;
const weights = new Uint8Array([1, 2, 3, 4]);
function memory(): InMemoryBackend {
  const m = new InMemoryBackend();
  m.register('llm', memoryRegion({ region_id: 'weights', address: 0x1000, size: 4 }), weights);
  return m;
}
beforeAll(async () => {
  attester = new Attester(await Identity.create('a', { level: 44 }));
});

describe('TEE backends', () => {
  it('delegate regions and snapshots to the memory backend and take the platform from the TEE', async () => {
    const b = new AmdSevSnpBackend({ memory: memory(), evidence: recordingSource('amd-sev-snp', 'sev-snp') });
    expect(b.platform).toBe('amd-sev-snp');
    expect(b.name).toBe('amd-sev-snp+in-memory');
    const [r] = await b.listRegions('llm');
    expect(r!.region_id).toBe('weights');
    expect((await b.snapshot(r!)).content_hash).toBe(snapshotOf('weights', weights).content_hash);
    expect(isTeeBackend(b)).toBe(true);
    expect(isTeeBackend(memory())).toBe(false);
    expect(new IntelTdxBackend({ memory: memory(), evidence: recordingSource('intel-tdx', 'tdx') }).platform).toBe('intel-tdx');
  });

  it('refuse an evidence source of the other platform', () => {
    expect(() => new AmdSevSnpBackend({ memory: memory(), evidence: recordingSource('intel-tdx', 'tdx') })).toThrow(BackendError);
    expect(() => new IntelTdxBackend({ memory: memory(), evidence: recordingSource('amd-sev-snp', 'sev-snp') })).toThrow('a intel-tdx backend needs a intel-tdx evidence source, got amd-sev-snp');
    expect(new TeeBackend({ memory: memory(), evidence: recordingSource('intel-tdx', 'tdx') }).platform).toBe('intel-tdx');
  });
});

describe('ContinuousAttester with a TEE backend', () => {
  it('attestBoundOnce: claims name the TEE platform, the evidence carries the binding digest of the nonce-fresh report', async () => {
    const src = recordingSource('intel-tdx', 'tdx');
    const ca = new ContinuousAttester({ attester, backend: new IntelTdxBackend({ memory: memory(), evidence: src }), workloadId: 'llm', expectedHashes: { weights: snapshotOf('weights', weights).content_hash } });
    const a = await ca.attestBoundOnce('11'.repeat(16));
    const b = await ca.attestBoundOnce();
    expect(a.report.claims[0]!.platform).toBe('intel-tdx');
    expect(a.report.claims[0]!.nonce).toBe('11'.repeat(16));
    expect(b.report.claims[0]!.nonce).not.toBe(a.report.claims[0]!.nonce);
    expect(src.asked).toEqual([bindingDigest(a.report), bindingDigest(b.report)]);
    expect(a.evidence).toEqual({ kind: 'tdx', quote: bindingDigest(a.report) });
  });

  it('runForBound returns bound reports; a memory-only backend is refused', async () => {
    const ca = new ContinuousAttester({ attester, backend: new AmdSevSnpBackend({ memory: memory(), evidence: recordingSource('amd-sev-snp', 'sev-snp') }), workloadId: 'llm' });
    const seen: unknown[] = [];
    const out = await ca.runForBound(0.05, 0.01, (r) => seen.push(r));
    expect(out.length).toBeGreaterThan(0);
    expect(seen).toEqual(out);
    const plain = new ContinuousAttester({ attester, backend: memory(), workloadId: 'llm' });
    await expect(plain.attestBoundOnce()).rejects.toThrow('backend in-memory has no TEE evidence source');
    await expect(plain.runForBound(1)).rejects.toThrow(BackendError);
    await expect(ca.runForBound(-1)).rejects.toThrow(RangeError);
  });
});
