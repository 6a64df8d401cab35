import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index.js';
import { constantTimeEqual } from '../../src/core/bytes.js';
import { setConstantTimeEqualBackend } from '../../src/core/_ct-backend.js';
import { QuorumkitError } from '../../src/core/errors.js';

describe('quorumkit/core index', () => {
  it('re-exports the public API (same bindings, nothing missing)', () => {
    const expected = [
      'QuorumkitError', 'isQuorumkitError', 'InvalidArgumentError', 'EncodingError', 'JsonParseError', 'JsonDuplicateKeyError',
      'JsonNotIJsonError', 'SchemaInvalidError', 'UnauthenticatedError', 'ForbiddenError', 'NotFoundError', 'ConflictError',
      'PayloadTooLargeError', 'UnsupportedError', 'IoError', 'InternalError',
      'toHex', 'fromHex', 'base64Encode', 'base64Decode', 'base64urlEncode', 'base64urlDecode', 'utf8Encode', 'utf8Decode',
      'isWellFormedString', 'concatBytes', 'constantTimeEqual', 'constantTimeEqualTs',
      'assertBytes', 'assertString', 'assertInt', 'assertObject', 'assertOptions', 'optionKeys', 'isPlainObject',
      'describeValue', 'describeType',
      'setConstantTimeEqualBackend', 'getConstantTimeEqualBackend',
      'canonicalize', 'canonicalBytes', 'jsonPointer', 'parseStrict', 'PARSE_MAX_DEPTH',
      'canonicalizePython', 'canonicalPythonBytes', 'PythonFloat', 'pyFloat', 'pythonFloatRepr', 'compareCodePoints',
      'systemClock', 'fixedClock', 'offsetClock', 'manualClock', 'toRfc3339', 'parseRfc3339',
      'randomId', 'isUrnId', 'urnIdKind',
    ];
    expect(Object.keys(core).sort()).toEqual([...expected].sort());
    expect(core.constantTimeEqual).toBe(constantTimeEqual);
    expect(core.setConstantTimeEqualBackend).toBe(setConstantTimeEqualBackend);
    expect(core.QuorumkitError).toBe(QuorumkitError);
  });
  it('a QuorumkitError subclass carries its stable code and the cause; isQuorumkitError filters by code', () => {
    const cause = new Error('inner');
    const e = new core.EncodingError('bad', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(core.QuorumkitError);
    expect(e.name).toBe('EncodingError');
    expect(e.code).toBe('ERR_ENCODING');
    expect(e.cause).toBe(cause);
    expect(core.isQuorumkitError(e)).toBe(true);
    expect(core.isQuorumkitError(e, 'ERR_ENCODING')).toBe(true);
    expect(core.isQuorumkitError(e, 'ERR_IO')).toBe(false);
    expect(core.isQuorumkitError(new Error('x'))).toBe(false);
  });
});
