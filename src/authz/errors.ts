// Typed errors of quorumkit/authz (the pattern of src/core/errors.ts): one class per code, each
// with a static `code` and the HTTP `status` it answers with.

import { QuorumkitError } from '../core/errors.js';

/** The base of authorization errors (`ERR_AUTHZ`, 400). */
export class AuthzError extends QuorumkitError {
  static override readonly code: string = 'ERR_AUTHZ';
  static override readonly status: number = 400;
}

/**
 * A law or policy condition is not in the condition language, or exceeds its limits
 * (`ERR_AUTHZ_CONDITION`, 400). `details.position` is the 0-based character offset of the fault.
 */
export class ConditionSyntaxError extends AuthzError {
  static override readonly code: string = 'ERR_AUTHZ_CONDITION';
  static override readonly status: number = 400;
}
