// verifySnpReport on the genuine corpus: all 9 reports verify under their leaf, chain and the
// pinned AMD roots at a "now" inside their certificates' validity.
import { describe, expect, it } from 'vitest';
import { verifySnpReport } from '../../../src/tee/snp/verify.js';
import { describeVectors, readVectorBytes } from '../../_vectors.js';
import { SNP_SAMPLES } from './_samples.js';

describeVectors('SEV-SNP genuine reports verify against pinned AMD roots', () => {
  it('finds all 9 samples', () => expect(SNP_SAMPLES.length).toBe(9));
  for (const s of SNP_SAMPLES) {
    it(`${s.report} verifies (${s.kind.toUpperCase()}, ${s.product})`, async () => {
      const r = await verifySnpReport(readVectorBytes(s.report), { [s.kind]: readVectorBytes(s.leaf), chain: readVectorBytes(s.chain), now: s.now, policy: { allowDebug: s.debug === true } });
      expect(r.reasons).toEqual([]);
      expect(r.valid).toBe(true);
      expect(r.product).toBe(s.product);
    });
  }

  it('refuses the debug-enabled go-sev-guest report under the default policy, naming the reason', async () => {
    const s = SNP_SAMPLES.find((x) => x.debug === true)!;
    const r = await verifySnpReport(readVectorBytes(s.report), { vcek: readVectorBytes(s.leaf), chain: readVectorBytes(s.chain), now: s.now });
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(['policy: debug: guest policy allows debugging']);
  });
});
