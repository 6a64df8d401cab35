// Typed errors of MPC program artifacts read from outside: an IR (QuorumVM's quorumvm/compiler/ir.py
// JSON form) and a program package (quorumvm/compiler/package.py). Both answer HTTP 400; the
// message names the JSON pointer of the offending value and never quotes a value beyond its type.
// Browser-safe.

import { QuorumkitError } from '../core/errors.js';

/** The codes of this module's classes. Stable: new codes may be added, none renamed. */
export type ProgramErrorCode = 'ERR_INVALID_IR' | 'ERR_INVALID_PACKAGE' | 'ERR_PROGRAM_ID_MISMATCH';

/** An IR JSON value is malformed or exceeds a limit (`ERR_INVALID_IR`, 400), e.g. `/nodes/3/inputs/0: undefined node "q"`. */
export class InvalidIrError extends QuorumkitError {
  static override readonly code: string = 'ERR_INVALID_IR';
  static override readonly status: number = 400;
}

/** A program package or one of its manifests is malformed (`ERR_INVALID_PACKAGE`, 400). */
export class InvalidPackageError extends QuorumkitError {
  static override readonly code: string = 'ERR_INVALID_PACKAGE';
  static override readonly status: number = 400;
}

/** A package's `program_id` is not the SHA-256 of its content (`ERR_PROGRAM_ID_MISMATCH`, 400). */
export class ProgramIdMismatchError extends QuorumkitError {
  static override readonly code: string = 'ERR_PROGRAM_ID_MISMATCH';
  static override readonly status: number = 400;
}
