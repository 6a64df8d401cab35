// Errors of the attestation service (docs/new-service.md §1): one class per failure, each with a
// stable code and the HTTP status it answers with. Generic failures (a report id not found, a bad
// body) use quorumkit/core's classes.

import { QuorumkitError } from '../../core/errors.js';

/** The service's regions config is malformed (`ERR_ATTEST_CONFIG`, 400; the CLI makes it exit 2). */
export class AttestConfigError extends QuorumkitError {
  static override readonly code: string = 'ERR_ATTEST_CONFIG';
  static override readonly status: number = 400;
}

/**
 * A configured region cannot be read now — its process is gone, its file unreadable
 * (`ERR_REGION_UNAVAILABLE`, 503). The message (operator-configured region ids and paths, never
 * contents) reaches the caller: it reports the attested workload's state, not a fault of the service.
 */
export class RegionUnavailableError extends QuorumkitError {
  static override readonly code: string = 'ERR_REGION_UNAVAILABLE';
  static override readonly status: number = 503;
  static override readonly expose: boolean = true;
}

/** The TEE evidence source failed to produce evidence (`ERR_EVIDENCE_UNAVAILABLE`, 503). */
export class EvidenceUnavailableError extends QuorumkitError {
  static override readonly code: string = 'ERR_EVIDENCE_UNAVAILABLE';
  static override readonly status: number = 503;
  static override readonly expose: boolean = true;
}
