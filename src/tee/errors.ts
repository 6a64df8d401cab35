// Typed errors of quorumkit/tee (the pattern of src/core/errors.ts): one class per code, each with
// a static `code` and the HTTP `status` it answers with. Evidence that cannot be read at all
// (wrong size, wrong wrapper, undecodable certificate) throws one of these; evidence that reads but
// does not verify is a result with reasons (verify* functions), never an exception.

import { QuorumkitError } from '../core/errors.js';

/** TEE evidence bytes are malformed: wrong size, unknown version, bad wrapper (`ERR_TEE_MALFORMED_EVIDENCE`, 400). */
export class TeeMalformedEvidenceError extends QuorumkitError {
  static override readonly code: string = 'ERR_TEE_MALFORMED_EVIDENCE';
  static override readonly status: number = 400;
}

/** A certificate or certificate bundle given with TEE evidence cannot be decoded (`ERR_TEE_MALFORMED_CERTIFICATE`, 400). */
export class TeeMalformedCertificateError extends QuorumkitError {
  static override readonly code: string = 'ERR_TEE_MALFORMED_CERTIFICATE';
  static override readonly status: number = 400;
}

/** A TEE policy file (its JSON form, src/tee/policy-json.ts) is malformed (`ERR_TEE_POLICY_INVALID`, 400). */
export class TeePolicyInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_TEE_POLICY_INVALID';
  static override readonly status: number = 400;
}

/** The error codes of quorumkit/tee. Stable: new codes may be added, none renamed. */
export type TeeErrorCode = 'ERR_TEE_MALFORMED_EVIDENCE' | 'ERR_TEE_MALFORMED_CERTIFICATE' | 'ERR_TEE_POLICY_INVALID';
