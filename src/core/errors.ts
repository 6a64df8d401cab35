// Typed errors (the pattern of jose's src/util/errors.ts): one class per code, each with a static
// `code` and the HTTP `status` it answers with, owned by its domain's errors.ts. This module holds
// the base class and the generic codes — arguments, encodings, JSON (core's own domain), auth, I/O.
// Wrong argument types/ranges throw TypeError/RangeError (see STYLE.md); protocol and data failures
// throw QuorumkitError subclasses. Messages and details never contain secret material.

/** A JSON-safe value: what `details` may hold, so the HTTP error handler can serialize it as is. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Options of every {@link QuorumkitError} constructor. */
export interface QuorumkitErrorOptions {
  /** The underlying failure (never serialized to HTTP callers). */
  readonly cause?: unknown;
  /** Extra JSON-safe fields for callers; a 4xx HTTP answer carries them beside `code` and `message`. */
  readonly details?: Record<string, JsonValue>;
}

/**
 * The base error of quorumkit: `code` is stable (`switch (err.code)`), `message` is for humans,
 * `status` is the HTTP status a service answers with, `details` optional JSON-safe extras.
 * Subclasses set `static code` and `static status`; `name` is the subclass's own name.
 * @example
 * class WidgetError extends QuorumkitError {
 *   static override readonly code: string = 'ERR_WIDGET';
 *   static override readonly status: number = 400;
 * }
 * new WidgetError('bad widget').code; // 'ERR_WIDGET'
 */
export class QuorumkitError extends Error {
  /** The code every instance of this class carries. */
  static readonly code: string = 'ERR_INTERNAL';
  /** The HTTP status of this class: below 500 its message reaches callers, else "internal error". */
  static readonly status: number = 500;
  /**
   * True on a 5xx class that reports a condition of another service, not a fault of this one (502
   * inconsistent upstream answers, 503 too few upstream services): its status, code, message and
   * details reach callers like a 4xx's. Such messages must hold nothing internal.
   */
  static readonly expose: boolean = false;
  /** Stable error code (`ERR_…`). */
  readonly code: string;
  /** JSON-safe extras (e.g. Byzantine evidence) that a 4xx HTTP answer carries; absent (no own property) when none. */
  declare readonly details?: Readonly<Record<string, JsonValue>>;
  constructor(message: string, options?: QuorumkitErrorOptions) {
    super(message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = (new.target as typeof QuorumkitError).code;
    if (options?.details !== undefined) this.details = options.details;
  }

  /** The HTTP status of this error's class. */
  get status(): number {
    return (this.constructor as typeof QuorumkitError).status;
  }
}

/** A value is outside what an operation accepts (`ERR_INVALID_ARGUMENT`, 400). */
export class InvalidArgumentError extends QuorumkitError {
  static override readonly code: string = 'ERR_INVALID_ARGUMENT';
  static override readonly status: number = 400;
}

/** Malformed hex, base64, UTF-8, RFC 3339 or another text encoding (`ERR_ENCODING`, 400). */
export class EncodingError extends QuorumkitError {
  static override readonly code: string = 'ERR_ENCODING';
  static override readonly status: number = 400;
}

/** JSON syntax error (`ERR_JSON_PARSE`, 400). */
export class JsonParseError extends QuorumkitError {
  static override readonly code: string = 'ERR_JSON_PARSE';
  static override readonly status: number = 400;
}

/** A JSON object repeats a key (`ERR_JSON_DUPLICATE_KEY`, 400). */
export class JsonDuplicateKeyError extends QuorumkitError {
  static override readonly code: string = 'ERR_JSON_DUPLICATE_KEY';
  static override readonly status: number = 400;
}

/** A value is not I-JSON (RFC 7493): NaN, ±Infinity, lone surrogates, unsafe numbers (`ERR_JSON_NOT_IJSON`, 400). */
export class JsonNotIJsonError extends QuorumkitError {
  static override readonly code: string = 'ERR_JSON_NOT_IJSON';
  static override readonly status: number = 400;
}

/** A document does not match its JSON Schema (`ERR_SCHEMA_INVALID`, 400). */
export class SchemaInvalidError extends QuorumkitError {
  static override readonly code: string = 'ERR_SCHEMA_INVALID';
  static override readonly status: number = 400;
}

/** The caller is not authenticated: unsigned or wrongly signed request (`ERR_UNAUTHENTICATED`, 401). */
export class UnauthenticatedError extends QuorumkitError {
  static override readonly code: string = 'ERR_UNAUTHENTICATED';
  static override readonly status: number = 401;
}

/** The caller is authenticated but not allowed (`ERR_FORBIDDEN`, 403). */
export class ForbiddenError extends QuorumkitError {
  static override readonly code: string = 'ERR_FORBIDDEN';
  static override readonly status: number = 403;
}

/** The thing asked for does not exist (`ERR_NOT_FOUND`, 404). */
export class NotFoundError extends QuorumkitError {
  static override readonly code: string = 'ERR_NOT_FOUND';
  static override readonly status: number = 404;
}

/** The request conflicts with the current state (`ERR_CONFLICT`, 409). */
export class ConflictError extends QuorumkitError {
  static override readonly code: string = 'ERR_CONFLICT';
  static override readonly status: number = 409;
}

/** A request body exceeds the limit (`ERR_PAYLOAD_TOO_LARGE`, 413). */
export class PayloadTooLargeError extends QuorumkitError {
  static override readonly code: string = 'ERR_PAYLOAD_TOO_LARGE';
  static override readonly status: number = 413;
}

/** This runtime or provider cannot do what was asked (`ERR_UNSUPPORTED`, 500). */
export class UnsupportedError extends QuorumkitError {
  static override readonly code: string = 'ERR_UNSUPPORTED';
  static override readonly status: number = 500;
}

/** A file, database, socket or peer failed (`ERR_IO`, 500). */
export class IoError extends QuorumkitError {
  static override readonly code: string = 'ERR_IO';
  static override readonly status: number = 500;
}

/** An invariant broke inside quorumkit (`ERR_INTERNAL`, 500). */
export class InternalError extends QuorumkitError {
  static override readonly code: string = 'ERR_INTERNAL';
  static override readonly status: number = 500;
}

/** The generic codes (this module's classes); each domain exports its own code union. Stable: new codes may be added, none renamed. */
export type QuorumkitErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_ENCODING'
  | 'ERR_JSON_PARSE'
  | 'ERR_JSON_DUPLICATE_KEY'
  | 'ERR_JSON_NOT_IJSON'
  | 'ERR_SCHEMA_INVALID'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_CONFLICT'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_UNSUPPORTED'
  | 'ERR_IO'
  | 'ERR_INTERNAL';

/** True when `err` is a QuorumkitError, optionally with the given code (any domain's). */
export function isQuorumkitError(err: unknown, code?: string): err is QuorumkitError {
  return err instanceof QuorumkitError && (code === undefined || err.code === code);
}
