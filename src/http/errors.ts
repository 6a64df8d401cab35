// HTTP error mapping for every quorumkit service (DESIGN.md "Errors"): one JSON shape,
// `{ "error": { ...details, "code", "message", "requestId" } }`, with the status the error's own
// class declares (`static status`, see core/errors.ts) — there is no central table of codes.

import { isQuorumkitError, type JsonValue } from '../core/errors.js';

/** The JSON body of every error response: `code`, `message`, `requestId`, plus the error's `details` on a 4xx. */
export interface HttpErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly requestId: string;
    readonly [key: string]: JsonValue;
  };
}

/**
 * The error body and status for any thrown value. A QuorumkitError whose class status is 4xx keeps
 * its status, code, message and JSON-safe `details` (which never override `code`, `message` or
 * `requestId`); so does a 5xx class marked `expose` (an upstream condition: 502, 503). Anything
 * else — not a QuorumkitError, or another 5xx — is 500 `ERR_INTERNAL` "internal error" with no
 * details, so internals never leak to callers.
 * @example
 * errorResponse(new NotFoundError('no proposal p1'), 'r1');
 * // { status: 404, body: { error: { code: 'ERR_NOT_FOUND', message: 'no proposal p1', requestId: 'r1' } } }
 */
export function errorResponse(err: unknown, requestId: string): { status: number; body: HttpErrorBody } {
  if (isQuorumkitError(err)) {
    const status = err.status;
    const exposed = (err.constructor as { expose?: unknown }).expose === true && status >= 500 && status < 600;
    if (Number.isInteger(status) && ((status >= 400 && status < 500) || exposed)) {
      return { status, body: { error: { ...err.details, code: err.code, message: err.message, requestId } } };
    }
  }
  return { status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error', requestId } } };
}
