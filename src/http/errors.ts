// HTTP error mapping for every quorumkit service (DESIGN.md "Errors"): one JSON shape,
// `{ "error": { "code", "message", "requestId" } }`, with the status implied by the code.

import { isQuorumkitError, type QuorumkitErrorCode } from '../core/errors.js';

/** The JSON body of every error response. */
export interface HttpErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId: string };
}

const STATUS: Partial<Record<QuorumkitErrorCode, number>> = {
  ERR_INVALID_ARGUMENT: 400,
  ERR_JSON_PARSE: 400,
  ERR_JSON_DUPLICATE_KEY: 400,
  ERR_JSON_NOT_IJSON: 400,
  ERR_ENCODING: 400,
  ERR_SCHEMA_INVALID: 400,
  ERR_UNKNOWN_ALG: 400,
  ERR_ENVELOPE_MALFORMED: 400,
  ERR_ENVELOPE_INVALID: 400,
  ERR_SIGNATURE_INVALID: 400,
  ERR_UNAUTHENTICATED: 401,
  ERR_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_FIELD_NOT_CANONICAL: 400,
  ERR_FIELD_DIVISION_BY_ZERO: 400,
  ERR_SHAMIR_INVALID: 400,
  ERR_GOVERNANCE: 400,
  ERR_INVALID_PROPOSAL: 400,
  ERR_INVALID_VOTE: 400,
  ERR_UNKNOWN_NODE: 403,
  ERR_BYZANTINE_DETECTED: 409,
  ERR_PROPOSAL_EXPIRED: 409,
  ERR_INSUFFICIENT_QUORUM: 409,
  ERR_CONSENSUS_FAILED: 409,
};

/** HTTP status for an error code: 4xx for bad requests, 500 for anything unexpected. */
export function httpStatusFor(code: string): number {
  return Object.hasOwn(STATUS, code) ? STATUS[code as QuorumkitErrorCode]! : 500;
}

/**
 * The error body and status for any thrown value. Unexpected errors (not QuorumkitError, or a
 * 5xx code) get a generic message so internals never leak to callers.
 */
export function errorResponse(err: unknown, requestId: string): { status: number; body: HttpErrorBody } {
  if (isQuorumkitError(err)) {
    const status = httpStatusFor(err.code);
    if (status < 500) return { status, body: { error: { code: err.code, message: err.message, requestId } } };
  }
  return { status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error', requestId } } };
}
