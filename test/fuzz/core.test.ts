// Fuzzing quorumkit/core's parsers and encoders: parseStrict, the canonical writers (RFC 8785 and
// Python json.dumps), hex / base64 / base64url / UTF-8 decoders, RFC 3339 timestamps and URN ids.
// Each returns a value or throws a typed error on any input; decoders are canonical (what they
// accept re-encodes to the same text); parseStrict reads back exactly what JSON.stringify wrote,
// also in a process where V8's JSON.parse has been put into its escaped-key bug state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Decode, base64Encode, base64urlDecode, base64urlEncode, fromHex, isWellFormedString, toHex, utf8Decode, utf8Encode,
} from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { canonicalizePython, compareCodePoints, pythonFloatRepr } from '../../src/core/canonical-python.js';
import { parseRfc3339, toRfc3339 } from '../../src/core/clock.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { isUrnId, randomId, urnIdKind } from '../../src/core/ids.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { fuzzRuns, fuzzSync, fuzzTimeout } from './_runs.js';
import {
  anyValue, deepValue, jsonText, jsonValue, mutateString, objectFromEntries, randomBytes, TRICKY_CHARS, trickyString, wellFormedString,
} from './_inputs.js';

const T = fuzzTimeout();

/** Puts V8's JSON.parse into the state of nodejs/node#63785 for every tricky first key. */
function poisonJsonParse(): void {
  for (const first of TRICKY_CHARS) {
    if (!isWellFormedString(first)) continue;
    JSON.parse(`{${JSON.stringify(first)}:0,"\\\\":0}`);
    JSON.parse(`{${JSON.stringify(first)}:[],"\\\\":0}`);
  }
}

/** Objects whose keys are one-character escapes after a first key: the shape that V8 misreads. */
const escapedKeyObject = fc
  .tuple(fc.constantFrom(...TRICKY_CHARS.filter((c) => isWellFormedString(c))), fc.constantFrom('"', '\n', '\r', '\f', '\b', '\t', '/', '\\'), jsonValue({ wellFormed: true }))
  .filter(([a, b]) => a !== b)
  .map(([a, b, v]) => objectFromEntries([[a, 1], [b, v]]));

describe('parseStrict under fuzzing', () => {
  it('returns a value or a typed error for any text (no SyntaxError, no stack overflow)', () => {
    fuzzSync('parseStrict(text)', jsonText, (text) => {
      parseStrict(text);
    });
  }, T);

  it('returns a value or a typed error for any arguments and options', () => {
    const options = fc.oneof(fc.constant(undefined), fc.record({ floats: fc.oneof(fc.constantFrom('number', 'python'), anyValue), bigints: anyValue, maxDepth: fc.oneof(fc.integer({ min: -2, max: 3000 }), anyValue) }, { requiredKeys: [] }));
    fuzzSync('parseStrict(any, options)', fc.tuple(fc.oneof(jsonText, anyValue), options), ([text, opts]) => {
      parseStrict(text as string, opts as never);
    });
  }, T);

  it('reads back exactly what JSON.stringify wrote, where JSON.parse in the same process gets escaped keys wrong', () => {
    poisonJsonParse();
    const tally = fuzzSync('parseStrict(JSON.stringify(value)) round trip', fc.oneof(jsonValue({ wellFormed: true }), escapedKeyObject), (value, t) => {
      const text = JSON.stringify(value);
      expect(JSON.stringify(parseStrict(text))).toBe(text);
      if (JSON.stringify(JSON.parse(text)) !== text) t.note('where JSON.parse read different keys');
    });
    expect(tally.typed).toBe(0);
  }, T);

  it('refuses every lone surrogate, raw or escaped, with ERR_JSON_NOT_IJSON', () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    fuzzSync('parseStrict(lone surrogate)', fc.tuple(wellFormedString, lone, wellFormedString, fc.boolean(), fc.boolean()), ([a, s, b, escaped, asKey]) => {
      const inner = escaped ? JSON.stringify(a + s + b) : `"${JSON.stringify(a).slice(1, -1)}${s}${JSON.stringify(b).slice(1, -1)}"`;
      const text = asKey ? `{${inner}:1}` : `[${inner}]`;
      try {
        parseStrict(text);
      } catch (e) {
        expect(isQuorumkitError(e, 'ERR_JSON_NOT_IJSON'), String(e)).toBe(true);
        throw e;
      }
      expect.unreachable(`accepted a lone surrogate: ${JSON.stringify(text)}`);
    });
  }, T);
});

