// The seam between the post-quantum report and the hardware: an EvidenceSource asks a TEE for a
// report or quote whose 64-byte user field is the given bytes (AMD SEV-SNP REPORT_DATA, ABI spec
// Table 22 offset 0x50, through SNP_GET_REPORT / SNP_GET_EXT_REPORT or configfs-tsm; Intel TDX
// REPORTDATA through configfs-tsm's quote), and `attestBound` fills that field with the report's
// binding digest (binding.ts) before signing it. The sources that talk to devices are Node-only
// (quorumkit/attestation/node); this file and the interface are browser-safe.

import { bindingDigest } from './binding.js';
import type { Attester } from './attester.js';
import type { TeeEvidence } from './bound.js';
import { BackendError } from './errors.js';
import type { AttestationReport } from './report.js';

/** Where hardware evidence comes from (a guest device, configfs-tsm, a fake device in tests). */
export interface EvidenceSource {
  /** `amd-sev-snp` or `intel-tdx` — the platform the evidence is from. */
  readonly platform: 'amd-sev-snp' | 'intel-tdx';
  /** Evidence whose 64-byte user field is exactly `reportData`. */
  evidence(reportData: Uint8Array): Promise<TeeEvidence>;
}

/** A signed report and the hardware evidence that carries its binding digest. */
export interface BoundReport {
  readonly report: AttestationReport;
  readonly evidence: TeeEvidence;
}

/**
 * Binds a report to hardware evidence and signs it: asks `source` for evidence carrying SHA3-512 of
 * the report's canonical body (nonce included), then signs the report with `attester`.
 * @throws BackendError when the source answers with evidence of another kind than its platform.
 */
export async function attestBound(attester: Attester, report: AttestationReport, source: EvidenceSource): Promise<BoundReport> {
  const evidence = await source.evidence(bindingDigest(report));
  const expected = source.platform === 'amd-sev-snp' ? 'sev-snp' : 'tdx';
  if (evidence.kind !== expected) throw new BackendError(`evidence source for ${source.platform} returned ${evidence.kind} evidence`);
  return { report: await attester.sign(report), evidence };
}
