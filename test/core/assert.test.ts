import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBytes,
  assertInt,
  assertObject,
  assertOptions,
  assertString,
  describeType,
  describeValue,
  isPlainObject,
  optionKeys,
} from '../../src/core/assert.js';
import { parseStrict } from '../../src/core/parse-strict.js';

/** Every shape describeType may answer (no value content ever). */
const TYPE_SHAPE =
  /^(null|undefined|string|number|bigint|boolean|symbol|function|object|object with null prototype|array of \d+|[A-Za-z_$][\w$]* of \d+ bytes|instance of [A-Za-z_$][\w$]*|array \(proxy\)|object \(proxy\)|revoked proxy)$/;

/** Hostile values, each with a counter that any call of its code (getter, trap, coercion) bumps. */
function hostileValues(): { values: unknown[]; calls: () => number } {
  let calls = 0;
  const bump = (): never => {
    calls++;
    throw new Error('user code ran');
  };
  const trapAll: ProxyHandler<object> = {
    get: bump, has: bump, ownKeys: bump, getPrototypeOf: bump, getOwnPropertyDescriptor: bump,
    apply: bump, construct: bump, defineProperty: bump, deleteProperty: bump, isExtensible: bump,
    preventExtensions: bump, set: bump, setPrototypeOf: bump,
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const revokedArray = Proxy.revocable([], {});
  revokedArray.revoke();
  class Sneaky {
    static get name(): string {
      return bump();
    }
  }
  const sneakyProto = Object.create(null, { constructor: { get: bump } }) as object;
  const bytes = new Uint8Array(4);
  Object.defineProperty(bytes, 'byteLength', { get: bump });
  Object.defineProperty(bytes, 'constructor', { get: bump });
  const values: unknown[] = [
    { toString: 0 },
    { toString: bump, valueOf: bump, toJSON: bump, [Symbol.toPrimitive]: bump },
    Object.defineProperty({}, Symbol.toStringTag, { get: bump }),
    Object.create(null),
    Object.create(sneakyProto),
    new Sneaky(),
    bytes,
    new Proxy({}, trapAll),
    new Proxy([1, 2], trapAll),
    new Proxy(() => 0, trapAll),
    Object.create(new Proxy({}, trapAll)),
    revoked.proxy,
    revokedArray.proxy,
    Object.defineProperty([], 'constructor', { get: bump }),
  ];
  return { values, calls: () => calls };
}

describe('describeValue', () => {
  it('names types and short values as documented', () => {
    const cases: [unknown, string][] = [
      [null, 'null'],
      [undefined, 'undefined'],
      [{}, 'object'],
      [{ toString: 0 }, 'object'],
      [[1, 2, 3], 'array of 3'],
      ['abc', 'string "abc"'],
      ['a"b\n', 'string "a\\"b\\n"'],
      [1.5, 'number 1.5'],
      [-0, 'number -0'],
      [NaN, 'number NaN'],
      [true, 'boolean true'],
      [10n ** 30n, 'bigint'],
      [Symbol('s'), 'symbol'],
      [() => 1, 'function'],
      [Object.create(null), 'object with null prototype'],
      [new Uint8Array(4), 'Uint8Array of 4 bytes'],
      [new Float64Array(2), 'Float64Array of 16 bytes'],
      [Buffer.from('hi'), 'Buffer of 2 bytes'],
      [new Map(), 'instance of Map'],
      [new Date(0), 'instance of Date'],
      [new DataView(new ArrayBuffer(2)), 'instance of DataView'],
      [new (class Widget {})(), 'instance of Widget'],
    ];
    for (const [v, want] of cases) expect(describeValue(v)).toBe(want);
  });

  it('truncates long strings with an ellipsis inside the quotes and never splits a surrogate pair', () => {
    expect(describeValue('x'.repeat(100))).toBe(`string "${'x'.repeat(24)}…"`);
    const emoji = 'a'.repeat(23) + '😀' + 'tail';
    const d = describeValue(emoji);
    expect(d).toBe(`string "${'a'.repeat(23)}…"`);
    expect(describeValue('\u2028'.repeat(30)).length).toBeLessThan(40);
  });

  it('never throws and stays short on any value (fast-check)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withNullPrototype: true, withObjectString: true, withSet: true, withTypedArray: true, withSparseArray: true, withUnicodeString: true }), (v) => {
        const d = describeValue(v);
        expect(typeof d).toBe('string');
        expect(d.length).toBeLessThanOrEqual(100);
        expect(describeType(v)).toMatch(TYPE_SHAPE);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and runs none of the value\'s code on hostile objects, proxies and revoked proxies', () => {
    const { values, calls } = hostileValues();
    for (const v of values) {
      expect(() => describeValue(v)).not.toThrow();
      expect(describeType(v)).toMatch(TYPE_SHAPE);
    }
    expect(calls()).toBe(0);
    expect(describeValue(values[7])).toBe('object (proxy)');
    expect(describeValue(values[8])).toBe('array (proxy)');
    expect(describeValue(values[11])).toBe('revoked proxy');
    expect(describeValue(values[6])).toBe('Uint8Array of 4 bytes');
  });

  it('describeType never shows the content of a string or number (secrets stay out of messages)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.double(), (s, n) => {
        expect(describeType(s)).toBe('string');
        expect(describeType(n)).toBe('number');
      }),
    );
    expect(describeValue({ password: 'hunter2' })).not.toContain('hunter2');
  });
});