describe('canonical JSON writers under fuzzing', () => {
  it('canonicalize returns text that parseStrict reads back to the same canonical text, or a typed error', () => {
    fuzzSync('canonicalize(any)', fc.oneof(anyValue, jsonValue(), deepValue), (value) => {
      const text = canonicalize(value);
      expect(canonicalize(parseStrict(text, { maxDepth: 2048 }))).toBe(text);
    });
  }, T);

  it('canonicalize with any options returns text or a typed error', () => {
    fuzzSync('canonicalize(any, options)', fc.tuple(fc.oneof(jsonValue(), fc.bigInt(), deepValue), fc.record({ bigint: fc.oneof(fc.constantFrom('reject', 'string'), anyValue), maxDepth: fc.oneof(fc.integer({ min: -1, max: 3000 }), anyValue) }, { requiredKeys: [] })), ([value, opts]) => {
      canonicalize(value, opts as never);
    });
  }, T);

  it('canonicalizePython returns text that parseStrict accepts, or a typed error', () => {
    fuzzSync('canonicalizePython(any)', fc.tuple(fc.oneof(anyValue, jsonValue(), deepValue), fc.oneof(fc.constant(undefined), fc.record({ ensureAscii: fc.oneof(fc.boolean(), anyValue), maxDepth: fc.oneof(fc.integer({ min: -1, max: 3000 }), anyValue) }, { requiredKeys: [] }))), ([value, opts]) => {
      parseStrict(canonicalizePython(value, opts as never), { maxDepth: 2048 });
    });
  }, T);

  it('pythonFloatRepr returns a number literal that reads back to the same double, or a typed error', () => {
    fuzzSync('pythonFloatRepr(any)', fc.oneof(fc.double(), anyValue), (n) => {
      const text = pythonFloatRepr(n as number);
      expect(Object.is(Number(text), n) || (n === 0 && Number(text) === 0)).toBe(true);
    });
  }, T);
});

describe('byte decoders under fuzzing', () => {
  const text = fc.oneof(trickyString, fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789+/-_=xyz '), maxLength: 24 }), randomBytes.map(base64Encode).chain(mutateString), randomBytes.map(toHex).chain(mutateString), anyValue);

  it('fromHex accepts only what toHex writes (either case)', () => {
    fuzzSync('fromHex(text)', text, (t) => {
      const bytes = fromHex(t as string);
      expect(toHex(bytes)).toBe((t as string).toLowerCase());
    });
  }, T);

  it('base64Decode accepts only what base64Encode writes', () => {
    fuzzSync('base64Decode(text)', text, (t) => {
      expect(base64Encode(base64Decode(t as string))).toBe(t);
    });
  }, T);

  it('base64urlDecode accepts only what base64urlEncode writes', () => {
    fuzzSync('base64urlDecode(text)', fc.oneof(text, randomBytes.map(base64urlEncode).chain(mutateString)), (t) => {
      expect(base64urlEncode(base64urlDecode(t as string))).toBe(t);
    });
  }, T);

  it('utf8Decode accepts only bytes that utf8Encode gives back exactly', () => {
    const bytes = fc.oneof(randomBytes, fc.string({ unit: 'binary' }).map((s) => new TextEncoder().encode(s)), fc.constantFrom(Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xc0, 0x80), Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0xf4, 0x90, 0x80, 0x80)), anyValue);
    fuzzSync('utf8Decode(bytes)', bytes, (b) => {
      expect(utf8Encode(utf8Decode(b as Uint8Array))).toEqual(b);
    });
  }, T);

  it('utf8Encode refuses lone surrogates with a typed error and encodes everything else', () => {
    fuzzSync('utf8Encode(text)', fc.oneof(trickyString, anyValue), (s) => {
      expect(utf8Decode(utf8Encode(s as string))).toBe(s);
    });
  }, T);
});

describe('string predicates under fuzzing', () => {
  it('isWellFormedString and compareCodePoints answer for strings and refuse anything else with a TypeError', () => {
    fuzzSync('isWellFormedString / compareCodePoints(any)', fc.tuple(fc.oneof(trickyString, anyValue), fc.oneof(wellFormedString, anyValue)), ([a, b]) => {
      const wf = isWellFormedString(a as string);
      expect(wf).toBe(!/[\ud800-\udfff]/u.test(a as string));
      if (wf) expect([-1, 0, 1]).toContain(compareCodePoints(a as string, b as string));
    });
  });
});

describe('timestamps and ids under fuzzing', () => {
  const stamp = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map(toRfc3339);

  it('parseRfc3339 returns a valid Date or a typed error', () => {
    fuzzSync('parseRfc3339(text)', fc.oneof(stamp, stamp.chain(mutateString), trickyString, anyValue), (t) => {
      expect(Number.isNaN(parseRfc3339(t as string).getTime())).toBe(false);
    });
  }, T);

  it('urnIdKind returns the kind of exactly the ids isUrnId accepts', () => {
    const id = fc.constantFrom('round', 'vote', 'a-b').map((k) => randomId(k));
    fuzzSync('urnIdKind(text)', fc.oneof(id, id.chain(mutateString), trickyString, anyValue), (s) => {
      const accepted = isUrnId(s);
      let kind: string | undefined;
      try {
        kind = urnIdKind(s as string);
      } finally {
        expect(kind !== undefined).toBe(accepted);
      }
    });
  }, T);
});

it('the fuzz run count follows QK_FUZZ_RUNS', () => {
  expect(fuzzRuns(7)).toBe(process.env.QK_FUZZ_RUNS ? Number(process.env.QK_FUZZ_RUNS) : 7);
});
