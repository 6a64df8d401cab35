import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  base64Decode,
  base64Encode,
  base64urlDecode,
  base64urlEncode,
  concatBytes,
  constantTimeEqual,
  constantTimeEqualTs,
  fromHex,
  isWellFormedString,
  toHex,
  utf8Decode,
  utf8Encode,
} from '../../src/core/bytes.js';
import { getConstantTimeEqualBackend, setConstantTimeEqualBackend } from '../../src/core/_ct-backend.js';
import { isQuorumkitError } from '../../src/core/errors.js';

const bytes = fc.uint8Array({ maxLength: 200 });

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isQuorumkitError(caught), `expected QuorumkitError ${code}, got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
}

/** Decoding either fails with ERR_ENCODING or yields bytes that re-encode to exactly the input. */
function strictLaw(decode: (s: string) => Uint8Array, encode: (b: Uint8Array) => string, s: string): void {
  let out: Uint8Array;
  try {
    out = decode(s);
  } catch (e) {
    expect(isQuorumkitError(e, 'ERR_ENCODING'), String(e)).toBe(true);
    return;
  }
  expect(encode(out)).toBe(s);
}

describe('hex', () => {
  it('toHex matches Buffer hex and fromHex inverts it (law: fromHex(toHex(b)) == b)', () => {
    fc.assert(fc.property(bytes, (b) => {
      const h = toHex(b);
      expect(h).toBe(Buffer.from(b).toString('hex'));
      expect(fromHex(h)).toEqual(b);
      expect(fromHex(h.toUpperCase())).toEqual(b);
    }));
  });
  it('rejects odd length and non-hex characters', () => {
    expectCode(() => fromHex('abc'), 'ERR_ENCODING');
    expectCode(() => fromHex('0g'), 'ERR_ENCODING');
    expectCode(() => fromHex(' 00'.slice(1) + ' '), 'ERR_ENCODING');
    expectCode(() => fromHex('0x00'), 'ERR_ENCODING');
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });
  it('garbage strings either fail with ERR_ENCODING or round-trip (lowercased)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      strictLaw(fromHex, toHex, s.toLowerCase());
    }));
  });
  it('wrong argument types throw TypeError', () => {
    expect(() => toHex('00' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => fromHex(7 as unknown as string)).toThrow(TypeError);
  });
});

describe('base64', () => {
  it('matches Buffer base64 and round-trips (law: decode(encode(b)) == b)', () => {
    fc.assert(fc.property(bytes, (b) => {
      const s = base64Encode(b);
      expect(s).toBe(Buffer.from(b).toString('base64'));
      expect(base64Decode(s)).toEqual(b);
    }));
  });
  it('RFC 4648 §10 test vectors', () => {
    const cases: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, enc] of cases) {
      expect(base64Encode(utf8Encode(plain))).toBe(enc);
      expect(utf8Decode(base64Decode(enc))).toBe(plain);
    }
  });
  it('rejects missing/extra/misplaced padding, bad characters, whitespace and non-zero trailing bits', () => {
    for (const bad of ['Zg', 'Zg=', 'Z===', 'Zg==Zg==', '=Zg=', 'Zm9v\n', ' Zm9v', 'Zm-_', 'Zm9v====', 'Zh==', 'Zm9=', 'Zm\u00e9v']) {
      expectCode(() => base64Decode(bad), 'ERR_ENCODING');
    }
  });
  it('garbage strings either fail with ERR_ENCODING or are the canonical encoding', () => {
    fc.assert(fc.property(fc.string({ maxLength: 24 }), (s) => strictLaw(base64Decode, base64Encode, s)));
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9+/=]{0,12}$/), (s) => strictLaw(base64Decode, base64Encode, s)));
  });
});

/** A valid encoding of 48..300 random bytes (long enough for the native codec) with one edit. */
function mutatedLong(encode: (b: Uint8Array) => string): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), ch: fc.constantFrom('=', '-', '_', '+', '/', ' ', '\n', 'A', 'B', '\u00e9', '\0') }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: fc.constantFrom('=', 'A', ' ', '-') }),
  );
  return fc.tuple(fc.uint8Array({ minLength: 48, maxLength: 300 }), edit).map(([b, e]) => {
    const s = encode(b);
    const at = e.at % s.length;
    if (e.kind === 'delete') return s.slice(0, at) + s.slice(at + 1);
    if (e.kind === 'insert') return s.slice(0, at) + e.ch + s.slice(at);
    return s.slice(0, at) + e.ch + s.slice(at + 1);
  });
}

describe('base64 on long input (the native codec path)', () => {
  it('one-character edits of valid encodings either fail with ERR_ENCODING or are the canonical encoding', () => {
    fc.assert(fc.property(mutatedLong(base64Encode), (s) => strictLaw(base64Decode, base64Encode, s)), { numRuns: 2000 });
    fc.assert(fc.property(mutatedLong(base64urlEncode), (s) => strictLaw(base64urlDecode, base64urlEncode, s)), { numRuns: 2000 });
  });
  it('refuses non-zero trailing bits, missing padding and the other alphabet in long input', () => {
    const s = base64Encode(new Uint8Array(100).fill(0xff)); // 100 bytes: ends in "/w=="
    expect(s.endsWith('/w==')).toBe(true);
    expectCode(() => base64Decode(`${s.slice(0, -3)}x==`), 'ERR_ENCODING'); // trailing bits set
    expectCode(() => base64Decode(s.slice(0, -2)), 'ERR_ENCODING');
    expectCode(() => base64Decode(s.replaceAll('/', '_')), 'ERR_ENCODING');
    expectCode(() => base64urlDecode(base64urlEncode(new Uint8Array(100).fill(0xff)).replaceAll('_', '/')), 'ERR_ENCODING');
    expectCode(() => base64urlDecode(`${base64urlEncode(new Uint8Array(100))}==`), 'ERR_ENCODING');
  });
  it('returns a plain Uint8Array that owns its memory (never a view into a shared pool)', () => {
    const out = base64Decode(base64Encode(new Uint8Array(200).fill(7)));
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(200);
    expect(base64urlEncode(out.subarray(10, 190))).toBe(Buffer.from(out.subarray(10, 190)).toString('base64url'));
  });
});

describe('base64url', () => {
  it('matches Buffer base64url (unpadded) and round-trips', () => {
    fc.assert(fc.property(bytes, (b) => {
      const s = base64urlEncode(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(base64urlDecode(s)).toEqual(b);
    }));
  });
  it('rejects padding, standard-alphabet characters, impossible lengths and non-zero trailing bits', () => {
    for (const bad of ['Zg==', 'Zm8=', 'Zm+v', 'Zm/v', 'Z', 'Zm9vY', 'Zh', 'Zm9', 'Zm 9v']) {
      expectCode(() => base64urlDecode(bad), 'ERR_ENCODING');
    }
    expect(base64urlDecode('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
  });
  it('garbage strings either fail with ERR_ENCODING or are the canonical encoding', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_\-+/=]{0,12}$/), (s) => strictLaw(base64urlDecode, base64urlEncode, s)));
  });
});

describe('utf8', () => {
  it('round-trips every well-formed string and matches Buffer (law: decode(encode(s)) == s)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      const b = utf8Encode(s);
      expect(Buffer.from(b).equals(Buffer.from(s, 'utf8'))).toBe(true);
      expect(utf8Decode(b)).toBe(s);
    }));
  });
  it('refuses lone surrogates on encode instead of writing U+FFFD', () => {
    for (const s of ['\ud800', 'a\udc00b', '\ude02\ud83d']) {
      expect(isWellFormedString(s)).toBe(false);
      expectCode(() => utf8Encode(s), 'ERR_ENCODING');
    }
    expect(isWellFormedString('\ud83d\ude02')).toBe(true);
  });
  it('isWellFormedString refuses a non-string with a TypeError instead of converting it', () => {
    for (const v of [{ toString: 0 }, 1n, null, ['\ud800']]) expect(() => isWellFormedString(v as never)).toThrow(TypeError);
  });
  it('refuses malformed UTF-8 (invalid bytes, overlongs, encoded surrogates, truncation) and keeps a BOM', () => {
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]]) {
      expectCode(() => utf8Decode(new Uint8Array(bad)), 'ERR_ENCODING');
    }
    expect(utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA');
  });
  it('random bytes decode only when Node agrees they are valid UTF-8', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
      const valid = Buffer.from(Buffer.from(b).toString('utf8'), 'utf8').equals(Buffer.from(b));
      if (valid) expect(utf8Encode(utf8Decode(b))).toEqual(b);
      else expectCode(() => utf8Decode(b), 'ERR_ENCODING');
    }));
  });
});

describe('concatBytes', () => {
  it('equals Buffer.concat (law: length is the sum, content in order)', () => {
    fc.assert(fc.property(fc.array(bytes, { maxLength: 6 }), (parts) => {
      expect(Buffer.from(concatBytes(...parts)).equals(Buffer.concat(parts))).toBe(true);
    }));
    expect(concatBytes()).toEqual(new Uint8Array(0));
    expect(() => concatBytes(new Uint8Array(1), [1] as unknown as Uint8Array)).toThrow(TypeError);
  });
  it('returns a fresh copy', () => {
    const a = new Uint8Array([1, 2]);
    const out = concatBytes(a);
    out[0] = 9;
    expect(a[0]).toBe(1);
  });
});

describe('constantTimeEqual', () => {
  afterEach(() => setConstantTimeEqualBackend(null));

  it('agrees with Buffer.equals on random pairs (law: ctEq(a,b) <=> a == b)', () => {
    fc.assert(fc.property(bytes, bytes, (a, b) => {
      const expected = Buffer.from(a).equals(Buffer.from(b));
      expect(constantTimeEqual(a, b)).toBe(expected);
      expect(constantTimeEqualTs(a, b)).toBe(expected);
    }));
  });
  it('is reflexive and detects any single-bit flip at any position', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (a, pos, bit) => {
      expect(constantTimeEqual(a, a.slice())).toBe(true);
      const b = a.slice();
      const i = pos % b.length;
      b[i] = b[i]! ^ (1 << bit);
      expect(constantTimeEqual(a, b)).toBe(false);
      expect(constantTimeEqualTs(a, b)).toBe(false);
    }));
  });
  it('returns false on length mismatch, also for a prefix', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
  it('throws TypeError for non-bytes', () => {
    expect(() => constantTimeEqual('ab' as unknown as Uint8Array, new Uint8Array(2))).toThrow(TypeError);
    expect(() => constantTimeEqualTs(new Uint8Array(2), null as unknown as Uint8Array)).toThrow(TypeError);
  });
  it('dispatches to a registered backend (only for equal lengths) and falls back after reset', () => {
    const seen: number[] = [];
    const backend = (a: Uint8Array, b: Uint8Array): boolean => {
      seen.push(a.length);
      return constantTimeEqualTs(a, b);
    };
    setConstantTimeEqualBackend(backend);
    expect(getConstantTimeEqualBackend()).toBe(backend);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 2]))).toBe(false);
    expect(seen).toEqual([3]);
    setConstantTimeEqualBackend(null);
    expect(getConstantTimeEqualBackend()).toBeNull();
    expect(constantTimeEqual(new Uint8Array([4]), new Uint8Array([4]))).toBe(true);
    expect(seen).toEqual([3]);
  });
  it('setConstantTimeEqualBackend rejects non-functions', () => {
    expect(() => setConstantTimeEqualBackend('wasm' as unknown as null)).toThrow(TypeError);
  });
});
