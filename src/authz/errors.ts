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

/**
 * A law or policy document is not a valid `quorumkit/authz-law/v1` document: wrong shape, an
 * unknown key, a limit exceeded, a duplicate id or a dangling reference (`ERR_AUTHZ_LAW`, 400).
 * `details.path` is the JSON pointer of the fault. A bad *condition* inside a document is a
 * {@link ConditionSyntaxError} instead, with `details.norm` and `details.path` added.
 */
export class LawDocumentError extends AuthzError {
  static override readonly code: string = 'ERR_AUTHZ_LAW';
  static override readonly status: number = 400;
}
