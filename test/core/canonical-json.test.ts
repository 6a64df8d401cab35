import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize, jsonPointer } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { pyFloat } from '../../src/core/canonical-python.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { utf8Encode } from '../../src/core/bytes.js';

function expectNotIJson(value: unknown, messagePart?: string): void {
  let caught: unknown;
  try {
    canonicalize(value);
  } catch (e) {
    caught = e;
  }
  expect(isQuorumkitError(caught, 'ERR_JSON_NOT_IJSON'), `expected ERR_JSON_NOT_IJSON, got ${String(caught)}`).toBe(true);
  if (messagePart !== undefined) expect((caught as Error).message).toContain(messagePart);
}

/** Returns `v` with object keys inserted in reverse order, recursively. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) Object.defineProperty(out, k, { value: reverseKeys((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

describe('canonicalize (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, recursively, and uses no whitespace', () => {
    expect(canonicalize({ b: 1, a: { d: [true, false, null], c: 'x' }, '': 0 })).toBe('{"":0,"a":{"c":"x","d":[true,false,null]},"b":1}');
    expect(canonicalize({ '\ufb33': 1, '\u{1f602}': 2, '\u00f6': 3 })).toBe('{"\u00f6":3,"\u{1f602}":2,"\ufb33":1}');
    expect(canonicalize({ a10: 1, a1: 2, A: 3 })).toBe('{"A":3,"a1":2,"a10":1}');
  });
  it('serializes numbers as ECMAScript Number::toString (RFC 8785 §3.2.2.3)', () => {
    const cases: [number, string][] = [
      [0, '0'], [-0, '0'], [1, '1'], [-1.5, '-1.5'], [1e21, '1e+21'], [1e20, '100000000000000000000'],
      [1e-7, '1e-7'], [0.000001, '0.000001'], [333333333.33333329, '333333333.3333333'], [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'], [9007199254740993, '9007199254740992'], [4.5, '4.5'],
    ];
    for (const [n, s] of cases) expect(canonicalize(n)).toBe(s);
  });
  it('escapes strings per §3.2.2.2: short escapes, lowercase \\u00xx for other controls, everything else literal', () => {
    expect(canonicalize('\b\t\n\f\r"\\/')).toBe('"\\b\\t\\n\\f\\r\\"\\\\/"');
    expect(canonicalize('\u0000\u000f\u001f\u007f\u0080\u2028€😂')).toBe('"\\u0000\\u000f\\u001f\u007f\u0080\u2028€😂"');
  });
  it('accepts null-prototype objects and shared (non-cyclic) references', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o['z'] = 1;
    o['a'] = 2;
    expect(canonicalize(o)).toBe('{"a":2,"z":1}');
    const shared = { x: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
  it('keeps "__proto__" as an ordinary key', () => {
    const v = parseStrict('{"__proto__":{"p":1},"a":2}');
    expect(canonicalize(v)).toBe('{"__proto__":{"p":1},"a":2}');
  });
  it('rejects non-I-JSON values instead of dropping them', () => {
    expectNotIJson(NaN, 'NaN');
    expectNotIJson(Infinity);
    expectNotIJson([-Infinity]);
    expectNotIJson(undefined, 'undefined');
    expectNotIJson([1, undefined], '/1');
    expectNotIJson({ a: { b: undefined } }, '/a/b');
    expectNotIJson([1, , 3]); // hole
    expectNotIJson('\ud800', 'lone surrogate');
    expectNotIJson({ ['x\udc00']: 1 }, 'lone surrogate');
    expectNotIJson(10n, 'bigint');
    expectNotIJson(() => 1, 'function');
    expectNotIJson(Symbol('s'), 'symbol');
    expectNotIJson({ [Symbol('k')]: 1 }, 'symbol keys');
    expectNotIJson(new Map([['a', 1]]), 'Map');
    expectNotIJson(new Set([1]), 'Set');
    expectNotIJson(new Date(0), 'Date');
    expectNotIJson(new Uint8Array(2), 'Uint8Array');
    expectNotIJson({ f: pyFloat(1) }, 'PythonFloat');
    expectNotIJson({ toJSON: () => 'x' }, 'function');
    class Point { x = 1; }
    expectNotIJson(new Point(), 'Point');
  });
  it('describes a refused object without running its code: a throwing constructor getter is still ERR_JSON_NOT_IJSON', () => {
    const trap = Object.defineProperty(new (class Trap {})(), 'constructor', { get: () => { throw new Error('ran the value\'s getter'); } });
    expectNotIJson({ a: trap }, 'instance of Trap');
    expectNotIJson([new (class extends Map {})()], 'non-plain object');
    const cyc: Record<string, unknown> = { a: [] };
    (cyc['a'] as unknown[]).push(cyc);
    expectNotIJson(cyc, 'cycle');
  });
  it('encodes bigint as a decimal string only when asked', () => {
    expect(canonicalize({ n: 2n ** 127n - 1n }, { bigint: 'string' })).toBe('{"n":"170141183460469231731687303715884105727"}');
    expect(canonicalize([-5n], { bigint: 'string' })).toBe('["-5"]');
    expect(() => canonicalize(1, { bigint: 'number' as 'string' })).toThrow(RangeError);
  });
  it('canonicalBytes is the UTF-8 of canonicalize', () => {
    expect(canonicalBytes({ é: '😂' })).toEqual(utf8Encode('{"é":"😂"}'));
  });
  it('law: canonicalize(parseStrict(canonicalize(x))) == canonicalize(x)', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      const c = canonicalize(x);
      expect(canonicalize(parseStrict(c))).toBe(c);
    }), { numRuns: 300 });
  });
  it('law: output parses (JSON.parse) back to a value equal to the input, and ignores key insertion order', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      const c = canonicalize(x);
      expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(x)));
      expect(canonicalize(reverseKeys(x))).toBe(c);
    }), { numRuns: 300 });
  });
  it('law: for string values, matches JSON.stringify (well-formed strings)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(canonicalize(s)).toBe(JSON.stringify(s));
    }));
  });
  it('law: strings around the escape boundary (quote, backslash, U+0000-U+001F, U+007F, U+2028, pairs), short and long, match JSON.stringify', () => {
    const edge = fc.constantFrom('"', '\\', '\u0000', '\u0008', '\u001f', ' ', '\u007f', '\u2028', '\u{1F600}', 'A', '+', '/', '=');
    const text = fc.oneof(fc.array(edge, { maxLength: 40 }).map((a) => a.join('')), fc.tuple(fc.string({ minLength: 500, maxLength: 5000 }), edge, fc.nat()).map(([s, e, i]) => {
      const at = i % (s.length + 1);
      return s.slice(0, at) + e + s.slice(at);
    }));
    fc.assert(fc.property(text, (s) => {
      expect(canonicalize(s)).toBe(JSON.stringify(s));
      expect(canonicalize({ [s]: s })).toBe(`{${JSON.stringify(s)}:${JSON.stringify(s)}}`);
    }), { numRuns: 1000 });
  });
  it('jsonPointer escapes ~ and / (RFC 6901)', () => {
    expect(jsonPointer(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
    expect(jsonPointer([])).toBe('(root)');
  });
});
