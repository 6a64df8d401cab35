// Attestation errors (core/errors.ts pattern): one base for the domain, one subclass per failure,
// each with a static `code` and HTTP `status`; names mirror the pqc-hypervisor-attestation seed's
// errors.py (HypervisorAttestationError → AttestationError here) so ports read the same.

import { QuorumkitError } from '../core/errors.js';

/** Base of every attestation failure (`ERR_ATTESTATION`, 400). */
export class AttestationError extends QuorumkitError {
  static override readonly code: string = 'ERR_ATTESTATION';
  static override readonly status: number = 400;
}

/** A memory region is missing, malformed or not registered (`ERR_INVALID_REGION`, 400). */
export class InvalidRegionError extends AttestationError {
  static override readonly code: string = 'ERR_INVALID_REGION';
  static override readonly status: number = 400;
}

/** A report fails verification (`ERR_ATTESTATION_INVALID`, 422): signature, expiry or binding. */
export class AttestationVerificationError extends AttestationError {
  static override readonly code: string = 'ERR_ATTESTATION_INVALID';
  static override readonly status: number = 422;
}

/** A region's snapshot differs from its expected hash (`ERR_REGION_DRIFT`, 422). */
export class RegionDriftError extends AttestationVerificationError {
  static override readonly code: string = 'ERR_REGION_DRIFT';
  static override readonly status: number = 422;
}

/** A backend cannot serve a request (`ERR_ATTESTATION_BACKEND`, 503). */
export class BackendError extends AttestationError {
  static override readonly code: string = 'ERR_ATTESTATION_BACKEND';
  static override readonly status: number = 503;
}

/** No backend is registered for a platform (`ERR_UNKNOWN_BACKEND`, 400). */
export class UnknownBackendError extends BackendError {
  static override readonly code: string = 'ERR_UNKNOWN_BACKEND';
  static override readonly status: number = 400;
}

/** The JSON form of TEE evidence is malformed (`ERR_INVALID_EVIDENCE`, 400). */
export class InvalidEvidenceError extends AttestationError {
  static override readonly code: string = 'ERR_INVALID_EVIDENCE';
  static override readonly status: number = 400;
}
