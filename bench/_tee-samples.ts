// The genuine TEE samples the attestation bench verifies, read from $QUORUMKIT_VECTORS/tee (else
// <repo>/../shared/data/tee, as the tests find them; see $QUORUMKIT_VECTORS/tee/README.md for
// provenance): the 9 SEV-SNP reports with their leaf and AMD chain, the TDX quotes with a "now"
// inside their PCK chains. Vectors are never copied into the repository.

import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The vectors folder. @throws Error when it does not exist. */
export function vectorsRoot(): string {
  const env = process.env.QUORUMKIT_VECTORS;
  const dir = env !== undefined && env !== '' ? resolve(env) : resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`vectors folder not found at ${dir} (set QUORUMKIT_VECTORS)`);
  return dir;
}

const read = (rel: string): Uint8Array => new Uint8Array(readFileSync(join(vectorsRoot(), 'tee', rel)));

/** One SEV-SNP sample: report, leaf (VCEK or VLEK), chain, and a "now" inside the chain's validity. */
export interface SnpBenchSample {
  readonly name: string;
  readonly report: Uint8Array;
  readonly leaf: Uint8Array;
  readonly kind: 'vcek' | 'vlek';
  readonly chain: Uint8Array;
  readonly now: Date;
  readonly allowDebug: boolean;
}

const MILAN = 'go-sev-guest/ask_ark_milan.pem';
const GENOA = 'go-sev-guest/ask_ark_genoa.pem';
// [report, leaf, chain, kind, debug]; the VLEK is valid 2024-12-10 – 2025-12-10, the rest at 2026-06-01.
const SNP: ReadonlyArray<readonly [string, string, string, 'vcek' | 'vlek', boolean]> = [
  ['go-sev-guest/attestation.bin', 'go-sev-guest/vcek.testcer', MILAN, 'vcek', true],
  ['virtee-sev/report_milan.bin', 'virtee-sev/vcek_milan.der', MILAN, 'vcek', false],
  ['trustee/snp_test-report.bin', 'trustee/snp_test-vcek.der', MILAN, 'vcek', false],
  ['trustee/snp_test-vlek-report.bin', 'trustee/snp_test-vlek.der', 'go-sev-guest/ask_ark_milan_vlek.pem', 'vlek', false],
  ['trustee/az-snp-vtpm_milan-snp-report.bin', 'trustee/az-snp-vtpm_vcek.pem', MILAN, 'vcek', false],
  ['trustee/az-snp-vtpm_genoa-snp-report.bin', 'trustee/az-snp-vtpm_vcek-genoa.pem', GENOA, 'vcek', false],
  ['teekit/sev-gcp.bin', 'teekit/sev-gcp-vcek.pem', MILAN, 'vcek', false],
  ['teekit/sev-gcp-reportdata.bin', 'teekit/sev-gcp-vcek.pem', MILAN, 'vcek', false],
  ['teekit/sev-gcp-x25519-bound.bin', 'teekit/sev-gcp-x25519-vcek.pem', MILAN, 'vcek', false],
];

/** The 9 genuine SEV-SNP reports. */
export function snpSamples(): SnpBenchSample[] {
  return SNP.map(([report, leaf, chain, kind, debug]) => ({
    name: report,
    report: read(report),
    leaf: read(leaf),
    kind,
    chain: read(chain),
    now: new Date(kind === 'vlek' ? '2025-06-01T00:00:00Z' : '2026-06-01T00:00:00Z'),
    allowDebug: debug,
  }));
}

/** One TDX quote sample. */
export interface TdxBenchSample {
  readonly name: string;
  readonly quote: Uint8Array;
  readonly debug: boolean;
}

/** Inside every sample's PCK chain validity. */
export const TDX_NOW = new Date('2026-06-01T00:00:00Z');

/** The genuine TDX quotes (teekit's tdx-v4-azure is base64 text). */
export function tdxSamples(): TdxBenchSample[] {
  const files = [
    'go-tdx-guest/tdx_prod_quote_SPR_E4.dat', 'go-tdx-guest/cos-113-tdx-quote.dat', 'go-tdx-guest/quote_v5_sample.dat',
    'trustee/tdx_quote_4.dat', 'trustee/tdx_quote_5.dat', 'trustee/tdx_quote_6.dat', 'trustee/az-tdx-vtpm_td-quote.bin',
    'teekit/tdx-v4-edgeless.dat', 'teekit/tdx-v4-azure',
  ];
  return files.map((f) => ({
    name: f,
    quote: f.endsWith('tdx-v4-azure') ? new Uint8Array(Buffer.from(new TextDecoder().decode(read(f)).trim(), 'base64')) : read(f),
    debug: f === 'trustee/tdx_quote_4.dat',
  }));
}

/** The TDX collateral files in the vectors (go-tdx-guest testdata, Intel PCS v4 response bodies, 2023). */
export function tdxCollateralFiles(): { tcbInfo: string; tcbInfoV5: string; qeIdentity: string; pckCrl: Uint8Array; rootCrl: Uint8Array } {
  const text = (rel: string): string => new TextDecoder().decode(read(rel));
  return {
    tcbInfo: text('go-tdx-guest/sample_tcbInfo_response'),
    tcbInfoV5: text('go-tdx-guest/sample_tcbinfo_response_v5'),
    qeIdentity: text('go-tdx-guest/sample_qeIdentity_response'),
    pckCrl: read('go-tdx-guest/pckcrl'),
    rootCrl: read('go-tdx-guest/rootcrl.der'),
  };
}