describe('isPlainObject / assertObject', () => {
  it('accepts object literals, null-prototype objects and parsed JSON objects', () => {
    fc.assert(fc.property(fc.object(), (o) => {
      expect(isPlainObject(o)).toBe(true);
    }));
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(parseStrict('{"__proto__":1}'))).toBe(true);
    expect(() => assertObject('body', { a: 1 })).not.toThrow();
  });

  it('refuses arrays, null, primitives, class instances, functions and revoked proxies with a TypeError', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const v of [[], [1], null, undefined, 1, 'x', new Map(), new Uint8Array(1), new (class X {})(), () => 0, revoked.proxy, Object.create({})]) {
      expect(isPlainObject(v)).toBe(false);
      expect(() => assertObject('body', v)).toThrow(TypeError);
    }
    expect(() => assertObject('body', [1, 2])).toThrow('"body" expected an object, got array of 2');
    expect(() => assertObject('body', { toString: 0 } as never as unknown[])).not.toThrow();
  });
});

describe('assertBytes / assertString / assertInt', () => {
  it('assertBytes accepts any Uint8Array (Buffer too) and checks an exact length when given', () => {
    expect(() => assertBytes('msg', new Uint8Array(0))).not.toThrow();
    expect(() => assertBytes('msg', Buffer.alloc(3), 3)).not.toThrow();
    expect(() => assertBytes('seed', new Uint8Array(31), 32)).toThrow(new RangeError('"seed" expected 32 bytes, got 31'));
  });

  it('assertBytes refuses other types with a TypeError naming the argument and the type only', () => {
    expect(() => assertBytes('secretKey', 'c2VjcmV0')).toThrow(new TypeError('"secretKey" expected Uint8Array, got string'));
    expect(() => assertBytes('msg', [1, 2])).toThrow(new TypeError('"msg" expected Uint8Array, got array of 2'));
    expect(() => assertBytes('msg', new Uint16Array(2))).toThrow(new TypeError('"msg" expected Uint8Array, got Uint16Array of 4 bytes'));
    expect(() => assertBytes('msg', { toString: 0 })).toThrow(new TypeError('"msg" expected Uint8Array, got object'));
    expect(() => assertBytes('msg', null)).toThrow(new TypeError('"msg" expected Uint8Array, got null'));
  });

  it('assertString accepts strings and refuses the rest with a TypeError', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      assertString('text', s);
    }));
    expect(() => assertString('text', 5)).toThrow(new TypeError('"text" expected string, got number'));
    expect(() => assertString('text', new String('x'))).toThrow(TypeError);
  });

  it('assertInt: non-integers are a TypeError, integers outside [min, max] a RangeError', () => {
    fc.assert(fc.property(fc.integer({ min: -5, max: 5 }), (n) => {
      assertInt('n', n, -5, 5);
    }));
    expect(() => assertInt('dkLen', 65, 0, 64)).toThrow(new RangeError('"dkLen" expected an integer in [0, 64], got 65'));
    expect(() => assertInt('dkLen', -1, 0, 64)).toThrow(RangeError);
    expect(() => assertInt('dkLen', 1.5, 0, 64)).toThrow(new TypeError('"dkLen" expected an integer, got number 1.5'));
    for (const v of [NaN, Infinity, '1', 1n, null, undefined, {}]) expect(() => assertInt('dkLen', v, 0, 64)).toThrow(TypeError);
  });
});

describe('assertOptions', () => {
  const KEYS = ['context', 'deterministic'];

  it('returns the options object, or an empty one for undefined', () => {
    const o = { context: new Uint8Array(1) };
    expect(assertOptions('options', o, KEYS)).toBe(o);
    expect(assertOptions('options', undefined, KEYS)).toEqual({});
    expect(assertOptions('options', Object.create(null) as object, KEYS)).toEqual({});
  });

  it('refuses an unknown key, naming it and the keys it accepts', () => {
    expect(() => assertOptions('options', { rnd: new Uint8Array(32) } as object, KEYS)).toThrow(
      new TypeError('"options" has unknown key "rnd" (expected one of context, deterministic)'),
    );
    expect(() => assertOptions('options', { bogus: undefined } as object, KEYS)).toThrow(TypeError);
    expect(() => assertOptions('opts', { a: 1 } as object, [])).toThrow(new TypeError('"opts" has unknown key "a" (expected no keys)'));
    const long = `"${'k'.repeat(200)}\n`;
    expect(() => assertOptions('options', { [long]: 1 } as object, KEYS)).toThrow(/unknown key "\\"k+…"/);
  });

  it('refuses a non-object, null, an array or a class instance with a TypeError', () => {
    for (const v of [null, 'x', 1, [], new Map(), () => 0]) {
      expect(() => assertOptions('options', v as object, KEYS)).toThrow(TypeError);
    }
    expect(() => assertOptions('options', 'x' as never, KEYS)).toThrow(new TypeError('"options" expected an object, got string'));
  });

  it('accepts every subset of the allowed keys and refuses any other key (fast-check)', () => {
    fc.assert(
      fc.property(fc.subarray(KEYS), fc.string({ minLength: 1 }), (keys, extra) => {
        const o = Object.fromEntries(keys.map((k) => [k, 1]));
        expect(assertOptions('options', o, KEYS)).toBe(o);
        if (!KEYS.includes(extra)) expect(() => assertOptions('options', { ...o, [extra]: 1 }, KEYS)).toThrow(TypeError);
      }),
    );
  });

  it('optionKeys lists every key of an options type (the compiler checks it is complete)', () => {
    interface Opts { readonly a?: number; readonly b?: string }
    expect(optionKeys<Opts>({ a: true, b: true })).toEqual(['a', 'b']);
    // @ts-expect-error — "b" is missing, so the list is incomplete
    optionKeys<Opts>({ a: true });
    // @ts-expect-error — "c" is not an option of Opts
    optionKeys<Opts>({ a: true, b: true, c: true });
  });
});
