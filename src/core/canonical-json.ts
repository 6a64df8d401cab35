// RFC 8785 JSON Canonicalization Scheme (JCS) over I-JSON (RFC 7493) values.
// §3.2.2.2 strings: JSON.stringify escaping (ES2019 well-formed) — short escapes for \b \t \n \f \r " \,
//   \u00xx (lowercase) for other controls, everything else literal; lone surrogates are refused first.
// §3.2.2.3 numbers: ECMAScript Number::toString (what JSON.stringify emits for finite numbers; -0 -> 0).
// §3.2.3 sorting: object keys by UTF-16 code units (what Array.prototype.sort does by default).
// Every signed or hashed body in quorumkit is the UTF-8 of this output (DESIGN.md, wire formats).

import { QuorumkitError } from './errors.js';
import { isWellFormedString, utf8Encode } from './bytes.js';

/** Options for {@link canonicalize}. */
export interface CanonicalizeOptions {
  /**
   * How to treat `bigint` values. `'reject'` (default) throws `ERR_JSON_NOT_IJSON`, since JCS has
   * no integer type beyond IEEE 754 doubles. `'string'` writes the decimal digits as a JSON string
   * (`10n` -> `"10"`), which is how big integers travel on the quorumkit wire (DESIGN.md).
   */
  readonly bigint?: 'reject' | 'string';
}

/** A JSON pointer (RFC 6901) for error messages. */
export function jsonPointer(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function notIJson(path: readonly (string | number)[], what: string): QuorumkitError {
  return new QuorumkitError('ERR_JSON_NOT_IJSON', `value at ${jsonPointer(path)} is not I-JSON: ${what}`);
}

/**
 * Describes why `value` is not a JSON value, or returns null when its type is acceptable.
 * Shared by the JCS and Python encoders so both refuse the same things.
 * @internal
 */
export function describeNonJson(value: unknown): string | null {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'object': {
      if (value === null || Array.isArray(value)) return null;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) {
        if (Object.getOwnPropertySymbols(value).length > 0) return 'an object with symbol keys';
        return null;
      }
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      return `a non-plain object (${name})`;
    }
    default:
      return null;
  }
}

/**
 * Returns the JSON string literal for `s` (RFC 8785 §3.2.2.2).
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` on a lone surrogate.
 * @internal
 */
export function jcsString(s: string, path: readonly (string | number)[]): string {
  if (!isWellFormedString(s)) throw notIJson(path, 'string contains a lone surrogate');
  return JSON.stringify(s);
}

/**
 * Returns the RFC 8785 canonical JSON text of `value`.
 *
 * Accepts null, booleans, finite numbers, well-formed strings, arrays and plain objects
 * (prototype `Object.prototype` or null). Refuses — never drops — anything else.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` for NaN/±Infinity, lone surrogates (in strings or keys),
 *   `undefined` anywhere (top level, array element, object value, array hole), functions, symbols,
 *   bigint (unless `options.bigint === 'string'`), Map/Set/Date/Uint8Array/class instances, and cycles.
 * @example
 * canonicalize({ b: [1, 2.50, 'x'], a: null }); // '{"a":null,"b":[1,2.5,"x"]}'
 */
export function canonicalize(value: unknown, options: CanonicalizeOptions = {}): string {
  const bigintMode = options.bigint ?? 'reject';
  if (bigintMode !== 'reject' && bigintMode !== 'string') {
    throw new RangeError(`"options.bigint" expected 'reject' or 'string', got ${String(bigintMode)}`);
  }
  const out: string[] = [];
  const ancestors = new Set<object>();
  const path: (string | number)[] = [];

  const write = (v: unknown): void => {
    switch (typeof v) {
      case 'string':
        out.push(jcsString(v, path));
        return;
      case 'number':
        if (!Number.isFinite(v)) throw notIJson(path, String(v));
        out.push(JSON.stringify(v));
        return;
      case 'boolean':
        out.push(v ? 'true' : 'false');
        return;
      case 'bigint':
        if (bigintMode === 'reject') throw notIJson(path, 'a bigint (use { bigint: "string" } to encode it as a decimal string)');
        out.push(`"${v.toString()}"`);
        return;
      default:
        break;
    }
    if (v === null) {
      out.push('null');
      return;
    }
    const bad = describeNonJson(v);
    if (bad !== null) throw notIJson(path, bad);
    const obj = v as object;
    if (ancestors.has(obj)) throw notIJson(path, 'a cycle');
    ancestors.add(obj);
    if (Array.isArray(obj)) {
      out.push('[');
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) out.push(',');
        path.push(i);
        write(obj[i]);
        path.pop();
      }
      out.push(']');
    } else {
      const rec = obj as Record<string, unknown>;
      const keys = Object.keys(rec).sort();
      out.push('{');
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (i > 0) out.push(',');
        path.push(k);
        out.push(jcsString(k, path), ':');
        write(rec[k]);
        path.pop();
      }
      out.push('}');
    }
    ancestors.delete(obj);
  };

  write(value);
  return out.join('');
}

/**
 * Returns the UTF-8 bytes of {@link canonicalize}`(value, options)` — the bytes that get hashed or signed.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` as {@link canonicalize}.
 */
export function canonicalBytes(value: unknown, options: CanonicalizeOptions = {}): Uint8Array {
  return utf8Encode(canonicalize(value, options));
}
