import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalizePython,
  canonicalPythonBytes,
  compareCodePoints,
  pyFloat,
  PythonFloat,
  pythonFloatRepr,
} from '../../src/core/canonical-python.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { fromHex, utf8Encode } from '../../src/core/bytes.js';

// [IEEE 754 big-endian bits, repr(float)] produced by CPython 3.11.7 (random.seed(8785) plus edge cases).
const CPYTHON_REPR: [string, string][] = [
  ['3ff0000000000000', '1.0'],
  ['4059000000000000', '100.0'],
  ['3fb999999999999a', '0.1'],
  ['3ee4f8b588e368f1', '1e-05'],
  ['4341c37937e08000', '1e+16'],
  ['7e41eb2d66005835', '1.5e+300'],
  ['43118b54f22aeb00', '1234567890123456.0'],
  ['4341c37937e07fff', '9999999999999998.0'],
  ['3f1a36e2eb1c432d', '0.0001'],
  ['3ee9e0fcaf9380fc', '1.234e-05'],
  ['c004000000000000', '-2.5'],
  ['8000000000000000', '-0.0'],
  ['0000000000000000', '0.0'],
  ['0000000000000001', '5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['419d6f34547df3b6', '123456789.123'],
  ['4480f0cf064dd592', '1e+22'],
  ['3fd3333333333333', '0.3'],
  ['4340000000000000', '9007199254740992.0'],
  ['430c6bf526340000', '1000000000000000.0'],
  ['0010000000000000', '2.2250738585072014e-308'],
  ['41b3de4355555555', '333333333.3333333'],
  ['3fd5555555555555', '0.3333333333333333'],
  ['3fe5555555555555', '0.6666666666666666'],
  ['be7ad7f29abcaf48', '-1e-07'],
  ['4011666666666666', '4.35'],
  ['3f201f31f46ed246', '0.000123'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3f1a36e2eb1c432d', '0.0001'],
  ['42dc1221836bd000', '123456789000000.0'],
  ['b3d432ef707050e7', '-5.02793897365748e-59'],
  ['ea232e95049f6dc4', '-1.8794038050047782e+203'],
  ['7fb0a5a5c3e2ad5c', '1.1689963516710327e+307'],
  ['931e59db6a3460e9', '-1.3756761126028206e-216'],
  ['af1e42b547b36c2f', '-9.96915655096915e-82'],
  ['3fa4933936dc6a21', '0.04018572611513017'],
  ['d1c89c8263ec4cb0', '-9.562346480129106e+85'],
  ['17fac9bfd4f1bb02', '3.669648223435266e-193'],
  ['463ce3a59131f193', '2.288841806053521e+30'],
  ['cf974b547a22df32', '-2.634073021688141e+75'],
  ['e7e229f94cea7608', '-2.5897496914530976e+192'],
  ['2a3652124a6bac41', '2.4330286748811588e-105'],
  ['3056d31d87ef2bfd', '7.884707671321887e-76'],
  ['43e72b22ed9c8d00', '1.3355731926399844e+19'],
  ['4cdf8c4da633cc01', '2.0278311027403974e+62'],
  ['dd8d5857e2ce258c', '-4.473046650003945e+142'],
  ['1e3ebaa09843dbd2', '5.336186130365805e-163'],
  ['abc41e709d10acc3', '-7.358609826747707e-98'],
  ['37e45c4b34380dd8', '1.869818687813732e-39'],
  ['b6119f7a3aa80360', '-3.0145294347117405e-48'],
  ['a6f4fcf3e62fab06', '-5.079895826507493e-121'],
  ['9651aaa4cde5978b', '-3.6062457693943185e-201'],
  ['0f36ccf38add66c5', '2.240936274931638e-235'],
  ['0f90eba328ef5146', '1.0643280237031127e-233'],
  ['412307498c189bde', '623524.7736252507'],
  ['c10a3a15379f1d20', '-214850.65215895418'],
  ['4129772ad60cc286', '834453.4180661'],
  ['4100397b28bf6790', '132911.3948963252'],
  ['c11bde600f7faf34', '-456600.0151355148'],
  ['411522c443a62e48', '346289.0660636169'],
  ['c1101d819e94b0ae', '-264032.4048640829'],
  ['c11aa2dcd67efaa4', '-436407.2094687617'],
  ['c1257e2472e12eb8', '-704274.2243742561'],
  ['c119342c36591708', '-412939.05307422625'],
  ['bef6aa3150464a80', '-2.1614851918603465e-05'],
  ['bf47fee2b386e4a6', '-0.0007322890224294068'],
  ['3f45109eee35eb54', '0.0006428504970438045'],
  ['3f31615ff3699468', '0.000265203404899167'],
  ['3f440efab9f060b4', '0.0006121372460965641'],
  ['bf188b2a6bfc4d40', '-9.362646505577544e-05'],
];

function bitsToNumber(hex: string): number {
  return new DataView(fromHex(hex).buffer).getFloat64(0, false);
}

// [string, json.dumps(s, ensure_ascii=True), json.dumps(s, ensure_ascii=False)] from CPython 3.11.7.
const CPYTHON_STRINGS: [string, string, string][] = [
  ['plain', '"plain"', '"plain"'],
  ['q"b\\s/', '"q\\"b\\\\s/"', '"q\\"b\\\\s/"'],
  ['\u0000\u0001\u001f\u007f\u0080', '"\\u0000\\u0001\\u001f\\u007f\\u0080"', '"\\u0000\\u0001\\u001f\u007f\u0080"'],
  ['\b\f\n\r\t', '"\\b\\f\\n\\r\\t"', '"\\b\\f\\n\\r\\t"'],
  ['h\u00e9llo \u2713', '"h\\u00e9llo \\u2713"', '"h\u00e9llo \u2713"'],
  ['\ud83d\ude02 \ufb33', '"\\ud83d\\ude02 \\ufb33"', '"\ud83d\ude02 \ufb33"'],
  ['\u2028\u2029', '"\\u2028\\u2029"', '"\u2028\u2029"'],
  ['</script>', '"</script>"', '"</script>"'],
  ['A\u030a', '"A\\u030a"', '"A\u030a"'],
];

function expectNotIJson(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isQuorumkitError(caught, 'ERR_JSON_NOT_IJSON'), String(caught)).toBe(true);
}

describe('pythonFloatRepr', () => {
  it(`matches CPython repr() on ${CPYTHON_REPR.length} recorded values`, () => {
    for (const [bits, repr] of CPYTHON_REPR) expect(pythonFloatRepr(bitsToNumber(bits)), `${bits}`).toBe(repr);
  });
  it('law: repr round-trips, has Python shape, and uses the same shortest digits as JS', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      const r = pythonFloatRepr(n);
      expect(Object.is(Number(r), n)).toBe(true);
      expect(r).toMatch(/^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$/);
      const digits = (s: string): string => s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      expect(digits(r)).toBe(digits(Math.abs(n).toExponential()));
    }), { numRuns: 2000 });
  });
  it('refuses NaN and infinities', () => {
    expectNotIJson(() => pythonFloatRepr(NaN));
    expectNotIJson(() => pythonFloatRepr(-Infinity));
  });
});

