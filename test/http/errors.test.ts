// errorResponse / httpStatusFor: every mapped code gets its status and its own message; anything
// unmapped, 5xx or not a QuorumkitError becomes 500 ERR_INTERNAL "internal error" and never leaks
// the original message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumkitError, type QuorumkitErrorCode } from '../../src/core/errors.js';
import { errorResponse, httpStatusFor } from '../../src/http/index.js';

const MAPPED: Record<string, number> = {
  ERR_INVALID_ARGUMENT: 400, ERR_JSON_PARSE: 400, ERR_JSON_DUPLICATE_KEY: 400, ERR_JSON_NOT_IJSON: 400, ERR_ENCODING: 400,
  ERR_SCHEMA_INVALID: 400, ERR_UNKNOWN_ALG: 400, ERR_ENVELOPE_MALFORMED: 400, ERR_ENVELOPE_INVALID: 400, ERR_SIGNATURE_INVALID: 400,
  ERR_UNAUTHENTICATED: 401, ERR_FORBIDDEN: 403, ERR_NOT_FOUND: 404, ERR_CONFLICT: 409, ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_FIELD_NOT_CANONICAL: 400, ERR_FIELD_DIVISION_BY_ZERO: 400, ERR_SHAMIR_INVALID: 400, ERR_GOVERNANCE: 400,
  ERR_INVALID_PROPOSAL: 400, ERR_INVALID_VOTE: 400, ERR_UNKNOWN_NODE: 403, ERR_BYZANTINE_DETECTED: 409,
  ERR_PROPOSAL_EXPIRED: 409, ERR_INSUFFICIENT_QUORUM: 409, ERR_CONSENSUS_FAILED: 409,
};
// Codes that exist but are server-side faults: never a 4xx, never their message.
const UNMAPPED: QuorumkitErrorCode[] = [
  'ERR_WASM_UNAVAILABLE', 'ERR_WASM_INTEGRITY', 'ERR_WASM_NOT_INITIALIZED', 'ERR_PROVIDER_UNAVAILABLE', 'ERR_UNSUPPORTED',
  'ERR_KEY_INVALID', 'ERR_KEY_FILE', 'ERR_KEY_PASSWORD', 'ERR_IO', 'ERR_INTERNAL',
];
const SECRET = 'secret-detail /etc/quorumkit/key.pem';

describe('httpStatusFor', () => {
  it('maps every documented code', () => {
    for (const [code, status] of Object.entries(MAPPED)) expect(httpStatusFor(code), code).toBe(status);
  });

  it('unknown and server-fault codes → 500', () => {
    for (const code of [...UNMAPPED, '', 'ERR_NOPE', 'err_not_found', 'ERR_NOT_FOUND ']) expect(httpStatusFor(code), code).toBe(500);
    fc.assert(fc.property(fc.string(), (s) => {
      fc.pre(!Object.hasOwn(MAPPED, s) && !(s in Object.prototype));
      expect(httpStatusFor(s)).toBe(500);
    }));
  });

  // Inherited Object.prototype members must not answer the lookup.
  it('Object.prototype member names → 500', () => {
    for (const code of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) expect(httpStatusFor(code), code).toBe(500);
  });
});

describe('errorResponse', () => {
  it('a mapped QuorumkitError keeps its code and message, with the request id', () => {
    for (const [code, status] of Object.entries(MAPPED)) {
      const r = errorResponse(new QuorumkitError(code as QuorumkitErrorCode, `msg for ${code}`), 'req-1');
      expect(r).toEqual({ status, body: { error: { code, message: `msg for ${code}`, requestId: 'req-1' } } });
    }
  });

  it('unmapped codes → 500 ERR_INTERNAL with a generic message', () => {
    for (const code of UNMAPPED) {
      const r = errorResponse(new QuorumkitError(code, SECRET), 'rid');
      expect(r).toEqual({ status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error', requestId: 'rid' } } });
    }
    // a code outside the union (e.g. from a newer peer) is still 500, never echoed
    expect(errorResponse(new QuorumkitError('ERR_FROM_THE_FUTURE' as never, SECRET), 'rid').status).toBe(500);
    // the inherited-name bug above does not reach errorResponse: NaN < 500 is false → 500
    expect(errorResponse(new QuorumkitError('toString' as never, SECRET), 'rid').body.error.message).toBe('internal error');
  });

  it('anything that is not a QuorumkitError → 500 "internal error", never leaking its message', () => {
    const thrown: unknown[] = [
      new Error(SECRET), new TypeError(SECRET), new RangeError(SECRET), SECRET, null, undefined, 42,
      { code: 'ERR_NOT_FOUND', message: SECRET }, // looks like one, is not one
      Object.assign(new Error(SECRET), { code: 'ERR_NOT_FOUND' }),
    ];
    for (const t of thrown) {
      const r = errorResponse(t, 'r');
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: { code: 'ERR_INTERNAL', message: 'internal error', requestId: 'r' } });
      expect(JSON.stringify(r)).not.toContain('secret-detail');
    }
  });

  it('any thrown value → a 4xx with its own message or a 500 with the generic one', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.string().map((m) => new Error(m))), fc.string(), (t, rid) => {
      const r = errorResponse(t, rid);
      expect(r.body.error.requestId).toBe(rid);
      if (r.status === 500) expect(r.body.error).toMatchObject({ code: 'ERR_INTERNAL', message: 'internal error' });
      else expect(t).toBeInstanceOf(QuorumkitError);
    }));
  });
});
