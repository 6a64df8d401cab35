// Shared compact-JSON value walker (internal; not part of the public exports map) behind the
// RFC 8785 JCS encoder (canonical-json.ts) and the Python json.dumps encoder (canonical-python.ts).
// It owns what both formats agree on: the I-JSON value model (RFC 7493 §2) — refusing, never
// dropping, undefined, functions, symbols, non-plain objects, non-finite numbers and cycles — plus
// RFC 6901 JSON-pointer paths in error messages, the `[a,b]` / `{"k":v}` punctuation with no
// whitespace, and the nesting limit it shares with parseStrict (the walk recurses once per level, so
// an unbounded depth would overflow the stack at a few thousand levels instead of failing typed).
// Leaf formatting and member order are the caller's {@link JsonFormat}.

import { describeType, describeValue } from './assert.js';
import { JsonNotIJsonError, QuorumkitError } from './errors.js';

/** The default nesting limit (arrays and objects) of parseStrict and the canonical writers. */
export const DEFAULT_MAX_DEPTH = 512;
/** The largest nesting limit a caller may ask for (the recursive walks stay far from the stack limit). */
export const MAX_DEPTH_LIMIT = 2048;

/**
 * Returns the `maxDepth` option, or the default when absent.
 * @throws RangeError unless it is an integer in 1..2048.
 */
export function readMaxDepth(maxDepth: unknown): number {
  if (maxDepth === undefined) return DEFAULT_MAX_DEPTH;
  if (typeof maxDepth !== 'number' || !Number.isSafeInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
    throw new RangeError(`"options.maxDepth" expected an integer in 1..${MAX_DEPTH_LIMIT}, got ${describeValue(maxDepth)}`);
  }
  return maxDepth;
}

/** A JSON-pointer path as a list of member names and array indices. */
export type JsonPath = readonly (string | number)[];

/** A JSON pointer (RFC 6901) for error messages. */
export function jsonPointer(path: JsonPath): string {
  if (path.length === 0) return '(root)';
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Returns the `ERR_JSON_NOT_IJSON` error for the value at `path`, `what` saying what it is. */
export function notIJson(path: JsonPath, what: string): QuorumkitError {
  return new JsonNotIJsonError(`value at ${jsonPointer(path)} is not I-JSON: ${what}`);
}

/** Describes why `value` is not a JSON value, or returns null when its type is acceptable. */
function describeNonJson(value: unknown): string | null {
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
      return `a non-plain object (${describeType(value)})`; // reads no getter of the value
    }
    default:
      return null;
  }
}

/**
 * How one output format renders leaves and orders members. Every hook gets the path of the value
 * (for a member name: the path of its member) so its errors can point at it; the path is live —
 * read it, never keep it.
 */
export interface JsonFormat {
  /** Returns the string literal for a string value or a member name. */
  string(s: string, path: JsonPath): string;
  /** Returns the text of a finite number (non-finite ones are refused before this is called). */
  number(n: number, path: JsonPath): string;
  /** Returns the text of a bigint, or throws when the format has none. */
  bigint(b: bigint, path: JsonPath): string;
  /** Returns the object's own keys in output order (may sort `keys` in place); may refuse a key. */
  sortKeys(keys: string[], path: JsonPath): string[];
  /**
   * Returns the text of a non-JSON value the format takes as a leaf (seen after null, before the
   * I-JSON checks), or undefined to treat it as JSON.
   */
  extraLeaf?(v: unknown, path: JsonPath): string | undefined;
  /** Between array items and object members; default `,`. */
  readonly itemSeparator?: string;
  /** Between a member name and its value; default `:`. */
  readonly keySeparator?: string;
}

/**
 * Returns the compact JSON text of `value` in `format`.
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` for NaN/±Infinity, `undefined` (anywhere, array holes
 *   included), functions, symbols, objects with symbol keys, non-plain objects, cycles and nesting
 *   deeper than `maxDepth` arrays/objects — and whatever the format's hooks throw.
 */
export function writeJson(value: unknown, format: JsonFormat, maxDepth: number = DEFAULT_MAX_DEPTH): string {
  const out: string[] = [];
  const ancestors = new Set<object>();
  const path: (string | number)[] = [];
  const itemSep = format.itemSeparator ?? ',';
  const keySep = format.keySeparator ?? ':';

  const write = (v: unknown): void => {
    switch (typeof v) {
      case 'string':
        out.push(format.string(v, path));
        return;
      case 'number':
        if (!Number.isFinite(v)) throw notIJson(path, String(v));
        out.push(format.number(v, path));
        return;
      case 'boolean':
        out.push(v ? 'true' : 'false');
        return;
      case 'bigint':
        out.push(format.bigint(v, path));
        return;
      default:
        break;
    }
    if (v === null) {
      out.push('null');
      return;
    }
    const leaf = format.extraLeaf?.(v, path);
    if (leaf !== undefined) {
      out.push(leaf);
      return;
    }
    const bad = describeNonJson(v);
    if (bad !== null) throw notIJson(path, bad);
    const obj = v as object;
    if (ancestors.has(obj)) throw notIJson(path, 'a cycle');
    // The path is as deep as the containers around this one; its pointer would be kilobytes long.
    if (ancestors.size >= maxDepth) throw new JsonNotIJsonError(`value nests deeper than ${maxDepth} levels of arrays and objects`);
    ancestors.add(obj);
    if (Array.isArray(obj)) {
      out.push('[');
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) out.push(itemSep);
        path.push(i);
        write(obj[i]);
        path.pop();
      }
      out.push(']');
    } else {
      const rec = obj as Record<string, unknown>;
      const keys = format.sortKeys(Object.keys(rec), path);
      out.push('{');
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (i > 0) out.push(itemSep);
        path.push(k);
        out.push(format.string(k, path), keySep);
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
