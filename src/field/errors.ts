// F_p (p = 2^127 − 1) and Shamir errors (see core/errors.ts for the pattern): non-canonical field
// elements, division by zero, and share sets that cannot be reconstructed. All come from input (400).

import { QuorumkitError } from '../core/errors.js';

/** A field element is not in [0, p) (`ERR_FIELD_NOT_CANONICAL`, 400). */
export class FieldNotCanonicalError extends QuorumkitError {
  static override readonly code: string = 'ERR_FIELD_NOT_CANONICAL';
  static override readonly status: number = 400;
}

/** Division by (or inversion of) zero in F_p (`ERR_FIELD_DIVISION_BY_ZERO`, 400). */
export class FieldDivisionByZeroError extends QuorumkitError {
  static override readonly code: string = 'ERR_FIELD_DIVISION_BY_ZERO';
  static override readonly status: number = 400;
}

/** Shamir shares are too few, at x = 0, duplicated or inconsistent (`ERR_SHAMIR_INVALID`, 400). */
export class ShamirInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_SHAMIR_INVALID';
  static override readonly status: number = 400;
}

/** Codes thrown by `quorumkit/field`. */
export type FieldErrorCode = 'ERR_FIELD_NOT_CANONICAL' | 'ERR_FIELD_DIVISION_BY_ZERO' | 'ERR_SHAMIR_INVALID';
