// Verifying a report bound to TEE evidence (binding.ts): the ML-DSA report (AttestationVerifier),
// the hardware evidence — an AMD SEV-SNP report with its VCEK/VLEK chain (verifySnpReport) or an
// Intel TDX quote (verifyTdxQuote) — and that the evidence's 64-byte user field holds SHA3-512 of
// the report's canonical body. All three must hold: then the genuine TEE vouched for exactly this
// report, its nonce included, and neither part can be replayed with another. Browser-safe.

import type { TdxCollateral } from '../tee/tdx/index.js';
import { verifyEvidence, type VerifyEvidenceOptions } from './evidence-verify.js';
import { isBoundTo } from './binding.js';
import type { AttestationReport } from './report.js';
import { AttestationVerifier, type VerificationResult } from './verifier.js';

/** The hardware evidence of a bound report. */
export type TeeEvidence =
  | { readonly kind: 'sev-snp'; readonly report: Uint8Array; readonly vcek?: string | Uint8Array; readonly vlek?: string | Uint8Array; readonly chain?: string | Uint8Array }
  | { readonly kind: 'tdx'; readonly quote: Uint8Array; readonly collateral?: TdxCollateral };

/** Options of {@link verifyBoundReport}: the evidence options (now, policies, test roots, TDX engine) and the report's. */
export interface VerifyBoundOptions extends VerifyEvidenceOptions {
  readonly strict?: boolean;
  /** Dids whose report signature is accepted (default: the report's `signer_did`). */
  readonly trusted?: Iterable<string>;
}

/** What verifying a bound report found. */
export interface BoundVerification {
  readonly valid: boolean;
  readonly report: VerificationResult;
  /** The evidence's own verdict and its checks (names as the TEE verifiers give them). */
  readonly evidence: { readonly valid: boolean; readonly reasons: readonly string[] };
  /** The evidence's user data carries this report's binding digest. */
  readonly bound: boolean;
  /** Every reason it is not valid. */
  readonly reasons: string[];
}

/**
 * Verifies the report, the evidence and the binding between them (see the header). Never throws
 * for bad evidence or a bad report: malformed evidence is an invalid result with the reason.
 */
export async function verifyBoundReport(report: AttestationReport, evidence: TeeEvidence, o: VerifyBoundOptions): Promise<BoundVerification> {
  const r = await AttestationVerifier.verify(report, { now: o.now, ...(o.strict === undefined ? {} : { strict: o.strict }), ...(o.trusted === undefined ? {} : { trusted: o.trusted }) });
  let ev: { valid: boolean; reasons: readonly string[] };
  let userData: Uint8Array | null = null;
  const kind: unknown = (evidence as { kind?: unknown } | null)?.kind;
  if (kind !== 'sev-snp' && kind !== 'tdx') ev = { valid: false, reasons: ['evidence: unknown kind'] };
  else {
    try {
      const v = await verifyEvidence(evidence, o);
      ev = { valid: v.valid, reasons: v.reasons };
      userData = v.userData;
    } catch (e) {
      ev = { valid: false, reasons: [`evidence: ${(e as Error).message}`] };
    }
  }
  const bound = userData !== null && isBoundTo(report, userData);
  const reasons = [
    ...(r.valid ? [] : [`report: ${r.error ?? 'not valid'}`]),
    ...ev.reasons,
    ...(bound ? [] : ["binding: the evidence's user data is not SHA3-512 of this report's canonical body"]),
  ];
  return { valid: r.valid && ev.valid && bound, report: r, evidence: ev, bound, reasons };
}
