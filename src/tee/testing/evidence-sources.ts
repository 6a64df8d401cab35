// In-process EvidenceSources (src/attestation/evidence.ts) over the FAKE devices of this module, so
// `attestBound(attester, report, source)` runs end to end without hardware: SEV-SNP evidence from
// SNP_GET_EXT_REPORT (the report and the VCEK/VLEK and ASK/ASVK‖ARK read back from its certificate
// table, as a guest-side source reads the host's table), TDX evidence from the fake QE's quote.
// The evidence verifies only against the TEST roots given explicitly (`snpRoots` / `tdxRoot`).
// Browser-safe.

import type { EvidenceSource } from '../../attestation/evidence.js';
import { assertInt } from '../../core/assert.js';
import { parseCertTable } from '../cert-table.js';
import { certificatePem } from '../x509.js';
import type { FakeSnpSigner } from './snp-signer.js';
import type { FakeTdxQuoter } from './tdx-quoter.js';

/**
 * An `amd-sev-snp` EvidenceSource answering from a {@link FakeSnpSigner} (TEST PKI) at `vmpl`
 * (default 0).
 * @throws RangeError when `vmpl` is not 0–3.
 * @example
 * const bound = await attestBound(attester, report, fakeSnpEvidenceSource(signer));
 * await verifyBoundReport(bound.report, bound.evidence, { now, snpRoots: [signer.pki.root] });
 */
export function fakeSnpEvidenceSource(signer: FakeSnpSigner, vmpl = 0): EvidenceSource {
  assertInt('vmpl', vmpl, 0, 3);
  return {
    platform: 'amd-sev-snp',
    async evidence(reportData) {
      const { report, certs } = await signer.snpExtReport(reportData, vmpl);
      const entries = parseCertTable(certs);
      const leaf = entries.find((e) => e.name === 'vcek' || e.name === 'vlek')!;
      const chain = entries.filter((e) => e.name === 'ask' || e.name === 'ark').map((e) => certificatePem(e.bytes)).join('');
      const key = leaf.name === 'vcek' ? { vcek: leaf.bytes } : { vlek: leaf.bytes };
      return { kind: 'sev-snp', report, ...key, chain };
    },
  };
}

/**
 * An `intel-tdx` EvidenceSource answering with quotes of a {@link FakeTdxQuoter} (TEST PKI).
 * @example
 * const bound = await attestBound(attester, report, fakeTdxEvidenceSource(quoter));
 * await verifyBoundReport(bound.report, bound.evidence, { now, tdxRoot: quoter.pki.rootPem });
 */
export function fakeTdxEvidenceSource(quoter: FakeTdxQuoter): EvidenceSource {
  return {
    platform: 'intel-tdx',
    async evidence(reportData) {
      return { kind: 'tdx', quote: await quoter.tdxQuote(reportData) };
    },
  };
}