describe('canonicalizePython', () => {
  it('escapes strings exactly like CPython json.dumps in both ensure_ascii modes', () => {
    for (const [s, ascii, raw] of CPYTHON_STRINGS) {
      expect(canonicalizePython(s)).toBe(ascii);
      expect(canonicalizePython(s, { ensureAscii: false })).toBe(raw);
    }
  });
  it('sorts keys by code point (Python str order), unlike JCS for astral keys', () => {
    const v = { '\ufb33': 1, '\u{1f602}': 2, a: [1, pyFloat(2), { z: null, b: true }], '\u00e9': '\u00fc' };
    // CPython: json.dumps(v, sort_keys=True, separators=(",",":")) (and ensure_ascii=False)
    expect(canonicalizePython(v)).toBe('{"a":[1,2.0,{"b":true,"z":null}],"\\u00e9":"\\u00fc","\\ufb33":1,"\\ud83d\\ude02":2}');
    expect(canonicalizePython(v, { ensureAscii: false })).toBe('{"a":[1,2.0,{"b":true,"z":null}],"\u00e9":"\u00fc","\ufb33":1,"\u{1f602}":2}');
    const keysOnly = { '\ufb33': 1, '\u{1f602}': 2 };
    expect(canonicalize(keysOnly)).toBe('{"\u{1f602}":2,"\ufb33":1}');
    expect(canonicalizePython(keysOnly, { ensureAscii: false })).toBe('{"\ufb33":1,"\u{1f602}":2}');
  });
  it('compareCodePoints refuses non-strings with a TypeError', () => {
    expect(() => compareCodePoints({ toString: 0 } as never, 'a')).toThrow(new TypeError('"a" and "b" expected strings, got object and string'));
    expect(() => compareCodePoints('a', 1 as never)).toThrow(TypeError);
  });
  it('law: compareCodePoints orders like comparing arrays of code points', () => {
    const cps = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);
    const ref = (a: string, b: string): number => {
      const x = cps(a);
      const y = cps(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return Math.sign(x.length - y.length);
    };
    const str = fc.string({ unit: fc.constantFrom('a', 'z', '\u00e9', '\ufb33', '\uffff', '\u{10000}', '\u{1f602}'), maxLength: 5 });
    fc.assert(fc.property(str, str, (a, b) => {
      expect(compareCodePoints(a, b)).toBe(ref(a, b));
    }));
  });
  it('renders integers as ints, non-integral numbers and PythonFloat as floats', () => {
    expect(canonicalizePython([1, -0, 1e20, 2n ** 127n - 1n, pyFloat(1), pyFloat(100), 0.1, 1e-5, pyFloat(1e16), -2.5, pyFloat(1.5e300)])).toBe(
      '[1,0,100000000000000000000,170141183460469231731687303715884105727,1.0,100.0,0.1,1e-05,1e+16,-2.5,1.5e+300]',
    );
    expect(canonicalizePython(pyFloat(-0))).toBe('-0.0');
    // An unwrapped integral double is a Python int: all digits of its exact binary value.
    expect(canonicalizePython(2 ** 70)).toBe('1180591620717411303424');
  });
  it('round-trips Python floats through parseStrict({ floats: "python" })', () => {
    const text = '{"v":[1.0,0.0,1e-05,1e+16,-2.5,3,1.5e+300,100.0]}';
    expect(canonicalizePython(parseStrict(text, { floats: 'python' }))).toBe(text);
  });
  it('refuses what JCS refuses (NaN, Infinity, undefined, lone surrogates, Map, cycles)', () => {
    const cyc: unknown[] = [];
    cyc.push(cyc);
    for (const bad of [NaN, [Infinity], pyFloat(NaN), { a: undefined }, '\ud800', { ['\udc00']: 1 }, new Map(), new Date(0), cyc, () => 0]) {
      expectNotIJson(() => canonicalizePython(bad));
    }
    expect(() => new PythonFloat('1' as unknown as number)).toThrow(TypeError);
  });
  it('law: equals JCS for values of safe integers and strings whose keys are BMP (ensure_ascii=False)', () => {
    const bmpKey = fc.string({ unit: fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c)), maxLength: 6 });
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.maxSafeInteger(), fc.string({ unit: 'binary' }),
        fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(bmpKey, tie('v'), { maxKeys: 4 })),
    })).v;
    fc.assert(fc.property(value, (x) => {
      expect(canonicalizePython(x, { ensureAscii: false })).toBe(canonicalize(x));
    }), { numRuns: 300 });
  });
  it('law: ensure_ascii output is pure ASCII and JSON.parse gives the value back', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      const s = canonicalizePython(x);
      expect(/^[\x20-\x7e]*$/.test(s)).toBe(true);
      expect(JSON.parse(s)).toEqual(JSON.parse(JSON.stringify(x)));
    }), { numRuns: 300 });
  });
  it("separators: 'default' is json.dumps(sort_keys=True) with Python's default (', ', ': '); a bad value is a TypeError", () => {
    // recorded from CPython 3.11: json.dumps(v, sort_keys=True) and the same with ensure_ascii=False
    const v = { b: [1, pyFloat(2), { y: null, x: 'é' }], a: 0.75, c: {}, d: [] };
    expect(canonicalizePython(v, { separators: 'default' })).toBe('{"a": 0.75, "b": [1, 2.0, {"x": "\\u00e9", "y": null}], "c": {}, "d": []}');
    expect(canonicalizePython(v, { separators: 'default', ensureAscii: false })).toBe('{"a": 0.75, "b": [1, 2.0, {"x": "é", "y": null}], "c": {}, "d": []}');
    expect(canonicalizePython(v, { separators: 'compact' })).toBe(canonicalizePython(v));
    expect(() => canonicalizePython(v, { separators: 'spaced' as 'default' })).toThrow(TypeError);
  });

  it('canonicalPythonBytes is the UTF-8 of canonicalizePython', () => {
    expect(canonicalPythonBytes({ n: 'ü' }, { ensureAscii: false })).toEqual(utf8Encode('{"n":"ü"}'));
    expect(() => canonicalizePython(1, { ensureAscii: 'yes' as unknown as boolean })).toThrow(TypeError);
  });
});
