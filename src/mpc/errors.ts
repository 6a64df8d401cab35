// The MPC area's errors: one class per failure with its stable code and the HTTP status QuorumVM
// answers with (coordinator: 404 unknown program, 400 not active, 429 policy, 409 triple pool
// exhausted, 503 fewer than K custodians). Messages never hold a share, secret, input or output.

import { QuorumkitError } from '../core/errors.js';

/** No such program installed (`ERR_MPC_PROGRAM_NOT_FOUND`, 404). */
export class ProgramNotFoundError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_PROGRAM_NOT_FOUND';
  static override readonly status: number = 404;
}

/** The program is installed but not active (fewer than K distinct approvals) (`ERR_MPC_PROGRAM_NOT_ACTIVE`, 400). */
export class ProgramNotActiveError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_PROGRAM_NOT_ACTIVE';
  static override readonly status: number = 400;
}

/** The per-identity budget or rate limit refuses the evaluation (`ERR_MPC_POLICY_DENIED`, 429). */
export class PolicyDeniedError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_POLICY_DENIED';
  static override readonly status: number = 429;
}

/** The program's Beaver-triple pool cannot cover the evaluation (`ERR_MPC_POOL_EXHAUSTED`, 409). */
export class PoolExhaustedError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_POOL_EXHAUSTED';
  static override readonly status: number = 409;
}

/** Fewer than K custodians answered (`ERR_MPC_CUSTODIANS_UNAVAILABLE`, 503). */
export class CustodiansUnavailableError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_CUSTODIANS_UNAVAILABLE';
  static override readonly status: number = 503;
  static override readonly expose: boolean = true;
}

/** A triple range already used or reserved (`ERR_MPC_TRIPLE_REUSED`, 409): refused, never reused. */
export class TripleReusedError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_TRIPLE_REUSED';
  static override readonly status: number = 409;
}

/** No evaluation in progress under this request id (`ERR_MPC_UNKNOWN_REQUEST`, 404). */
export class UnknownEvalRequestError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_UNKNOWN_REQUEST';
  static override readonly status: number = 404;
}

/** A policy whose per-identity budget suffices to recover the secret parameters (`ERR_MPC_EXTRACTABLE_POLICY`, 400). */
export class ExtractablePolicyError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_EXTRACTABLE_POLICY';
  static override readonly status: number = 400;
}

/** An approval that is not the named custodian's signature over this program (`ERR_MPC_APPROVAL_INVALID`, 403). */
export class ApprovalInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_APPROVAL_INVALID';
  static override readonly status: number = 403;
}
