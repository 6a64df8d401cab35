// Strict JSON parser: RFC 8259 grammar, hand-written, restricted to I-JSON (RFC 7493 §2):
// duplicate member names (§2.3), lone surrogates (§2.1) and numbers outside IEEE 754 binary64
// range (§2.2) are errors, not "last one wins" / U+FFFD / Infinity. JSON.parse cannot be made to
// do this (a reviver sees objects after duplicates were already merged).

import { JsonDuplicateKeyError, JsonNotIJsonError, JsonParseError, QuorumkitError } from './errors.js';
import { assertOptions, assertString, describeValue, optionKeys } from './assert.js';
import { jsonPointer } from './canonical-json.js';
import { DEFAULT_MAX_DEPTH, readMaxDepth } from './_json-writer.js';
import { PythonFloat } from './canonical-python.js';

/** Characters a JSON string holds literally, minus surrogates (checked one by one for pairing). Sticky, no `u` flag: UTF-16 code units. */
const PLAIN_RUN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y;

/** Options for {@link parseStrict}. */
export interface ParseStrictOptions {
  /**
   * `'number'` (default): every number literal becomes a JS number.
   * `'python'`: literals containing `.`, `e` or `E` become {@link PythonFloat} so that
   * `canonicalizePython` writes `1.0` back for a literal `1.0` (seed-project compatibility only).
   */
  readonly floats?: 'number' | 'python';
  /**
   * When true, integer literals (no `.`/`e`/`E`) beyond ±`Number.MAX_SAFE_INTEGER` come back as
   * exact `bigint` instead of a rounded number (DESIGN.md: big integers may arrive as JSON integers).
   */
  readonly bigints?: boolean;
  /** Maximum nesting of arrays/objects; default 512. Deeper input is `ERR_JSON_PARSE`. */
  readonly maxDepth?: number;
}

const PARSE_STRICT_OPTION_KEYS = optionKeys<ParseStrictOptions>({ floats: true, bigints: true, maxDepth: true });

