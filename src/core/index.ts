// quorumkit/core: bytes, errors, argument checks, canonical JSON (RFC 8785), strict parsing, time, ids. Re-exports only.

export {
  QuorumkitError, isQuorumkitError, InvalidArgumentError, EncodingError, JsonParseError, JsonDuplicateKeyError, JsonNotIJsonError,
  SchemaInvalidError, UnauthenticatedError, ForbiddenError, NotFoundError, ConflictError, PayloadTooLargeError, UnsupportedError,
  IoError, InternalError,
} from './errors.js';
export type { QuorumkitErrorCode, QuorumkitErrorOptions, JsonValue } from './errors.js';
export {
  toHex,
  fromHex,
  base64Encode,
  base64Decode,
  base64urlEncode,
  base64urlDecode,
  utf8Encode,
  utf8Decode,
  isWellFormedString,
  concatBytes,
  constantTimeEqual,
  constantTimeEqualTs,
} from './bytes.js';
export {
  assertBytes, assertString, assertInt, assertObject, assertOptions, optionKeys, isPlainObject, describeValue, describeType,
} from './assert.js';
export { setConstantTimeEqualBackend, getConstantTimeEqualBackend } from './_ct-backend.js';
export type { ConstantTimeEqualBackend } from './_ct-backend.js';
export { canonicalize, canonicalBytes, jsonPointer } from './canonical-json.js';
export type { CanonicalizeOptions } from './canonical-json.js';
export { parseStrict, PARSE_MAX_DEPTH } from './parse-strict.js';
export type { ParseStrictOptions } from './parse-strict.js';
export {
  canonicalizePython,
  canonicalPythonBytes,
  PythonFloat,
  pyFloat,
  pythonFloatRepr,
  compareCodePoints,
} from './canonical-python.js';
export type { CanonicalizePythonOptions } from './canonical-python.js';
export { systemClock, fixedClock, offsetClock, manualClock, toRfc3339, parseRfc3339 } from './clock.js';
export type { Clock, ManualClock } from './clock.js';
export { randomId, isUrnId, urnIdKind } from './ids.js';
