// The attester (the seed's signer.py Attester): signs a report's body as a quorumkit envelope with
// its ML-DSA identity (payload type `attestation-report`), recording its did and algorithm in the
// report. Browser-safe.

import { signEnvelope } from '../envelope/sign.js';
import type { EnvelopeSigner } from '../envelope/types.js';
import { reportBody, type AttestationReport } from './report.js';

/** The envelope payload type of attestation reports. */
export const REPORT_PAYLOAD_KIND = 'attestation-report';

/** Signs attestation reports with one identity. */
export class Attester {
  readonly identity: EnvelopeSigner;

  constructor(identity: EnvelopeSigner) {
    this.identity = identity;
  }

  /** The report, signed: `signer_did`, `algorithm` and `envelope` set (a new object). */
  async sign(report: AttestationReport): Promise<AttestationReport> {
    const envelope = await signEnvelope(reportBody(report), REPORT_PAYLOAD_KIND, [this.identity]);
    return { ...report, signer_did: this.identity.did, algorithm: this.identity.alg, envelope };
  }
}
