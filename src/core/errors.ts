// Typed errors. One base class with a stable `code` so callers can `switch (err.code)`.
// Wrong argument types/ranges throw TypeError/RangeError (see STYLE.md); protocol and
// data failures throw QuorumkitError. Messages never contain secret material.

/** Every error code quorumkit can throw. Stable: new codes may be added, none renamed. */
export type QuorumkitErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_JSON_PARSE'
  | 'ERR_JSON_DUPLICATE_KEY'
  | 'ERR_JSON_NOT_IJSON'
  | 'ERR_ENCODING'
  | 'ERR_WASM_UNAVAILABLE'
  | 'ERR_WASM_INTEGRITY'
  | 'ERR_WASM_NOT_INITIALIZED'
  | 'ERR_PROVIDER_UNAVAILABLE'
  | 'ERR_UNSUPPORTED'
  | 'ERR_UNKNOWN_ALG'
  | 'ERR_KEY_INVALID'
  | 'ERR_KEY_FILE'
  | 'ERR_KEY_PASSWORD'
  | 'ERR_SIGNATURE_INVALID'
  | 'ERR_ENVELOPE_MALFORMED'
  | 'ERR_ENVELOPE_INVALID'
  | 'ERR_IO'
  | 'ERR_FIELD_NOT_CANONICAL'
  | 'ERR_FIELD_DIVISION_BY_ZERO'
  | 'ERR_SHAMIR_INVALID'
  | 'ERR_SCHEMA_INVALID'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_CONFLICT'
  | 'ERR_INTERNAL'
  | 'ERR_GOVERNANCE'
  | 'ERR_INVALID_PROPOSAL'
  | 'ERR_INVALID_VOTE'
  | 'ERR_INSUFFICIENT_QUORUM'
  | 'ERR_CONSENSUS_FAILED'
  | 'ERR_UNKNOWN_NODE'
  | 'ERR_BYZANTINE_DETECTED'
  | 'ERR_PROPOSAL_EXPIRED';

/** The base error of quorumkit: `code` is stable, `message` is for humans. */
export class QuorumkitError extends Error {
  readonly code: QuorumkitErrorCode;
  constructor(code: QuorumkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuorumkitError';
    this.code = code;
  }
}

/** True when `err` is a QuorumkitError, optionally with the given code. */
export function isQuorumkitError(err: unknown, code?: QuorumkitErrorCode): err is QuorumkitError {
  return err instanceof QuorumkitError && (code === undefined || err.code === code);
}
