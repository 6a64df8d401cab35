import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from '../../src/core/bytes.js';
import { pae } from '../../src/envelope/pae.js';
import { normalizePayloadType, parsePayloadType, payloadTypeFor } from '../../src/envelope/payload-type.js';

describe('pae', () => {
  it('matches the DSSE v1 protocol example byte for byte', () => {
    // secure-systems-lab/dsse protocol.md, "Test Vectors"
    const out = pae('http://example.com/HelloWorld', utf8Encode('hello world'));
    expect(utf8Decode(out)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });
  it('counts bytes, not characters', () => {
    expect(utf8Decode(pae('t', utf8Encode('é')))).toBe('DSSEv1 1 t 2 é');
  });
  it('refuses a non-string type or non-byte payload with a TypeError naming the argument', () => {
    expect(() => pae('t', null as never)).toThrow(new TypeError('"payload" expected Uint8Array, got null'));
    expect(() => pae('t', 'abc' as never)).toThrow(TypeError);
    expect(() => pae(7 as never, new Uint8Array())).toThrow(new TypeError('"payloadType" expected string, got number'));
  });
  it('separates type from payload: moving bytes between them changes the encoding', () => {
    const a = pae('ab', utf8Encode('c'));
    const b = pae('a', utf8Encode('bc'));
    expect(utf8Decode(a)).not.toBe(utf8Decode(b));
  });
});

describe('payload types', () => {
  it('builds and parses application/vnd.quorumkit.<kind>+json;v=<n>', () => {
    expect(payloadTypeFor('vote')).toBe('application/vnd.quorumkit.vote+json;v=1');
    expect(payloadTypeFor('governance.result', 3)).toBe('application/vnd.quorumkit.governance.result+json;v=3');
    expect(parsePayloadType('application/vnd.quorumkit.vote+json;v=2')).toEqual({ kind: 'vote', version: 2 });
    expect(parsePayloadType('application/json')).toBeNull();
    expect(parsePayloadType('application/vnd.quorumkit.vote+json;v=0')).toBeNull();
  });
  it('normalizes a bare kind and keeps a full type', () => {
    expect(normalizePayloadType('proposal')).toBe('application/vnd.quorumkit.proposal+json;v=1');
    expect(normalizePayloadType('application/vnd.quorumkit.x+json;v=7')).toBe('application/vnd.quorumkit.x+json;v=7');
  });
  it('rejects bad kinds and versions with RangeError', () => {
    for (const k of ['', 'Vote', '1vote', 'vote!', 'a..b', 'application/json']) {
      expect(() => normalizePayloadType(k)).toThrow(RangeError);
    }
    expect(() => payloadTypeFor('vote', 0)).toThrow(RangeError);
    expect(() => payloadTypeFor('vote', 1.5)).toThrow(RangeError);
  });
});

describe('payload type errors', () => {
  it('describe any bad value without converting it (bigint, objects without toString)', () => {
    for (const bad of [0n, { toString: 0 }, Symbol('s'), null]) {
      expect(() => normalizePayloadType(bad as never)).toThrow(RangeError);
      expect(() => payloadTypeFor(bad as never)).toThrow(RangeError);
    }
    expect(() => payloadTypeFor('vote', 2n as never)).toThrow(new RangeError('"version" expected an integer 1..999999, got bigint'));
  });
});
