// Compatibility encoder: exactly Python's
//   json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=...)
// (CPython Lib/json/encoder.py: py_encode_basestring{,_ascii}, float.__repr__ = repr with 'r' format,
// Python/pystrtod.c format_float_short: exponent form when decpt <= -4 or decpt > 16).
//
// It exists ONLY to check artifacts produced by the seed projects (DESIGN.md, wire formats): they
// hashed and signed this encoding. Everything quorumkit itself signs uses RFC 8785 (canonical-json.ts).
// Differences from JCS: keys sort by code point (not UTF-16 unit), floats keep Python's repr (`1.0`,
// `1e-05`, `1e+16`), non-ASCII is escaped when ensureAscii is on, and U+007F is escaped in that mode.

import { JsonNotIJsonError, QuorumkitError } from './errors.js';
import { assertOptions, describeType, optionKeys } from './assert.js';
import { isWellFormedString, utf8Encode } from './bytes.js';
import { notIJson, readMaxDepth, writeJson } from './_json-writer.js';
import type { JsonFormat, JsonPath } from './_json-writer.js';

/**
 * A number that Python would hold as a `float`: rendered as `1.0`, never `1`. `parseStrict` with
 * `{ floats: 'python' }` returns these for number literals containing `.`, `e` or `E`.
 */
export class PythonFloat {
  /** The IEEE 754 double value. */
  readonly value: number;
  /** @throws TypeError when `value` is not a number. */
  constructor(value: number) {
    if (typeof value !== 'number') throw new TypeError(`"value" expected number, got ${typeof value}`);
    this.value = value;
  }
  /** JSON.stringify sees the plain number. */
  toJSON(): number {
    return this.value;
  }
}

/**
 * Wraps `n` as a Python float (so `pyFloat(1)` renders `1.0`).
 * @throws TypeError when `n` is not a number.
 */
export function pyFloat(n: number): PythonFloat {
  return new PythonFloat(n);
}

/** Options for {@link canonicalizePython}. */
export interface CanonicalizePythonOptions {
  /** Python's `ensure_ascii` (default true): escape every character outside U+0020..U+007E as `\uXXXX`. */
  readonly ensureAscii?: boolean;
  /** Maximum nesting of arrays/objects, 1..2048; default 512 (as parseStrict). Deeper values are `ERR_JSON_NOT_IJSON`. */
  readonly maxDepth?: number;
  /**
   * `'compact'` (default): `separators=(",", ":")`. `'default'`: Python's own default when `indent` is
   * None, `(", ", ": ")` — what `json.dumps(value, sort_keys=True)` writes (the Web4 decision log hashes it).
   */
  readonly separators?: 'compact' | 'default';
}

const CANONICALIZE_PYTHON_OPTION_KEYS = optionKeys<CanonicalizePythonOptions>({ ensureAscii: true, maxDepth: true, separators: true });

/**
 * Python `repr(float)` of a finite number: shortest round-trip digits (the same digits as JS
 * `Number.prototype.toString`), exponent form when the decimal exponent is < -4 or >= 16
 * (`1e-05`, `1e+16`, `1.5e+300`), else positional with at least one fractional digit (`1.0`, `100.0`).
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` for NaN and ±Infinity (Python would write `NaN`; we refuse).
 */
export function pythonFloatRepr(n: number): string {
  if (typeof n !== 'number') throw new TypeError(`"n" expected number, got ${typeof n}`);
  if (!Number.isFinite(n)) throw new JsonNotIJsonError(`float ${String(n)} is not I-JSON`);
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const js = String(Math.abs(n));
  let digits: string;
  let exp: number; // value = d.ddd × 10^exp
  const e = js.indexOf('e');
  if (e >= 0) {
    digits = js.slice(0, e).replace('.', '');
    exp = Number(js.slice(e + 1));
  } else {
    const dot = js.indexOf('.');
    const intPart = dot >= 0 ? js.slice(0, dot) : js;
    const frac = dot >= 0 ? js.slice(dot + 1) : '';
    if (intPart !== '0') {
      digits = intPart + frac;
      exp = intPart.length - 1;
    } else {
      const lead = frac.length - frac.replace(/^0+/, '').length;
      digits = frac.slice(lead);
      exp = -lead - 1;
    }
  }
  digits = digits.replace(/0+$/, '');
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  const intPart = digits.length >= intLen ? digits.slice(0, intLen) : digits + '0'.repeat(intLen - digits.length);
  const frac = digits.length > intLen ? digits.slice(intLen) : '0';
  return `${sign}${intPart}.${frac}`;
}

