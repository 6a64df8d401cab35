// RFC 8785 JSON Canonicalization Scheme (JCS) over I-JSON (RFC 7493) values.
// §3.2.2.2 strings: JSON.stringify escaping (ES2019 well-formed) — short escapes for \b \t \n \f \r " \,
//   \u00xx (lowercase) for other controls, everything else literal; lone surrogates are refused first.
// §3.2.2.3 numbers: ECMAScript Number::toString (what JSON.stringify emits for finite numbers; -0 -> 0).
// §3.2.3 sorting: object keys by UTF-16 code units (what Array.prototype.sort does by default).
// Every signed or hashed body in quorumkit is the UTF-8 of this output (DESIGN.md, wire formats).

import { assertOptions, describeValue, optionKeys } from './assert.js';
import { isWellFormedString, utf8Encode } from './bytes.js';
import { notIJson, readMaxDepth, writeJson } from './_json-writer.js';
import type { JsonFormat, JsonPath } from './_json-writer.js';

export { jsonPointer } from './_json-writer.js';

/** Options for {@link canonicalize}. */
export interface CanonicalizeOptions {
  /**
   * How to treat `bigint` values. `'reject'` (default) throws `ERR_JSON_NOT_IJSON`, since JCS has
   * no integer type beyond IEEE 754 doubles. `'string'` writes the decimal digits as a JSON string
   * (`10n` -> `"10"`), which is how big integers travel on the quorumkit wire (DESIGN.md).
   */
  readonly bigint?: 'reject' | 'string';
  /** Maximum nesting of arrays/objects, 1..2048; default 512 (as parseStrict). Deeper values are `ERR_JSON_NOT_IJSON`. */
  readonly maxDepth?: number;
}

const CANONICALIZE_OPTION_KEYS = optionKeys<CanonicalizeOptions>({ bigint: true, maxDepth: true });

/**
 * Returns the JSON string literal for `s` (RFC 8785 §3.2.2.2).
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` on a lone surrogate.
 * @internal
 */
export function jcsString(s: string, path: JsonPath): string {
  if (!isWellFormedString(s)) throw notIJson(path, 'string contains a lone surrogate');
  // Nothing to escape (no '"', '\\' or U+0000-U+001F: the usual case, and all of base64): the
  // literal is the string in quotes. A native sticky scan is ~4x faster than JSON.stringify's on a
  // 4 KB signature; anything else takes JSON.stringify's exact §3.2.2.2 escaping.
  NO_ESCAPE_RUN.lastIndex = 0;
  NO_ESCAPE_RUN.test(s);
  return NO_ESCAPE_RUN.lastIndex === s.length ? `"${s}"` : JSON.stringify(s);
}

/** The longest run of characters JSON.stringify writes as themselves (sticky: from lastIndex). */
const NO_ESCAPE_RUN = /[^"\\\u0000-\u001f]*/y;

const JCS_FORMAT: JsonFormat = {
  string: jcsString,
  number: (n) => JSON.stringify(n),
  bigint: (_b, path) => {
    throw notIJson(path, 'a bigint (use { bigint: "string" } to encode it as a decimal string)');
  },
  // §3.2.3: default sort compares UTF-16 code units.
  sortKeys: (keys) => keys.sort(),
};

const JCS_BIGINT_STRING_FORMAT: JsonFormat = { ...JCS_FORMAT, bigint: (b) => `"${b.toString()}"` };

/**
 * Returns the RFC 8785 canonical JSON text of `value`.
 *
 * Accepts null, booleans, finite numbers, well-formed strings, arrays and plain objects
 * (prototype `Object.prototype` or null). Refuses — never drops — anything else.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` for NaN/±Infinity, lone surrogates (in strings or keys),
 *   `undefined` anywhere (top level, array element, object value, array hole), functions, symbols,
 *   bigint (unless `options.bigint === 'string'`), Map/Set/Date/Uint8Array/class instances, cycles, and
 *   nesting deeper than `options.maxDepth` (512) arrays/objects. RangeError for a bad option.
 * @example
 * canonicalize({ b: [1, 2.50, 'x'], a: null }); // '{"a":null,"b":[1,2.5,"x"]}'
 */
export function canonicalize(value: unknown, options?: CanonicalizeOptions): string {
  const o = assertOptions('options', options, CANONICALIZE_OPTION_KEYS);
  const bigintMode = o.bigint ?? 'reject';
  if (bigintMode !== 'reject' && bigintMode !== 'string') {
    throw new RangeError(`"options.bigint" expected 'reject' or 'string', got ${describeValue(bigintMode)}`);
  }
  return writeJson(value, bigintMode === 'reject' ? JCS_FORMAT : JCS_BIGINT_STRING_FORMAT, readMaxDepth(o.maxDepth));
}

/**
 * Returns the UTF-8 bytes of {@link canonicalize}`(value, options)` — the bytes that get hashed or signed.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` as {@link canonicalize}.
 */
export function canonicalBytes(value: unknown, options?: CanonicalizeOptions): Uint8Array {
  return utf8Encode(canonicalize(value, options));
}
