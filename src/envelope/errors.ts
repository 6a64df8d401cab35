// Envelope errors (see core/errors.ts for the pattern): a DSSE-style envelope that is malformed, or
// one that does not verify. Both come from callers' input (400).

import { QuorumkitError } from '../core/errors.js';

/** An envelope does not have the envelope shape (`ERR_ENVELOPE_MALFORMED`, 400). */
export class EnvelopeMalformedError extends QuorumkitError {
  static override readonly code: string = 'ERR_ENVELOPE_MALFORMED';
  static override readonly status: number = 400;
}

/** An envelope does not verify: the message lists every reason (`ERR_ENVELOPE_INVALID`, 400). */
export class EnvelopeInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_ENVELOPE_INVALID';
  static override readonly status: number = 400;
}

/** Codes thrown by `quorumkit/envelope`. */
export type EnvelopeErrorCode = 'ERR_ENVELOPE_MALFORMED' | 'ERR_ENVELOPE_INVALID';