/**
 * Compares two well-formed strings by Unicode code point (Python `str` ordering).
 * @throws TypeError when either is not a string.
 */
export function compareCodePoints(a: string, b: string): number {
  if (typeof a !== 'string' || typeof b !== 'string') throw new TypeError(`"a" and "b" expected strings, got ${typeof a} and ${typeof b}`);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const ra = a.length - i;
  const rb = b.length - j;
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

function pyString(s: string, ensureAscii: boolean, path: JsonPath): string {
  if (!isWellFormedString(s)) throw notIJson(path, 'string contains a lone surrogate');
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const plain = ensureAscii ? c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c : c >= 0x20 && c !== 0x22 && c !== 0x5c;
    if (plain) continue;
    out += s.slice(run, i);
    // Astral characters arrive as two UTF-16 units, so escaping unit by unit yields the surrogate pair Python writes.
    out += SHORT_ESCAPES[c] ?? '\\u' + c.toString(16).padStart(4, '0');
    run = i + 1;
  }
  return out + s.slice(run) + '"';
}

function pyInt(n: number): string {
  // An integral double beyond 2^53 is still one exact integer; Python's int() of it prints all digits.
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

function pyFormat(ensureAscii: boolean, spaced: boolean): JsonFormat {
  return {
    itemSeparator: spaced ? ', ' : ',',
    keySeparator: spaced ? ': ' : ':',
    string: (s, path) => pyString(s, ensureAscii, path),
    number: (n) => (Number.isInteger(n) ? pyInt(n) : pythonFloatRepr(n)),
    bigint: (b) => b.toString(),
    sortKeys: (keys, path) => {
      // Checked up front, in insertion order: compareCodePoints is only defined on well-formed strings.
      for (const k of keys) {
        if (!isWellFormedString(k)) throw notIJson([...path, k], 'key contains a lone surrogate');
      }
      return keys.sort(compareCodePoints);
    },
    extraLeaf: (v, path) => {
      if (!(v instanceof PythonFloat)) return undefined;
      if (!Number.isFinite(v.value)) throw notIJson(path, `float ${String(v.value)}`);
      return pythonFloatRepr(v.value);
    },
  };
}

// [ensureAscii][spaced]
const PY_FORMATS = [[pyFormat(false, false), pyFormat(false, true)], [pyFormat(true, false), pyFormat(true, true)]] as const;

/**
 * Returns what Python's `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=...)`
 * returns for the equivalent Python value. JS integral numbers and bigints render as Python ints,
 * non-integral numbers and {@link PythonFloat} as Python floats (`pyFloat(1)` -> `1.0`).
 * For seed-project compatibility checks only; sign and hash with `canonicalize` (RFC 8785).
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` for NaN/±Infinity, lone surrogates, undefined, functions,
 *   symbols, non-plain objects (Map, Date, Uint8Array, class instances other than PythonFloat), cycles
 *   and nesting deeper than `options.maxDepth` (512) arrays/objects. TypeError/RangeError for a bad option.
 * @example
 * canonicalizePython({ b: pyFloat(1), a: 'é' });                        // '{"a":"\\u00e9","b":1.0}'
 * canonicalizePython({ v: [1e-5, 1e16, 3] }, { ensureAscii: false });   // '{"v":[1e-05,10000000000000000,3]}'
 * canonicalizePython({ b: [1, 2], a: null }, { separators: 'default' }); // '{"a": null, "b": [1, 2]}'
 */
export function canonicalizePython(value: unknown, options?: CanonicalizePythonOptions): string {
  const o = assertOptions('options', options, CANONICALIZE_PYTHON_OPTION_KEYS);
  const ensureAscii = o.ensureAscii ?? true;
  if (typeof ensureAscii !== 'boolean') throw new TypeError(`"options.ensureAscii" expected boolean, got ${describeType(ensureAscii)}`);
  const separators = o.separators ?? 'compact';
  if (separators !== 'compact' && separators !== 'default') throw new TypeError(`"options.separators" expected 'compact' or 'default', got ${describeType(separators)}`);
  return writeJson(value, PY_FORMATS[ensureAscii ? 1 : 0][separators === 'default' ? 1 : 0], readMaxDepth(o.maxDepth));
}

/**
 * UTF-8 bytes of {@link canonicalizePython} — what the seed projects hashed.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` as {@link canonicalizePython}.
 */
export function canonicalPythonBytes(value: unknown, options?: CanonicalizePythonOptions): Uint8Array {
  return utf8Encode(canonicalizePython(value, options));
}
