// Errors of the MPC share engine (the pattern of core/errors.ts): a malformed program, a share
// execution driven out of order, and public openings whose shares do not lie on one polynomial.
// Messages and details name node ids, layers and abscissas — never a share or an opened value.

import { QuorumkitError } from '../../core/errors.js';

/** A program (IR) cannot be planned: unknown node type, dangling or forward reference, duplicate id (`ERR_MPC_IR_INVALID`, 400). */
export class MpcIrInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_IR_INVALID';
  static override readonly status: number = 400;
}

/** A share execution was driven out of order: `resume` before `start`, a call after `done`, after a failure or after `dispose` (`ERR_MPC_EXECUTION_STATE`, 409). */
export class MpcExecutionStateError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_EXECUTION_STATE';
  static override readonly status: number = 409;
}

/**
 * Opened shares are fewer than the threshold or do not lie on one polynomial of degree k − 1
 * (`ERR_MPC_OPENING_INCONSISTENT`, 502 — the custodians', not the caller's, fault; exposed so the
 * caller learns the evaluation failed closed): some custodian sent a wrong share. `details.culprit`
 * names it when it could be identified (the engine gives its decimal abscissa; the coordinator its index).
 */
export class MpcOpeningInconsistentError extends QuorumkitError {
  static override readonly code: string = 'ERR_MPC_OPENING_INCONSISTENT';
  static override readonly status: number = 502;
  static override readonly expose: boolean = true;
}

/** Codes thrown by the MPC share engine. */
export type MpcEngineErrorCode = 'ERR_MPC_IR_INVALID' | 'ERR_MPC_EXECUTION_STATE' | 'ERR_MPC_OPENING_INCONSISTENT';