/** The default nesting limit of {@link parseStrict} (and of `canonicalize` / `canonicalizePython`). */
export const PARSE_MAX_DEPTH = DEFAULT_MAX_DEPTH;

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class StrictParser {
  private pos = 0;
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly floats: 'number' | 'python',
    private readonly bigints: boolean,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): unknown {
    this.skipWs();
    const value = this.parseValue(0);
    this.skipWs();
    if (this.pos < this.text.length) throw this.fail('unexpected data after the JSON value');
    return value;
  }

  private where(at: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return `line ${line}, column ${at - lineStart + 1} (offset ${at})`;
  }

  private fail(msg: string, at = this.pos): QuorumkitError {
    return new JsonParseError(`JSON parse error at ${this.where(at)}: ${msg}`);
  }

  private notIJson(msg: string, at: number): QuorumkitError {
    return new JsonNotIJsonError(`JSON is not I-JSON at ${this.where(at)}: ${msg}`);
  }

  private unexpected(): QuorumkitError {
    if (this.pos >= this.text.length) return this.fail('unexpected end of input');
    const c = this.text.codePointAt(this.pos)!;
    const shown = c >= 0x21 && c <= 0x7e ? `'${String.fromCodePoint(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    return this.fail(`unexpected character ${shown}`);
  }

  private skipWs(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.parseObject(depth + 1);
      case 0x5b: // [
        return this.parseArray(depth + 1);
      case 0x22: // "
        return this.parseString();
      case 0x74: // t
        return this.parseLiteral('true', true);
      case 0x66: // f
        return this.parseLiteral('false', false);
      case 0x6e: // n
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        throw this.unexpected();
    }
  }

  private parseLiteral<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.fail(`invalid literal (expected '${word}')`);
    this.pos += word.length;
    return value;
  }

  private parseNumber(): unknown {
    const start = this.pos;
    NUMBER_RE.lastIndex = start;
    const m = NUMBER_RE.exec(this.text);
    const next = m === null ? -1 : this.text.charCodeAt(start + m[0].length);
    if (m === null || (next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
      const lit = this.text.slice(start, start + 24).match(/^[-+0-9.eE]*/)![0];
      const why = /^-?0[0-9]/.test(lit) ? 'leading zeros are not allowed' : 'malformed number';
      throw this.fail(`${why}: '${lit}'`, start);
    }
    const lit = m[0];
    this.pos = start + lit.length;
    const isFloat = /[.eE]/.test(lit);
    const n = Number(lit);
    if (!Number.isFinite(n)) throw this.notIJson(`number ${lit.slice(0, 32)} is outside the IEEE 754 double range`, start);
    if (isFloat) return this.floats === 'python' ? new PythonFloat(n) : n;
    if (this.bigints && !Number.isSafeInteger(n)) return BigInt(lit);
    return n;
  }

  private readHex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.text.charCodeAt(at + i);
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else throw this.fail('invalid \\u escape (expected 4 hex digits)', at - 2);
      v = (v << 4) | d;
    }
    return v;
  }

  private parseString(): string {
    const t = this.text;
    let p = this.pos + 1; // after the opening quote
    let out = '';
    let runStart = p;
    for (;;) {
      // Skip, in one native scan, the run of characters that stand for themselves (anything but
      // '"', '\\', U+0000-U+001F and surrogates); the loop below handles the character after it.
      PLAIN_RUN.lastIndex = p;
      PLAIN_RUN.test(t);
      p = PLAIN_RUN.lastIndex;
      if (p >= t.length) throw this.fail('unterminated string', this.pos);
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        out += t.slice(runStart, p);
        this.pos = p + 1;
        return out;
      }
      if (c < 0x20) throw this.fail('unescaped control character in string', p);
      if (c >= 0xd800 && c <= 0xdfff) {
        const lo = t.charCodeAt(p + 1);
        if (c >= 0xdc00 || !(lo >= 0xdc00 && lo <= 0xdfff)) throw this.notIJson('lone surrogate in string', p);
        p += 2;
        continue;
      }
      // Only a backslash is left here: the scan stops at nothing else.
      out += t.slice(runStart, p);
      const e = t.charCodeAt(p + 1);
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const u = this.readHex4(p + 2);
          if (u >= 0xd800 && u <= 0xdbff) {
            if (t.charCodeAt(p + 6) !== 0x5c || t.charCodeAt(p + 7) !== 0x75) throw this.notIJson('lone surrogate escape in string', p);
            const lo = this.readHex4(p + 8);
            if (lo < 0xdc00 || lo > 0xdfff) throw this.notIJson('lone surrogate escape in string', p);
            out += String.fromCharCode(u, lo);
            p += 6;
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            throw this.notIJson('lone surrogate escape in string', p);
          } else {
            out += String.fromCharCode(u);
          }
          p += 4;
          break;
        }
        default:
          if (p + 1 >= t.length) throw this.fail('unterminated string', this.pos);
          throw this.fail('invalid escape sequence in string', p);
      }
      p += 2;
      runStart = p;
    }
  }

  private checkDepth(depth: number): void {
    if (depth > this.maxDepth) throw this.fail(`nesting deeper than ${this.maxDepth} levels`);
  }

  private parseArray(depth: number): unknown[] {
    this.checkDepth(depth);
    this.pos++;
    const arr: unknown[] = [];
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.path.push(arr.length);
      arr.push(this.parseValue(depth));
      this.path.pop();
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x5d) {
        this.pos++;
        return arr;
      }
      if (c !== 0x2c) throw this.pos >= this.text.length ? this.unexpected() : this.fail("expected ',' or ']' in array");
      this.pos++;
      this.skipWs();
      if (this.text.charCodeAt(this.pos) === 0x5d) throw this.fail('trailing comma in array');
    }
  }

  private parseObject(depth: number): Record<string, unknown> {
    this.checkDepth(depth);
    this.pos++;
    const obj: Record<string, unknown> = {};
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) {
        if (this.text.charCodeAt(this.pos) === 0x7d) throw this.fail('trailing comma in object');
        throw this.pos >= this.text.length ? this.unexpected() : this.fail('expected a string key in object');
      }
      const keyAt = this.pos;
      const key = this.parseString();
      this.path.push(key);
      if (Object.hasOwn(obj, key)) {
        const shown = JSON.stringify(key.length > 64 ? key.slice(0, 64) + '…' : key);
        throw new JsonDuplicateKeyError(`duplicate key ${shown} at ${jsonPointer(this.path)} (${this.where(keyAt)})`);
      }
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x3a) throw this.pos >= this.text.length ? this.unexpected() : this.fail("expected ':' after object key");
      this.pos++;
      this.skipWs();
      const value = this.parseValue(depth);
      // defineProperty makes "__proto__" an own data key instead of replacing the prototype.
      if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      else obj[key] = value;
      this.path.pop();
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x7d) {
        this.pos++;
        return obj;
      }
      if (c !== 0x2c) throw this.pos >= this.text.length ? this.unexpected() : this.fail("expected ',' or '}' in object");
      this.pos++;
      this.skipWs();
    }
  }
}

/**
 * Parses JSON text strictly (RFC 8259 grammar, I-JSON restrictions). Objects come back as plain
 * objects whose keys are all own properties (a `"__proto__"` key stays data, never a prototype).
 * @throws QuorumkitError `ERR_JSON_PARSE` for syntax errors (with line, column and offset), trailing
 *   data, leading zeros, trailing commas, a BOM, or nesting beyond `maxDepth`;
 *   `ERR_JSON_DUPLICATE_KEY` for a repeated key (message names its JSON pointer);
 *   `ERR_JSON_NOT_IJSON` for lone surrogates (raw or escaped) and numbers beyond the double range.
 *   TypeError when `text` is not a string.
 * @example
 * parseStrict('{"a":1,"a":2}');           // throws ERR_JSON_DUPLICATE_KEY: duplicate key "a" at /a
 * parseStrict('[1.0]', { floats: 'python' }); // [PythonFloat { value: 1 }]
 */
export function parseStrict(text: string, options?: ParseStrictOptions): unknown {
  assertString('text', text);
  const o = assertOptions('options', options, PARSE_STRICT_OPTION_KEYS);
  const floats = o.floats ?? 'number';
  if (floats !== 'number' && floats !== 'python') throw new RangeError(`"options.floats" expected 'number' or 'python', got ${describeValue(floats)}`);
  return new StrictParser(text, floats, o.bigints === true, readMaxDepth(o.maxDepth)).parseDocument();
}
