// errorResponse: every error class's own status reaches the response with its code, message and
// JSON-safe details; details never override code/message/requestId; anything 5xx or not a
// QuorumkitError becomes 500 ERR_INTERNAL "internal error" and never leaks message or details.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, QuorumkitError, type JsonValue } from '../../src/core/errors.js';
import { ByzantineDetectedError, byzantineEvidenceToJSON } from '../../src/governance/index.js';
import { errorResponse, ServiceCallError } from '../../src/http/index.js';
import { ERROR_CLASSES, FAKE_EVIDENCE, makeError } from '../_error-classes.js';

// The statuses every code answered with before they moved onto the classes: pinned, so a class
// cannot change its status by accident. Codes not listed are server faults (500).
const STATUS: Record<string, number> = {
  ERR_INVALID_ARGUMENT: 400, ERR_JSON_PARSE: 400, ERR_JSON_DUPLICATE_KEY: 400, ERR_JSON_NOT_IJSON: 400, ERR_ENCODING: 400,
  ERR_SCHEMA_INVALID: 400, ERR_UNKNOWN_ALG: 400, ERR_ENVELOPE_MALFORMED: 400, ERR_ENVELOPE_INVALID: 400, ERR_SIGNATURE_INVALID: 400,
  ERR_UNAUTHENTICATED: 401, ERR_FORBIDDEN: 403, ERR_NOT_FOUND: 404, ERR_CONFLICT: 409, ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_FIELD_NOT_CANONICAL: 400, ERR_FIELD_DIVISION_BY_ZERO: 400, ERR_SHAMIR_INVALID: 400, ERR_GOVERNANCE: 400,
  ERR_INVALID_PROPOSAL: 400, ERR_INVALID_VOTE: 400, ERR_UNKNOWN_NODE: 403, ERR_BYZANTINE_DETECTED: 409,
  ERR_PROPOSAL_EXPIRED: 409, ERR_INSUFFICIENT_QUORUM: 409, ERR_CONSENSUS_FAILED: 409, ERR_BUSY: 429,
  ERR_DSL_BAD_ARGUMENTS: 400, ERR_DSL_COMPILE: 400, ERR_DSL_DUPLICATE_IDENTIFIER: 400, ERR_DSL_DUPLICATE_OUTPUT: 400,
  ERR_DSL_EXTRA_TOKEN: 400, ERR_DSL_INCOMPLETE_STATEMENT: 400, ERR_DSL_INVALID_IDENTIFIER: 400, ERR_DSL_INVALID_INTEGER: 400,
  ERR_DSL_LIMIT: 400, ERR_DSL_MISSING_EQUALS: 400, ERR_DSL_NO_OUTPUT: 400, ERR_DSL_UNDEFINED_IDENTIFIER: 400,
  ERR_DSL_UNKNOWN_KEYWORD: 400, ERR_INVALID_IR: 400, ERR_INVALID_PACKAGE: 400, ERR_PROGRAM_ID_MISMATCH: 400,
  ERR_SEAL_OPEN_FAILED: 400, ERR_MPC_IR_INVALID: 400, ERR_MPC_EXTRACTABLE_POLICY: 400, ERR_MPC_PROGRAM_NOT_ACTIVE: 400,
  ERR_MPC_APPROVAL_INVALID: 403, ERR_MPC_PROGRAM_NOT_FOUND: 404, ERR_MPC_UNKNOWN_REQUEST: 404, ERR_MPC_EXECUTION_STATE: 409,
  ERR_MPC_POOL_EXHAUSTED: 409, ERR_MPC_TRIPLE_REUSED: 409, ERR_MPC_POLICY_DENIED: 429,
  ERR_ATTESTATION: 400, ERR_ATTESTATION_INVALID: 422, ERR_INVALID_EVIDENCE: 400, ERR_INVALID_REGION: 400, ERR_REGION_DRIFT: 422,
  ERR_UNKNOWN_BACKEND: 400, ERR_TDX: 400, ERR_TDX_COLLATERAL_MALFORMED: 400, ERR_TDX_QUOTE_MALFORMED: 400, ERR_TDX_QUOTE_UNSUPPORTED: 400,
  ERR_TEE_MALFORMED_CERTIFICATE: 400, ERR_TEE_MALFORMED_EVIDENCE: 400, ERR_TEE_POLICY_INVALID: 400,
  ERR_AUTHZ: 400, ERR_AUTHZ_CONDITION: 400, ERR_AUTHZ_ATTENUATION: 400, ERR_AUTHZ_CHAIN: 400, ERR_AUTHZ_CHAIN_SIGNATURE: 401, ERR_AUTHZ_LAW: 400,
};
/** 5xx classes that report another service's condition: they reach callers like a 4xx (`static expose`). */
const EXPOSED: Record<string, number> = { ERR_MPC_OPENING_INCONSISTENT: 502, ERR_MPC_CUSTODIANS_UNAVAILABLE: 503 };
/** Server faults answering with another 5xx than 500 (still "internal error" on the wire). */
const FAULT_STATUS: Record<string, number> = {
  ERR_ATTESTATION_BACKEND: 503, ERR_TEE_DEVICE_ABSENT: 503, ERR_TEE_DEVICE_BUSY: 503, ERR_TEE_NATIVE_UNAVAILABLE: 503,
  ERR_TEE_DEVICE_IO: 502, ERR_TEE_FIRMWARE: 502, ERR_TEE_VMM: 502, ERR_TEE_CERTS_TOO_LARGE: 502,
};
const SERVER_FAULTS = [
  'ERR_WASM_UNAVAILABLE', 'ERR_WASM_INTEGRITY', 'ERR_WASM_NOT_INITIALIZED', 'ERR_PROVIDER_UNAVAILABLE', 'ERR_UNSUPPORTED',
  'ERR_KEY_INVALID', 'ERR_KEY_FILE', 'ERR_KEY_PASSWORD', 'ERR_IO', 'ERR_INTERNAL', 'ERR_SERVICE_CALL',
  // the attester's own machine: its backend, guest device, firmware or native addon (statuses in FAULT_STATUS)
  'ERR_ATTESTATION_BACKEND', 'ERR_TEE_DEVICE', 'ERR_TEE_DEVICE_ABSENT', 'ERR_TEE_DEVICE_BUSY', 'ERR_TEE_DEVICE_IO', 'ERR_TEE_DEVICE_PERMISSION',
  'ERR_TEE_DEVICE_REJECTED', 'ERR_TEE_FIRMWARE', 'ERR_TEE_VMM', 'ERR_TEE_CERTS_TOO_LARGE', 'ERR_TEE_NATIVE_UNAVAILABLE',
];
const SECRET = 'secret-detail /etc/quorumkit/key.pem';
const INTERNAL = (requestId: string) => ({ status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error', requestId } } });

describe('error classes and their statuses', () => {
  it('every code has exactly one exported class, with the status it always had', () => {
    const codes = ERROR_CLASSES.map(([, , C]) => C.code);
    // RegistryTransitionError is a GovernanceError refinement: same code, same status.
    expect(codes.filter((c) => c !== 'ERR_GOVERNANCE').length).toBe(new Set(codes.filter((c) => c !== 'ERR_GOVERNANCE')).size);
    expect(new Set(codes)).toEqual(new Set([...Object.keys(STATUS), ...Object.keys(EXPOSED), ...SERVER_FAULTS]));
    for (const [domain, name, C] of ERROR_CLASSES) expect(C.status, `${domain}.${name}`).toBe(STATUS[C.code] ?? EXPOSED[C.code] ?? FAULT_STATUS[C.code] ?? 500);
  });

  it('server-fault classes are exactly the 5xx ones not marked expose', () => {
    for (const [, name, C] of ERROR_CLASSES) expect(C.status >= 500 && !C.expose, name).toBe(SERVER_FAULTS.includes(C.code));
  });
});

describe('errorResponse', () => {
  it('every 4xx (and exposed 5xx) class reaches the response with its own status, code and message and the request id', () => {
    const clientErrors = ERROR_CLASSES.filter(([, , C]) => C.status < 500 || C.expose);
    expect(clientErrors.length).toBeGreaterThanOrEqual(Object.keys(STATUS).length);
    for (const [, name, C] of clientErrors) {
      const e = makeError(C, `msg for ${name}`);
      const r = errorResponse(e, 'req-1');
      expect(r.status, name).toBe(C.status);
      expect(r.body, name).toEqual({ error: { ...e.details, code: C.code, message: e.message, requestId: 'req-1' } });
    }
  });

  it('every other 5xx class → 500 ERR_INTERNAL "internal error", never its message or details', () => {
    for (const [, name, C] of ERROR_CLASSES.filter(([, , C]) => C.status >= 500 && !C.expose)) {
      const r = errorResponse(makeError(C, SECRET, { path: SECRET, nested: [{ secret: SECRET }] }), 'rid');
      expect(r, name).toEqual(INTERNAL('rid'));
      expect(JSON.stringify(r)).not.toContain('secret-detail');
    }
    // a base QuorumkitError (and any subclass that declares no status) is a server fault too
    expect(errorResponse(new QuorumkitError(SECRET, { details: { x: SECRET } }), 'rid')).toEqual(INTERNAL('rid'));
    class FromTheFuture extends QuorumkitError {
      static override readonly code: string = 'ERR_FROM_THE_FUTURE';
    }
    expect(errorResponse(new FromTheFuture(SECRET), 'rid')).toEqual(INTERNAL('rid'));
  });

  it('a class status outside 400..499 (2xx, 3xx, NaN, fractional) → 500, never echoed', () => {
    for (const status of [200, 302, 399, Number.NaN, 404.5, -1, 600]) {
      class Odd extends QuorumkitError {
        static override readonly code: string = 'ERR_ODD';
        static override readonly status: number = status;
      }
      expect(errorResponse(new Odd(SECRET), 'rid'), String(status)).toEqual(INTERNAL('rid'));
    }
  });

  it('details are serialized beside code, message and requestId', () => {
    const details = { evidence: { votes: [{ payload: 'YQ==' }, null] }, attempts: 3, retry: false };
    const r = errorResponse(new ConflictError('busy', { details }), 'r7');
    expect(r).toEqual({ status: 409, body: { error: { code: 'ERR_CONFLICT', message: 'busy', requestId: 'r7', ...details } } });
    expect(JSON.parse(JSON.stringify(r.body))).toEqual(r.body);
  });

  it('a double vote carries its evidence in error.evidence', () => {
    const r = errorResponse(new ByzantineDetectedError(FAKE_EVIDENCE), 'r8');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ERR_BYZANTINE_DETECTED');
    expect(r.body.error['evidence']).toEqual(byzantineEvidenceToJSON(FAKE_EVIDENCE));
  });

  it('details can never override code, message or requestId', () => {
    const forged = { code: 'ERR_FORGED', message: 'forged', requestId: 'forged', other: 1 };
    expect(errorResponse(new NotFoundError('real', { details: forged }), 'rid').body).toEqual({
      error: { code: 'ERR_NOT_FOUND', message: 'real', requestId: 'rid', other: 1 },
    });
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>), fc.string(), fc.string(), (details, message, rid) => {
      const { body } = errorResponse(new NotFoundError(message, { details }), rid);
      expect([body.error.code, body.error.message, body.error.requestId]).toEqual(['ERR_NOT_FOUND', message, rid]);
      for (const k of Object.keys(details)) if (!['code', 'message', 'requestId'].includes(k)) expect(body.error[k]).toEqual(details[k]);
    }));
  });

  it('a relayed ServiceCallError answers with the status it received and this request id', () => {
    const remote = { code: 'ERR_CONSENSUS_FAILED', message: 'not yet', requestId: 'remote-rid', hint: 'retry' };
    const r = errorResponse(new ServiceCallError(remote.code, remote.message, 409, remote.requestId, remote), 'local-rid');
    expect(r).toEqual({ status: 409, body: { error: { ...remote, requestId: 'local-rid' } } });
    expect(errorResponse(new ServiceCallError('ERR_IO', SECRET, 503, 'x', { message: SECRET }), 'rid')).toEqual(INTERNAL('rid'));
  });

  it('anything that is not a QuorumkitError → 500 "internal error", never leaking its message', () => {
    const thrown: unknown[] = [
      new Error(SECRET), new TypeError(SECRET), new RangeError(SECRET), SECRET, null, undefined, 42,
      { code: 'ERR_NOT_FOUND', message: SECRET, status: 404 }, // looks like one, is not one
      Object.assign(new Error(SECRET), { code: 'ERR_NOT_FOUND', status: 404, details: { x: SECRET } }),
    ];
    for (const t of thrown) {
      const r = errorResponse(t, 'r');
      expect(r).toEqual(INTERNAL('r'));
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
