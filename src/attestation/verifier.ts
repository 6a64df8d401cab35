// The verifier (the seed's signer.py AttestationVerifier): checks a report's ML-DSA signature over
// its body, its validity window and, per claim, that the snapshot's hash equals the expected one
// when one is pinned; returns a VerificationResult with the seed's error strings, or, through
// verifyOrThrow, raises RegionDriftError / AttestationVerificationError as the seed does.
// Beyond the seed: the envelope must be signed by `signer_did` (or by one of `trusted`, when
// given), and its payload must be exactly the report's canonical body. Browser-safe.

import { utf8Decode, base64Decode } from '../core/bytes.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { REPORT_PAYLOAD_KIND } from './attester.js';
import { AttestationVerificationError, RegionDriftError } from './errors.js';
import { canonicalReportBytes, isExpired, type AttestationReport } from './report.js';

/** What verifying a report found (the seed's VerificationResult). */
export interface VerificationResult {
  readonly valid: boolean;
  readonly signatureValid: boolean;
  readonly notExpired: boolean;
  /** Region ids whose snapshot differs from its expected hash. */
  readonly drifts: string[];
  /** The seed's message for the first failure, or null. */
  readonly error: string | null;
}

/** Options of {@link AttestationVerifier.verify}. */
export interface VerifyReportOptions {
  /** Drift makes the report invalid (default true, as the seed). */
  readonly strict?: boolean;
  /** The time to check the window at (default now). */
  readonly now?: Date;
  /** Dids whose signature is accepted (default: the report's own `signer_did`). */
  readonly trusted?: Iterable<string>;
}

const ALGORITHMS = new Set(['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);
const PAYLOAD_TYPE = payloadTypeFor(REPORT_PAYLOAD_KIND);

async function signatureCheck(report: AttestationReport, trusted: Iterable<string> | undefined): Promise<{ ok: boolean; error: string | null }> {
  if (report.envelope === null) return { ok: false, error: 'missing signature' };
  if (!ALGORITHMS.has(report.algorithm)) return { ok: false, error: `unknown algorithm ${report.algorithm}` };
  try {
    const v = await verifyEnvelope(report.envelope, { payloadType: PAYLOAD_TYPE, trusted: trusted ?? [report.signer_did] });
    const signedByClaimed = v.signers.includes(report.signer_did) && report.envelope.signatures.every((s) => s.alg === report.algorithm);
    const sameBody = utf8Decode(base64Decode(report.envelope.payload)) === utf8Decode(canonicalReportBytes(report));
    return v.valid && signedByClaimed && sameBody ? { ok: true, error: null } : { ok: false, error: 'invalid ML-DSA signature' };
  } catch (e) {
    return { ok: false, error: `signature verify failed: ${(e as Error).message}` };
  }
}

/** Verifies attestation reports. */
export class AttestationVerifier {
  /** Checks signature, window and drift (see the header); never throws for a bad report. */
  static async verify(report: AttestationReport, options: VerifyReportOptions = {}): Promise<VerificationResult> {
    const strict = options.strict ?? true;
    const sig = await signatureCheck(report, options.trusted);
    let error = sig.error;
    const fresh = !isExpired(report, options.now ?? new Date());
    if (sig.ok && !fresh) error = 'report expired';
    const drifts = report.claims.filter((c) => c.expected_hash !== '' && c.snapshot.content_hash !== c.expected_hash).map((c) => c.region.region_id);
    if (sig.ok && fresh && drifts.length > 0 && strict) error = `memory drift detected in ${drifts.length} region(s): ${drifts.join(', ')}`;
    const valid = sig.ok && fresh && (drifts.length === 0 || !strict);
    return { valid, signatureValid: sig.ok, notExpired: fresh, drifts, error };
  }

  /**
   * {@link verify}, throwing when the report is not valid.
   * @throws RegionDriftError when a region drifted; AttestationVerificationError otherwise.
   */
  static async verifyOrThrow(report: AttestationReport, options: VerifyReportOptions = {}): Promise<VerificationResult> {
    const r = await AttestationVerifier.verify(report, options);
    if (!r.valid) {
      if (r.drifts.length > 0) throw new RegionDriftError(r.error ?? 'drift detected', { details: { drifts: r.drifts } });
      throw new AttestationVerificationError(r.error ?? 'verification failed');
    }
    return r;
  }
}
