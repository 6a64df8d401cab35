// Fuzzing the SEV-SNP parsers and verifier: random bytes, genuine reports, HCL reports and
// certificates with random flips, truncations and extensions. Law: every call returns or throws a
// typed error (test/fuzz/_runs.ts), whatever the bytes; a mutated signed region never verifies.
// Runs: QK_FUZZ_RUNS (100,000 under `npm run test:slow`), else the defaults below.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { decodeSnpCertificates, readSnpLeafExtensions } from '../../../src/tee/snp/certs.js';
import { unwrapHclSnpReport } from '../../../src/tee/snp/hcl.js';
import { parseSnpReport, SNP_REPORT_BYTES, SNP_SIGNED_BYTES } from '../../../src/tee/snp/report.js';
import { verifySnpReport } from '../../../src/tee/snp/verify.js';
import { fuzzAsync, fuzzRuns, fuzzSync, fuzzTimeout } from '../../fuzz/_runs.js';
import { mutateBytes, randomBytes } from '../../fuzz/_inputs.js';
import { describeVectors, readVectorBytes } from '../../_vectors.js';
import { SNP_SAMPLES } from './_samples.js';

const T = fuzzTimeout(2000, 5);
const VERIFY_RUNS = 300;

/** 1184 random bytes whose version word is a supported one, so parsing goes past the header. */
const randomReport = fc.tuple(fc.uint8Array({ minLength: SNP_REPORT_BYTES, maxLength: SNP_REPORT_BYTES }), fc.constantFrom(2, 3, 5)).map(([b, v]) => {
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

describeVectors('SEV-SNP parsers under fuzzing', () => {
  const reports = SNP_SAMPLES.map((s) => readVectorBytes(s.report));
  const hcl = [readVectorBytes('tee/trustee/az-snp-vtpm_hcl-report.bin'), readVectorBytes('tee/trustee/az-snp-vtpm_genoa-hcl-report.bin'), readVectorBytes('tee/trustee/az-tdx-vtpm_hcl-report.bin')];
  const certs = [
    readVectorBytes('tee/virtee-sev/vcek_milan.der'), readVectorBytes('tee/virtee-sev/vcek_turin.der'), readVectorBytes('tee/trustee/snp_test-vlek.der'),
    readVectorBytes('tee/teekit/sev-gcp-vcek.pem'), readVectorBytes('tee/go-sev-guest/ask_ark_milan.pem'),
  ];

  it('parseSnpReport returns or throws a typed error for random and mutated bytes', () => {
    const input = fc.oneof(randomBytes, randomReport, fc.constantFrom(...reports).chain(mutateBytes));
    fuzzSync('parseSnpReport', input, (b) => {
      const r = parseSnpReport(b);
      expect(r.signed.length).toBe(SNP_SIGNED_BYTES);
    });
  }, T);

  it('unwrapHclSnpReport returns or throws a typed error for random and mutated bytes', () => {
    const input = fc.oneof(randomBytes, fc.constantFrom(...hcl).chain(mutateBytes));
    fuzzSync('unwrapHclSnpReport', input, (b) => {
      expect(unwrapHclSnpReport(b).report.length).toBe(SNP_REPORT_BYTES);
    });
  }, T);

  it('decodeSnpCertificates and readSnpLeafExtensions return or throw a typed error for mutated certificates', () => {
    const input = fc.oneof(randomBytes, fc.constantFrom(...certs).chain(mutateBytes));
    fuzzSync('decodeSnpCertificates', input, (b) => {
      for (const c of decodeSnpCertificates(b)) readSnpLeafExtensions(c);
    });
  }, T);

  it('verifySnpReport resolves or rejects with a typed error for mutated reports and certificates, and never accepts a changed signed region', async () => {
    const sample = fc.nat({ max: SNP_SAMPLES.length - 1 });
    const input = fc.tuple(sample, fc.boolean(), fc.boolean()).chain(([i, mutReport, mutLeaf]) => {
      const s = SNP_SAMPLES[i]!;
      const leaf = readVectorBytes(s.leaf);
      return fc.tuple(fc.constant(i), mutReport || !mutLeaf ? mutateBytes(reports[i]!) : fc.constant(reports[i]!), mutLeaf ? mutateBytes(leaf) : fc.constant(leaf));
    });
    const chains = new Map(SNP_SAMPLES.map((s) => [s.chain, readVectorBytes(s.chain)]));
    await fuzzAsync('verifySnpReport', input, async ([i, report, leaf], tally) => {
      const s = SNP_SAMPLES[i]!;
      const r = await verifySnpReport(report, { [s.kind]: leaf, chain: chains.get(s.chain)!, now: s.now, policy: { allowDebug: true } });
      const original = reports[i]!;
      if (report.length === original.length && !sameBytes(report.subarray(0, SNP_SIGNED_BYTES), original.subarray(0, SNP_SIGNED_BYTES))) {
        expect(r.valid).toBe(false);
      }
      if (r.valid) tally.note('verified (signed region unchanged)');
    }, fuzzRuns(VERIFY_RUNS));
  }, fuzzTimeout(VERIFY_RUNS, 60));
});
