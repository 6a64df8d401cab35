// The genuine SEV-SNP samples of $QUORUMKIT_VECTORS/tee (its README's table): report, leaf, chain,
// and a "now" inside every certificate's validity.
/** One genuine report with the certificates it verifies under. */
export interface SnpSample {
  readonly report: string;
  readonly leaf: string;
  readonly kind: 'vcek' | 'vlek';
  readonly chain: string;
  readonly now: Date;
  readonly product: 'Milan' | 'Genoa';
  /** The guest policy allows debugging (GUEST_POLICY bit 19): verifies only with `allowDebug`. */
  readonly debug?: true;
}

const MILAN = 'tee/go-sev-guest/ask_ark_milan.pem';
const GENOA = 'tee/go-sev-guest/ask_ark_genoa.pem';
const NOW = new Date('2026-06-01T00:00:00Z');

/** All 9 genuine reports in the README table. */
export const SNP_SAMPLES: readonly SnpSample[] = [
  { report: 'tee/go-sev-guest/attestation.bin', leaf: 'tee/go-sev-guest/vcek.testcer', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan', debug: true },
  { report: 'tee/virtee-sev/report_milan.bin', leaf: 'tee/virtee-sev/vcek_milan.der', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan' },
  { report: 'tee/trustee/snp_test-report.bin', leaf: 'tee/trustee/snp_test-vcek.der', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan' },
  // VLEKs are short-lived: this one is valid 2024-12-10 – 2025-12-10.
  { report: 'tee/trustee/snp_test-vlek-report.bin', leaf: 'tee/trustee/snp_test-vlek.der', kind: 'vlek', chain: 'tee/go-sev-guest/ask_ark_milan_vlek.pem', now: new Date('2025-06-01T00:00:00Z'), product: 'Milan' },
  { report: 'tee/trustee/az-snp-vtpm_milan-snp-report.bin', leaf: 'tee/trustee/az-snp-vtpm_vcek.pem', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan' },
  { report: 'tee/trustee/az-snp-vtpm_genoa-snp-report.bin', leaf: 'tee/trustee/az-snp-vtpm_vcek-genoa.pem', kind: 'vcek', chain: GENOA, now: NOW, product: 'Genoa' },
  { report: 'tee/teekit/sev-gcp.bin', leaf: 'tee/teekit/sev-gcp-vcek.pem', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan' },
  { report: 'tee/teekit/sev-gcp-reportdata.bin', leaf: 'tee/teekit/sev-gcp-vcek.pem', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan' },
  { report: 'tee/teekit/sev-gcp-x25519-bound.bin', leaf: 'tee/teekit/sev-gcp-x25519-vcek.pem', kind: 'vcek', chain: MILAN, now: NOW, product: 'Milan' },
];
