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
 * A delegation hop widens its parent — more permissions, a larger ATP budget, a higher hourly
 * rate, a validity window reaching outside the parent's, another role, a chain deeper than
 * `MAX_DELEGATION_DEPTH`, or a re-delegation its parent does not grant (`ERR_AUTHZ_ATTENUATION`,
 * 400). `details.hop` is the 0-based index of the offending hop (root first) and
 * `details.violations` the attenuation rules it breaks (`delegate`, `permissions`, `budget`,
 * `rate`, `window`, `role`, `depth`).
 */
export class DelegationAttenuationError extends AuthzError {
  static override readonly code: string = 'ERR_AUTHZ_ATTENUATION';
  static override readonly status: number = 400;
}

/**
 * A delegation chain does not hold together (`ERR_AUTHZ_CHAIN`, 400): a malformed hop body, a hop
 * whose delegator is not its parent's delegate, a wrong parent link, another society, a hop not
 * valid at the verifier's clock, a revoked hop, an untrusted root, or too many hops.
 * `details.reasons` lists every reason when the chain was verified.
 */
export class DelegationChainError extends AuthzError {
  static override readonly code: string = 'ERR_AUTHZ_CHAIN';
  static override readonly status: number = 400;
}

/**
 * A delegation hop is not signed by its delegator: the signature is missing, does not verify, or
 * is by another key (`ERR_AUTHZ_CHAIN_SIGNATURE`, 401 — the chain does not authenticate the
 * authority it claims). `details.reasons` lists every reason.
 */
export class DelegationSignatureError extends DelegationChainError {
  static override readonly code: string = 'ERR_AUTHZ_CHAIN_SIGNATURE';
  static override readonly status: number = 401;
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
