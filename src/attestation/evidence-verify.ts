// Verifying TEE evidence of either kind (bound.ts's TeeEvidence): an AMD SEV-SNP report or Azure HCL
// report with its VCEK/VLEK chain (verifySnpReport: ABI spec Table 22, AMD pub. 57230) or an Intel
// TDX quote with optional collateral (verifyTdxQuote: DCAP Appendix A and Intel's QVL order). One
// result shape for both, with the evidence's 64-byte user field (REPORT_DATA / REPORTDATA) for the
// binding check. Browser-safe.

import { verifySnpReport, type SnpPolicy, type SnpReport, type SnpRoot } from '../tee/snp/index.js';
import { verifyTdxQuote, type TdxPolicy, type TdxQuote, type TdxQuoteEngine, type TdxTcbStatus } from '../tee/tdx/index.js';
import type { TeeEvidence } from './bound.js';

/** Options of {@link verifyEvidence}. */
export interface VerifyEvidenceOptions {
  /** The time certificates and collateral must be valid at (required: no hidden clock). */
  readonly now: Date;
  readonly snpPolicy?: SnpPolicy;
  readonly tdxPolicy?: TdxPolicy;
  /** SEV-SNP roots to trust instead of AMD's (a test PKI, never by default). */
  readonly snpRoots?: readonly SnpRoot[];
  /** A TDX root to trust instead of Intel's (a test PKI, never by default). */
  readonly tdxRoot?: Uint8Array | string;
  /** The TDX per-quote engine (default WebCrypto + pkijs; in Node `nodeTdxEngine()` from quorumkit/tee/node). */
  readonly tdxEngine?: TdxQuoteEngine;
}

/** What verifying evidence found. */
export interface TeeEvidenceVerification {
  readonly kind: 'sev-snp' | 'tdx';
  readonly valid: boolean;
  /** Every check, in the order the verifier ran them. */
  readonly checks: readonly { readonly name: string; readonly ok: boolean; readonly detail: string }[];
  /** The details of the failed checks. */
  readonly reasons: readonly string[];
  /** REPORT_DATA / REPORTDATA (64 bytes), or null when the evidence did not parse. */
  readonly userData: Uint8Array | null;
  /** The parsed SEV-SNP report or TDX quote (null: a TDX quote that did not parse). */
  readonly parsed: SnpReport | TdxQuote | null;
  /** SEV-SNP: the product of the AMD root the chain ends at. */
  readonly product?: string;
  /** TDX: TCB Info / QE Identity statuses, when collateral gave them. */
  readonly tcbStatus?: TdxTcbStatus;
  readonly qeIdentityStatus?: TdxTcbStatus;
}

/**
 * Verifies SEV-SNP or TDX evidence (see the header).
 * @throws what the verifiers throw for unusable input: TypeError / RangeError (no leaf, bad policy),
 *   TeeMalformedEvidenceError, TeeMalformedCertificateError, TdxCollateralMalformedError.
 * @example
 * const v = await verifyEvidence({ kind: 'tdx', quote }, { now: new Date() });
 * if (!v.valid) console.log(v.reasons.join('; '));
 */
export async function verifyEvidence(evidence: TeeEvidence, o: VerifyEvidenceOptions): Promise<TeeEvidenceVerification> {
  if (evidence.kind === 'sev-snp') {
    const v = await verifySnpReport(evidence.report, {
      now: o.now,
      ...(evidence.vcek === undefined ? {} : { vcek: evidence.vcek }), ...(evidence.vlek === undefined ? {} : { vlek: evidence.vlek }), ...(evidence.chain === undefined ? {} : { chain: evidence.chain }),
      ...(o.snpPolicy ? { policy: o.snpPolicy } : {}), ...(o.snpRoots ? { trustedRoots: o.snpRoots } : {}),
    });
    return { kind: 'sev-snp', valid: v.valid, checks: v.checks, reasons: v.reasons, userData: v.report.report_data, parsed: v.report, ...(v.product === undefined ? {} : { product: v.product }) };
  }
  if (evidence.kind === 'tdx') {
    const v = await verifyTdxQuote(evidence.quote, { now: o.now, ...(evidence.collateral ? { collateral: evidence.collateral } : {}), ...(o.tdxPolicy ? { policy: o.tdxPolicy } : {}), ...(o.tdxRoot === undefined ? {} : { trustedRoot: o.tdxRoot }), ...(o.tdxEngine === undefined ? {} : { engine: o.tdxEngine }) });
    return {
      kind: 'tdx', valid: v.valid, checks: v.checks, reasons: v.reasons, userData: v.quote?.body.reportData ?? null, parsed: v.quote,
      ...(v.tcbStatus === undefined ? {} : { tcbStatus: v.tcbStatus }), ...(v.qeIdentityStatus === undefined ? {} : { qeIdentityStatus: v.qeIdentityStatus }),
    };
  }
  throw new TypeError(`"evidence.kind" expected "sev-snp" or "tdx", got ${JSON.stringify((evidence as { kind?: unknown }).kind)}`);
}
